"""Curators in /admin/: lists, filters, search, status and check actions, history."""

import pytest
from django.test import Client

from alliance.models import AuditEvent
from directory import services
from directory.admin import ServiceAdmin
from directory.models import Service
from tests.conftest import sign_in
from tests.directory.factories import (
    CategoryFactory,
    DraftServiceFactory,
    LocationFactory,
    PublishedServiceFactory,
    ReadyDraftServiceFactory,
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

    def names(response):  # type: ignore[no-untyped-def]
        # The rows listed, not the page: the category filter also says "Family mediation".
        return {service.name for service in response.context["cl"].result_list}

    assert listing.status_code == 200
    assert names(listing) == {"Family mediation", "Draft contact centre"}
    assert names(drafts) == {"Draft contact centre"}
    assert names(found) == {"Family mediation"}
    assert names(due) == {"Family mediation", "Draft contact centre"}


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
    service = ReadyDraftServiceFactory()

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

    # Not staff: the admin sends them to its sign-in page, which refuses a person already
    # signed in with both factors (a 403, not a loop back to sign-in).
    assert response.status_code == 302
    assert response["Location"] == "/admin/login/?next=/admin/directory/service/"
    assert client.get(response["Location"]).status_code == 403


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


def _inline_management() -> dict[str, str]:
    return {
        f"{name}-{key}": value
        for name in ("service_at_locations", "schedules", "contacts")
        for key, value in (("TOTAL_FORMS", "0"), ("INITIAL_FORMS", "0"))
    }


def _change_form(service: Service, **changes: object) -> dict[str, object]:
    """What the change form posts for a service with no places, times or contacts."""
    return {
        **_inline_management(),
        "organisation": service.organisation_id,
        "name": service.name,
        "slug": service.slug,
        "summary": service.summary,
        "delivery_modes": service.delivery_modes,
        "languages": service.languages,
        "area_covered": service.area_covered,
        **changes,
    }


def test_a_new_service_is_saved_as_draft_whatever_status_is_posted(
    curator_client: Client,
) -> None:
    organisation = PublishedServiceFactory().organisation

    response = curator_client.post(
        "/admin/directory/service/add/",
        {
            **_inline_management(),
            "organisation": organisation.pk,
            "name": "New mediation service",
            "slug": "new-mediation-service",
            "status": "published",
            "summary": "Mediation.",
            "area_covered": "radius",
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    service = Service.objects.get(slug="new-mediation-service")
    assert service.status == Service.Status.DRAFT
    assert service.history.get().status == Service.Status.DRAFT


@pytest.mark.parametrize("posted", ["published", "temporarily_closed", "archived"])
def test_the_change_form_ignores_a_posted_status(curator_client: Client, posted: str) -> None:
    service = DraftServiceFactory()

    response = curator_client.post(
        f"/admin/directory/service/{service.pk}/change/",
        _change_form(service, status=posted, summary="A new summary."),
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    service.refresh_from_db()
    assert service.summary == "A new summary."
    assert service.status == Service.Status.DRAFT
    assert service.history.first().status == Service.Status.DRAFT
    assert not AuditEvent.objects.filter(object_type="directory.service").exists()


def test_the_change_page_shows_status_without_a_field_to_edit_it(curator_client: Client) -> None:
    service = PublishedServiceFactory()

    html = curator_client.get(f"/admin/directory/service/{service.pk}/change/").content.decode()

    assert "Published" in html
    assert 'name="status"' not in html
    assert not ServiceAdmin.list_editable


@pytest.mark.parametrize(
    ("action", "status", "event"),
    [
        ("publish", "published", "service.publish"),
        ("close_temporarily", "temporarily_closed", "service.close_temporarily"),
        ("archive", "archived", "service.archive"),
        ("return_to_draft", "draft", "service.unpublish"),
    ],
)
def test_each_status_action_writes_one_audit_event_per_service_changed(
    curator_client: Client, curator, action: str, status: str, event: str
) -> None:  # type: ignore[no-untyped-def]
    start = "archived" if status == "draft" else "draft"
    moving = [
        ReadyDraftServiceFactory(status=start),
        ReadyDraftServiceFactory(status=start),
    ]
    already_there = PublishedServiceFactory(status=status)

    response = curator_client.post(
        "/admin/directory/service/",
        {"action": action, "_selected_action": [s.pk for s in [*moving, already_there]]},
    )

    assert response.status_code == 302
    assert set(Service.objects.values_list("status", flat=True)) == {status}
    events = AuditEvent.objects.filter(action=event)
    assert sorted(e.object_id for e in events) == sorted(str(s.pk) for s in moving)
    assert {e.actor for e in events} == {curator}
    assert all(e.detail == {"from": start, "to": status} for e in events)


def test_reverting_from_history_restores_the_text_but_never_the_status(
    curator_client: Client, curator
) -> None:  # type: ignore[no-untyped-def]
    service = ReadyDraftServiceFactory(summary="The old summary.")
    draft_version = service.history.first()  # the latest draft version
    services.services_set_status(
        actor=curator, service_ids=[service.pk], status=Service.Status.PUBLISHED
    )
    service.summary = "The new summary."
    service.save(update_fields=["summary"])
    events = AuditEvent.objects.count()

    response = curator_client.post(
        f"/admin/directory/service/{service.pk}/history/{draft_version.history_id}/",
        _change_form(service, summary="The old summary.", status="draft"),
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    service.refresh_from_db()
    assert service.summary == "The old summary."
    assert service.status == Service.Status.PUBLISHED
    latest = service.history.first()
    assert (latest.summary, latest.status) == ("The old summary.", "published")
    assert AuditEvent.objects.count() == events


def test_reverting_a_deleted_service_is_refused(curator_client: Client) -> None:
    service = DraftServiceFactory()
    version = service.history.get()
    service_pk = service.pk
    service.delete()

    response = curator_client.post(
        f"/admin/directory/service/{service_pk}/history/{version.history_id}/",
        _change_form(service),
    )

    assert response.status_code == 404
    assert not Service.objects.filter(pk=service_pk).exists()


def test_publishing_a_listing_that_fails_the_checks_says_why_and_changes_nothing(
    curator_client: Client,
) -> None:
    service = DraftServiceFactory()

    response = curator_client.post(
        "/admin/directory/service/",
        {"action": "publish", "_selected_action": [service.pk]},
        follow=True,
    )

    assert "cannot be published" in response.content.decode()
    service.refresh_from_db()
    assert service.status == Service.Status.DRAFT
    assert not AuditEvent.objects.filter(action="service.publish").exists()


def test_view_on_site_for_a_draft_is_the_curators_preview(curator_client: Client) -> None:
    service = DraftServiceFactory()
    assert ServiceAdmin.view_on_site(None, service) == f"/staff/curation/preview/{service.slug}/"  # type: ignore[arg-type]
    assert curator_client.get(f"/staff/curation/preview/{service.slug}/").status_code == 200
