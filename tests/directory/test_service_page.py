"""One service's page, and confidential locations masked in every output."""

import re
from datetime import UTC

import pytest
from django.test import Client

from directory.models import Location
from tests.directory.factories import (
    ArchivedServiceFactory,
    DraftServiceFactory,
    LocationFactory,
    PublishedServiceFactory,
    TemporarilyClosedServiceFactory,
    north_of_centre,
)

pytestmark = pytest.mark.django_db

REFUGE_STREET = "17 Hidden Lane"
REFUGE_POSTCODE = "LE3 9QX"
REFUGE_POINT = (52.623456, -1.176543)


@pytest.fixture
def refuge():  # type: ignore[no-untyped-def]
    service = PublishedServiceFactory(name="Safe refuge", slug="safe-refuge")
    location = LocationFactory(
        organisation=service.organisation,
        name="Refuge house on Hidden Lane",
        address_1=REFUGE_STREET,
        postcode=REFUGE_POSTCODE,
        latitude=REFUGE_POINT[0],
        longitude=REFUGE_POINT[1],
        confidential=True,
        accessibility_notes="Opposite the green door",
    )
    service.locations.add(location)
    return service


def assert_nothing_exact(text: str) -> None:
    for secret in (
        REFUGE_STREET,
        REFUGE_POSTCODE,
        "9QX",
        "Hidden Lane",
        "52.6234",
        "-1.1765",
        "green door",
    ):
        assert secret not in text


def test_the_page_shows_what_a_parent_needs(client: Client) -> None:
    service = PublishedServiceFactory(
        name="Family mediation",
        slug="family-mediation",
        is_free=False,
        cost="£120 per session",
        eligibility="Parents who have separated",
        min_age=0,
        max_age=17,
        how_to_access="Call us to book.",
        accreditations=["fmc_mediator"],
        languages=["en", "pa"],
        phone="0116 496 0101",
        safe_where_abuse=False,
        at=north_of_centre(1),
    )
    service.schedules.create(weekday=0, opens_at="09:00", closes_at="17:00")

    html = client.get("/services/family-mediation/").content.decode()

    for text in (
        "Family mediation",
        "£120 per session",
        "Parents who have separated",
        "Call us to book.",
        "Family Mediation Council accredited mediator",
        "Punjabi",
        "0116 496 0101",
        "Monday",
        "9:00 a.m.",
        "Not checked yet",
        "Report a problem with this page",
        "may not be suitable if there has been",
    ):
        assert text in html, text
    assert 'href="/services/family-mediation/report-a-problem/"' in html


def test_last_checked_shows_the_verified_date_not_the_edit_date(client: Client) -> None:
    from datetime import datetime

    PublishedServiceFactory(slug="checked", last_verified_at=datetime(2026, 3, 4, 12, tzinfo=UTC))

    assert "Last checked on 4 March 2026" in client.get("/services/checked/").content.decode()


@pytest.mark.parametrize("factory", [DraftServiceFactory, ArchivedServiceFactory])
def test_drafts_and_archived_services_are_not_found(client: Client, factory) -> None:  # type: ignore[no-untyped-def]
    factory(slug="hidden")

    assert client.get("/services/hidden/").status_code == 404
    assert client.get("/services/hidden/report-a-problem/").status_code == 404


def test_a_temporarily_closed_service_says_so(client: Client) -> None:
    TemporarilyClosedServiceFactory(slug="closed")

    html = client.get("/services/closed/").content.decode()

    assert "This service is temporarily closed" in html


def test_a_confidential_location_is_stored_with_rounded_coordinates(refuge) -> None:  # type: ignore[no-untyped-def]
    location = Location.objects.get(confidential=True)

    assert (location.latitude, location.longitude) == (52.62, -1.18)


def test_a_confidential_location_shows_only_its_district_on_the_service_page(
    client: Client, refuge
) -> None:  # type: ignore[no-untyped-def]
    html = client.get("/services/safe-refuge/").content.decode()

    assert "LE3 area" in html
    assert "address is not shown" in html
    assert_nothing_exact(html)


def test_a_confidential_location_shows_only_its_district_in_search_results(
    client: Client, refuge, le1
) -> None:  # type: ignore[no-untyped-def]
    html = client.get("/services/", {"q": "refuge", "postcode": "LE1"}).content.decode()

    assert "Safe refuge" in html
    assert "LE3 area (address not shown, for safety)" in html
    assert_nothing_exact(html)


def test_a_confidential_location_is_masked_in_the_json_api(client: Client, refuge) -> None:  # type: ignore[no-untyped-def]
    listing = client.get("/api/v1/services")
    one = client.get(f"/api/v1/services/{refuge.pk}")

    for response in (listing, one):
        assert response.status_code == 200
        assert_nothing_exact(response.content.decode())
    (sal,) = one.json()["service_at_locations"]
    assert sal["location"]["latitude"] == 52.62
    assert sal["location"]["longitude"] == -1.18
    assert sal["location"]["physical_addresses"][0]["postal_code"] == "LE3"
    assert sal["location"]["physical_addresses"][0]["address_1"] == ""


def test_the_api_pages_like_open_referral_uk_and_lists_only_public_services(
    client: Client,
) -> None:
    for i in range(3):
        PublishedServiceFactory(name=f"Service {i}")
    DraftServiceFactory(name="Draft")

    body = client.get("/api/v1/services", {"per_page": "2", "page": "2"}).json()

    assert {k: body[k] for k in ("total_items", "total_pages", "page_number", "size")} == {
        "total_items": 3,
        "total_pages": 2,
        "page_number": 2,
        "size": 1,
    }
    assert body["last_page"] is True
    assert [s["name"] for s in body["contents"]] == ["Service 2"]


@pytest.mark.parametrize(
    ("path", "status", "reason"),
    [
        ("/api/v1/services?page=abc", 400, "page must be a whole number, 1 or more."),
        ("/api/v1/services?per_page=-5", 400, "per_page must be a whole number, 1 or more."),
        ("/api/v1/services/x", 404, None),
    ],
)
def test_the_api_answers_bad_input_with_a_reason(
    client: Client, path: str, status: int, reason: str | None
) -> None:
    response = client.get(path)
    assert response.status_code == status
    assert response.json()["detail"]
    if reason:
        assert response.json()["detail"] == reason


def test_a_service_page_takes_a_bounded_number_of_queries(
    client: Client, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    service = PublishedServiceFactory(slug="busy", at=north_of_centre(1))
    for _ in range(5):
        service.locations.add(LocationFactory(organisation=service.organisation))
        service.schedules.create(weekday=1, opens_at="09:00", closes_at="10:00")
        service.contacts.create(title="Office", phone="0116 000 0000")

    with django_assert_max_num_queries(5):
        assert client.get("/services/busy/").status_code == 200
    assert re.search(r"Report a problem", client.get("/services/busy/").content.decode())


def test_contacts_that_only_repeat_the_service_phone_are_not_listed(client: Client) -> None:
    from directory.models import Contact

    service = PublishedServiceFactory(phone="0116 496 0200")
    Contact.objects.create(service=service, title="Enquiries", phone="0116 496 0200")
    Contact.objects.create(service=service, name="Sam Patel", title="Family worker")

    html = client.get(service.get_absolute_url()).content.decode()

    assert "Enquiries" not in html
    assert "Sam Patel (Family worker)" in html
