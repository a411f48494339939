"""Years of experience are calendar years, leap days included (L-01, Q-03, Q-04; issue 10).

One table drives every test: (start, years, the date on which they are complete). The day
before that date the years are not complete, on it and after they are.
"""

import datetime

import pytest

from cqcportal.periods import full_years_between, has_years, years_complete_on

D = datetime.date

#: (work started on, years, complete on). Civil Code art. 201/202: the corresponding day of the
#: last year; 29 February in a year without one: the last day of February.
TABLE = [
    # the case: a leap day lies inside the year, so the year has 366 days
    (D(2023, 3, 1), 1, D(2024, 3, 1)),
    (D(2023, 3, 2), 1, D(2024, 3, 2)),
    (D(2022, 3, 1), 1, D(2023, 3, 1)),
    (D(2023, 2, 28), 1, D(2024, 2, 28)),
    (D(2024, 2, 28), 1, D(2025, 2, 28)),
    (D(2024, 3, 1), 1, D(2025, 3, 1)),
    (D(2023, 12, 31), 1, D(2024, 12, 31)),
    (D(2024, 1, 1), 1, D(2025, 1, 1)),
    # 29 February: the last day of February when the year has no 29th, the 29th when it has
    (D(2024, 2, 29), 1, D(2025, 2, 28)),
    (D(2024, 2, 29), 3, D(2027, 2, 28)),
    (D(2024, 2, 29), 4, D(2028, 2, 29)),
    (D(2020, 2, 29), 6, D(2026, 2, 28)),
    (D(2020, 2, 29), 8, D(2028, 2, 29)),
    (D(1996, 2, 29), 4, D(2000, 2, 29)),  # 2000 is a leap year (divisible by 400)
    (D(1896, 2, 29), 4, D(1900, 2, 28)),  # 1900 is not (divisible by 100)
    # 2, 4, 6, 8 years
    (D(2018, 7, 1), 2, D(2020, 7, 1)),
    (D(2018, 7, 1), 4, D(2022, 7, 1)),
    (D(2018, 7, 1), 6, D(2024, 7, 1)),
    (D(2016, 9, 30), 8, D(2024, 9, 30)),
    (D(2015, 1, 31), 0, D(2015, 1, 31)),
]


@pytest.mark.parametrize(("start", "years", "complete_on"), TABLE)
def test_years_are_complete_on_the_corresponding_day(start, years, complete_on):
    # rule L-01 (and ), issue 10
    assert years_complete_on(start, years=years) == complete_on
    day_before = complete_on - datetime.timedelta(days=1)
    assert not has_years(start, years=years, on=day_before) or years == 0
    assert has_years(start, years=years, on=complete_on)
    assert has_years(start, years=years, on=complete_on + datetime.timedelta(days=1))


@pytest.mark.parametrize(("start", "years", "complete_on"), TABLE)
def test_full_years_between_agrees_with_the_table(start, years, complete_on):
    # rule L-01 (and ), issue 10
    assert full_years_between(start, complete_on) == years
    if years:
        assert full_years_between(start, complete_on - datetime.timedelta(days=1)) == years - 1


def test_a_year_is_not_365_days():
    # rule L-01, issue 10: 365 days after 2023-03-02 is 2024-03-01, a day short of a year
    start = D(2023, 3, 2)
    assert not has_years(start, years=1, on=start + datetime.timedelta(days=365))
    assert has_years(start, years=1, on=start + datetime.timedelta(days=366))


def test_no_years_before_the_start():
    assert full_years_between(D(2024, 3, 1), D(2023, 3, 1)) == 0
    assert full_years_between(D(2024, 3, 1), D(2024, 3, 1)) == 0
