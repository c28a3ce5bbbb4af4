"""The API's throttle counts per client address, the one our own proxies recorded (PROXY_COUNT).

DRF's throttle, with NUM_PROXIES unset, keys on the whole X-Forwarded-For header: a client
that sends a different one on every request is never throttled (issue 8, item 3).
"""

import pytest
from django.test import Client

from directory.api.views import PublicApiThrottle

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _two_a_minute(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(PublicApiThrottle, "rate", "2/minute")


def statuses(client: Client, forwarded_for: list[str], address: str = "203.0.113.9") -> list[int]:
    return [
        client.get(
            "/api/v1/taxonomies", HTTP_X_FORWARDED_FOR=header, REMOTE_ADDR=address
        ).status_code
        for header in forwarded_for
    ]


def test_the_api_takes_the_client_address_from_the_portals_proxy_setting(settings) -> None:  # type: ignore[no-untyped-def]
    assert settings.REST_FRAMEWORK["NUM_PROXIES"] == settings.PROXY_COUNT == 0


def test_a_forged_x_forwarded_for_on_each_request_is_still_throttled(client: Client) -> None:
    forged = ["198.51.100.1", "198.51.100.2, 10.0.0.1", "198.51.100.3"]

    assert statuses(client, forged) == [200, 200, 429]


def test_behind_one_proxy_the_address_it_recorded_is_the_client(client: Client, settings) -> None:  # type: ignore[no-untyped-def]
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    # The client forges the start of the header; our proxy appends the address it saw.
    one_client = [f"198.51.100.{i}, 192.0.2.7" for i in range(3)]
    another_client = ["198.51.100.9, 192.0.2.8"]

    assert statuses(client, one_client, address="10.0.0.2") == [200, 200, 429]
    assert statuses(client, another_client, address="10.0.0.2") == [200]
