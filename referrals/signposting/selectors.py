"""Reads for the get-help results: directory services that the routing rules allow."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from directory.selectors import ServiceQuery, postcode_lookup, search_services, with_locations
from referrals.signposting.rules import Answers, Outcome, ServiceGroup

SERVICES_PER_GROUP = 5


@dataclass(frozen=True)
class GroupResult:
    group: ServiceGroup
    services: list[Any]


def _distance_key(service: Any) -> tuple[bool, float]:
    distance = getattr(service, "distance_miles", None)
    return (distance is None, distance or 0.0)


def get_help_services(*, outcome: Outcome, answers: Answers) -> tuple[list[GroupResult], bool]:
    """Services for each group of the outcome, nearest first; and whether the postcode was found.

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
            for service in with_locations(search_services(query))[: SERVICES_PER_GROUP * 2]:
                if service.pk in seen or service.pk in found_services:
                    continue
                if group.for_people_who_harm:
                    if not service.domestic_abuse_specialist:
                        continue
                elif outcome.safe_where_abuse_only and not service.safe_where_abuse:
                    continue
                found_services[service.pk] = service
        services = sorted(found_services.values(), key=_distance_key)[:SERVICES_PER_GROUP]
        seen.update(service.pk for service in services)
        results.append(GroupResult(group, services))
    return results, point is not None
