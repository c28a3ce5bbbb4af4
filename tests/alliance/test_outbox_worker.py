"""The outbox with a real Celery worker process, a real Redis and a real PostgreSQL.

These prove DESIGN.md's promise: nothing is lost, nothing is sent twice.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from alliance import services
from alliance.models import OutboundMessage
from tests.conftest import ROOT
from tests.support.worker import sent_copies, wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def enqueue_in_another_process(env: dict[str, str], key: str) -> subprocess.CompletedProcess[str]:
    code = (
        "import django; django.setup();"
        "from alliance.services import message_enqueue;"
        f"message_enqueue(key='{key}', to='parent@example.org', subject='S', body_text='B')"
    )
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_a_message_committed_while_the_broker_was_down_is_delivered_once_by_the_sweeper(
    worker_env, start_worker, settings
) -> None:
    # The web process commits while Redis is unreachable: the request still succeeds, fast.
    began = time.monotonic()
    result = enqueue_in_another_process(
        {**worker_env, "REDIS_URL": "redis://127.0.0.1:1/0"}, "broker-down-1"
    )
    assert result.returncode == 0, result.stderr
    assert time.monotonic() - began < 30
    message = OutboundMessage.objects.get(idempotency_key="broker-down-1")
    assert message.status == OutboundMessage.Status.PENDING

    start_worker()
    time.sleep(2)
    assert sent_copies(Path(worker_env["EMAIL_FILE_PATH"]), "broker-down-1") == 0

    settings.OUTBOX_SWEEP_AFTER_SECONDS = 0
    assert services.outbox_sweep() == 1  # the beat sweeper, run now
    wait_for(lambda: OutboundMessage.objects.get(pk=message.pk).status == "sent", 60, "delivery")
    services.outbox_sweep()  # a second sweep finds nothing left to do
    time.sleep(2)
    assert sent_copies(Path(worker_env["EMAIL_FILE_PATH"]), "broker-down-1") == 1


def test_a_message_is_delivered_once_when_the_worker_is_killed_mid_delivery(
    worker_env, start_worker, settings
) -> None:
    mail_dir = Path(worker_env["EMAIL_FILE_PATH"])
    doomed = start_worker(SLOW_MAIL_SECONDS="30")
    message = services.message_enqueue(
        key="killed-1", to="parent@example.org", subject="S", body_text="B"
    )
    wait_for(
        lambda: OutboundMessage.objects.get(pk=message.pk).status == "sending", 60, "the claim"
    )
    os.killpg(doomed.pid, signal.SIGKILL)
    doomed.wait(timeout=10)
    assert sent_copies(mail_dir, "killed-1") == 0

    start_worker()
    settings.OUTBOX_SWEEP_AFTER_SECONDS = 0
    # The dead worker's claim lapses after OUTBOX_CLAIM_SECONDS; then the sweeper hands it out.
    wait_for(lambda: services.outbox_sweep() >= 1, 30, "the claim to lapse")
    wait_for(lambda: OutboundMessage.objects.get(pk=message.pk).status == "sent", 60, "delivery")
    for _ in range(3):
        services.outbox_sweep()
    time.sleep(3)
    assert sent_copies(mail_dir, "killed-1") == 1
    message.refresh_from_db()
    assert message.attempts == 2


def test_the_worker_runs_the_heartbeat_that_healthz_reads(start_worker, client) -> None:
    from alliance.tasks import heartbeat

    start_worker()
    heartbeat.delay()
    wait_for(lambda: client.get("/healthz").status_code == 200, 60, "a healthy /healthz")
    assert client.get("/healthz").json()["worker"]["heartbeat_age_seconds"] < 60
