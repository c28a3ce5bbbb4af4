"""Curators in /admin/: lists, filters, search, status and check actions, history."""

import pytest
from django.test import Client

from alliance.models import AuditEvent
from directory.models import Service
from tests.conftest import sign_in
from tests.directory.factories import (
    CategoryFactory,
    DraftServiceFactory,
    LocationFactory,
    PublishedServiceFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def curator_client(client: Client, curator) -> Client:  # type: ignore[no-untyped-def]
    sign_in(client, curator)
    return client


def test_a_curator_can_list_filter_and_search_services(curator_client: Client) -> None:
    PublishedServiceFactory(name="Family mediation")
    DraftServiceFactory(name="Draft contact centre")

    listing = curator_client.get("/admin/directory/service/")
    drafts = curator_client.get("/admin/directory/service/", {"status__exact": "draft"})
    found = curator_client.get("/admin/directory/service/", {"q": "mediation"})
    due = curator_client.get("/admin/directory/service/", {"checked": "due"})

    assert listing.status_code == 200
    assert "Family mediation" in listing.content.decode()
    assert "Family mediation" not in drafts.content.decode()
    assert "Draft contact centre" in drafts.content.decode()
    assert "Draft contact centre" not in found.content.decode()
    assert "Family mediation" in due.content.decode()


@pytest.mark.parametrize(
    "path",
    [
        "/admin/directory/service/add/",
        "/admin/directory/organisation/",
        "/admin/directory/location/",
        "/admin/directory/category/",
        "/admin/directory/postcode/",
    ],
)
def test_every_directory_admin_page_opens_for_a_curator(curator_client: Client, path: str) -> None:
    assert curator_client.get(path).status_code == 200


def test_the_change_page_and_its_history_open(curator_client: Client) -> None:
    service = PublishedServiceFactory(categories=[CategoryFactory()])
    service.locations.add(LocationFactory(organisation=service.organisation))

    assert curator_client.get(f"/admin/directory/service/{service.pk}/change/").status_code == 200
    assert curator_client.get(f"/admin/directory/service/{service.pk}/history/").status_code == 200


def test_status_actions_change_status_record_history_and_audit(
    curator_client: Client, curator
) -> None:  # type: ignore[no-untyped-def]
    service = DraftServiceFactory()

    curator_client.post(
        "/admin/directory/service/",
        {"action": "publish", "_selected_action": [service.pk]},
    )

    service.refresh_from_db()
    assert service.status == Service.Status.PUBLISHED
    latest = service.history.first()
    assert latest.status == "published"
    assert latest.history_change_reason == "Status: draft → published"
    event = AuditEvent.objects.get(action="service.publish")
    assert (event.actor, event.object_id) == (curator, str(service.pk))


def test_mark_checked_sets_last_verified_apart_from_updated(
    curator_client: Client, curator
) -> None:  # type: ignore[no-untyped-def]
    service = PublishedServiceFactory()
    updated_at = service.updated_at

    curator_client.post(
        "/admin/directory/service/",
        {"action": "mark_checked", "_selected_action": [service.pk]},
    )

    service.refresh_from_db()
    assert service.last_verified_at is not None
    assert service.verified_by == curator
    assert service.updated_at == updated_at


def test_people_without_the_curator_role_cannot_curate(client: Client, fca) -> None:  # type: ignore[no-untyped-def]
    sign_in(client, fca)

    response = client.get("/admin/directory/service/")

    assert response.status_code in (302, 403)


def test_a_curator_adds_a_service_with_checkbox_lists(curator_client: Client, curator) -> None:  # type: ignore[no-untyped-def]
    organisation = PublishedServiceFactory().organisation
    prefix = {
        f"{name}-{key}": value
        for name in ("service_at_locations", "schedules", "contacts")
        for key, value in (("TOTAL_FORMS", "0"), ("INITIAL_FORMS", "0"))
    }

    response = curator_client.post(
        "/admin/directory/service/add/",
        {
            **prefix,
            "organisation": organisation.pk,
            "name": "New contact centre",
            "slug": "new-contact-centre",
            "status": "draft",
            "summary": "Saturday contact.",
            "delivery_modes": ["in_person", "phone"],
            "languages": ["en", "pl"],
            "access_methods": ["self_referral"],
            "area_covered": "alliance_area",
            "area_radius_miles": "10",
            "safe_where_abuse": "on",
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    service = Service.objects.get(slug="new-contact-centre")
    assert service.delivery_modes == ["in_person", "phone"]
    assert service.languages == ["en", "pl"]
    assert service.area_radius_miles is None
    assert service.history.get().history_user == curator
