"""Thin Celery tasks for programme referrals: ids in, one service call each."""

from celery import shared_task

from referrals import services
from referrals.models import Status


@shared_task(acks_late=True)
def allocate_referral(referral_id: int) -> str:
    """Find a parent a place (issue 9 item 4) and, once allocated, send it to the provider.

    Safe to run twice: the second run finds the referral no longer waiting and does nothing.
    """
    try:
        referral = services.referral_allocate(referral_id=referral_id)
    except services.ReferralError:
        return "skipped"
    if referral.status == Status.ALLOCATED:
        services.referral_send_to_provider(referral_id=referral_id)
        return "sent"
    return str(referral.status)


@shared_task
def run_referral_timers() -> int:
    """Beat: fire the referral timers that are due (each once: referrals.timer_services)."""
    from referrals.timer_services import referral_timers_run

    return referral_timers_run()


@shared_task
def purge_closed_referrals() -> int:
    """Beat: erase closed referrals' personal data after RETENTION_MONTHS (referrals.retention)."""
    from referrals.retention import referrals_purge_expired

    return referrals_purge_expired()
