"""The pure curation rules, as tables a curator can read."""

from datetime import UTC, datetime, timedelta

import pytest

from directory.rules import (
    PublishFacts,
    ReviewStep,
    publish_problems,
    review_due_at,
    review_next_step,
)

READY = PublishFacts(
    has_location=True,
    area_covered="radius",
    delivery_modes=("in_person",),
    has_phone=True,
    has_website=True,
    has_category=True,
    last_verified=True,
)


@pytest.mark.parametrize(
    ("changes", "problems"),
    [
        ({}, 0),
        ({"has_location": False}, 1),
        ({"has_location": False, "area_covered": "alliance_area"}, 0),
        ({"has_location": False, "delivery_modes": ("phone",)}, 0),
        ({"has_location": False, "delivery_modes": ("phone",), "has_phone": False}, 1),
        ({"has_location": False, "delivery_modes": ("online",)}, 0),
        ({"has_category": False}, 1),
        ({"last_verified": False}, 1),
        ({"has_location": False, "has_category": False, "last_verified": False}, 3),
    ],
)
def test_publishing_needs_a_way_in_a_category_and_a_check(changes: dict, problems: int) -> None:  # type: ignore[type-arg]
    facts = PublishFacts(**{**READY.__dict__, **changes})
    assert len(publish_problems(facts)) == problems


@pytest.mark.parametrize(
    ("checked", "months", "due"),
    [
        (datetime(2026, 1, 5, tzinfo=UTC), 6, datetime(2026, 7, 5, tzinfo=UTC)),
        (datetime(2026, 8, 31, tzinfo=UTC), 6, datetime(2027, 2, 28, tzinfo=UTC)),
        (datetime(2026, 12, 1, tzinfo=UTC), 12, datetime(2027, 12, 1, tzinfo=UTC)),
    ],
)
def test_a_review_falls_due_its_interval_after_the_last_check(checked, months, due) -> None:  # type: ignore[no-untyped-def]
    assert review_due_at(last_checked=checked, interval_months=months) == due


DUE = datetime(2026, 7, 5, tzinfo=UTC)
W = timedelta(weeks=1)


@pytest.mark.parametrize(
    ("now", "sent", "last", "step"),
    [
        (DUE - 3 * W, 0, None, ReviewStep.WAIT),
        (DUE - 2 * W, 0, None, ReviewStep.REMIND),
        (DUE - 2 * W + 2 * W, 1, DUE - 2 * W, ReviewStep.WAIT),
        (DUE + W, 1, DUE - 2 * W, ReviewStep.REMIND),
        (DUE + 4 * W, 2, DUE + W, ReviewStep.REMIND),
        (DUE + 6 * W, 3, DUE + 4 * W, ReviewStep.WAIT),
        (DUE + 7 * W, 3, DUE + 4 * W, ReviewStep.MARK_STALE),
    ],
)
def test_reminders_come_three_weeks_apart_then_the_listing_is_stale(now, sent, last, step) -> None:  # type: ignore[no-untyped-def]
    assert review_next_step(now=now, due_at=DUE, reminders_sent=sent, last_reminder_at=last) == step
