"""Every document the API serves validates against the HSDS 3.0 JSON schemas it claims.

The schemas are Open Referral's own (tests/directory/hsds/, with their licence and where they
came from). The walk starts at /api/v1/, follows every endpoint it lists through every page,
and opens every record listed; each answer is validated against the schema HSDS gives for
that path. A route added to directory/api_urls.py without a schema here fails the first test.
"""

import datetime as dt
import io
import json
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import resolve
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from directory import api_urls, demo
from directory.models import Contact, Schedule, Service
from tests.directory.factories import (
    CategoryFactory,
    LocationFactory,
    OrganisationFactory,
    PublishedServiceFactory,
    TemporarilyClosedServiceFactory,
    north_of_centre,
)

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

HSDS = Path(__file__).resolve().parent / "hsds" / "schema"
# Where the schemas live upstream: HSDS's own openapi.json refers to them by these addresses.
BASE = "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/"
OPENAPI = f"{BASE}openapi.json"
PAGE = {"$ref": f"{OPENAPI}#/components/schemas/Page"}
PAGE_KEYS = [
    "total_items",
    "total_pages",
    "page_number",
    "size",
    "first_page",
    "last_page",
    "empty",
    "contents",
]


def page_of(item: str) -> dict[str, Any]:
    """An ORUK page whose `contents` are records of the schema `item`, as HSDS's openapi.json
    describes each list response (plus: every Page field present)."""
    return {
        "allOf": [PAGE],
        "required": PAGE_KEYS,
        "properties": {"contents": {"type": "array", "items": {"$ref": f"{BASE}{item}"}}},
    }


# Route name (directory/api_urls.py) → the schema of what it serves, from HSDS's openapi.json.
# One exception: HSDS 3.0's openapi.json gives /service_at_locations/{id} the *service* schema
# although it describes "fully nested service_at_location"; we validate it as the
# service_at_location it is (compiled/service_at_location.json).
SCHEMAS: dict[str, dict[str, Any]] = {
    "root": {"$ref": f"{OPENAPI}#/paths/~1/get/responses/200/content/application~1json/schema"},
    "services": page_of("compiled/service_list.json"),
    "service": {"$ref": f"{BASE}compiled/service.json"},
    "service-at-locations": page_of("compiled/service_at_location_list.json"),
    "service-at-location": {"$ref": f"{BASE}compiled/service_at_location.json"},
    "organizations": page_of("compiled/organization_list.json"),
    "organization": {"$ref": f"{BASE}compiled/organization.json"},
    "taxonomies": page_of("taxonomy.json"),
    "taxonomy": {"$ref": f"{BASE}taxonomy.json"},
    "taxonomy-terms": page_of("taxonomy_term.json"),
    "taxonomy-term": {"$ref": f"{BASE}taxonomy_term.json"},
}
NOT_HSDS = {"openapi", "not-found"}  # the OpenAPI document itself; the JSON 404 for the rest
# HSDS declares `format: uuid` on ids. JSON Schema treats formats as annotations unless asked;
# we ask for every format we can check (email, date…) except uuid: our ids are whole numbers
# and slugs, kept from before HSDS 3.0 because clients store them (docs/api.md).
FORMATS = FormatChecker(formats=[name for name in FormatChecker.checkers if name != "uuid"])


@cache
def registry() -> Registry:
    resources = [
        (
            f"{BASE}{path.relative_to(HSDS).as_posix()}",
            Resource.from_contents(
                json.loads(path.read_text(encoding="utf-8")), default_specification=DRAFT202012
            ),
        )
        for path in HSDS.rglob("*.json")
    ]
    return Registry().with_resources(resources)


@cache
def validator(route: str) -> Draft202012Validator:
    return Draft202012Validator(SCHEMAS[route], registry=registry(), format_checker=FORMATS)


def problems(route: str, document: Any) -> list[str]:
    return [
        f"{'/'.join(map(str, error.absolute_path)) or '(top)'}: {error.message}"
        for error in validator(route).iter_errors(document)
    ]


def route_of(url: str) -> str:
    name = resolve(urlsplit(url).path).url_name
    assert name is not None
    return name


def get(client: Client, url: str, **params: str) -> Any:
    response = client.get(url, params)
    assert response.status_code == 200, (url, params, response.content[:300])
    return response.json()


def walk(client: Client, per_page: int) -> Iterator[tuple[str, str, Any]]:
    """(route, url, document) for the root, every page of every list and every record."""
    root = get(client, "/api/v1/")
    yield "root", "/api/v1/", root
    lists = [(e["link"], {}) for e in root["endpoints"]] + [
        # Filtered lists take other code paths (a distance is annotated, terms are joined).
        ("/api/v1/service_at_locations", {"postcode": "LE1", "proximity": "20000"}),
        ("/api/v1/services", {"taxonomy_term_id": "mediation"}),
        ("/api/v1/taxonomy_terms", {"top_only": "true"}),
    ]
    opened: set[str] = set()
    for link, params in lists:
        number, last = 1, False
        while not last:
            body = get(client, link, **params, page=str(number), per_page=str(per_page))
            yield route_of(link), f"{link}?page={number}", body
            for record in body["contents"]:
                url = f"{urlsplit(link).path}/{record['id']}"
                if url not in opened:
                    opened.add(url)
                    yield route_of(url), url, get(client, url)
            number, last = number + 1, body["last_page"]


@pytest.fixture
def directory() -> None:
    """The demo directory, and the rarer shapes it may not have."""
    demo.seed(io.StringIO())
    parent = CategoryFactory(slug="money", name="Money", description="")
    child = CategoryFactory(slug="child-maintenance", name="Child maintenance", parent=parent)
    closed = TemporarilyClosedServiceFactory(
        name="Closed for now",
        categories=[child],
        at=north_of_centre(2),
        phone="0116 222 2222",
        email="hello@example.org",
        website="https://example.org/closed",
        min_age=3,
        max_age=16,
        is_free=True,
        last_verified_at=dt.datetime(2026, 1, 5, 23, 30, tzinfo=dt.UTC),
    )
    Contact.objects.create(
        service=closed, name="Sam Jones", title="Manager", email="sam@example.org"
    )
    Contact.objects.create(service=closed, phone="0116 333 3333")
    Schedule.objects.create(
        service=closed, weekday=Schedule.Weekday.SATURDAY, opens_at="10:00", closes_at="12:30"
    )
    bare = PublishedServiceFactory(
        name="Bare listing", description="", organisation=OrganisationFactory(description="")
    )
    bare.locations.add(
        LocationFactory(
            organisation=bare.organisation,
            confidential=True,
            accessibility_notes="Ring the bell",
            postcode="LE3 9QX",
        )
    )
    Service.objects.filter(pk=bare.pk).update(area_covered=Service.AreaCovered.NATIONAL)


def test_every_route_of_the_api_has_the_hsds_schema_of_what_it_serves() -> None:
    routes = {pattern.name for pattern in api_urls.urlpatterns}

    assert routes - NOT_HSDS == set(SCHEMAS)


def test_the_schemas_are_hsds_3_0_and_catch_what_was_wrong_before() -> None:
    # What the API served before it followed HSDS 3.0 (issue 7, item 8), each refused.
    term_with_null_parent = {"id": "money", "name": "Money", "description": "", "parent_id": None}
    location_without_type = {"id": "1", "name": "Hall"}
    organisation_without_description = {"id": "1", "name": "Relate"}
    phone_without_id = {"id": "1", "name": "Relate", "description": "", "phones": [{"number": "1"}]}

    assert problems("taxonomy-term", term_with_null_parent) == [
        "parent_id: None is not of type 'string'"
    ]
    assert problems("service-at-location", {"id": "1", "location": location_without_type}) == [
        "location: 'location_type' is a required property"
    ]
    assert problems("organization", organisation_without_description) == [
        "(top): 'description' is a required property"
    ]
    assert problems("organization", phone_without_id) == ["phones/0: 'id' is a required property"]
    assert problems("service", {"id": "1", "name": "A", "status": "active", "email": "no"}) == [
        "email: 'no' is not a 'email'"
    ]


def test_every_document_the_api_serves_validates_against_hsds_3_0(
    client: Client, directory: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    from directory.api.views import PublicApiThrottle

    monkeypatch.setattr(PublicApiThrottle, "rate", "100000/minute")  # the walk is many requests

    invalid: list[str] = []
    seen: dict[str, int] = {}
    for route, url, document in walk(client, per_page=7):
        seen[route] = seen.get(route, 0) + 1
        invalid += [f"{url} {problem}" for problem in problems(route, document)]

    assert invalid == []
    assert set(seen) == set(SCHEMAS), "the walk reached every route"
    assert sum(seen.values()) > 100, seen
