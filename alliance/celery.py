"""The Celery application: JSON only, late acks, ids as arguments (DESIGN.md)."""

import os
from typing import Any

from celery import Celery
from celery.signals import beat_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alliance.settings")

app = Celery("alliance")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# Apps keep tasks in subpackages too (the parenting plan: resources/plan/tasks.py).
app.autodiscover_tasks(["resources.plan"])


@beat_init.connect
def _heartbeat_at_start(sender: Any = None, **kwargs: Any) -> None:
    # Beat's first scheduled heartbeat is a full interval away; send one now so /healthz can
    # say "worker healthy" seconds after start-up rather than half a minute later.
    app.send_task("alliance.tasks.heartbeat")
