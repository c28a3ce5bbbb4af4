"""Reads for curation: the duplicate check, the curators' queue, a provider's own listings."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.contrib.postgres.search import TrigramSimilarity
from django.db.models import Q, QuerySet
from django.db.models.functions import Greatest

from alliance.models import User
from directory.models import (
    ContactMessage,
    LinkCheck,
    ProblemReport,
    ProviderEdit,
    Service,
    ServiceReview,
    Suggestion,
)

# pg_trgm's own default threshold; "Leicester Family Mediation" and "Family Mediation
# Leicester" score about 0.8, unrelated names under 0.2.
SIMILARITY_THRESHOLD = 0.3
SIMILAR_MAX = 5


def website_host(url: str) -> str:
    """The host of a website address, without "www.", lower case; "" when there is none."""
    try:
        host = urlsplit(url if "//" in url else f"//{url}").hostname or ""
    except ValueError:
        return ""
    return host.lower().removeprefix("www.")


def similar_services(*, name: str, organisation: str = "", website: str = "") -> list[Service]:
    """Visible listings that look like a suggestion: trigram-similar names or the same host."""
    score = Greatest(
        TrigramSimilarity("name", name),
        TrigramSimilarity("organisation__name", organisation or name),
    )
    match = Q(score__gte=SIMILARITY_THRESHOLD)
    host = website_host(website)
    if host:
        match |= Q(website__icontains=host) | Q(organisation__website__icontains=host)
    return list(
        Service.objects.visible()
        .select_related("organisation")
        .annotate(score=score)
        .filter(match)
        .order_by("-score", "name")[:SIMILAR_MAX]
    )


@dataclass(frozen=True)
class Queue:
    """The curators' work queue: each list oldest first, with its count."""

    suggestions: QuerySet[Suggestion]
    problems: QuerySet[ProblemReport]
    edits: QuerySet[ProviderEdit]
    reviews_due: QuerySet[ServiceReview]
    reviews_overdue: QuerySet[ServiceReview]
    stale: QuerySet[Service]
    broken_links: QuerySet[LinkCheck]
    messages: QuerySet[ContactMessage]

    def counts(self) -> dict[str, int]:
        return {name: getattr(self, name).count() for name in self.__dataclass_fields__}


def curation_queue(*, now: Any) -> Queue:
    """Everything waiting for a curator, oldest first."""
    return Queue(
        suggestions=Suggestion.objects.filter(status=Suggestion.Status.NEW).select_related(
            "correction_to"
        ),
        problems=ProblemReport.objects.filter(
            status__in=[ProblemReport.Status.NEW, ProblemReport.Status.CONFIRMED]
        ).select_related("service"),
        edits=ProviderEdit.objects.filter(status=ProviderEdit.Status.PENDING).select_related(
            "service", "proposed_by"
        ),
        reviews_due=ServiceReview.objects.filter(
            completed_at__isnull=True, reminders_sent__gt=0, due_at__gte=now
        ).select_related("service"),
        reviews_overdue=ServiceReview.objects.filter(
            completed_at__isnull=True, due_at__lt=now
        ).select_related("service"),
        stale=Service.objects.filter(stale_since__isnull=False)
        .exclude(status=Service.Status.ARCHIVED)
        .order_by("stale_since"),
        broken_links=LinkCheck.objects.filter(ok=False)
        .select_related("service")
        .exclude(service__status=Service.Status.ARCHIVED),
        messages=ContactMessage.objects.filter(handled_at__isnull=True),
    )


def provider_services(*, user: User) -> QuerySet[Service]:
    """The listings of the organisations this provider's staff member belongs to."""
    return (
        Service.objects.filter(organisation__memberships__user=user)
        .exclude(status=Service.Status.ARCHIVED)
        .select_related("organisation")
        .distinct()
        .order_by("name")
    )


def provider_service(*, user: User, slug: str) -> Service | None:
    """One of this provider's own listings; None (a 404) for anyone else's."""
    return provider_services(user=user).filter(slug=slug).first()


def provider_edit_diff(edit: ProviderEdit) -> list[tuple[str, str, str]]:
    """(field label, the listing's value now, the proposed value) for each proposed field."""
    rows = []
    for name, proposed in edit.changes.items():
        label = getattr(Service._meta.get_field(name), "verbose_name", name)
        rows.append((str(label), getattr(edit.service, name), str(proposed)))
    return rows
