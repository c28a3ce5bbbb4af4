"""Pure curation rules: what a listing needs before it is published, and when a review's
reminders fall. No ORM, no I/O; tested by tables in tests/directory/test_curation_rules.py."""

from __future__ import annotations

import calendar
import enum
from dataclasses import dataclass
from datetime import datetime, timedelta

# ALISS escalates in three emails, then deprioritises (anchors.md A1, "Staleness and review").
# The first goes out two weeks before the listing falls due; the others three weeks apart.
FIRST_REMINDER_BEFORE_DUE = timedelta(weeks=2)
REMINDER_GAP = timedelta(weeks=3)
REMINDERS = 3


@dataclass(frozen=True)
class PublishFacts:
    """What the publishing check looks at, read from a service by the caller."""

    has_location: bool
    area_covered: str
    delivery_modes: tuple[str, ...]
    has_phone: bool
    has_website: bool
    has_category: bool
    last_verified: bool


def publish_problems(facts: PublishFacts) -> list[str]:
    """Why a service cannot be published yet; empty when it can (issue 11, item 6).

    A parent must be able to reach it (a place, an area it covers, or phone or online), find
    it (a category) and trust it (a "last checked" date).
    """
    problems = []
    reachable = (
        facts.has_location
        or facts.area_covered != "radius"
        or (facts.has_phone and "phone" in facts.delivery_modes)
        or (facts.has_website and "online" in facts.delivery_modes)
    )
    if not reachable:
        problems.append("it needs a location, an area it covers, or a phone or online way in")
    if not facts.has_category:
        problems.append("it needs a category")
    if not facts.last_verified:
        problems.append("it needs a “last checked” date")
    return problems


def review_due_at(*, last_checked: datetime, interval_months: int) -> datetime:
    """When a listing falls due for review: its interval after it was last checked."""
    years, month = divmod(last_checked.month - 1 + interval_months, 12)
    year = last_checked.year + years
    day = min(last_checked.day, calendar.monthrange(year, month + 1)[1])
    return last_checked.replace(year=year, month=month + 1, day=day)


class ReviewStep(enum.Enum):
    WAIT = "wait"
    REMIND = "remind"
    MARK_STALE = "mark_stale"


def review_next_step(
    *, now: datetime, due_at: datetime, reminders_sent: int, last_reminder_at: datetime | None
) -> ReviewStep:
    """What the daily review run does to an open review now.

    Reminder 1 two weeks before due, reminders 2 and 3 three weeks after the one before, and
    three weeks after the third, with no answer, the listing is stale.
    """
    if reminders_sent == 0:
        return ReviewStep.REMIND if now >= due_at - FIRST_REMINDER_BEFORE_DUE else ReviewStep.WAIT
    if last_reminder_at is not None and now < last_reminder_at + REMINDER_GAP:
        return ReviewStep.WAIT
    return ReviewStep.REMIND if reminders_sent < REMINDERS else ReviewStep.MARK_STALE
