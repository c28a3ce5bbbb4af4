"""Sessions and the cache live on a Redis that writes nothing to disk (privacy rule 8)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
import redis
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import Client, override_settings

from alliance.services import heartbeat_record
from tests.conftest import ROOT
from tests.support.dev_script import dev_script
from tests.support.redis_server import free_port, redis_server


def cache_on(url: str) -> dict[str, dict[str, str]]:
    return {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}}


def test_the_deploy_check_passes_on_a_session_store_without_persistence(tmp_path: Path) -> None:
    with (
        redis_server(tmp_path, "--save", "", "--appendonly", "no") as url,
        override_settings(CACHES=cache_on(url)),
    ):
        call_command("check", "--deploy", "--tag", "privacy")


@pytest.mark.parametrize(
    ("options", "reason"),
    [
        (["--appendonly", "yes", "--save", ""], "appendonly is yes"),
        (["--appendonly", "no", "--save", "3600", "1"], "save is '3600 1'"),
    ],
)
def test_the_portal_refuses_to_start_on_a_session_store_that_writes_to_disk(
    tmp_path: Path, options: list[str], reason: str
) -> None:
    with (
        redis_server(tmp_path, *options) as url,
        override_settings(CACHES=cache_on(url)),
        pytest.raises(SystemCheckError) as refused,
    ):
        call_command("check", "--deploy", "--tag", "privacy")

    assert "alliance.E011" in str(refused.value)
    assert reason in str(refused.value)


def test_the_deploy_check_says_so_when_it_cannot_ask_the_session_store() -> None:
    with (
        override_settings(CACHES=cache_on(f"redis://127.0.0.1:{free_port()}/0")),
        pytest.raises(SystemCheckError) as refused,
    ):
        call_command("check", "--deploy", "--tag", "privacy")

    assert "alliance.E010" in str(refused.value)
    assert "SESSION_REDIS_CONFIG_CHECK" in str(refused.value)


@pytest.mark.django_db
def test_healthz_says_why_when_the_session_store_writes_to_disk(
    client: Client, tmp_path: Path
) -> None:
    heartbeat_record()
    with (
        redis_server(tmp_path, "--appendonly", "yes", "--save", "") as url,
        override_settings(CACHES=cache_on(url)),
    ):
        response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["session_store"] == {
        "ok": False,
        "error": "writes sessions to disk: appendonly is yes: every session write is appended "
        "to appendonly.aof",
    }
    assert response.json()["database"]["ok"] is True


def test_sessions_and_the_cache_follow_session_redis_url() -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings; "
            "print(settings.CACHES['default']['LOCATION'], settings.CELERY_BROKER_URL)",
        ],
        cwd=ROOT,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "alliance.settings",
            "REDIS_URL": "redis://broker.example:6379/0",
            "SESSION_REDIS_URL": "redis://sessions.example:6379/0",
        },
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )

    assert result.stdout.split() == [
        "redis://sessions.example:6379/0",
        "redis://broker.example:6379/0",
    ]


def test_the_embedded_redis_keeps_nothing_on_disk(tmp_path: Path) -> None:
    dev = dev_script()
    folder = tmp_path / "redis"
    folder.mkdir()
    # What an older `make run` left behind: an append-only file full of sessions.
    (folder / "appendonly.aof").write_text("SET session answers")
    port = free_port()

    url = dev.start_redis(port, folder)
    client = redis.Redis(port=port, decode_responses=True)
    try:
        client.set("a-session", "ZE2 9XQ")
        config = {**client.config_get("appendonly"), **client.config_get("save")}
        left = sorted(path.name for path in folder.iterdir())
    finally:
        client.shutdown(nosave=True)

    assert url == f"redis://127.0.0.1:{port}/0"
    assert config == {"appendonly": "no", "save": ""}
    assert left == ["redis.log", "redis.pid"]


def test_an_embedded_redis_from_an_older_run_stops_writing_to_disk(tmp_path: Path) -> None:
    dev = dev_script()
    folder = tmp_path / "redis"
    folder.mkdir()
    with redis_server(folder, "--appendonly", "yes", "--save", "60", "1") as url:
        port = int(url.rsplit(":", 1)[1].split("/")[0])
        dev.start_redis(port, folder)
        client = redis.Redis(port=port, decode_responses=True)
        config = {**client.config_get("appendonly"), **client.config_get("save")}
        client.close()
        left = sorted(path.name for path in folder.iterdir())

    assert config == {"appendonly": "no", "save": ""}
    assert "appendonlydir" not in left
    assert "appendonly.aof" not in left
