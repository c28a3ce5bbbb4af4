"""Reads for the get-help results: directory services that the routing rules allow."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch

from directory.models import Category
from directory.selectors import ServiceQuery, postcode_lookup, search_services, with_locations
from referrals.signposting.rules import Answers, Fit, Outcome, ServiceGroup, service_fit

SERVICES_PER_GROUP = 5


@dataclass(frozen=True)
class GroupResult:
    group: ServiceGroup
    services: list[Any]


def category_codes(service: Any) -> frozenset[str]:
    """A service's category codes; a curator's uncoded category counts as its parent."""
    return frozenset(
        category.code or (category.parent.code if category.parent_id else "")
        for category in service.categories.all()
    ) - {""}


def _rank_key(service: Any) -> tuple[int, bool, float, str]:
    """Fit first (rules.service_fit), then nearest, then by name; no distance goes last."""
    distance = getattr(service, "distance_miles", None)
    return (service.fit, distance is None, distance or 0.0, service.name)


def category_slugs(codes: tuple[str, ...]) -> list[str]:
    """The current slugs of the categories with these codes, in the codes' order (one query).

    Slugs are the curators' to change; links into the directory search are built from them
    at the moment the page is shown, never stored.
    """
    by_code = dict(Category.objects.filter(code__in=codes).values_list("code", "slug"))
    return [by_code[code] for code in codes if code in by_code]


def get_help_services(*, outcome: Outcome, answers: Answers) -> tuple[list[GroupResult], bool]:
    """Services for each group of the outcome, best fit then nearest; and whether the postcode
    was found.

    Each service gets `fit` (rules.service_fit): for a parent with no safety worries, services
    meant only for safety situations come after the rest of their group and are labelled.
    Only services in the outcome's categories, and, when abuse is indicated, only services
    flagged safe where there is abuse (DESIGN.md rule 5). The flag is checked again here
    after the search, so a search bug can never show an unsafe service on the safety pathway.
    The one exception, programmes for people who harm shown to a parent worried about their
    own behaviour, lists only domestic abuse specialists (see `rules.outcome`).
    A service is listed once, under the first group it matches.
    """
    if not outcome.groups:
        return [], False

    point = None
    if answers.postcode:
        found = postcode_lookup(answers.postcode)
        if found is not None:
            point = found.point
    seen: set[int] = set()
    results: list[GroupResult] = []
    for group in outcome.groups:
        ages: tuple[int | None, ...] = answers.ages if group.by_age and answers.ages else (None,)
        found_services: dict[int, Any] = {}
        for age in ages:
            query = ServiceQuery(
                point=point,
                category_codes=group.categories,
                age=age,
                modes=tuple(sorted(answers.modes)),
                safe_where_abuse_only=outcome.safe_where_abuse_only
                and not group.for_people_who_harm,
            )
            found_here = with_locations(search_services(query)).prefetch_related(
                Prefetch("categories", queryset=Category.objects.select_related("parent"))
            )
            # Read past the first few: the nearest may all be safety-only services that rank last.
            for service in found_here[: SERVICES_PER_GROUP * 4]:
                if service.pk in seen or service.pk in found_services:
                    continue
                if group.for_people_who_harm:
                    if not service.domestic_abuse_specialist:
                        continue
                elif outcome.safe_where_abuse_only and not service.safe_where_abuse:
                    continue
                fit = service_fit(category_codes(service), joint_options=outcome.joint_options)
                service.fit = fit  # type: ignore[attr-defined]
                service.safety_only = fit is Fit.SAFETY_ONLY  # type: ignore[attr-defined]
                found_services[service.pk] = service
        services = sorted(found_services.values(), key=_rank_key)[:SERVICES_PER_GROUP]
        seen.update(service.pk for service in services)
        results.append(GroupResult(group, services))
    return results, point is not None
