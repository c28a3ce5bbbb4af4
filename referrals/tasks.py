"""Thin Celery tasks for programme referrals: ids in, one service call each."""

from celery import shared_task

from referrals import services


@shared_task(acks_late=True)
def allocate_case(case_id: int) -> str:
    """Find both parents of a submitted case a place and send them to their providers, in one
    transaction (issue 9 item 4). Safe to run twice: the second run finds no one waiting."""
    referrals = services.case_allocate(case_id=case_id)
    return ",".join(str(r.status) for r in referrals)


@shared_task(acks_late=True)
def allocate_referral(referral_id: int) -> str:
    """Find one parent a place and send it to the provider (the FCA's "try again").

    Safe to run twice: the second run finds the referral no longer waiting and does nothing.
    """
    try:
        referral = services.referral_allocate_and_send(referral_id=referral_id)
    except services.ReferralError:
        return "skipped"
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
