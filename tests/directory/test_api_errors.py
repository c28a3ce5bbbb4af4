"""Every API answer that is not a success is JSON with a reason and the CORS header; none is 500.

The hypothesis fuzz over every endpoint and parameter is in test_api_fuzz.py.
"""

import json
import logging
from typing import Any

import pytest
from django.test import Client

from directory import selectors
from directory.api.views import OpenApiView

pytestmark = pytest.mark.django_db


def assert_json_error_or_success(response: Any, where: str) -> Any:
    assert response.status_code < 500, (where, response.status_code, response.content[:300])
    assert response["Access-Control-Allow-Origin"] == "*", where
    assert "json" in response["Content-Type"], (where, response["Content-Type"])
    body = json.loads(response.content)
    if response.status_code >= 400:
        assert isinstance(body["detail"], str), (where, body)
        assert body["detail"], where
    return body


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/services/1%C2%B2",  # 1²
        "/api/v1/services/%00",
        "/api/v1/services/%FF%FE",
        "/api/v1/services/99999999999999999999999999",
        "/api/v1/services/-1",
        "/api/v1/services/0",
        "/api/v1/service_at_locations/%D9%A1",  # Arabic-Indic one
        "/api/v1/organizations/1%00",
        "/api/v1/taxonomy_terms/%00",
        "/api/v1/taxonomy_terms/" + "a" * 500,
        "/api/v1/taxonomies/%00",
        "/api/v1/services/1/more",
        "/api/v1/nothing",
        "/api/",
        "/api/v2/services",
        "/api/anything/at/all",
    ],
)
def test_a_bad_or_unknown_path_under_api_is_a_json_404(client: Client, path: str) -> None:
    response = client.get(path)

    assert response.status_code == 404
    assert_json_error_or_success(response, path)


@pytest.mark.parametrize(
    ("query", "reason"),
    [
        ("page=%C2%B2", "page must be a whole number, 1 or more."),
        ("per_page=%D9%A1%D9%A2", "per_page must be a whole number, 1 or more."),
        ("page=99999999999", "page must be a whole number from 1 to 999999999."),
        ("organization_id=1%C2%B2", "organization_id must be a whole number, the id of a record."),
        ("taxonomy_term_id=%00", "taxonomy_term_id must not contain control characters."),
        ("taxonomy_id=a%00b", "taxonomy_id must not contain control characters."),
        ("postcode=LE1%00", "postcode must not contain control characters."),
        ("postcode=LE1&proximity=%D9%A3", "proximity must be a distance in metres"),
        ("taxonomy_term_id=" + "a" * 81, "taxonomy_term_id must be at most 80 characters long."),
    ],
)
def test_each_bad_parameter_value_is_a_400_naming_it(
    client: Client, le1, query: str, reason: str
) -> None:  # type: ignore[no-untyped-def]
    response = client.get(f"/api/v1/service_at_locations?{query}")

    assert response.status_code == 400
    assert assert_json_error_or_success(response, query)["detail"].startswith(reason)


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_only_reading_is_allowed_and_the_refusal_is_json(client: Client, method: str) -> None:
    response = getattr(client, method)("/api/v1/services/1")

    assert response.status_code == 405
    assert assert_json_error_or_success(response, method)["detail"].startswith("Method")


def test_a_fault_of_ours_is_a_json_500_that_keeps_the_details_in_the_log(
    client: Client, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken() -> None:
        raise RuntimeError("the secret internals")

    monkeypatch.setattr(selectors, "api_services", broken)

    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = client.get("/api/v1/services")

    assert response.status_code == 500
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response.json() == {
        "detail": "Something went wrong on our side. Please try again later."
    }
    (record,) = [r for r in caplog.records if r.name == "django.request"]
    assert record.getMessage().startswith("Internal Server Error: ")
    assert record.exc_info is not None
    assert "the secret internals" in str(record.exc_info[1])


def test_the_openapi_document_is_built_once_whatever_the_first_request_asks(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(OpenApiView, "document", None)

    first = client.get("/api/v1/openapi.json", {"version": "<b>evil</b>", "lang": "\x00"})
    second = client.get("/api/v1/openapi.json")

    assert first.status_code == second.status_code == 200
    assert first.json() == second.json()
    assert first.json()["info"]["version"] == "1"
