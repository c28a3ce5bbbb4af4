"""Working days in England and in Wales: Monday to Friday, less the bank holidays.

Pure: no ORM, no clock. The bank holidays come from the maintained `holidays` library (pinned
in pyproject.toml), never a hand-written list: a royal occasion or a moved holiday arrives with
a library update. England and Wales share one calendar today, but each nation is asked for
separately so a future difference (or Scotland's, if an alliance ever needs it) is the
library's to know, not ours.
"""

from __future__ import annotations

import datetime as dt
from functools import cache

import holidays

# Our nation codes (referrals.models.Nation) → the `holidays` library's GB subdivisions.
SUBDIVISIONS = {"ENG": "ENG", "WAL": "WLS"}
DEFAULT_NATION = "ENG"


@cache
def _bank_holidays(nation: str, year: int) -> frozenset[dt.date]:
    subdiv = SUBDIVISIONS[nation]
    return frozenset(holidays.country_holidays("GB", subdiv=subdiv, years=year))


def is_bank_holiday(day: dt.date, nation: str = DEFAULT_NATION) -> bool:
    """True on a bank holiday in that nation (observed days included)."""
    return day in _bank_holidays(nation, day.year)


def is_working_day(day: dt.date, nation: str = DEFAULT_NATION) -> bool:
    """Monday to Friday and not a bank holiday in that nation."""
    return day.weekday() < 5 and not is_bank_holiday(day, nation)


def add_working_days(start: dt.date, days: int, nation: str = DEFAULT_NATION) -> dt.date:
    """The `days`-th working day after `start` (`start` itself never counts).

    add_working_days(Monday, 2) is the Wednesday; from a Thursday before Easter it skips Good
    Friday, the weekend and Easter Monday. With days=0 it is `start` itself.
    """
    if days < 0:
        raise ValueError("days must not be negative")
    day = start
    counted = 0
    while counted < days:
        day += dt.timedelta(days=1)
        if is_working_day(day, nation):
            counted += 1
    return day


def next_working_day(day: dt.date, nation: str = DEFAULT_NATION) -> dt.date:
    """`day` itself if it is a working day, else the first working day after it."""
    while not is_working_day(day, nation):
        day += dt.timedelta(days=1)
    return day


def working_days_between(start: dt.date, end: dt.date, nation: str = DEFAULT_NATION) -> int:
    """How many working days fall after `start` up to and including `end` (0 if end <= start)."""
    count = 0
    day = start
    while day < end:
        day += dt.timedelta(days=1)
        if is_working_day(day, nation):
            count += 1
    return count
