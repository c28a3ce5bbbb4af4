"""Who sees which referral records. Anything not yours answers 404, never 403.

FCAs see the cases they created; provider staff see the referrals sent to an organisation
they belong to (directory.OrganisationMembership) and that organisation's cohorts.
"""

from __future__ import annotations

from django.db.models import F, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from alliance.models import User
from referrals.models import Case, Cohort, Offering, Referral


def cases_for_fca(user: User) -> QuerySet[Case]:
    """The FCA's own cases, newest first, with both referrals fetched."""
    return (
        Case.objects.filter(created_by=user)
        .select_related("programme")
        .prefetch_related("referrals")
    )


def case_for_fca(user: User, case_id: int) -> Case:
    """One of the FCA's own cases; 404 for anyone else's."""
    case = cases_for_fca(user).filter(pk=case_id).first()
    if case is None:
        raise Http404
    return case


def referrals_for_provider(user: User) -> QuerySet[Referral]:
    """Referrals sent to the user's organisations (never those not yet sent)."""
    return (
        Referral.objects.filter(
            offering__organisation__memberships__user=user, sent_at__isnull=False
        )
        .select_related("offering__programme", "offering__organisation", "cohort", "case")
        .order_by("-sent_at", "pk")
        .distinct()
    )


def referral_for_provider(user: User, referral_id: int) -> Referral:
    """One referral sent to the user's organisation; 404 for anything else."""
    referral = referrals_for_provider(user).filter(pk=referral_id).first()
    if referral is None:
        raise Http404
    return referral


def offerings_for_provider(user: User) -> QuerySet[Offering]:
    return (
        Offering.objects.filter(organisation__memberships__user=user)
        .select_related("programme", "organisation", "venue")
        .distinct()
    )


def cohorts_for_provider(user: User) -> QuerySet[Cohort]:
    """The cohorts of the user's organisations' offerings, soonest first."""
    return (
        Cohort.objects.filter(offering__organisation__memberships__user=user)
        .select_related("offering__programme", "venue")
        .order_by("starts_at", "pk")
        .distinct()
    )


def cohorts_to_book(user: User, referral: Referral) -> list[Cohort]:
    """Cohorts this parent may be booked into: the provider's, same programme, with room (or
    the parent's own), not started, and never the other parent's (domain.md 1.5)."""
    if referral.offering is None:
        return []
    other = (
        Referral.objects.filter(case_id=referral.case_id)
        .exclude(pk=referral.pk)
        .values_list("cohort_id", flat=True)
        .first()
    )
    room = Q(places_taken__lt=F("capacity"))
    if referral.cohort_id is not None:
        room |= Q(pk=referral.cohort_id)
    rows = cohorts_for_provider(user).filter(
        room, offering__programme_id=referral.offering.programme_id, starts_at__gt=timezone.now()
    )
    if other is not None:
        rows = rows.exclude(pk=other)
    return list(rows)


def referral_for_parent(reference: str) -> Referral | None:
    """The one referral a parent's signed link names (their own; nothing of the other)."""
    return (
        Referral.objects.select_related("offering__organisation", "offering__programme", "cohort")
        .filter(reference=reference)
        .first()
    )
