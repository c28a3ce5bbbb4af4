"""Redis down means a clear page, not a crash (issue 8 item 8), against a real Redis we stop.

The Redis that holds sessions and the cache is started for the test, stopped mid-journey and
started again on the same port: pages that need the session answer 503 with the exit control,
999 and the helplines; the API answers JSON 503 with CORS; everything recovers by itself.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.cache import caches
from django.test import Client

from tests.referrals.test_get_help_views import COOPERATIVE_ANSWERS
from tests.support.redis_server import RestartableRedis, cache_on_restartable_redis

pytestmark = pytest.mark.django_db


@pytest.fixture
def store(tmp_path: Path) -> Iterator[RestartableRedis]:
    with cache_on_restartable_redis(tmp_path) as server:
        yield server


def test_with_the_store_down_the_get_help_check_answers_503_with_help_and_then_recovers(
    store: RestartableRedis,
) -> None:
    parent = Client(raise_request_exception=False)
    assert parent.post("/get-help/danger/", {"answer": "no"}).status_code == 302

    store.stop()
    down = parent.post("/get-help/safety/", {"answer": ["none"]})
    results = parent.get("/get-help/your-results/")
    save = parent.post("/services/my-list/add/", {"service": "1", "next": "/services/"})

    for response in (down, results, save):
        html = response.content.decode()
        assert response.status_code == 503, (
            response.request["PATH_INFO"],
            response.get("Location"),
        )
        assert response["Retry-After"] == "60"
        assert 'href="/exit/"' in html
        assert "call 999" in html
        assert "0808 2000 247" in html
        assert "Try again in a few minutes" in html
        assert "Traceback" not in html

    store.start()
    caches["default"].close()
    again = Client()
    for slug, data in COOPERATIVE_ANSWERS.items():
        assert again.post(f"/get-help/{slug}/", data).status_code == 302, slug
    assert again.get("/get-help/your-results/").status_code == 200


def test_with_the_store_down_pages_that_only_read_still_answer(store: RestartableRedis) -> None:
    store.stop()
    visitor = Client(raise_request_exception=False)

    for path in ("/", "/services/", "/get-help/", "/privacy/"):
        assert visitor.get(path).status_code == 200, path


def test_with_the_store_down_the_api_answers_json_503_with_cors(store: RestartableRedis) -> None:
    store.stop()
    client = Client(raise_request_exception=False)

    response = client.get("/api/v1/services")

    assert response.status_code == 503
    assert response["Content-Type"].startswith("application/json")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "detail" in response.json()


def test_with_the_store_down_exit_still_leaves_and_drops_the_session_cookie(
    store: RestartableRedis, settings
) -> None:  # type: ignore[no-untyped-def]
    parent = Client(raise_request_exception=False)
    assert parent.post("/get-help/danger/", {"answer": "no"}).status_code == 302
    store.stop()

    response = parent.get("/exit/")

    assert response.status_code == 302
    assert response["Location"] == settings.EXIT_URL
    assert response.cookies["sessionid"]["max-age"] == 0
