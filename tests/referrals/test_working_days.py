"""Working days around the bank holidays that move a referral's timers (England and Wales)."""

import datetime as dt

import pytest

from referrals.working_days import (
    add_working_days,
    is_bank_holiday,
    is_working_day,
    next_working_day,
    working_days_between,
)

D = dt.date


@pytest.mark.parametrize("nation", ["ENG", "WAL"])
@pytest.mark.parametrize(
    ("start", "days", "expected", "why"),
    [
        (D(2026, 11, 23), 2, D(2026, 11, 25), "Monday + 2 is Wednesday"),
        (D(2026, 11, 26), 2, D(2026, 11, 30), "Thursday + 2 skips the weekend"),
        (D(2026, 4, 2), 1, D(2026, 4, 7), "Maundy Thursday + 1 skips Good Friday to Easter Monday"),
        (D(2026, 4, 2), 2, D(2026, 4, 8), "Maundy Thursday + 2 is the Wednesday after Easter"),
        (
            D(2026, 12, 24),
            1,
            D(2026, 12, 29),
            "Christmas Eve + 1 skips Christmas, Boxing Day (a Saturday) and its substitute Monday",
        ),
        (D(2026, 12, 23), 2, D(2026, 12, 29), "23 December + 2"),
        (D(2026, 12, 31), 1, D(2027, 1, 4), "New Year's Eve + 1 skips New Year's Day (Friday)"),
        (D(2026, 8, 28), 1, D(2026, 9, 1), "Friday + 1 skips the late summer bank holiday"),
        (D(2026, 7, 31), 1, D(2026, 8, 3), "3 August 2026 is a working day here (not Scotland)"),
        (D(2026, 11, 23), 10, D(2026, 12, 7), "10 working days are two weeks with no holiday"),
        (D(2026, 12, 18), 10, D(2027, 1, 6), "10 working days over Christmas and New Year"),
        (D(2026, 11, 23), 0, D(2026, 11, 23), "zero days is the day itself"),
    ],
)
def test_it_adds_working_days_skipping_weekends_and_bank_holidays(
    nation: str, start: dt.date, days: int, expected: dt.date, why: str
) -> None:
    assert add_working_days(start, days, nation) == expected, why


def test_the_august_bank_holiday_is_england_and_wales_not_scotland() -> None:
    # Scotland's summer holiday is the first Monday of August; ours is the last.
    assert is_working_day(D(2026, 8, 3), "ENG")
    assert is_working_day(D(2026, 8, 3), "WAL")
    assert not is_working_day(D(2026, 8, 31), "ENG")
    assert not is_working_day(D(2026, 8, 31), "WAL")


def test_easter_monday_is_a_bank_holiday_in_both_nations() -> None:
    assert is_bank_holiday(D(2026, 4, 6), "ENG")
    assert is_bank_holiday(D(2026, 4, 6), "WAL")
    assert is_bank_holiday(D(2027, 3, 29), "ENG")  # Easter moves; the library knows where


def test_a_substitute_day_counts_when_christmas_falls_at_a_weekend() -> None:
    # 26 December 2026 is a Saturday: Monday 28th is the substitute bank holiday.
    assert not is_working_day(D(2026, 12, 28), "ENG")
    assert is_working_day(D(2026, 12, 29), "ENG")


def test_next_working_day_is_the_day_itself_when_it_works() -> None:
    assert next_working_day(D(2026, 11, 24)) == D(2026, 11, 24)
    assert next_working_day(D(2026, 4, 3)) == D(2026, 4, 7)


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (D(2026, 11, 23), D(2026, 11, 23), 0),
        (D(2026, 11, 23), D(2026, 11, 30), 5),
        (D(2026, 4, 1), D(2026, 4, 8), 3),  # Thu, Tue, Wed: Easter takes two
        (D(2026, 11, 30), D(2026, 11, 23), 0),
    ],
)
def test_it_counts_working_days_between_two_dates(
    start: dt.date, end: dt.date, expected: int
) -> None:
    assert working_days_between(start, end) == expected


def test_it_refuses_a_negative_count() -> None:
    with pytest.raises(ValueError, match="negative"):
        add_working_days(D(2026, 1, 5), -1)
