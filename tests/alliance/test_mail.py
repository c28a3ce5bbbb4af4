"""Mail delivery against a real SMTP server (aiosmtpd) that refuses, defers, then accepts.

A permanent refusal (5xx) fails the message at once and is never tried again; a temporary one
(4xx) goes back in the queue and Celery retries it, a bounded number of times.
"""

import ast
import logging
import smtplib
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

from alliance import mail, services
from alliance.models import OutboundMessage
from alliance.tasks import deliver_message

PARENT = "parent@example.org"
REFUSED = f"550 5.1.1 <{PARENT}>: Recipient address rejected: no such mailbox"
DEFERRED = f"451 4.3.0 <{PARENT}>: Temporary lookup failure, try again later"


class ScriptedHandler:
    """Answers each RCPT with the next scripted reply, and accepts once the script runs out."""

    def __init__(self) -> None:
        self.script: list[str] = []
        self.attempts = 0
        self.accepted: list[bytes] = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # type: ignore[no-untyped-def]
        self.attempts += 1
        if self.script:
            return self.script.pop(0)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]
        self.accepted.append(envelope.content)
        return "250 Message accepted for delivery"


def our_logs(caplog: pytest.LogCaptureFixture) -> str:
    """Everything the portal and Celery logged (the test server's own log names addresses)."""
    return "\n".join(
        record.getMessage() + (record.exc_text or "")
        for record in caplog.records
        if not record.name.startswith("mail.log")
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def smtp_server(settings) -> Iterator[ScriptedHandler]:
    handler = ScriptedHandler()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = controller.hostname
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 5
    settings.OUTBOX_SWEEP_AFTER_SECONDS = 0
    yield handler
    controller.stop()


def enqueue(key: str, *, erase_after_send: bool = True) -> OutboundMessage:
    return services.message_enqueue(
        key=key,
        to=PARENT,
        subject="Your list",
        body_text="Hello",
        erase_after_send=erase_after_send,
    )


@pytest.mark.django_db
def test_a_550_fails_the_message_at_once_and_it_is_never_tried_again(
    smtp_server: ScriptedHandler, caplog
) -> None:
    smtp_server.script = [REFUSED]
    message = enqueue("refused-1")
    caplog.set_level(logging.INFO)

    result = deliver_message.apply(args=[message.pk])

    assert result.successful()  # settled inside the service: Celery has nothing to retry
    message.refresh_from_db()
    assert message.status == OutboundMessage.Status.FAILED
    assert message.attempts == 1
    assert message.last_error == "550 5.1.1 SMTPRecipientsRefused"
    # A parent's address is kept only to send; refused for good, it goes at once.
    assert (message.to, message.body_text, message.erased_at is not None) == ("", "", True)
    assert services.outbox_sweep() == 0
    message.refresh_from_db()
    assert message.attempts == 1
    assert smtp_server.attempts == 1
    assert smtp_server.accepted == []
    assert PARENT not in our_logs(caplog)


@pytest.mark.django_db
def test_a_451_puts_the_message_back_and_it_is_retried_until_accepted(
    smtp_server: ScriptedHandler, caplog
) -> None:
    smtp_server.script = [DEFERRED]
    message = enqueue("deferred-1")
    caplog.set_level(logging.INFO)

    with pytest.raises(mail.TransientMailError):
        services.message_deliver(message_id=message.pk)
    message.refresh_from_db()
    assert message.status == OutboundMessage.Status.PENDING
    assert message.claimed_until is None
    assert message.last_error == "451 4.3.0 SMTPRecipientsRefused"
    assert message.to == PARENT  # still needed for the next try
    assert services.outbox_sweep() == 1  # the safe path would hand it out again, too

    result = deliver_message.apply(args=[message.pk])

    assert result.successful()
    message.refresh_from_db()
    assert message.status == OutboundMessage.Status.SENT
    assert message.attempts == 2
    assert len(smtp_server.accepted) == 1
    assert services.message_id_for("deferred-1").encode() in smtp_server.accepted[0]
    assert PARENT not in our_logs(caplog)


@pytest.mark.django_db
def test_550_then_451_then_accept(smtp_server: ScriptedHandler) -> None:
    """The server's three answers in a row: failed at once, retried by Celery, then sent."""
    smtp_server.script = [REFUSED, DEFERRED]
    refused = enqueue("sequence-refused")
    deferred = enqueue("sequence-deferred")

    deliver_message.apply(args=[refused.pk])
    deliver_message.apply(args=[deferred.pk])

    refused.refresh_from_db()
    deferred.refresh_from_db()
    assert (refused.status, refused.attempts) == (OutboundMessage.Status.FAILED, 1)
    assert (deferred.status, deferred.attempts) == (OutboundMessage.Status.SENT, 2)
    assert smtp_server.attempts == 3
    assert services.outbox_sweep() == 0


@pytest.mark.django_db
def test_celery_retries_a_transient_failure_a_bounded_number_of_times(
    smtp_server: ScriptedHandler, caplog
) -> None:
    smtp_server.script = [DEFERRED] * 20
    message = enqueue("deferred-forever")
    caplog.set_level(logging.INFO)

    result = deliver_message.apply(args=[message.pk])

    assert result.failed()
    assert isinstance(result.result, mail.TransientMailError)
    tries = deliver_message.max_retries + 1
    assert smtp_server.attempts == tries
    message.refresh_from_db()
    assert message.status == OutboundMessage.Status.PENDING
    assert message.attempts == tries
    # Celery logs the failed task's traceback: it must not carry the refused address.
    assert "TransientMailError" in our_logs(caplog)
    assert PARENT not in our_logs(caplog)


@pytest.mark.django_db
def test_a_message_refused_at_data_is_failed_for_good(smtp_server: ScriptedHandler) -> None:
    async def refuse_data(server, session, envelope):  # type: ignore[no-untyped-def]
        return "554 5.6.0 Message content rejected"

    smtp_server.handle_DATA = refuse_data  # type: ignore[method-assign]
    message = enqueue("data-refused", erase_after_send=False)

    assert services.message_deliver(message_id=message.pk) is False

    message.refresh_from_db()
    assert message.status == OutboundMessage.Status.FAILED
    assert message.last_error == "554 5.6.0 SMTPDataError"
    assert message.to == PARENT  # not a parent's message: kept for the retention period


def refused(*codes: int) -> smtplib.SMTPRecipientsRefused:
    return smtplib.SMTPRecipientsRefused(
        {
            f"r{i}@example.org": (code, f"{code} <r{i}@example.org> no".encode())
            for i, code in enumerate(codes)
        }
    )


@pytest.mark.parametrize(
    ("error", "kind", "reason"),
    [
        (refused(550), mail.PermanentMailError, "550 SMTPRecipientsRefused"),
        (refused(550, 553), mail.PermanentMailError, "553 SMTPRecipientsRefused"),
        (refused(550, 451), mail.TransientMailError, "550 SMTPRecipientsRefused"),
        (refused(452), mail.TransientMailError, "452 SMTPRecipientsRefused"),
        (
            smtplib.SMTPDataError(554, b"5.7.1 spam"),
            mail.PermanentMailError,
            "554 5.7.1 SMTPDataError",
        ),
        (smtplib.SMTPDataError(421, b"closing"), mail.TransientMailError, "421 SMTPDataError"),
        (
            smtplib.SMTPSenderRefused(552, b"5.3.4 too big", "no-reply@example.org"),
            mail.PermanentMailError,
            "552 5.3.4 SMTPSenderRefused",
        ),
        # Refusals of our own credentials or host: every message would fail alike until an
        # operator fixes the settings, so they are kept for bounded retries.
        (
            smtplib.SMTPAuthenticationError(535, b"5.7.8 bad"),
            mail.TransientMailError,
            "535 5.7.8 SMTPAuthenticationError",
        ),
        (
            smtplib.SMTPConnectError(554, b"no service"),
            mail.TransientMailError,
            "554 SMTPConnectError",
        ),
        (smtplib.SMTPServerDisconnected("gone"), mail.TransientMailError, "SMTPServerDisconnected"),
        (ConnectionRefusedError(111, "refused"), mail.TransientMailError, "ConnectionRefusedError"),
        (TimeoutError("timed out"), mail.TransientMailError, "TimeoutError"),
    ],
)
def test_failures_are_classified_by_smtp_code_and_keep_no_address(
    error: OSError, kind: type[mail.MailError], reason: str
) -> None:
    result = mail.classify(error)
    assert type(result) is kind
    assert result.reason == reason
    assert "@" not in str(result)


def test_services_queue_delivery_by_name_and_never_import_the_tasks_module() -> None:
    # tasks.py imports services.py; an import back would be a cycle.
    tree = ast.parse(Path(services.__file__).read_text())
    imported = {
        node.module if isinstance(node, ast.ImportFrom) else alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    }
    assert "alliance.tasks" not in imported
    assert not any(
        isinstance(node, ast.ImportFrom)
        and node.module == "alliance"
        and "tasks" in {a.name for a in node.names}
        for node in ast.walk(tree)
    )
    assert deliver_message.name == services.DELIVER_TASK
