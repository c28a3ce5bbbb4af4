"""The referral timers as pure rules: which reminders and alerts are due for a referral, today.

Pure: no ORM, no clock (the caller passes `today`, a date in the alliance's time zone). The
services in `referrals.timer_services` turn a due timer into exactly one outbox message per
recipient, keyed by timer and referral, so a second beat run or a retried task does nothing.

| timer | who is told | due when (still in one of the waiting statuses) |
|---|---|---|
| provider-reminder | the provider | not accepted or declined 2 whole working days after sending |
| fca-not-acknowledged | the FCA | still not accepted or declined 2 working days after that (4) |
| parent-not-booked | the parent | not booked 10 whole working days after it was sent |
| fca-nothing-after-hearing | the FCA | not booked (nor closed) 14 days after the first hearing |
| provider-follow-up | the provider | attended, not completed, 6 weeks after the workshop (6-8) |

"N whole working days after" a day: the deadline is the N-th working day after it (that day
itself never counts) and the timer fires on the next working day, so a referral sent on a
Monday is chased on Thursday, and one sent on the Thursday before Easter on the Wednesday
after it. The 14 days after a hearing are calendar days (the PTfC guidance tells parents to
contact Cafcass "within 14 days of the hearing"); the alert goes on the first working day
on or after the 14th day. Sources: domain.md 1.7; issue 10.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from referrals.working_days import DEFAULT_NATION, add_working_days, next_working_day


class Timer(StrEnum):
    PROVIDER_REMINDER = "provider-reminder"
    FCA_NOT_ACKNOWLEDGED = "fca-not-acknowledged"
    PARENT_NOT_BOOKED = "parent-not-booked"
    FCA_NOTHING_AFTER_HEARING = "fca-nothing-after-hearing"
    PROVIDER_FOLLOW_UP = "provider-follow-up"


class Recipient(StrEnum):
    PROVIDER = "provider"
    FCA = "fca"
    PARENT = "parent"


TIMER_LABELS = {
    Timer.PROVIDER_REMINDER: "Provider has not replied (2 working days)",
    Timer.FCA_NOT_ACKNOWLEDGED: "Provider has not replied (4 working days)",
    Timer.PARENT_NOT_BOOKED: "Parent not booked (10 working days)",
    Timer.FCA_NOTHING_AFTER_HEARING: "Nothing 14 days after the hearing",
    Timer.PROVIDER_FOLLOW_UP: "Follow-up call due (6 to 8 weeks)",
}

RECIPIENTS = {
    Timer.PROVIDER_REMINDER: Recipient.PROVIDER,
    Timer.FCA_NOT_ACKNOWLEDGED: Recipient.FCA,
    Timer.PARENT_NOT_BOOKED: Recipient.PARENT,
    Timer.FCA_NOTHING_AFTER_HEARING: Recipient.FCA,
    Timer.PROVIDER_FOLLOW_UP: Recipient.PROVIDER,
}

# The statuses (referrals.models.Status values) in which each timer is still waiting to fire.
WAITING_FOR_PROVIDER = frozenset({"sent"})
NOT_YET_BOOKED = frozenset({"sent", "accepted"})
NOTHING_YET = frozenset({"submitted", "unallocated", "allocated", "sent", "accepted"})
# Recording completion ends the follow-up's wait: the provider completes after the call.
WORKSHOP_DONE = frozenset({"attended"})
WAITING = {
    Timer.PROVIDER_REMINDER: WAITING_FOR_PROVIDER,
    Timer.FCA_NOT_ACKNOWLEDGED: WAITING_FOR_PROVIDER,
    Timer.PARENT_NOT_BOOKED: NOT_YET_BOOKED,
    Timer.FCA_NOTHING_AFTER_HEARING: NOTHING_YET,
    Timer.PROVIDER_FOLLOW_UP: WORKSHOP_DONE,
}
# Every status in which some timer may still fire: the beat reads only these referrals.
TIMED_STATUSES = frozenset().union(*WAITING.values())

PROVIDER_REMINDER_DAYS = 2
FCA_ESCALATION_DAYS = 4
PARENT_BOOKING_DAYS = 10
AFTER_HEARING_DAYS = 14
FOLLOW_UP_FROM = dt.timedelta(weeks=6)
FOLLOW_UP_TO = dt.timedelta(weeks=8)


@dataclass(frozen=True)
class Clock:
    """What the timers need to know about one referral (dates in the alliance's time zone)."""

    status: str
    nation: str = DEFAULT_NATION
    sent_on: dt.date | None = None
    first_hearing_on: dt.date | None = None
    workshop_on: dt.date | None = None


def _after_working_days(start: dt.date, days: int, nation: str) -> dt.date:
    deadline = add_working_days(start, days, nation)
    return next_working_day(deadline + dt.timedelta(days=1), nation)


def fires_on(timer: Timer, clock: Clock) -> dt.date | None:
    """The day a timer becomes due for this referral; None if it does not apply in its state."""
    if clock.status not in WAITING[timer]:
        return None
    nation = clock.nation
    if timer is Timer.PROVIDER_REMINDER and clock.sent_on:
        return _after_working_days(clock.sent_on, PROVIDER_REMINDER_DAYS, nation)
    if timer is Timer.FCA_NOT_ACKNOWLEDGED and clock.sent_on:
        return _after_working_days(clock.sent_on, FCA_ESCALATION_DAYS, nation)
    if timer is Timer.PARENT_NOT_BOOKED and clock.sent_on:
        return _after_working_days(clock.sent_on, PARENT_BOOKING_DAYS, nation)
    if timer is Timer.FCA_NOTHING_AFTER_HEARING and clock.first_hearing_on:
        day = clock.first_hearing_on + dt.timedelta(days=AFTER_HEARING_DAYS)
        return next_working_day(day, nation)
    if timer is Timer.PROVIDER_FOLLOW_UP and clock.workshop_on:
        return next_working_day(clock.workshop_on + FOLLOW_UP_FROM, nation)
    return None


def due_timers(clock: Clock, today: dt.date) -> list[Timer]:
    """Every timer due on or before `today` for this referral, in the table's order."""
    due = []
    for timer in Timer:
        day = fires_on(timer, clock)
        if day is not None and day <= today:
            due.append(timer)
    return due


def follow_up_window(workshop_on: dt.date) -> tuple[dt.date, dt.date]:
    """The 6-to-8-week window after the workshop in which the provider calls the parent."""
    return workshop_on + FOLLOW_UP_FROM, workshop_on + FOLLOW_UP_TO
