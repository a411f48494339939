"""Periods counted in calendar years: "at least N years" of work (L-01, Q-03, Q-04).

A year is a calendar year, not 365 days: someone who started work on 2023-03-01 has one
year on 2024-03-01, 366 days later. The counting follows the Civil Code (民法典) for periods:
the day a period starts is not counted (art. 201), and a period of years ends on the
corresponding day of its last year, or on the last day of that month when the month has no
such day (art. 202). So N years from 29 February end on 28 February when the last year is not
a leap year, and on 29 February when it is (docs/decisions.md, "A year is a calendar year").

Every rule that asks for years of experience counts through these functions, so the liaison
rules and the quality-role rules agree on every date, leap days included.
"""

import datetime


def years_complete_on(start: datetime.date, *, years: int) -> datetime.date:
    """The date on which ``years`` full years counted from ``start`` are complete."""
    year = start.year + years
    try:
        return start.replace(year=year)
    except ValueError:
        # Only 29 February has no corresponding day: the last day of that February (art. 202).
        return datetime.date(year, 2, 28)


def full_years_between(start: datetime.date, end: datetime.date) -> int:
    """How many full years lie between ``start`` and ``end`` (0 when ``end`` is earlier)."""
    years = end.year - start.year
    if years > 0 and years_complete_on(start, years=years) > end:
        years -= 1
    return max(years, 0)


def has_years(start: datetime.date, *, years: int, on: datetime.date) -> bool:
    """Whether ``years`` full years counted from ``start`` are complete on the date ``on``."""
    return years_complete_on(start, years=years) <= on
