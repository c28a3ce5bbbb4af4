"""The audit of referral data: every read, change and export of a referral by a person.

Recorded in `alliance.models.AuditEvent` (who, when, which referral, what), which the database
keeps append-only (alliance migration 0003). Rows hold ids and action codes, never a name,
address or free text, so they outlive the retention purge without holding personal data.
Views and services call `referral_access_record`; curators read the trail through the
selectors below (DESIGN.md privacy rule 6).
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum
from typing import Any

from django.db.models import QuerySet

from alliance.models import AuditEvent, User

REFERRAL = "referrals.referral"
CASE = "referrals.case"


class Access(StrEnum):
    VIEWED = "referral.viewed"
    CHANGED = "referral.changed"
    EXPORTED = "referral.exported"


ACCESS_LABELS = {
    Access.VIEWED: "Viewed",
    Access.CHANGED: "Changed",
    Access.EXPORTED: "Exported",
}


def referral_access_record(
    *,
    actor: User | None,
    referral_ids: Iterable[int],
    what: Access,
    detail: dict[str, Any] | None = None,
) -> int:
    """Record that a person viewed, changed or exported these referrals; returns how many.

    One row per referral, so the trail per referral is complete even for a list page. Only a
    signed-in person is recorded: the system's own work (beat, allocation) is in the
    referral's events instead. Detail holds ids and codes only.
    """
    if actor is None or not actor.is_authenticated:
        return 0
    rows = [
        AuditEvent(
            actor=actor,
            action=str(what),
            object_type=REFERRAL,
            object_id=str(referral_id),
            detail=detail or {},
        )
        for referral_id in dict.fromkeys(referral_ids)
    ]
    AuditEvent.objects.bulk_create(rows)
    return len(rows)


def audit_trail_for_referral(*, referral_id: int) -> QuerySet[AuditEvent]:
    """Every audit event about one referral, newest first (curators only: see the views)."""
    return (
        AuditEvent.objects.filter(object_type=REFERRAL, object_id=str(referral_id))
        .select_related("actor")
        .order_by("-at", "-pk")
    )


def audit_trail_for_user(*, user_id: int) -> QuerySet[AuditEvent]:
    """Everything one staff member did or saw, newest first."""
    return (
        AuditEvent.objects.filter(actor_id=user_id).select_related("actor").order_by("-at", "-pk")
    )


def audit_recent_referral_events() -> QuerySet[AuditEvent]:
    """The latest events about referrals, for the trail's front page."""
    return (
        AuditEvent.objects.filter(object_type=REFERRAL)
        .select_related("actor")
        .order_by("-at", "-pk")
    )
