"""Thin Celery tasks: ids in, one service call, bounded retries for transient errors only."""

from celery import shared_task

from alliance import mail, services


# Only transient errors are retried, a bounded number of times; after that the beat sweeper
# tries again until OUTBOX_MAX_ATTEMPTS. A permanent refusal is settled inside the service.
@shared_task(
    autoretry_for=(mail.TransientMailError,),
    retry_backoff=30,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=5,
)
def deliver_message(message_id: int) -> bool:
    """Deliver one outbox message (claim, send, mark sent)."""
    return services.message_deliver(message_id=message_id)


@shared_task
def deliver_messages(message_ids: list[int]) -> int:
    """Deliver the outbox rows of one transaction in one task, each claimed on its own.

    One that fails for now is handed to `deliver_message` (its retries and back-off); the
    beat sweeper stands behind that as for any message. Returns how many were retried.
    """
    retry = services.messages_deliver(message_ids=message_ids)
    for message_id in retry:
        deliver_message.apply_async(args=[message_id], countdown=30)
    return len(retry)


@shared_task
def sweep_outbox() -> int:
    """Beat: re-queue outbox rows left unsent."""
    return services.outbox_sweep()


@shared_task
def heartbeat() -> None:
    """Beat: prove that beat schedules and a worker runs (read by /healthz)."""
    services.heartbeat_record()


@shared_task
def erase_expired_personal_data() -> int:
    """Beat: erase personal data past its retention period."""
    return services.personal_data_erase_expired()
