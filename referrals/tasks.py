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
