"""Hostile values for every parameter of every API endpoint: never a 500, always JSON with CORS.

The endpoints come from the URL configuration (directory/api_urls.py) and each endpoint's
query parameters from the OpenAPI document the API serves, so a new endpoint or filter is
covered without touching this file. Values: arbitrary Unicode, control characters, digits of
other scripts, huge numbers and bytes that are not UTF-8, in the path id and the query.
"""

from urllib.parse import quote_from_bytes

import pytest
from django.test import Client
from django.urls import URLPattern, reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from directory import api_urls
from directory.api.views import PublicApiThrottle
from tests.directory.factories import CategoryFactory, PublishedServiceFactory, north_of_centre
from tests.directory.test_api_errors import assert_json_error_or_success

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

PLACEHOLDER = "PK"
# ORUK parameters we do not implement, DRF's and drf-spectacular's own, and nonsense: each
# must be ignored or refused, never crash.
EXTRA_PARAMETERS = ["search", "format", "modified_after", "full", "lang", "version", "x"]
# The values that answered 500 before (issue 8, item 2), and their relatives.
NASTY = [
    "²",
    "1²",
    "\u0661\u0662",
    "\x00",
    "1\x00",
    "%00",
    "-1",
    "0",
    "1e400",
    "nan",
    "9" * 30,
    "",
    " ",
    "true\x00",
    "LE1",
    "alliance",
    "money",
    "\ud800",
]


@pytest.fixture(autouse=True)
def _plenty_of_requests(monkeypatch: pytest.MonkeyPatch) -> None:
    # Hundreds of requests a test; the throttle has its own tests.
    monkeypatch.setattr(PublicApiThrottle, "rate", "1000000/minute")


@pytest.fixture
def directory(le1) -> None:  # type: ignore[no-untyped-def]
    money = CategoryFactory(slug="money")
    for i in range(3):
        PublishedServiceFactory(categories=[money], at=north_of_centre(i))


def routes() -> list[URLPattern]:
    return [p for p in api_urls.urlpatterns if isinstance(p, URLPattern) and p.name != "not-found"]


def template(pattern: URLPattern) -> str:
    """The route's path with its id as the placeholder: /api/v1/services/PK."""
    kwargs = {"pk": PLACEHOLDER} if "pk" in pattern.pattern.converters else {}
    return reverse(f"api:{pattern.name}", kwargs=kwargs)


def query_parameters(client: Client) -> dict[str, list[str]]:
    """Each route's query parameters, as the OpenAPI document declares them."""
    document = client.get("/api/v1/openapi.json").json()
    found: dict[str, list[str]] = {}
    for pattern in routes():
        path = template(pattern).replace(PLACEHOLDER, "{id}")
        operation = document["paths"].get(path, {}).get("get", {})
        found[str(pattern.name)] = [
            p["name"] for p in operation.get("parameters", []) if p["in"] == "query"
        ]
    return found


def encoded(value: str | bytes) -> str:
    """Percent-encoded as a client would send it; bytes may be invalid UTF-8 on purpose."""
    raw = value if isinstance(value, bytes) else value.encode("utf-8", "surrogatepass")
    return quote_from_bytes(raw, safe="")


values = st.one_of(
    st.sampled_from(NASTY),
    st.text(max_size=40),
    st.text(st.characters(categories=["Cc", "Nd", "No", "Zs", "Cf"]), max_size=12),
    st.integers(min_value=-(10**40), max_value=10**40).map(str),
    st.binary(max_size=12),
)


def test_the_fuzzing_knows_every_route_and_its_parameters(client: Client) -> None:
    found = query_parameters(client)

    assert set(found) == {str(p.name) for p in routes()}
    assert {"page", "per_page", "postcode", "proximity", "organization_id"} <= set(
        found["service-at-locations"]
    )
    assert set(found["taxonomy-terms"]) >= {"taxonomy_id", "parent_id", "top_only"}


@pytest.mark.parametrize("route", [str(p.name) for p in routes()])
def test_no_parameter_value_makes_any_endpoint_answer_500_or_html(
    client: Client, directory: None, route: str
) -> None:
    pattern = next(p for p in routes() if p.name == route)
    path = template(pattern)
    names = query_parameters(client)[route] + EXTRA_PARAMETERS

    @settings(
        max_examples=30,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(
        pk=st.one_of(st.sampled_from(["1", "money", "alliance", *NASTY[:12]]), values),
        params=st.dictionaries(st.sampled_from(names), values, max_size=4),
    )
    def fuzz(pk: str | bytes, params: dict[str, str | bytes]) -> None:
        url = path.replace(PLACEHOLDER, encoded(pk) or "1")
        query = "&".join(f"{name}={encoded(value)}" for name, value in params.items())
        response = client.get(f"{url}?{query}" if query else url)
        assert_json_error_or_success(response, f"{url}?{query}")

    fuzz()
