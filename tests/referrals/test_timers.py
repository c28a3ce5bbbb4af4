"""The referral timers' rules, as a table: which reminder is due on which day (pure)."""

import datetime as dt

import pytest

from referrals.timers import Clock, Timer, due_timers, fires_on, follow_up_window

D = dt.date
T = Timer


@pytest.mark.parametrize(
    ("timer", "clock", "expected", "why"),
    [
        (T.PROVIDER_REMINDER, Clock("sent", sent_on=D(2026, 11, 23)), D(2026, 11, 26),
         "sent Monday: Tuesday and Wednesday pass, chased Thursday"),
        (T.PROVIDER_REMINDER, Clock("sent", sent_on=D(2026, 4, 1)), D(2026, 4, 8),
         "sent the Wednesday before Easter: Thursday and Tuesday pass (not Good Friday, not "
         "Easter Monday), chased Wednesday"),
        (T.PROVIDER_REMINDER, Clock("sent", sent_on=D(2026, 4, 2)), D(2026, 4, 9),
         "sent Maundy Thursday: Tuesday and Wednesday after Easter pass, chased Thursday"),
        (T.FCA_NOT_ACKNOWLEDGED, Clock("sent", sent_on=D(2026, 11, 23)), D(2026, 11, 30),
         "4 working days after a Monday: the FCA is told the next Monday"),
        (T.FCA_NOT_ACKNOWLEDGED, Clock("sent", sent_on=D(2026, 12, 22)), D(2026, 12, 31),
         "sent 22 December: 23, 24, 29 and 30 December pass (Christmas, the weekend and the "
         "Boxing Day substitute do not); the FCA is told on the 31st"),
        (T.PARENT_NOT_BOOKED, Clock("accepted", sent_on=D(2026, 8, 17)), D(2026, 9, 2),
         "10 working days over the late summer bank holiday (31 August)"),
        (T.FCA_NOTHING_AFTER_HEARING, Clock("sent", first_hearing_on=D(2026, 11, 2)),
         D(2026, 11, 16), "14 calendar days after the hearing, a Monday"),
        (T.FCA_NOTHING_AFTER_HEARING, Clock("submitted", first_hearing_on=D(2026, 12, 14)),
         D(2026, 12, 29), "the 14th day is the Monday 28 December substitute holiday"),
        (T.PROVIDER_FOLLOW_UP, Clock("attended", workshop_on=D(2026, 7, 20)), D(2026, 9, 1),
         "six weeks after 20 July is the late summer bank holiday: the Tuesday"),
        (T.PROVIDER_FOLLOW_UP, Clock("attended", workshop_on=D(2026, 10, 5)), D(2026, 11, 16),
         "six weeks after a Monday workshop"),
    ],
)  # fmt: skip
def test_each_timer_fires_on_the_right_working_day(
    timer: Timer, clock: Clock, expected: dt.date, why: str
) -> None:
    assert fires_on(timer, clock) == expected, why


@pytest.mark.parametrize(
    ("timer", "status"),
    [
        (T.PROVIDER_REMINDER, "accepted"),
        (T.PROVIDER_REMINDER, "declined"),
        (T.FCA_NOT_ACKNOWLEDGED, "accepted"),
        (T.PARENT_NOT_BOOKED, "booked"),
        (T.PARENT_NOT_BOOKED, "withdrawn"),
        (T.FCA_NOTHING_AFTER_HEARING, "booked"),
        (T.FCA_NOTHING_AFTER_HEARING, "completed"),
        (T.PROVIDER_FOLLOW_UP, "booked"),
        (T.PROVIDER_FOLLOW_UP, "completed"),
        (T.PROVIDER_FOLLOW_UP, "did_not_attend"),
    ],
)
def test_a_timer_never_fires_once_what_it_waits_for_has_happened(timer: Timer, status: str) -> None:
    clock = Clock(
        status,
        sent_on=D(2026, 1, 5),
        first_hearing_on=D(2026, 1, 5),
        workshop_on=D(2026, 1, 5),
    )
    assert fires_on(timer, clock) is None


def test_due_timers_lists_only_what_is_due_by_today() -> None:
    clock = Clock("sent", sent_on=D(2026, 11, 23), first_hearing_on=D(2026, 11, 20))
    assert due_timers(clock, D(2026, 11, 25)) == []
    assert due_timers(clock, D(2026, 11, 26)) == [T.PROVIDER_REMINDER]
    assert due_timers(clock, D(2026, 12, 4)) == [
        T.PROVIDER_REMINDER,
        T.FCA_NOT_ACKNOWLEDGED,
        T.FCA_NOTHING_AFTER_HEARING,
    ]


def test_wales_counts_its_own_bank_holidays() -> None:
    clock = Clock("sent", nation="WAL", sent_on=D(2026, 12, 24))
    assert fires_on(T.PROVIDER_REMINDER, clock) == D(2026, 12, 31)


def test_the_follow_up_window_is_six_to_eight_weeks() -> None:
    assert follow_up_window(D(2026, 10, 5)) == (D(2026, 11, 16), D(2026, 11, 30))
