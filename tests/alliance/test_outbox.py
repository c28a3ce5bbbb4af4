import pytest
from django.core import mail
from django.db import transaction

from alliance import services
from alliance.mail import TransientMailError
from alliance.models import OutboundMessage
from alliance.notify import notify


def enqueue(key: str = "test-1", **extra: object) -> OutboundMessage:
    return services.message_enqueue(
        key=key, to="parent@example.org", subject="Your list", body_text="Hello", **extra
    )


@pytest.mark.django_db
def test_a_message_written_in_a_rolled_back_transaction_is_never_sent(
    django_capture_on_commit_callbacks,
) -> None:
    def change_that_fails() -> None:
        with transaction.atomic():
            enqueue()
            raise RuntimeError("the change that caused the message failed")

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError, match="caused the message"),
    ):
        change_that_fails()
    assert callbacks == []
    assert not OutboundMessage.objects.exists()
    assert services.outbox_sweep() == 0
    assert mail.outbox == []


@pytest.mark.django_db
def test_delivery_is_queued_only_after_commit(django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks() as callbacks:
        message = enqueue()
    assert len(callbacks) == 1
    assert OutboundMessage.objects.get(pk=message.pk).status == OutboundMessage.Status.PENDING


@pytest.mark.django_db
def test_the_same_key_is_written_and_queued_once(django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks() as callbacks:
        first = enqueue()
        second = enqueue()
    assert first.pk == second.pk
    assert len(callbacks) == 1
    assert OutboundMessage.objects.count() == 1


@pytest.mark.django_db
def test_a_delivered_message_is_not_sent_again() -> None:
    message = enqueue()
    assert services.message_deliver(message_id=message.pk) is True
    assert services.message_deliver(message_id=message.pk) is False
    assert len(mail.outbox) == 1
    message.refresh_from_db()
    assert message.status == OutboundMessage.Status.SENT
    assert message.attempts == 1
    assert mail.outbox[0].extra_headers["Message-ID"] == services.message_id_for("test-1")


@pytest.mark.django_db
def test_a_parents_address_is_erased_once_sent() -> None:
    message = enqueue(erase_after_send=True)
    services.message_deliver(message_id=message.pk)
    message.refresh_from_db()
    assert message.to == ""
    assert message.body_text == ""
    assert message.erased_at is not None
    assert mail.outbox[0].to == ["parent@example.org"]


@pytest.mark.django_db
def test_a_mail_server_failure_releases_the_claim_for_a_retry(settings) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = 1  # nothing listens here
    message = enqueue()
    with pytest.raises(TransientMailError):
        services.message_deliver(message_id=message.pk)
    message.refresh_from_db()
    assert message.status == OutboundMessage.Status.PENDING
    assert message.claimed_until is None
    assert message.last_error == "ConnectionRefusedError"


@pytest.mark.django_db
def test_the_sweeper_gives_up_after_the_maximum_attempts(settings) -> None:
    settings.OUTBOX_SWEEP_AFTER_SECONDS = 0
    message = enqueue()
    OutboundMessage.objects.filter(pk=message.pk).update(attempts=settings.OUTBOX_MAX_ATTEMPTS)
    services.outbox_sweep()
    message.refresh_from_db()
    assert message.status == OutboundMessage.Status.FAILED


@pytest.mark.django_db
def test_a_parents_address_is_erased_when_sending_fails_for_good(settings) -> None:
    message = enqueue(erase_after_send=True)
    OutboundMessage.objects.filter(pk=message.pk).update(attempts=settings.OUTBOX_MAX_ATTEMPTS)
    services.outbox_sweep()
    message.refresh_from_db()
    assert message.status == OutboundMessage.Status.FAILED
    assert message.to == ""
    assert message.body_text == ""
    assert message.erased_at is not None


@pytest.mark.django_db
def test_notify_renders_the_template_trio() -> None:
    message = notify(
        key="ref-1", to="fca@example.org", template="ping", context={"reference": "R1"}
    )
    assert message.subject == "Test message R1"
    assert "test message R1" in message.body_text
    assert "<p>" in message.body_html


@pytest.mark.django_db
def test_operators_can_queue_a_test_email(django_capture_on_commit_callbacks) -> None:
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    with django_capture_on_commit_callbacks() as callbacks:
        call_command("send_test_email", "ops@example.org", stdout=out)
    message = OutboundMessage.objects.get()
    assert message.to == "ops@example.org"
    assert message.erase_after_send is True
    assert message.subject.startswith("Test message ")
    assert len(callbacks) == 1
    assert "Queued test message" in out.getvalue()
