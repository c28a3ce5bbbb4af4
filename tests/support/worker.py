"""A real Celery worker process for tests, on this test run's database, Redis and queue.

Loaded as a pytest plugin by `tests/conftest.py`: the fixtures `worker_env` and `start_worker`
and the helpers `database_url`, `wait_for` and `sent_copies` serve every app's worker tests.
"""

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from email import message_from_string
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from alliance import services

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def database_url() -> str:
    db = connection.settings_dict
    host = db["HOST"] or "localhost"
    if host.startswith("/"):
        from urllib.parse import quote

        host = quote(host, safe="")
    port = f":{db['PORT']}" if db["PORT"] else ""
    return f"postgres://{db['USER']}@{host}{port}/{db['NAME']}"


def wait_for(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


def sent_copies(mail_dir: Path, key: str) -> int:
    count = 0
    for path in mail_dir.glob("*.log"):
        for chunk in path.read_text().split("-" * 79):
            message_id = message_from_string(chunk.strip()).get("Message-ID", "")
            if chunk.strip() and message_id == services.message_id_for(key):
                count += 1
    return count


@pytest.fixture
def worker_env(tmp_path: Path) -> dict[str, str]:
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    return {
        **os.environ,
        "DATABASE_URL": database_url(),
        "PYTHONPATH": str(ROOT),
        "EMAIL_BACKEND": "tests.support.slow_mail.SlowFileBackend",
        "EMAIL_FILE_PATH": str(mail_dir),
        "OUTBOX_CLAIM_SECONDS": "3",
        "CELERY_QUEUE": settings.CELERY_TASK_DEFAULT_QUEUE,
    }


@pytest.fixture
def start_worker(worker_env: dict[str, str]) -> Iterator[Callable[..., subprocess.Popen[bytes]]]:
    started: list[subprocess.Popen[bytes]] = []

    def start(**extra_env: str) -> subprocess.Popen[bytes]:
        process = subprocess.Popen(
            [
                str(BIN / "celery"),
                "-A",
                "alliance",
                "worker",
                "-Q",
                settings.CELERY_TASK_DEFAULT_QUEUE,
                "--concurrency",
                "1",
                "--without-gossip",
                "--without-mingle",
                "--loglevel",
                "WARNING",
                "-n",
                f"test-{len(started)}@%h",
            ],
            cwd=ROOT,
            env={**worker_env, **extra_env},
            start_new_session=True,  # its own process group, so SIGKILL reaches every child
        )
        started.append(process)
        return process

    yield start
    for process in started:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
