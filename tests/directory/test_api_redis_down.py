"""With the Redis that holds the cache down, the API answers JSON 503, then recovers by itself.

The throttle counts requests in the cache, so every API request reads it first (issue 8,
item 8). A real redis-server is started for the test on a spare port, stopped, and started
again on the same port; nothing in the portal is reset by hand in between.
"""

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.test import Client

from tests.directory.factories import PublishedServiceFactory
from tests.support.redis_server import RestartableRedis, cache_on_restartable_redis

pytestmark = pytest.mark.django_db


@pytest.fixture
def cache_redis(tmp_path: Path) -> Iterator[RestartableRedis]:
    with cache_on_restartable_redis(tmp_path) as server:
        yield server


def test_with_the_cache_redis_down_the_api_answers_json_503_and_then_recovers(
    cache_redis: RestartableRedis, caplog: pytest.LogCaptureFixture
) -> None:
    service = PublishedServiceFactory()
    paths = [
        "/api/v1/",
        "/api/v1/services",
        f"/api/v1/services/{service.pk}",
        "/api/v1/taxonomy_terms?top_only=true",
        "/api/v1/openapi.json",
        "/api/v1/no-such-thing",
    ]
    client = Client()
    assert client.get("/api/v1/services").status_code == 200

    cache_redis.stop()
    with caplog.at_level(logging.WARNING, logger="directory.api.errors"):
        down = {path: client.get(path) for path in paths}

    for path, response in down.items():
        assert response.status_code == 503, path
        assert response["Content-Type"] == "application/json", path
        assert response["Access-Control-Allow-Origin"] == "*", path
        assert response["Retry-After"] == "60", path
        assert response.json() == {
            "detail": "The service is briefly unavailable. Please try again in a minute."
        }
    assert "API answered 503: the cache is unavailable (ConnectionError)" in caplog.messages

    cache_redis.start()
    assert [client.get(path).status_code for path in paths] == [200, 200, 200, 200, 200, 404]
