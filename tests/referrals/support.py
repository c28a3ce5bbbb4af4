"""The programme-referral cast: a programme, a provider with an offering and cohorts, and
cases whose two parents have details distinctive enough to search every page and email for."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from alliance.models import User
from directory.models import Organisation, OrganisationMembership
from referrals import services
from referrals.models import Case, Cohort, Mode, Nation, Offering, Programme, Referral, Route
from tests.directory.factories import CENTRE, LocationFactory, OrganisationFactory, PostcodeFactory

PARENT_A = {
    "name": "Alys Quennell-Marsh",
    "email": "alys.quennell@example.org",
    "phone": "07700 900111",
    "postcode": "LE1 6ZG",
    "preferred_language": "en",
    "interpreter_needed": False,
    "access_needs": "Step-free access please",
    "address_confidential": False,
    "safety_flag": False,
}
PARENT_B = {
    "name": "Bryn Oakhampton-Vale",
    "email": "bryn.oakhampton@example.org",
    "phone": "07700 900222",
    "postcode": "LE2 7QP",
    "preferred_language": "en",
    "interpreter_needed": False,
    "access_needs": "Evening sessions only",
    "address_confidential": True,
    "safety_flag": False,
}
PERSONAL = [
    value
    for parent in (PARENT_A, PARENT_B)
    for key, value in parent.items()
    if key in {"name", "email", "phone", "postcode", "access_needs"}
]


def postcodes() -> None:
    PostcodeFactory(code="LE1", latitude=CENTRE[0], longitude=CENTRE[1])
    PostcodeFactory(code="LE1 6ZG", latitude=CENTRE[0], longitude=CENTRE[1])
    PostcodeFactory(code="LE2", latitude=52.6110, longitude=-1.1170)
    PostcodeFactory(code="LE2 7QP", latitude=52.6110, longitude=-1.1170)


def ptfc() -> Programme:
    programme, _ = Programme.objects.get_or_create(
        code="PTFC",
        defaults={
            "name": "Planning Together for Children",
            "nation": Nation.ENGLAND,
            "active_from": dt.date(2023, 4, 3),
        },
    )
    return programme


def provider(
    *, staff: User | None = None, organisation: Organisation | None = None, **offering: Any
) -> Offering:
    """An organisation (with `staff` as a member) offering PTfC across the alliance area."""
    organisation = organisation or OrganisationFactory(email="")
    if staff is not None:
        OrganisationMembership.objects.get_or_create(user=staff, organisation=organisation)
    venue = LocationFactory(organisation=organisation)
    return Offering.objects.create(
        programme=ptfc(),
        organisation=organisation,
        coverage=offering.pop("coverage", Offering.Coverage.AREA),
        venue=venue,
        modes=offering.pop("modes", [Mode.IN_PERSON, Mode.ONLINE]),
        languages=offering.pop("languages", ["en"]),
        interpreter_available=offering.pop("interpreter_available", False),
        **offering,
    )


def cohort(offering: Offering, *, days: int = 7, capacity: int = 5, **extra: Any) -> Cohort:
    mode = extra.pop("mode", Mode.ONLINE)
    return Cohort.objects.create(
        offering=offering,
        starts_at=timezone.now() + dt.timedelta(days=days),
        mode=mode,
        venue=offering.venue if mode == Mode.IN_PERSON else None,
        capacity=capacity,
        **extra,
    )


def court_ordered(**extra: Any) -> dict[str, Any]:
    return {
        "court": "Leicester Family Court",
        "case_number": "LE26P01234",
        "first_hearing_on": timezone.localdate() - dt.timedelta(days=10),
        "route": Route.COURT_ORDER,
        "order_date": timezone.localdate() - dt.timedelta(days=10),
        "issuing_court": "Leicester Family Court",
        **extra,
    }


def direct_complete(**extra: Any) -> dict[str, Any]:
    return {
        "court": "Leicester Family Court",
        "case_number": "LE26P05678",
        "first_hearing_on": timezone.localdate() + dt.timedelta(days=21),
        "route": Route.FCA_DIRECT,
        "enquiries_completed_on": timezone.localdate() - dt.timedelta(days=1),
        "police_checks_done": True,
        "local_authority_checks_done": True,
        "both_parents_spoken_to": True,
        "fca_attests": True,
        **extra,
    }


def make_case(
    fca: User,
    *,
    case: dict[str, Any] | None = None,
    a: dict[str, Any] | None = None,
    b: dict[str, Any] | None = None,
) -> Case:
    return services.case_create(
        actor=fca,
        programme=ptfc(),
        case=case or court_ordered(),
        parents=[{**PARENT_A, **(a or {})}, {**PARENT_B, **(b or {})}],
    )


def parents(case: Case) -> tuple[Referral, Referral]:
    first, second = case.referrals.order_by("parent")
    return first, second


def submitted_case(fca: User, **kwargs: Any) -> Case:
    case = make_case(fca, **kwargs)
    services.case_submit(actor=fca, case_id=case.pk)
    return case


def sent(fca: User, **kwargs: Any) -> tuple[Referral, Referral]:
    """A case whose two referrals are allocated and sent to the provider (no worker)."""
    case = submitted_case(fca, **kwargs)
    for referral in parents(case):
        services.referral_allocate(referral_id=referral.pk)
        services.referral_send_to_provider(referral_id=referral.pk)
    a, b = parents(case)
    return a, b
