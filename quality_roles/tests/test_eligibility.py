"""The eligibility of the two key roles (Q-03, Q-04) at its boundaries, as one table.

Years are calendar years (``cqcportal.periods``, the helper of L-01): N years counted from
the day work started are complete on its N-th anniversary, not the day before.
"""

import datetime

import pytest
from django.utils import translation

from directory.constants import Education
from quality_roles.constants import KeyRole, TitleLevel
from quality_roles.rules import eligibility_problems

STARTED = datetime.date(2018, 3, 1)
LONG_AGO = datetime.date(1990, 1, 1)
DAY = datetime.timedelta(days=1)

#: (role, rule, degree, years of full-time work, years of professional work), as the
#: regulation writes them: art. 4 (二) for the director, art. 8 (二) for a lead.
TABLE = [
    (KeyRole.DIRECTOR, "Q-03", Education.POSTGRADUATE, 6, 4),
    (KeyRole.DIRECTOR, "Q-03", Education.BACHELOR, 8, 6),
    (KeyRole.LEAD, "Q-04", Education.POSTGRADUATE, 4, 2),
    (KeyRole.LEAD, "Q-04", Education.BACHELOR, 6, 4),
]
IDS = [f"{rule}-{degree}" for _role, rule, degree, _ft, _pro in TABLE]


def _problems(role, *, education, full_time, professional, title=TitleLevel.NONE, on):
    with translation.override("en"):
        return [
            str(problem.message)
            for problem in eligibility_problems(
                role=role,
                education=education,
                full_time_work_since=full_time,
                professional_work_since=professional,
                title_level=title,
                on=on,
            )
        ]


def _anniversary(years: int) -> datetime.date:
    return STARTED.replace(year=STARTED.year + years)


@pytest.mark.parametrize(("role", "rule", "degree", "full_time", "professional"), TABLE, ids=IDS)
def test_full_time_years_are_complete_on_the_anniversary_not_the_day_before(
    role, rule, degree, full_time, professional
):
    # rule Q-03, rule Q-04: full-time work since STARTED, professional work within it
    complete = _anniversary(full_time)
    before = _problems(
        role, education=degree, full_time=STARTED, professional=STARTED, on=complete - DAY
    )
    assert before == [f"{rule}: needs 1 more year of full-time work (until {complete})."]
    assert (
        _problems(role, education=degree, full_time=STARTED, professional=STARTED, on=complete)
        == []
    )


@pytest.mark.parametrize(("role", "rule", "degree", "full_time", "professional"), TABLE, ids=IDS)
def test_professional_years_are_complete_on_the_anniversary_not_the_day_before(
    role, rule, degree, full_time, professional
):
    # rule Q-03, rule Q-04: plenty of full-time work; the professional years decide
    complete = _anniversary(professional)
    before = _problems(
        role, education=degree, full_time=LONG_AGO, professional=STARTED, on=complete - DAY
    )
    assert before == [
        f"{rule}: needs 1 more year of professional work (until {complete}) "
        "or an intermediate or higher title."
    ]
    assert (
        _problems(role, education=degree, full_time=LONG_AGO, professional=STARTED, on=complete)
        == []
    )


@pytest.mark.parametrize(("role", "rule", "degree", "full_time", "professional"), TABLE, ids=IDS)
@pytest.mark.parametrize(
    ("title", "stands_in"),
    [
        (TitleLevel.NONE, False),
        (TitleLevel.JUNIOR, False),
        (TitleLevel.INTERMEDIATE, True),
        (TitleLevel.SENIOR, True),
    ],
)
def test_an_intermediate_or_higher_title_stands_in_for_the_professional_years(
    role, rule, degree, full_time, professional, title, stands_in
):
    # rule Q-03, rule Q-04: "含至少N年专业工作经历或取得中级（含）以上职称"
    on = _anniversary(full_time)
    found = _problems(
        role, education=degree, full_time=STARTED, professional=None, title=title, on=on
    )
    if stands_in:
        assert found == []
    else:
        assert found == [
            f"{rule}: no professional work is on record: {professional} years of professional "
            "work or an intermediate or higher title are required."
        ]


@pytest.mark.parametrize(("role", "rule"), [(KeyRole.DIRECTOR, "Q-03"), (KeyRole.LEAD, "Q-04")])
@pytest.mark.parametrize(
    ("degree", "shown"),
    [(Education.ASSOCIATE, "Associate degree (大专)"), (Education.BELOW_ASSOCIATE, None)],
)
def test_an_associate_degree_or_below_is_refused_whatever_the_years(role, rule, degree, shown):
    # rule Q-03, rule Q-04: 本科（含）以上学历
    found = _problems(
        role,
        education=degree,
        full_time=LONG_AGO,
        professional=LONG_AGO,
        title=TitleLevel.SENIOR,
        on=datetime.date(2026, 6, 1),
    )
    assert len(found) == 1
    assert found[0].startswith(f"{rule}: a bachelor's degree or higher is required")
    assert (shown or "Below associate degree") in found[0]


@pytest.mark.parametrize(("role", "rule"), [(KeyRole.DIRECTOR, "Q-03"), (KeyRole.LEAD, "Q-04")])
def test_no_education_on_record_is_refused_and_said_so(role, rule):
    found = _problems(
        role, education="", full_time=LONG_AGO, professional=LONG_AGO, on=datetime.date(2026, 6, 1)
    )
    assert found == [
        f"{rule}: the education is not on record; a bachelor's degree or higher is required."
    ]


def test_a_refusal_says_by_how_much_and_until_when():
    # rule Q-03: a bachelor who started full-time work on 2019-03-01 has 6 full years of the 8
    # on 2026-02-01, and 6 of professional work (enough); the 8 are complete on 2027-03-01.
    found = _problems(
        KeyRole.DIRECTOR,
        education=Education.BACHELOR,
        full_time=datetime.date(2019, 3, 1),
        professional=datetime.date(2019, 3, 1),
        on=datetime.date(2026, 2, 1),
    )
    assert found == ["Q-03: needs 2 more years of full-time work (until 2027-03-01)."]


def test_every_missing_condition_is_listed_at_once():
    # rule Q-04: a postgraduate with 3 years of full-time work and 1 of professional work
    on = datetime.date(2026, 6, 1)
    found = _problems(
        KeyRole.LEAD,
        education=Education.POSTGRADUATE,
        full_time=datetime.date(2023, 6, 2),
        professional=datetime.date(2025, 6, 2),
        on=on,
    )
    assert found == [
        "Q-04: needs 2 more years of full-time work (until 2027-06-02).",
        "Q-04: needs 2 more years of professional work (until 2027-06-02) "
        "or an intermediate or higher title.",
    ]


def test_years_from_29_february_end_on_28_february_of_a_common_year():
    # rule Q-04: a bachelor lead needs 6 years; from 2016-02-29 they are complete on
    # 2022-02-28 (Civil Code art. 202), as L-01 counts them.
    leap = datetime.date(2016, 2, 29)
    on_day = datetime.date(2022, 2, 28)
    kwargs = {"education": Education.BACHELOR, "full_time": leap, "professional": leap}
    assert _problems(KeyRole.LEAD, on=on_day, **kwargs) == []
    assert _problems(KeyRole.LEAD, on=on_day - DAY, **kwargs) == [
        "Q-04: needs 1 more year of full-time work (until 2022-02-28)."
    ]


def test_missing_dates_are_named():
    # rule Q-03
    found = _problems(
        KeyRole.DIRECTOR,
        education=Education.POSTGRADUATE,
        full_time=None,
        professional=None,
        on=datetime.date(2026, 6, 1),
    )
    assert found == [
        "Q-03: the date full-time work started is not on record "
        "(6 years of full-time work are required).",
        "Q-03: no professional work is on record: 4 years of professional work "
        "or an intermediate or higher title are required.",
    ]


def test_the_refusal_reads_in_chinese_too():
    # rule Q-03: zh-hans first
    with translation.override("zh-hans"):
        found = eligibility_problems(
            role=KeyRole.DIRECTOR,
            education=Education.BACHELOR,
            full_time_work_since=datetime.date(2019, 3, 1),
            professional_work_since=None,
            title_level=TitleLevel.INTERMEDIATE,
            on=datetime.date(2026, 2, 1),
        )
        text = str(found[0].message)
    assert text.startswith("Q-03")
    assert "2027-03-01" in text and "全职工作" in text
