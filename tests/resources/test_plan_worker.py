"""The plan's beat task runs in a real Celery worker, and its emails go out through the outbox
with the parent's address erased once sent."""

from pathlib import Path

import pytest
from django.utils import timezone

from alliance.celery import app as celery_app
from alliance.models import OutboundMessage
from resources.plan import services
from resources.plan.models import ParentingPlan, PlanLink
from tests.support.worker import wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_the_worker_sends_review_reminders_and_erases_the_address(
    start_worker, worker_env: dict[str, str]
) -> None:
    starter = services.plan_start(email="alex.parent@example.org", name="Alex", private=False)
    _link, url = services._link_new(participant=starter, purpose=PlanLink.Purpose.SIGN_IN)
    services.link_use(token=url.rstrip("/").rsplit("/", 1)[-1])
    ParentingPlan.objects.update(review_on=timezone.localdate())
    start_worker()

    celery_app.send_task("resources.plan.tasks.send_review_reminders")

    def reminded() -> bool:
        return OutboundMessage.objects.filter(
            idempotency_key__startswith="plan-review", status=OutboundMessage.Status.SENT
        ).exists()

    wait_for(reminded, timeout=60, what="the review reminder to be sent")
    message = OutboundMessage.objects.get(idempotency_key__startswith="plan-review")
    assert message.to == ""
    assert message.erased_at is not None
    mail = "".join(p.read_text() for p in Path(worker_env["EMAIL_FILE_PATH"]).glob("*.log"))
    assert "time to review your parenting plan" in mail
    assert "Alex" not in mail
