"""The curators' work queue: who may see it, and deciding suggestions."""

import pytest
from django.test import Client

from alliance.models import AuditEvent, OutboundMessage
from directory.models import Service, Suggestion
from tests.conftest import sign_in
from tests.directory.factories import CategoryFactory, PublishedServiceFactory

pytestmark = pytest.mark.django_db


def make_suggestion(**extra: object) -> Suggestion:
    fields = {
        "organisation_name": "Rutland Family Mediation",
        "service_name": "Rutland mediation",
        "website": "https://rutland.example.org/",
        "offers": "Mediation for separating parents.",
        "who_for": "Parents",
        "category": CategoryFactory(slug="mediation", name="Family mediation"),
        "area": "Rutland",
        "reason": "Nothing like it nearby.",
        "practitioner_name": "Sam",
        "practitioner_role": "Worker",
        "practitioner_email": "sam@example.org",
        "practitioner_organisation": "Council",
        **extra,
    }
    return Suggestion.objects.create(**fields)


@pytest.mark.parametrize(
    ("who", "status"),
    [("anonymous", 302), ("fca", 403), ("provider_staff", 403), ("editor", 403), ("curator", 200)],
)
def test_only_curators_see_the_queue(client: Client, request, who: str, status: int) -> None:  # type: ignore[no-untyped-def]
    suggestion = make_suggestion()
    if who != "anonymous":
        sign_in(client, request.getfixturevalue(who))
    for url in ("/staff/curation/", f"/staff/curation/suggestions/{suggestion.pk}/"):
        assert client.get(url).status_code == status


def test_the_queue_counts_each_kind_of_work_oldest_first(client: Client, curator) -> None:  # type: ignore[no-untyped-def]
    first = make_suggestion(service_name="First in")
    make_suggestion(service_name="Second in")
    sign_in(client, curator)
    html = client.get("/staff/curation/").content.decode()
    assert "New suggestions: 2" in html
    assert html.index("First in") < html.index("Second in")
    assert f"/staff/curation/suggestions/{first.pk}/" in html


def test_accepting_makes_a_draft_listing_and_tells_the_practitioner(
    client: Client, curator
) -> None:  # type: ignore[no-untyped-def]
    suggestion = make_suggestion()
    sign_in(client, curator)

    response = client.post(f"/staff/curation/suggestions/{suggestion.pk}/", {"action": "accept"})

    service = Service.objects.get(name="Rutland mediation")
    assert response["Location"] == f"/staff/curation/preview/{service.slug}/"
    assert service.status == Service.Status.DRAFT
    assert service.organisation.name == "Rutland Family Mediation"
    assert list(service.categories.values_list("slug", flat=True)) == ["mediation"]
    assert service.website == "https://rutland.example.org/"
    suggestion.refresh_from_db()
    assert suggestion.status == Suggestion.Status.ACCEPTED
    assert suggestion.created_service == service
    assert suggestion.decided_by == curator
    email = OutboundMessage.objects.get(
        idempotency_key=f"directory-suggestion-decided:{suggestion.pk}"
    )
    assert email.to == "sam@example.org"
    assert "accepted" in email.body_text
    assert AuditEvent.objects.filter(action="suggestion.accept", actor=curator).exists()
    assert AuditEvent.objects.filter(action="service.create", object_id=str(service.pk)).exists()
    # The draft is not public; the curator's preview shows it with what blocks publishing.
    assert client.get(service.get_absolute_url()).status_code == 404
    preview = client.get(f"/staff/curation/preview/{service.slug}/").content.decode()
    assert "Rutland mediation" in preview
    assert "It cannot be published yet" in preview
    assert "last checked" in preview
    # A second decision is refused without a 500.
    again = client.post(f"/staff/curation/suggestions/{suggestion.pk}/", {"action": "accept"})
    assert again.status_code == 302
    assert Service.objects.filter(name="Rutland mediation").count() == 1


def test_rejecting_needs_a_reason_and_tells_the_practitioner(client: Client, curator) -> None:  # type: ignore[no-untyped-def]
    suggestion = make_suggestion()
    sign_in(client, curator)
    url = f"/staff/curation/suggestions/{suggestion.pk}/"
    for bad in ("", "   ", "r" * 1001, "\x00"):
        response = client.post(url, {"action": "reject", "reason": bad})
        assert response.status_code == 400
        assert "govuk-error-summary" in response.content.decode()
    suggestion.refresh_from_db()
    assert suggestion.status == Suggestion.Status.NEW

    client.post(url, {"action": "reject", "reason": "Outside the alliance's area."})

    suggestion.refresh_from_db()
    assert suggestion.status == Suggestion.Status.REJECTED
    email = OutboundMessage.objects.get(
        idempotency_key=f"directory-suggestion-decided:{suggestion.pk}"
    )
    assert "Outside the alliance's area." in email.body_text


def test_merging_marks_it_a_duplicate_of_a_listing(client: Client, curator) -> None:  # type: ignore[no-untyped-def]
    suggestion = make_suggestion()
    existing = PublishedServiceFactory(name="Rutland Mediation Service")
    sign_in(client, curator)
    url = f"/staff/curation/suggestions/{suggestion.pk}/"
    assert client.post(url, {"action": "merge", "service": "nope"}).status_code == 400

    client.post(url, {"action": "merge", "service": existing.pk})

    suggestion.refresh_from_db()
    assert suggestion.status == Suggestion.Status.MERGED
    assert suggestion.duplicate_of == existing
    assert not Service.objects.filter(name="Rutland mediation").exists()
    assert OutboundMessage.objects.filter(to="sam@example.org").count() == 1


def test_publishing_is_refused_until_a_listing_can_be_reached_found_and_trusted(curator) -> None:  # type: ignore[no-untyped-def]
    from directory import services

    service = PublishedServiceFactory(status=Service.Status.DRAFT)
    with pytest.raises(services.DirectoryError, match=r"category.*last checked"):
        services.services_set_status(
            actor=curator, service_ids=[service.pk], status=Service.Status.PUBLISHED
        )
    service.categories.add(CategoryFactory())
    service.last_verified_at = service.created_at
    service.save(update_fields=["last_verified_at"])
    with pytest.raises(services.DirectoryError, match="location"):
        services.services_set_status(
            actor=curator, service_ids=[service.pk], status=Service.Status.PUBLISHED
        )
    service.area_covered = Service.AreaCovered.ALLIANCE_AREA
    service.save(update_fields=["area_covered"])
    assert (
        services.services_set_status(
            actor=curator, service_ids=[service.pk], status=Service.Status.PUBLISHED
        )
        == 1
    )


@pytest.mark.slow
def test_the_demo_leaves_work_in_the_queue_and_a_second_seed_adds_none(
    client: Client, curator
) -> None:  # type: ignore[no-untyped-def]
    from io import StringIO

    from django.core.management import call_command

    from directory.models import ProblemReport, ProviderEdit, ServiceReview

    call_command("seed_demo", stdout=StringIO())
    counts = (
        Suggestion.objects.count(),
        ProblemReport.objects.count(),
        ProviderEdit.objects.count(),
        ServiceReview.objects.count(),
    )
    call_command("seed_demo", stdout=StringIO())

    assert counts[:3] == (1, 1, 1)
    assert counts[3] >= 1
    assert (
        Suggestion.objects.count(),
        ProblemReport.objects.count(),
        ProviderEdit.objects.count(),
        ServiceReview.objects.count(),
    ) == counts
    sign_in(client, curator)
    html = client.get("/staff/curation/").content.decode()
    assert "New suggestions: 1" in html
    assert "Provider changes waiting: 1" in html
