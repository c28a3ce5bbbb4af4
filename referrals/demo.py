"""Programme-referral demo data for `seed_demo`: programmes, a local provider with cohorts, and
the demo FCA's cases in every state, made through the same services as real ones.

Running it twice changes nothing: programmes are matched by code, the provider by slug, and
the cases are made only while the demo FCA has none. Every name and address is invented.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from alliance.models import User
from directory.models import Location, Organisation, OrganisationMembership
from referrals import services
from referrals.models import Case, Cohort, CourtDecision, Mode, Nation, Offering, Programme, Route

DEMO_FCA = "fca@demo.invalid"
DEMO_PROVIDER = "provider@demo.invalid"
PROVIDER_SLUG = "demo-family-programmes"

# SPIP's start is not needed by the portal (only that it ended); WT4C's start [VERIFY].
PROGRAMMES = [
    ("SPIP", "Separated Parents Information Programme", Nation.ENGLAND, "2008-04-01", "2023-03-29"),
    ("PTFC", "Planning Together for Children", Nation.ENGLAND, "2023-04-03", None),
    ("WT4C", "Working Together for Children", Nation.WALES, "2019-04-01", None),
]


def _programmes() -> Programme:
    for code, name, nation, start, end in PROGRAMMES:
        Programme.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "nation": nation,
                "active_from": dt.date.fromisoformat(start),
                "active_to": dt.date.fromisoformat(end) if end else None,
            },
        )
    return Programme.objects.get(code="PTFC")


def _provider(ptfc: Programme) -> Offering:
    organisation, _ = Organisation.objects.get_or_create(
        slug=PROVIDER_SLUG,
        defaults={
            "name": "Family Programmes Leicester (demo)",
            "email": "programmes@demo.invalid",
            "phone": "0116 496 0000",
            "description": "Runs Planning Together for Children workshops for the alliance.",
        },
    )
    staff = User.objects.filter(email=DEMO_PROVIDER).first()
    if staff is not None:
        OrganisationMembership.objects.get_or_create(user=staff, organisation=organisation)
    venue, _ = Location.objects.get_or_create(
        organisation=organisation,
        name="Family Programmes training room",
        defaults={
            "town": "Leicester",
            "postcode": "LE1 6ZG",
            "latitude": 52.6366,
            "longitude": -1.1352,
        },
    )
    offering, _ = Offering.objects.get_or_create(
        programme=ptfc,
        organisation=organisation,
        defaults={
            "coverage": Offering.Coverage.AREA,
            "venue": venue,
            "modes": [Mode.IN_PERSON, Mode.ONLINE],
            "languages": ["en", "pl", "pa", "gu"],
            "interpreter_available": True,
        },
    )
    return offering


def _cohorts(offering: Offering) -> None:
    """Keep six groups ahead: alternate evenings online and Saturday mornings in person."""
    today = timezone.localdate()
    for week in range(1, 4):
        for mode, weekday, hour in ((Mode.ONLINE, 1, 18), (Mode.IN_PERSON, 5, 10)):
            day = today + dt.timedelta(days=7 * week + (weekday - today.weekday()) % 7)
            starts = timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))
            Cohort.objects.get_or_create(
                offering=offering,
                starts_at=starts,
                mode=mode,
                defaults={
                    "capacity": 6 if mode == Mode.ONLINE else 5,
                    "venue": offering.venue if mode == Mode.IN_PERSON else None,
                },
            )


def _parent(n: int, letter: str, **extra: Any) -> dict[str, Any]:
    return {
        "name": f"Demo Parent {n}{letter}",
        "email": f"parent{n}{letter.lower()}@demo.invalid",
        "phone": f"07700 900{n:02d}{ord(letter) % 10}",
        "postcode": "LE1 6ZG" if letter == "A" else "LE2 7QP",
        "preferred_language": "en",
        "interpreter_needed": False,
        "access_needs": "",
        "address_confidential": False,
        "safety_flag": False,
        **extra,
    }


def _case(fca: User, ptfc: Programme, n: int, *, route: str, **extra: Any) -> Case:
    today = timezone.localdate()
    if route == Route.COURT_ORDER:
        details = {
            "first_hearing_on": today - dt.timedelta(days=20),
            "order_date": today - dt.timedelta(days=20),
            "issuing_court": "Leicester Family Court (demo)",
        }
    else:
        details = {
            "first_hearing_on": today + dt.timedelta(days=21),
            "enquiries_completed_on": today - dt.timedelta(days=2),
            "police_checks_done": True,
            "local_authority_checks_done": True,
            "both_parents_spoken_to": True,
            "fca_attests": True,
        }
    a, b = extra.pop("a", {}), extra.pop("b", {})
    return services.case_create(
        actor=fca,
        programme=ptfc,
        case={
            "court": "Leicester Family Court (demo)",
            "case_number": f"DEMO{n:04d}",
            "route": route,
            **details,
            **extra,
        },
        parents=[_parent(n, "A", **a), _parent(n, "B", **b)],
    )


def _advance(fca: User, provider: User | None, case: Case, steps: list[list[str]]) -> None:
    """Walk each parent's referral through the named steps (one list per parent): an empty
    list leaves it submitted; any list allocates and sends it first ("sent" stops there)."""
    services.case_submit(actor=fca, case_id=case.pk)
    for referral, path in zip(case.referrals.order_by("parent"), steps, strict=True):
        pk = referral.pk
        if not path:
            continue
        services.referral_allocate(referral_id=pk)
        referral.refresh_from_db()
        if referral.status != "allocated":
            continue
        services.referral_send_to_provider(referral_id=pk)
        for step in path:
            if step == "accept":
                services.referral_accept(actor=provider, referral_id=pk)  # type: ignore[arg-type]
            elif step == "book":
                referral.refresh_from_db()
                services.referral_book(
                    actor=provider,  # type: ignore[arg-type]
                    referral_id=pk,
                    cohort_id=referral.cohort_id,  # type: ignore[arg-type]
                )
            elif step in {"attend", "miss"}:
                services.referral_attendance_record(
                    actor=provider,  # type: ignore[arg-type]
                    referral_id=pk,
                    attended=step == "attend",
                )
            elif step == "complete":
                services.referral_complete(actor=provider, referral_id=pk)  # type: ignore[arg-type]
            elif step == "decline":
                services.referral_decline(
                    actor=provider,  # type: ignore[arg-type]
                    referral_id=pk,
                    reason="No group in the parent's language this month (demo)",
                )
            elif step == "return":
                services.referral_return_unsuitable(
                    actor=provider,  # type: ignore[arg-type]
                    referral_id=pk,
                    reason="Demo",
                )
            elif step == "withdraw":
                services.referral_withdraw(actor=fca, referral_id=pk, reason="Demo")


def _cases(ptfc: Programme) -> int:
    fca = User.objects.filter(email=DEMO_FCA).first()
    provider = User.objects.filter(email=DEMO_PROVIDER).first()
    if fca is None or Case.objects.filter(created_by=fca).exists():
        return 0
    # A direct referral the gate blocks: domestic abuse is indicated.
    _case(fca, ptfc, 1, route=Route.FCA_DIRECT, domestic_abuse_indicated=True)
    # A request to the court, waiting for its decision.
    _case(fca, ptfc, 2, route=Route.REQUEST_TO_COURT, court_decision=CourtDecision.PENDING)
    # Sent to the provider, not yet answered.
    _advance(fca, provider, _case(fca, ptfc, 3, route=Route.COURT_ORDER), [["sent"], ["sent"]])
    # Court-ordered with a safety flag: accepted and booked, separately and safely.
    flagged = _case(fca, ptfc, 4, route=Route.COURT_ORDER, a={"safety_flag": True})
    _advance(fca, provider, flagged, [["accept", "book"], ["accept"]])
    # A direct referral: one parent completed, the other did not attend.
    _advance(
        fca,
        provider,
        _case(fca, ptfc, 5, route=Route.FCA_DIRECT),
        [["accept", "book", "attend", "complete"], ["accept", "book", "miss"]],
    )
    # A court order: one parent declined by the provider, the other withdrawn.
    _advance(
        fca, provider, _case(fca, ptfc, 6, route=Route.COURT_ORDER), [["decline"], ["withdraw"]]
    )
    # Attended, completion not yet recorded; the other parent returned as unsuitable.
    _advance(
        fca,
        provider,
        _case(fca, ptfc, 8, route=Route.COURT_ORDER),
        [["accept", "book", "attend"], ["return"]],
    )
    # Outside every offering's area: both wait as unallocated, and the FCA is told.
    outside = {"postcode": "ZE1 0AA"}
    _advance(
        fca,
        provider,
        _case(fca, ptfc, 7, route=Route.COURT_ORDER, a=outside, b=outside),
        [["sent"], ["sent"]],
    )
    return Case.objects.filter(created_by=fca).count()


def seed(stdout: Any) -> None:
    """Programmes, the demo provider (with provider@demo.invalid as staff), cohorts, cases."""
    ptfc = _programmes()
    offering = _provider(ptfc)
    _cohorts(offering)
    made = _cases(ptfc)
    stdout.write(
        f"Referrals: {Programme.objects.count()} programmes, "
        f"{Cohort.objects.filter(offering=offering).count()} demo cohorts"
        + (f", {made} demo cases for {DEMO_FCA}." if made else ".")
    )
