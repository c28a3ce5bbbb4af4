"""The Open Referral UK API under /api/v1/: shapes, privacy, errors and query counts."""

import pytest
from django.test import Client

from directory.api.views import PublicApiThrottle
from directory.models import Service
from tests.directory.factories import (
    ArchivedServiceFactory,
    CategoryFactory,
    DraftServiceFactory,
    LocationFactory,
    OrganisationFactory,
    PublishedServiceFactory,
    TemporarilyClosedServiceFactory,
    north_of_centre,
)

pytestmark = pytest.mark.django_db

PAGE_KEYS = {
    "total_items",
    "total_pages",
    "page_number",
    "size",
    "first_page",
    "last_page",
    "empty",
    "contents",
}
LISTS = [
    "/api/v1/services",
    "/api/v1/service_at_locations",
    "/api/v1/organizations",
    "/api/v1/taxonomies",
    "/api/v1/taxonomy_terms",
]
REFUGE_STREET = "17 Hidden Lane"
REFUGE_POSTCODE = "LE3 9QX"
REFUGE_POINT = (52.623456, -1.176543)
SECRETS = (REFUGE_STREET, REFUGE_POSTCODE, "9QX", "Hidden Lane", "52.6234", "-1.1765", "door")


@pytest.fixture
def refuge() -> Service:
    service = PublishedServiceFactory(name="Safe refuge", slug="safe-refuge")
    service.locations.add(
        LocationFactory(
            organisation=service.organisation,
            name="Refuge house on Hidden Lane",
            address_1=REFUGE_STREET,
            postcode=REFUGE_POSTCODE,
            latitude=REFUGE_POINT[0],
            longitude=REFUGE_POINT[1],
            confidential=True,
            accessibility_notes="Opposite the green door",
        )
    )
    return service


@pytest.fixture
def hidden() -> list[Service]:
    """A draft and an archived service, each with its own organisation and location."""
    return [
        DraftServiceFactory(name="Draft listing", at=north_of_centre(1)),
        ArchivedServiceFactory(name="Archived listing", at=north_of_centre(1)),
    ]


def get_json(client: Client, path: str, **params: str) -> dict:  # type: ignore[type-arg]
    response = client.get(path, params)
    assert response.status_code == 200, response.content
    assert response["Access-Control-Allow-Origin"] == "*"
    return response.json()


def busy_directory(rows: int) -> None:
    parent = CategoryFactory(slug="money")
    child = CategoryFactory(slug="child-maintenance", parent=parent)
    for i in range(rows):
        service = PublishedServiceFactory(
            name=f"Service {i:02}", categories=[parent, child], at=north_of_centre(i % 5)
        )
        service.locations.add(LocationFactory(organisation=service.organisation, confidential=True))


# The root and each endpoint's shape -------------------------------------------------------


def test_the_root_says_which_version_and_links_every_endpoint(client: Client) -> None:
    body = get_json(client, "/api/v1/")

    assert body["version"] == "3.0"
    assert body["profile"].startswith("https://")
    links = {e["name"]: e["link"] for e in body["endpoints"]}
    assert set(links) == {p.removeprefix("/api/v1/") for p in LISTS}
    for name, link in links.items():
        assert link == f"http://testserver/api/v1/{name}"
        assert client.get(link).status_code == 200


@pytest.mark.parametrize("path", LISTS)
def test_every_list_pages_like_open_referral_uk_even_when_empty(client: Client, path: str) -> None:
    body = get_json(client, path)

    assert set(body) == PAGE_KEYS
    assert body["page_number"] == 1
    assert body["first_page"] is body["last_page"] is True


def test_a_service_names_its_organisation_locations_and_taxonomy_terms(client: Client) -> None:
    parent = CategoryFactory(slug="money", name="Money")
    child = CategoryFactory(slug="child-maintenance", name="Child maintenance", parent=parent)
    service = PublishedServiceFactory(
        name="Maintenance advice", categories=[child], at=(52.6, -1.1)
    )
    sal = service.service_at_locations.get()

    body = get_json(client, f"/api/v1/services/{service.pk}")

    assert body["id"] == str(service.pk)
    assert body["organization_id"] == str(service.organisation_id)
    assert body["status"] == "active"
    assert body["service_at_locations"] == [
        {
            "id": str(sal.pk),
            "service_id": str(service.pk),
            "location_id": str(sal.location_id),
            "location": get_json(client, f"/api/v1/service_at_locations/{sal.pk}")["location"],
        }
    ]
    (term,) = body["taxonomy_terms"]
    assert term == get_json(client, "/api/v1/taxonomy_terms/child-maintenance")
    assert term["parent_id"] == "money"
    assert term["taxonomy_id"] == "alliance"


def test_a_service_at_location_nests_its_service_and_the_place(client: Client) -> None:
    service = PublishedServiceFactory(name="Contact centre", at=(52.6, -1.1))
    sal = service.service_at_locations.get()

    listed = get_json(client, "/api/v1/service_at_locations")["contents"]
    one = get_json(client, f"/api/v1/service_at_locations/{sal.pk}")

    assert [row["id"] for row in listed] == [str(sal.pk)]
    assert listed[0]["service"]["name"] == "Contact centre"
    assert listed[0]["location"]["latitude"] == 52.6
    assert one["service_id"] == str(service.pk)
    assert one["location_id"] == str(sal.location_id)
    # The one record nests the whole service, as ORUK's "fully nested" read.
    assert one["service"] == get_json(client, f"/api/v1/services/{service.pk}")


def test_an_organisation_lists_only_its_public_services(client: Client) -> None:
    organisation = OrganisationFactory(name="Relate", phone="0116 111 1111")
    PublishedServiceFactory(organisation=organisation, name="Counselling")
    TemporarilyClosedServiceFactory(organisation=organisation, name="Courses")
    DraftServiceFactory(organisation=organisation, name="Secret plan")

    listed = get_json(client, "/api/v1/organizations")["contents"]
    one = get_json(client, f"/api/v1/organizations/{organisation.pk}")

    assert listed == [one]
    assert one["name"] == "Relate"
    # HSDS 3.0 gives every phone record an id; the organisation's own is made from its id.
    assert one["phones"] == [{"id": f"organization-{organisation.pk}", "number": "0116 111 1111"}]
    assert [(s["name"], s["status"]) for s in one["services"]] == [
        ("Counselling", "active"),
        ("Courses", "temporarily closed"),
    ]


def test_there_is_one_taxonomy_the_alliances(client: Client, settings) -> None:  # type: ignore[no-untyped-def]
    settings.ALLIANCE_NAME = "Anytown Separated Families Alliance"

    body = get_json(client, "/api/v1/taxonomies")

    assert body["total_items"] == 1
    (taxonomy,) = body["contents"]
    assert taxonomy["id"] == "alliance"
    assert taxonomy["name"] == "Anytown Separated Families Alliance categories"
    assert get_json(client, "/api/v1/taxonomies/alliance") == taxonomy


def test_taxonomy_terms_form_a_tree_and_filter_by_parent(client: Client) -> None:
    money = CategoryFactory(slug="money", name="Money", position=1)
    CategoryFactory(slug="safety", name="Safety", position=2)
    CategoryFactory(slug="child-maintenance", name="Child maintenance", parent=money)

    every = get_json(client, "/api/v1/taxonomy_terms")["contents"]
    top = get_json(client, "/api/v1/taxonomy_terms", top_only="true")["contents"]
    children = get_json(client, "/api/v1/taxonomy_terms", parent_id="money")["contents"]
    other = get_json(client, "/api/v1/taxonomy_terms", taxonomy_id="airs")

    # Every install also has the core categories the safety rules need (directory/taxonomy.py).
    ours = {"money", "safety", "child-maintenance"}
    # HSDS has no null strings: a top-level term has no parent_id at all.
    assert [(t["id"], t.get("parent_id")) for t in every if t["id"] in ours] == [
        ("money", None),
        ("child-maintenance", "money"),
        ("safety", None),
    ]
    assert [t["id"] for t in top if t["id"] in ours] == ["money", "safety"]
    assert {t["id"] for t in top} >= {"mediation", "legal-advice"}
    assert [t["id"] for t in children] == ["child-maintenance"]
    assert other["empty"] is True


def test_services_filter_by_organisation_and_by_a_term_with_its_children(client: Client) -> None:
    money = CategoryFactory(slug="money")
    child = CategoryFactory(slug="child-maintenance", parent=money)
    tagged = PublishedServiceFactory(name="Maintenance", categories=[child])
    PublishedServiceFactory(name="Other")

    by_term = get_json(client, "/api/v1/services", taxonomy_term_id="money")["contents"]
    by_org = get_json(client, "/api/v1/services", organization_id=str(tagged.organisation_id))[
        "contents"
    ]

    assert [s["name"] for s in by_term] == ["Maintenance"]
    assert [s["name"] for s in by_org] == ["Maintenance"]


def test_service_at_locations_near_a_postcode_come_nearest_first_within_proximity(
    client: Client, le1
) -> None:  # type: ignore[no-untyped-def]
    PublishedServiceFactory(name="Three miles", at=north_of_centre(3))
    PublishedServiceFactory(name="One mile", at=north_of_centre(1))
    PublishedServiceFactory(name="Twenty miles", at=north_of_centre(20))

    near = get_json(client, "/api/v1/service_at_locations", postcode="le1 6zg")["contents"]
    within = get_json(client, "/api/v1/service_at_locations", postcode="LE1", proximity="8000")[
        "contents"
    ]

    assert [r["service"]["name"] for r in near] == ["One mile", "Three miles", "Twenty miles"]
    assert [r["service"]["name"] for r in within] == ["One mile", "Three miles"]


# Privacy: confidential places and unpublished services ------------------------------------


def test_a_confidential_location_is_masked_in_every_endpoint_that_shows_one(
    client: Client, refuge: Service, le1
) -> None:  # type: ignore[no-untyped-def]
    sal = refuge.service_at_locations.get()
    paths = [
        "/api/v1/services",
        f"/api/v1/services/{refuge.pk}",
        "/api/v1/service_at_locations",
        "/api/v1/service_at_locations?postcode=LE1&proximity=10000",
        f"/api/v1/service_at_locations/{sal.pk}",
        "/api/v1/organizations",
        f"/api/v1/organizations/{refuge.organisation_id}",
    ]

    for path in paths:
        response = client.get(path)
        assert response.status_code == 200
        text = response.content.decode()
        for secret in SECRETS:
            assert secret not in text, (path, secret)
    location = get_json(client, f"/api/v1/service_at_locations/{sal.pk}")["location"]
    assert (location["latitude"], location["longitude"]) == (52.62, -1.18)
    assert location["name"] == "Confidential location"
    assert location["physical_addresses"][0]["postal_code"] == "LE3"
    assert location["physical_addresses"][0]["address_1"] == ""
    assert location["accessibility"] == []


def test_drafts_and_archived_services_never_appear_in_any_list(
    client: Client, hidden: list[Service]
) -> None:
    PublishedServiceFactory(name="Public listing", at=north_of_centre(1))

    for path in LISTS[:3]:
        text = client.get(path).content.decode()
        assert "Public listing" in text
        assert "Draft listing" not in text
        assert "Archived listing" not in text
        assert get_json(client, path)["total_items"] == 1


def test_drafts_and_archived_services_and_what_hangs_off_them_are_not_found(
    client: Client, hidden: list[Service]
) -> None:
    for service in hidden:
        sal = service.service_at_locations.get()
        for path in (
            f"/api/v1/services/{service.pk}",
            f"/api/v1/service_at_locations/{sal.pk}",
            f"/api/v1/organizations/{service.organisation_id}",
        ):
            response = client.get(path)
            assert response.status_code == 404, path
            assert service.name not in response.content.decode()


# Errors: JSON with a reason, never a 500 --------------------------------------------------


@pytest.mark.parametrize(
    ("path", "status", "reason"),
    [
        ("/api/v1/services/x", 404, "whole numbers"),
        ("/api/v1/services/999999", 404, "No published service"),
        ("/api/v1/service_at_locations/1-2", 404, "whole numbers"),
        ("/api/v1/service_at_locations/999999", 404, "No service at location"),
        ("/api/v1/organizations/%20", 404, "whole numbers"),
        ("/api/v1/organizations/999999", 404, "No organization"),
        ("/api/v1/taxonomies/airs", 404, "only taxonomy"),
        ("/api/v1/taxonomy_terms/nothing-here", 404, "No taxonomy term"),
        ("/api/v1/nonsense", 404, "No such endpoint"),
        ("/api/v1/services/", 404, "No such endpoint"),
        ("/api/v1/services?organization_id=abc", 400, "organization_id"),
        ("/api/v1/service_at_locations?organization_id=-1", 400, "organization_id"),
        ("/api/v1/service_at_locations?postcode=NOT+A+POSTCODE", 400, "postcode"),
        ("/api/v1/service_at_locations?postcode=ZZ9", 400, "postcode"),
        ("/api/v1/service_at_locations?proximity=500", 400, "needs a postcode"),
        ("/api/v1/service_at_locations?postcode=LE1&proximity=far", 400, "metres"),
        ("/api/v1/service_at_locations?postcode=LE1&proximity=nan", 400, "metres"),
        ("/api/v1/service_at_locations?postcode=LE1&proximity=-5", 400, "metres"),
        ("/api/v1/service_at_locations?postcode=LE1&proximity=1e400", 400, "metres"),
        ("/api/v1/taxonomy_terms?top_only=maybe", 400, "true or false"),
    ],
)
def test_bad_ids_and_parameters_answer_json_with_a_reason(
    client: Client, le1, path: str, status: int, reason: str
) -> None:  # type: ignore[no-untyped-def]
    response = client.get(path)

    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    assert response["Access-Control-Allow-Origin"] == "*"
    assert reason in response.json()["detail"]


def test_nonsense_paging_is_refused_but_numbers_past_the_end_are_brought_into_range(
    client: Client,
) -> None:
    PublishedServiceFactory()

    refused = client.get("/api/v1/organizations", {"page": "abc"})
    body = get_json(client, "/api/v1/organizations", page="99", per_page="1000")

    assert refused.status_code == 400
    assert refused.json()["detail"] == "page must be a whole number, 1 or more."
    assert (body["page_number"], body["size"]) == (1, 1)


def test_the_api_is_read_only(client: Client) -> None:
    response = client.post("/api/v1/services")

    assert response.status_code == 405
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "detail" in response.json()


def test_too_many_requests_are_refused_with_json_and_a_retry_after(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(PublicApiThrottle, "rate", "2/minute")

    answers = [client.get("/api/v1/taxonomy_terms") for _ in range(3)]

    assert [a.status_code for a in answers] == [200, 200, 429]
    assert answers[2]["Access-Control-Allow-Origin"] == "*"
    assert int(answers[2]["Retry-After"]) > 0
    assert "throttled" in answers[2].json()["detail"]


# Query counts stay flat as the directory grows ------------------------------------------


@pytest.mark.parametrize(
    ("path", "queries"),
    [
        ("/api/v1/services", 6),
        ("/api/v1/services?taxonomy_term_id=money", 7),
        ("/api/v1/service_at_locations", 2),
        ("/api/v1/service_at_locations?taxonomy_term_id=money&taxonomy_id=alliance", 2),
        ("/api/v1/service_at_locations?postcode=LE1&proximity=16000", 3),
        ("/api/v1/organizations", 3),
        ("/api/v1/taxonomy_terms", 2),
        ("/api/v1/taxonomies", 0),
    ],
)
@pytest.mark.parametrize("rows", [2, 20])
def test_a_list_takes_the_same_few_queries_for_2_or_20_rows(
    client: Client, le1, django_assert_max_num_queries, path: str, queries: int, rows: int
) -> None:  # type: ignore[no-untyped-def]
    busy_directory(rows)

    with django_assert_max_num_queries(queries):
        body = client.get(path).json()
    assert body["empty"] is False


@pytest.mark.parametrize("rows", [2, 20])
def test_a_detail_takes_the_same_few_queries_however_many_it_nests(
    client: Client, django_assert_max_num_queries, rows: int
) -> None:  # type: ignore[no-untyped-def]
    organisation = OrganisationFactory()
    service = PublishedServiceFactory(organisation=organisation)
    for i in range(rows):
        service.locations.add(LocationFactory(organisation=organisation))
        service.categories.add(CategoryFactory(slug=f"term-{i}"))
        PublishedServiceFactory(organisation=organisation)
    sal = service.service_at_locations.first()
    assert sal is not None

    for path, queries in (
        (f"/api/v1/services/{service.pk}", 5),
        (f"/api/v1/service_at_locations/{sal.pk}", 6),
        (f"/api/v1/organizations/{organisation.pk}", 2),
        ("/api/v1/taxonomy_terms/term-1", 1),
    ):
        with django_assert_max_num_queries(queries):
            assert client.get(path).status_code == 200


# The OpenAPI document ----------------------------------------------------------------------


def test_the_openapi_document_describes_every_endpoint_and_its_parameters(client: Client) -> None:
    root = get_json(client, "/api/v1/")
    document = get_json(client, "/api/v1/openapi.json")

    assert root["openapi_url"] == "http://testserver/api/v1/openapi.json"
    assert document["openapi"].startswith("3.")
    assert set(document["paths"]) == {"/api/v1/"} | {
        f"{path}{detail}" for path in LISTS for detail in ("", "/{id}")
    }
    near = document["paths"]["/api/v1/service_at_locations"]["get"]["parameters"]
    assert {p["name"]: p["schema"]["type"] for p in near} == {
        "page": "integer",
        "per_page": "integer",
        "organization_id": "string",
        "taxonomy_id": "string",
        "taxonomy_term_id": "string",
        "postcode": "string",
        "proximity": "number",
    }
    page = document["components"]["schemas"]["PaginatedServiceList"]
    assert set(page["required"]) == PAGE_KEYS
