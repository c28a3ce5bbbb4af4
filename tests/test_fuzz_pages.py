"""Hostile input to every page and form found in the URL configuration: never a 500.

Issue 8 item 2: Unicode digits, NUL bytes, numbers past a bigint, 33 dashes in the search
words and oversized text each answered 500 somewhere. The fix is one strict parser
(alliance/params.py) and a bounded search-words builder; these tests hold the class shut. The
pages are collected from the URL configuration, so a new page is fuzzed without anyone adding
it here. The API has its own suite (tests/directory/test_api_fuzz.py).
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterator

import pytest
from django.db import connection
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from alliance.models import AuditEvent, OutboundMessage
from directory.selectors import websearch_words
from tests.directory.factories import PublishedServiceFactory

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

SKIPPED_PREFIXES = ("admin/", "api/", "__debug__/")
# Parameter names the pages read, and some they do not.
PARAMETERS = [
    "q", "postcode", "radius", "category", "age", "free", "mode", "language", "page",
    "next", "change", "answer", "service", "token", "email", "x",
]  # fmt: skip
HOSTILE = st.one_of(
    st.text(max_size=60),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=300),
    st.sampled_from(
        [
            "²",
            "\u0661\u0662",
            "\u0665",
            "1²",
            "0x10",
            "1e9",
            "nan",
            "inf",
            "-0",
            " 5",
            "1_000",
            "%00",
            "\x00",
            "9" * 30,
            "-" * 40 + "mediation",
            "-(" * 40 + "a",
            "-!" * 40,
            '"' * 33,
            "a" * 5000,
            "<script>alert(1)</script>",
            "' OR 1=1 --",
            "\ud800",
        ]
    ),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.lists(st.sampled_from("-!()\"':&|<>* "), max_size=80).map("".join),
)
SLUG = st.text(alphabet=string.ascii_letters + string.digits + "-_", min_size=1, max_size=80)
FUZZ = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _patterns(resolver: URLResolver, prefix: str = "") -> Iterator[str]:
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _patterns(entry, route)
        elif isinstance(entry, URLPattern) and not route.startswith(SKIPPED_PREFIXES):
            yield route


PAGES = sorted(set(_patterns(get_resolver())))


def _path(route: str, slug: str) -> str:
    return "/" + re.sub(r"<(?:slug|str):\w+>", slug, route)


def _clean_text(value: str) -> str:
    # The test client builds a real URL-encoded request; a lone surrogate cannot be encoded
    # by any browser either, so it is sent as the replacement a browser would send.
    return value.encode("utf-8", "replace").decode("utf-8")


def test_the_url_configuration_yields_the_public_pages() -> None:
    assert {"services/", "get-help/<slug:slug>/", "exit/", "services/<slug:slug>/"} <= set(PAGES)


@pytest.mark.parametrize("route", PAGES)
@FUZZ
@given(
    slug=SLUG,
    params=st.dictionaries(st.sampled_from(PARAMETERS), HOSTILE, max_size=5),
    repeat=st.lists(st.sampled_from(["category", "mode"]), max_size=3),
)
def test_no_page_answers_500_to_any_query_string(
    route: str, slug: str, params: dict[str, str], repeat: list[str]
) -> None:
    client = Client(raise_request_exception=False)
    query: dict[str, str | list[str]] = {k: _clean_text(v) for k, v in params.items()}
    for name in repeat:
        query[name] = [str(query.get(name, "")), "mediation", "²"]

    response = client.get(_path(route, slug), query)

    # /healthz says 503 when no worker has checked in: that is its answer, not an error.
    allowed = {503} if route == "healthz" else set()
    assert response.status_code < 500 or response.status_code in allowed, (
        route,
        query,
        response.content[:300],
    )


@FUZZ
@given(answer=st.lists(HOSTILE, max_size=4), step=st.sampled_from(
    ["danger", "safety", "own-behaviour", "needs", "ages", "postcode", "modes"]
))  # fmt: skip
def test_no_get_help_step_answers_500_or_keeps_a_rejected_answer(
    step: str, answer: list[str]
) -> None:
    client = Client(raise_request_exception=False)
    response = client.post(f"/get-help/{step}/", {"answer": [_clean_text(a) for a in answer]})

    assert response.status_code < 500
    if response.status_code == 200:  # the form again, with its errors
        assert "govuk-error-summary" in response.content.decode()
        assert step not in client.session.get("get_help", {})


@FUZZ
@given(service=HOSTILE, email=HOSTILE, token=HOSTILE, next_url=HOSTILE)
def test_my_list_forms_never_answer_500_and_store_nothing_from_rejected_input(
    service: str, email: str, token: str, next_url: str
) -> None:
    client = Client(raise_request_exception=False)
    messages_before = OutboundMessage.objects.count()
    audit_before = AuditEvent.objects.count()

    responses = [
        client.post(
            "/services/my-list/add/",
            {"service": _clean_text(service), "next": _clean_text(next_url)},
        ),
        client.post("/services/my-list/remove/", {"service": _clean_text(service)}),
        client.post(
            "/services/my-list/email/",
            {"email": _clean_text(email), "token": _clean_text(token)},
        ),
    ]

    assert all(r.status_code < 500 for r in responses), [r.status_code for r in responses]
    # The list is empty, so no email can be queued whatever the address.
    assert OutboundMessage.objects.count() == messages_before
    assert AuditEvent.objects.count() == audit_before


@settings(max_examples=200, deadline=None)
@given(words=HOSTILE)
def test_any_search_words_make_a_query_postgresql_can_parse(words: str) -> None:
    text = _clean_text(words).replace("\x00", "")
    with connection.cursor() as cursor:
        cursor.execute("SELECT websearch_to_tsquery('english', %s)", [websearch_words(text)])
        cursor.fetchone()


def test_33_dashes_a_page_past_a_bigint_and_unicode_digits_get_a_page_not_an_error(
    client: Client,
) -> None:
    PublishedServiceFactory(name="Family mediation")
    for query in (
        {"q": "-" * 33 + "mediation"},
        {"q": "mediation", "page": "9" * 25},
        {"q": "mediation", "page": "²"},
        {"age": "\u0661\u0662"},
        {"radius": "1e400", "postcode": "LE1"},
        {"q": "media\x00tion"},
    ):
        response = client.get("/services/", query)
        assert response.status_code == 200, query
