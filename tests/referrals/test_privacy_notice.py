"""The privacy notice says how long each kind of data is kept, from the settings that decide it."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_the_privacy_notice_gives_the_retention_period_from_the_setting(
    client: Client, settings
) -> None:  # type: ignore[no-untyped-def]
    settings.RETENTION_MONTHS = 18
    html = client.get("/privacy/").content.decode()
    assert "data-retention-table" in html
    assert "then 18 months after it closes" in html


def test_the_default_retention_is_twelve_months(client: Client) -> None:
    html = client.get("/privacy/").content.decode()
    assert "then 12 months after it closes" in html
