"""Thin Celery tasks for curation: one service call each, no arguments to leak."""

from celery import shared_task

from directory import curation_services


@shared_task
def run_reviews() -> dict[str, int]:
    """Beat, daily: review reminders 1 → 2 → 3, then stale (curation_services.reviews_run)."""
    return curation_services.reviews_run()


# The whole run is bounded by the per-request time-out and the concurrency, well inside
# CELERY_TASK_TIME_LIMIT for a directory of a few hundred listings.
@shared_task
def check_links() -> int:
    """Beat, daily: check every visible service's website (curation_services.links_check)."""
    return curation_services.links_check()


@shared_task
def erase_curation_personal_data() -> int:
    """Beat: erase practitioners' and senders' details past the retention period."""
    return curation_services.curation_personal_data_erase()
