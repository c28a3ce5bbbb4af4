"""Provider edits are held for approval: a field-by-field difference, applied only when a
curator approves it, and never for another organisation's listing (issue 11, item 5)."""

import pytest
from django.test import Client

from alliance.models import AuditEvent, OutboundMessage
from directory.models import OrganisationMembership, ProviderEdit, Service
from tests.conftest import sign_in
from tests.directory.factories import OrganisationFactory, PublishedServiceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def own(provider_staff) -> Service:  # type: ignore[no-untyped-def]
    organisation = OrganisationFactory(name="Oakham Family Centre")
    OrganisationMembership.objects.create(user=provider_staff, organisation=organisation)
    return PublishedServiceFactory(
        organisation=organisation,
        name="Oakham contact centre",
        summary="Supported contact on Saturdays.",
        phone="01572 000000",
    )


def form_data(service: Service, **changes: str) -> dict[str, str]:
    fields = [
        "summary",
        "description",
        "eligibility",
        "cost",
        "how_to_access",
        "accessibility_notes",
        "website",
        "email",
        "phone",
    ]
    return {**{f: getattr(service, f) for f in fields}, **changes}


def test_a_providers_edit_shows_its_difference_and_applies_only_when_approved(
    client: Client, provider_staff, curator, own: Service
) -> None:  # type: ignore[no-untyped-def]
    sign_in(client, provider_staff)
    assert own.name in client.get("/services/provider-edits/").content.decode()

    response = client.post(
        f"/services/provider-edits/{own.slug}/",
        form_data(own, summary="Supported contact on Saturdays and Sundays.", phone="01572 111111"),
    )

    assert response["Location"] == "/services/provider-edits/"
    edit = ProviderEdit.objects.get()
    assert edit.changes == {
        "summary": "Supported contact on Saturdays and Sundays.",
        "phone": "01572 111111",
    }
    own.refresh_from_db()
    assert own.summary == "Supported contact on Saturdays."  # held, not applied

    staff = Client()
    sign_in(staff, curator)
    assert "Provider changes waiting: 1" in staff.get("/staff/curation/").content.decode()
    diff = staff.get(f"/staff/curation/edits/{edit.pk}/").content.decode()
    assert "<del>Supported contact on Saturdays.</del>" in diff
    assert "<ins>Supported contact on Saturdays and Sundays.</ins>" in diff
    assert "<del>01572 000000</del>" in diff
    assert "Who it is for" not in diff  # an unchanged field
    # The reason box is plainly the rejecting one, under its own heading.
    assert diff.index('<h2 class="govuk-heading-m">Reject</h2>') < diff.index('value="reject"')

    staff.post(f"/staff/curation/edits/{edit.pk}/", {"action": "approve"})

    own.refresh_from_db()
    assert own.summary == "Supported contact on Saturdays and Sundays."
    assert own.phone == "01572 111111"
    assert own.history.first().history_change_reason == f"Provider change {edit} approved"
    assert own.history.first().history_user == curator
    assert AuditEvent.objects.filter(action="provider_edit.approve", actor=curator).exists()
    assert AuditEvent.objects.filter(
        action="service.update", object_id=str(own.pk), detail__fields=["phone", "summary"]
    ).exists()
    assert OutboundMessage.objects.get(to=provider_staff.email).subject


def test_a_rejected_edit_leaves_the_listing_as_it_was(
    client: Client, provider_staff, curator, own: Service
) -> None:  # type: ignore[no-untyped-def]
    sign_in(client, provider_staff)
    client.post(f"/services/provider-edits/{own.slug}/", form_data(own, summary="Closed."))
    edit = ProviderEdit.objects.get()
    staff = Client()
    sign_in(staff, curator)
    assert staff.post(f"/staff/curation/edits/{edit.pk}/", {"action": "reject"}).status_code == 400

    staff.post(f"/staff/curation/edits/{edit.pk}/", {"action": "reject", "reason": "Not closed."})

    own.refresh_from_db()
    edit.refresh_from_db()
    assert own.summary == "Supported contact on Saturdays."
    assert edit.status == ProviderEdit.Status.REJECTED
    # Approving after the decision is refused without a 500.
    assert staff.post(f"/staff/curation/edits/{edit.pk}/", {"action": "approve"}).status_code == 302
    own.refresh_from_db()
    assert own.summary == "Supported contact on Saturdays."


def test_a_provider_cannot_propose_changes_to_another_organisations_listing(
    client: Client, provider_staff, own: Service
) -> None:  # type: ignore[no-untyped-def]
    theirs = PublishedServiceFactory(name="Somebody else's")
    sign_in(client, provider_staff)
    assert client.get(f"/services/provider-edits/{theirs.slug}/").status_code == 404
    response = client.post(
        f"/services/provider-edits/{theirs.slug}/", form_data(theirs, summary="Hijacked.")
    )
    assert response.status_code == 404
    assert theirs.name not in client.get("/services/provider-edits/").content.decode()
    assert not ProviderEdit.objects.exists()


@pytest.mark.parametrize(
    ("who", "status"),
    [("anonymous", 302), ("fca", 403), ("curator", 403), ("provider_staff", 200)],
)
def test_only_provider_staff_reach_the_provider_pages(
    client: Client, request, who: str, status: int
) -> None:  # type: ignore[no-untyped-def]
    if who != "anonymous":
        sign_in(client, request.getfixturevalue(who))
    assert client.get("/services/provider-edits/").status_code == status


def test_a_provider_needs_two_factors(client: Client, provider_staff, own: Service) -> None:  # type: ignore[no-untyped-def]
    sign_in(client, provider_staff, second_factor=False)
    assert client.get(f"/services/provider-edits/{own.slug}/").status_code == 302


@pytest.mark.parametrize(
    "changes",
    [
        {"summary": ""},
        {"summary": "s" * 301},
        {"phone": "9" * 41},
        {"email": "not an email"},
        {"website": "javascript:alert(1)"},
        {"description": "bad \x00 byte"},
        {"eligibility": "\x1b[31mred"},
    ],
)
def test_bad_proposed_values_are_refused_and_nothing_is_held(
    client: Client, provider_staff, own: Service, changes: dict[str, str]
) -> None:  # type: ignore[no-untyped-def]
    sign_in(client, provider_staff)
    response = client.post(f"/services/provider-edits/{own.slug}/", form_data(own, **changes))
    assert response.status_code == 400
    assert "govuk-error-summary" in response.content.decode()
    assert not ProviderEdit.objects.exists()


def test_sending_no_change_holds_nothing(client: Client, provider_staff, own: Service) -> None:  # type: ignore[no-untyped-def]
    sign_in(client, provider_staff)
    client.post(f"/services/provider-edits/{own.slug}/", form_data(own))
    assert not ProviderEdit.objects.exists()
