"""L-01: at least one year (含) of work experience, counted in calendar years (issue 10)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from liaisons import rules
from liaisons.constants import ApplicationState
from liaisons.services import applications as application_services
from liaisons.services.applications import liaison_application_submit
from liaisons.services.preparation import liaison_application_update
from liaisons.tests.factories import ready_application

D = datetime.date

#: (work started on, decided on, the date one year is complete or None when it already is)
TABLE = [
    (D(2023, 3, 1), D(2024, 3, 1), None),  # 366 days: the year holds 29 February 2024
    (D(2023, 3, 2), D(2024, 3, 1), D(2024, 3, 2)),  # 365 days, yet a day short
    (D(2023, 3, 2), D(2024, 3, 2), None),
    (D(2022, 3, 1), D(2023, 2, 28), D(2023, 3, 1)),
    (D(2022, 3, 1), D(2023, 3, 1), None),
    (D(2024, 2, 29), D(2025, 2, 27), D(2025, 2, 28)),
    (D(2024, 2, 29), D(2025, 2, 28), None),  # no 29 February 2025: the last day of February
    (D(2023, 2, 28), D(2024, 2, 28), None),
    (D(2023, 2, 28), D(2024, 2, 27), D(2024, 2, 28)),
    (D(2024, 1, 10), D(2024, 1, 10), D(2025, 1, 10)),  # started today
]


@pytest.mark.parametrize(("started_on", "today", "complete_on"), TABLE)
def test_one_year_of_work_is_a_calendar_year(started_on, today, complete_on):
    # rule L-01, issue 10
    with translation.override("en"):
        problems = rules.experience_problems(started_on, today=today)
    if complete_on is None:
        assert problems == []
    else:
        assert [p.code for p in problems] == ["L-01"]
        assert problems[0].message == (
            "L-01: at least one year of work experience is required; "
            f"one year is complete on {complete_on.isoformat()}."
        )


def test_the_problem_says_in_chinese_when_the_year_is_complete():
    # rule L-01, issue 10
    with translation.override("zh-hans"):
        (problem,) = rules.experience_problems(D(2023, 3, 2), today=D(2024, 3, 1))
    assert problem.message == "L-01：须具有 1 年（含）以上工作经历；满 1 年之日为 2024-03-02。"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("started_on", "submitted"),
    [(D(2023, 3, 1), True), (D(2023, 3, 2), False)],
)
def test_submit_counts_the_leap_year_as_a_year(world, monkeypatch, started_on, submitted):
    # rule L-01, issue 10: on 2024-03-01 the applicant who started 2023-03-02 (365 days
    # earlier) lacks a day; the one who started 2023-03-01 has the year.
    monkeypatch.setattr(application_services, "_today", lambda: D(2024, 3, 1))
    application = ready_application(lab=world.lab_a, actor=world.lab_a_staff)
    liaison_application_update(
        application=application, actor=world.lab_a_staff, work_started_on=started_on
    )
    if submitted:
        liaison_application_submit(application=application, actor=world.lab_a_staff)
        application.refresh_from_db()
        assert application.state == ApplicationState.SUBMITTED
    else:
        with translation.override("en"), pytest.raises(ValidationError) as caught:
            liaison_application_submit(application=application, actor=world.lab_a_staff)
        assert [e.code for e in caught.value.error_list] == ["L-01"]
        assert "one year is complete on 2024-03-02" in caught.value.messages[0]
        application.refresh_from_db()
        assert application.state == ApplicationState.DRAFT
