from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from alliance.models import Heartbeat
from alliance.services import heartbeat_record


@pytest.mark.django_db
def test_healthz_is_200_when_database_broker_and_worker_are_well(client: Client) -> None:
    heartbeat_record()
    response = client.get("/healthz")
    body = response.json()
    assert response.status_code == 200
    assert body["status"] == "ok"
    assert body["database"]["ok"]
    assert body["broker"]["ok"]
    assert body["worker"]["ok"]


@pytest.mark.django_db
def test_healthz_is_503_when_the_worker_heartbeat_is_stale(client: Client) -> None:
    Heartbeat.objects.create(name="worker", at=timezone.now() - timedelta(minutes=3))
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["worker"]["ok"] is False
    assert response.json()["database"]["ok"] is True


@pytest.mark.django_db
def test_healthz_is_503_when_no_worker_ever_reported(client: Client) -> None:
    assert client.get("/healthz").status_code == 503


@pytest.mark.django_db
def test_healthz_is_503_when_the_broker_is_down(client: Client, settings) -> None:
    heartbeat_record()
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["broker"]["ok"] is False
