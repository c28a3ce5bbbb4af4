"""Several emails of one change: written together, delivered by one task, each still sent
once (issue 10 item 5: the referral pipeline's speed without weakening the outbox)."""

import pytest
from django.core import mail
from django.db import transaction

from alliance import services, tasks
from alliance.mail import TransientMailError
from alliance.models import OutboundMessage
from alliance.notify import Notice, notify_all

pytestmark = pytest.mark.django_db


def message(key: str, to: str = "someone@example.org") -> services.Message:
    return services.Message(key=key, to=to, subject=f"About {key}", body_text="Hello")


def test_the_rows_of_one_batch_are_queued_as_one_delivery_after_commit(
    django_capture_on_commit_callbacks, monkeypatch
) -> None:
    queued: list[tuple[str, list[object]]] = []
    monkeypatch.setattr(
        services.celery_app, "send_task", lambda name, args, **_: queued.append((name, args))
    )
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        rows = services.messages_enqueue([message("a"), message("b"), message("c")])
    assert len(callbacks) == 1
    assert queued == [(services.DELIVER_MANY_TASK, [[row.pk for row in rows]])]
    assert tasks.deliver_messages.name == services.DELIVER_MANY_TASK


def test_a_key_already_written_is_kept_and_not_queued_again(
    django_capture_on_commit_callbacks, monkeypatch
) -> None:
    queued: list[object] = []
    monkeypatch.setattr(
        services.celery_app, "send_task", lambda name, args, **_: queued.append(args)
    )
    first = services.message_enqueue(key="a", to="first@example.org", subject="s", body_text="b")
    with django_capture_on_commit_callbacks(execute=True):
        rows = services.messages_enqueue([message("a", "second@example.org"), message("b")])
    assert rows[0].pk == first.pk
    assert OutboundMessage.objects.get(idempotency_key="a").to == "first@example.org"
    assert queued[-1] == [[rows[1].pk]]
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        again = services.messages_enqueue([message("a"), message("b"), message("b")])
    assert callbacks == []
    assert [row.pk for row in again] == [first.pk, rows[1].pk, rows[1].pk]
    assert OutboundMessage.objects.count() == 2


def test_a_rolled_back_batch_is_never_written_nor_queued(
    django_capture_on_commit_callbacks,
) -> None:
    def change_that_fails() -> None:
        with transaction.atomic():
            services.messages_enqueue([message("a"), message("b")])
            raise RuntimeError("the change failed")

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError, match="change failed"),
    ):
        change_that_fails()
    assert callbacks == []
    assert not OutboundMessage.objects.exists()


def test_each_message_of_a_batch_is_delivered_once_however_often_the_task_runs() -> None:
    rows = services.messages_enqueue([message("a"), message("b"), message("c")])
    ids = [row.pk for row in rows]
    assert tasks.deliver_messages.apply(args=[ids]).get() == 0
    tasks.deliver_messages.apply(args=[ids])
    assert services.message_deliver(message_id=ids[0]) is False
    assert sorted(m.subject for m in mail.outbox) == ["About a", "About b", "About c"]
    assert set(OutboundMessage.objects.values_list("status", flat=True)) == {"sent"}


def test_one_transient_failure_does_not_hold_up_the_others(monkeypatch) -> None:
    rows = services.messages_enqueue([message("a"), message("b"), message("c")])
    real_send = services.mail.send

    def send(**kwargs):  # type: ignore[no-untyped-def]
        if kwargs["subject"] == "About b":
            raise TransientMailError("451 try later")
        real_send(**kwargs)

    monkeypatch.setattr(services.mail, "send", send)
    retry = services.messages_deliver(message_ids=[row.pk for row in rows])
    assert retry == [rows[1].pk]
    assert sorted(m.subject for m in mail.outbox) == ["About a", "About c"]
    b = OutboundMessage.objects.get(pk=rows[1].pk)
    assert (b.status, b.claimed_until, b.last_error) == ("pending", None, "451 try later")


def test_notify_all_renders_like_notify_and_erases_a_parent_address_once_sent() -> None:
    context = {"reference": "R1234567", "url": "https://example.org/r"}
    rows = notify_all(
        [
            Notice("k:1", "team@example.org", "referral-provider-new", context),
            Notice("k:2", "member@example.org", "referral-provider-new", context),
            Notice("k:3", "parent@example.org", "referral-parent-sent", context, True),
        ]
    )
    assert rows[0].subject == rows[1].subject
    assert "R1234567" in rows[0].body_text
    services.messages_deliver(message_ids=[row.pk for row in rows])
    parent = OutboundMessage.objects.get(idempotency_key="k:3")
    assert (parent.to, parent.body_text, parent.status) == ("", "", "sent")
    assert sorted(m.to[0] for m in mail.outbox) == [
        "member@example.org",
        "parent@example.org",
        "team@example.org",
    ]
