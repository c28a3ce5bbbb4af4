"""The demo directory for `seed_demo`: the data is `data/demo.toml`, loaded by `seed(stdout)`.

The file is data only; `directory.services.demo_load` writes it through the same services as
any other listing, so a confidential location is rounded and every change is audited.
"""

from __future__ import annotations

import tomllib
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError
from django.utils import timezone

from directory import services
from directory.models import Organisation, Postcode, Service

DATA = Path(__file__).resolve().parent / "data"
DEMO_FILE = DATA / "demo.toml"
DISTRICTS_CSV = services.UK_DISTRICTS_CSV


def seed(stdout: Any) -> None:
    """Load the postcode districts and the demo directory; running it twice changes nothing."""
    # Normally loaded by `migrate` already; this adds any district missing since.
    added = services.postcode_districts_ensure(path=DISTRICTS_CSV)
    known = Postcode.objects.filter(is_district=True).count()
    stdout.write(f"Postcodes: {known} UK districts ({added} added).")
    try:
        with DEMO_FILE.open("rb") as file:
            data = tomllib.load(file)
        services.demo_load(data=data)
    except (tomllib.TOMLDecodeError, services.DirectoryError) as exc:
        raise CommandError(f"{DEMO_FILE.name}: {exc}") from exc
    stdout.write(
        f"Directory: {Organisation.objects.count()} organisations, "
        f"{Service.objects.filter(status=Service.Status.PUBLISHED).count()} published services."
    )
    seed_curation(stdout)


DEMO_PRACTITIONER = "practitioner@demo.invalid"
DEMO_PROVIDER = "provider@demo.invalid"
DEMO_PROVIDER_ORGANISATION = "clocktower-contact-centre-trust"


def seed_curation(stdout: Any) -> None:
    """Something in each of the curators' lists (docs/curation.md); running it twice adds none.

    Written through the curation services, so each item has its audit event and emails as
    a real one would (in the demo they land in .data/mail/).
    """
    from alliance.models import User
    from directory import curation_services
    from directory.models import (
        Category,
        OrganisationMembership,
        ProblemReport,
        ProviderEdit,
        ServiceReview,
        Suggestion,
    )

    if not Suggestion.objects.filter(practitioner_email=DEMO_PRACTITIONER).exists():
        curation_services.suggestion_submit(
            fields={
                "organisation_name": "Oakham Family Hub",
                "service_name": "Oakham parents' drop-in",
                "website": "https://oakham-family-hub.example.org/",
                "offers": "A weekly drop-in for parents who are separating: advice and a chat.",
                "who_for": "Parents in Rutland",
                "category": Category.objects.filter(code__isnull=False).first(),
                "area": "Rutland",
                "reason": "Families in Rutland have nothing like it nearer than Leicester.",
                "practitioner_name": "Demo Practitioner",
                "practitioner_role": "Family support worker",
                "practitioner_email": DEMO_PRACTITIONER,
                "practitioner_organisation": "Rutland County Council",
            }
        )
    published = Service.objects.filter(status=Service.Status.PUBLISHED).order_by("pk")
    reported = published.first()
    if reported is not None and not ProblemReport.objects.exists():
        curation_services.problem_report_submit(
            service=reported,
            kind=ProblemReport.Kind.CONTACT_WRONG,
            details="The phone number rang out three times this week.",
            email="",
        )
    provider = User.objects.filter(email=DEMO_PROVIDER).first()
    own = published.filter(organisation__slug=DEMO_PROVIDER_ORGANISATION).first()
    if provider is not None and own is not None:
        OrganisationMembership.objects.get_or_create(user=provider, organisation=own.organisation)
        if not ProviderEdit.objects.filter(service=own).exists():
            curation_services.provider_edit_propose(
                actor=provider,
                service=own,
                proposed={"summary": f"{own.summary} Now open on Sunday mornings too."},
            )
    due = published.exclude(pk=reported.pk).last() if reported is not None else None
    if due is not None and not ServiceReview.objects.exists():
        # Checked a little under six months ago: its first reminder goes now.
        Service.objects.filter(pk=due.pk).update(
            last_verified_at=timezone.now() - timedelta(days=175)
        )
        curation_services.reviews_run()
    stdout.write(
        f"Curation: {Suggestion.objects.filter(status='new').count()} suggestion, "
        f"{ProblemReport.objects.filter(status='new').count()} problem report, "
        f"{ProviderEdit.objects.filter(status='pending').count()} provider change, "
        f"{ServiceReview.objects.filter(completed_at__isnull=True).count()} review due "
        f"(the queue: /staff/curation/; the provider's listings: /services/provider-edits/)."
    )
