"""The referral benchmark's ceiling: a task that does nothing, and one that says "done".

Loaded only by the worker `bench/referrals.py` starts (`celery worker --include`); never part
of the product.
"""

import os

import redis
from celery import shared_task


@shared_task(name="bench.noop")
def noop() -> None:
    """Nothing: what one worker's Celery, broker and acknowledgement cost per task."""


@shared_task(name="bench.done")
def done(key: str) -> None:
    """Mark the end of a batch (the queue is first in, first out for one worker process)."""
    redis.Redis.from_url(os.environ["REDIS_URL"]).set(key, "1", ex=3600)
