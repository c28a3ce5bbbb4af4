"""The referral benchmark's ceiling: a task that does nothing, one that says "done", and a
counter of the tasks the worker runs.

Loaded only by the worker `bench/referrals.py` starts (`celery worker --include`); never part
of the product.
"""

import os

import redis
from celery import shared_task
from celery.signals import task_postrun

_redis = redis.Redis.from_url(os.environ["REDIS_URL"])


@task_postrun.connect
def count(sender=None, **_kwargs) -> None:  # type: ignore[no-untyped-def]
    """Count every task the worker runs, by name: the benchmark reports tasks per referral
    from what actually ran, not from an assumption (one INCR each, for empty tasks too)."""
    _redis.incr(f"bench-tasks:{sender.name}")


@shared_task(name="bench.noop")
def noop() -> None:
    """Nothing: what one worker's Celery, broker and acknowledgement cost per task."""


@shared_task(name="bench.done")
def done(key: str) -> None:
    """Mark the end of a batch (the queue is first in, first out for one worker process)."""
    _redis.set(key, "1", ex=3600)
