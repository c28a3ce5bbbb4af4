"""Thin Celery tasks for the parenting plan: beat calls a service, nothing else."""

from celery import shared_task

from resources.plan import services


@shared_task
def send_review_reminders() -> int:
    """Beat: remind both parents when their plan's review date has come."""
    return services.review_reminders_send()


@shared_task
def erase_expired_plans() -> int:
    """Beat: erase plans past the retention period, and starts whose link was never used."""
    return services.plans_erase_expired()
