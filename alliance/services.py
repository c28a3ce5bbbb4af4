"""Every write to the alliance app's own state: the outbox and the audit trail."""

import hashlib
import logging
import secrets
from datetime import timedelta
from typing import Any, NamedTuple

from django.conf import settings
from django.db import connection, models, transaction
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from alliance import mail
from alliance.celery import app as celery_app
from alliance.models import AuditEvent, Heartbeat, OutboundMessage, StaffSetupLink, User

logger = logging.getLogger(__name__)

# Queued by name: alliance/tasks.py imports this module, so importing it back would be a cycle.
DELIVER_TASK = "alliance.tasks.deliver_message"
DELIVER_MANY_TASK = "alliance.tasks.deliver_messages"


def audit_record(
    *,
    actor: User | None,
    action: str,
    object_type: str = "",
    object_id: str | int = "",
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    """Record who did or saw what. Detail holds ids and codes only (DESIGN.md rule 6)."""
    return AuditEvent.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        detail=detail or {},
    )


RECOVERY_CODES = 10


@transaction.atomic
def staff_recovery_codes_issue(*, user: User) -> list[str]:
    """Replace a staff member's recovery codes with ten new single-use ones, shown once.

    They let someone who has lost their phone sign in; each works once (django-otp static).
    """
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="Recovery codes", confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    audit_record(
        actor=user,
        action="staff.recovery_codes_issued",
        object_type="alliance.user",
        object_id=user.pk,
    )
    return codes


class SecondFactorError(Exception):
    """A two-factor step that cannot happen in the account's present state."""


class TotpEnrolment(NamedTuple):
    device: TOTPDevice
    recovery_codes: list[str]


def _lock_user(user: User) -> None:
    # One enrolment step at a time per account: a double-submitted form must not leave two
    # unconfirmed devices, or confirm one while another request replaces it.
    User.objects.select_for_update().filter(pk=user.pk).first()


def staff_totp_pending(*, user: User) -> TOTPDevice | None:
    """The authenticator key a staff member has begun to set up and not yet confirmed."""
    return TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()


@transaction.atomic
def staff_totp_begin(*, user: User) -> TOTPDevice:
    """Give a staff member an authenticator key to scan; the same one if already begun.

    Called from a POST only: a GET (a link prefetch, a crawler) must create nothing. Refused
    once an authenticator is confirmed: replacing it is an administrator's reset, not a form.
    """
    _lock_user(user)
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        raise SecondFactorError("This account already has an authenticator.")
    device = staff_totp_pending(user=user)
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
        audit_record(
            actor=user,
            action="staff.authenticator_setup_started",
            object_type="alliance.user",
            object_id=user.pk,
        )
    return device


@transaction.atomic
def staff_totp_confirm(*, user: User, token: str) -> TotpEnrolment | None:
    """Confirm the key being set up with a code from the app, and issue recovery codes.

    Returns None when the code is wrong. Not an exception on purpose: django-otp counts the
    failure on the device to throttle guessing, and that count must commit, not roll back.
    """
    _lock_user(user)
    device = staff_totp_pending(user=user)
    if device is None or TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        raise SecondFactorError("There is no authenticator being set up for this account.")
    if not device.verify_token(token):
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    audit_record(
        actor=user,
        action="staff.authenticator_set_up",
        object_type="alliance.user",
        object_id=user.pk,
    )
    return TotpEnrolment(device=device, recovery_codes=staff_recovery_codes_issue(user=user))


@transaction.atomic
def staff_second_factor_verify(*, user: User, token: str) -> TOTPDevice | None:
    """Check a sign-in code against the confirmed authenticator; None when it is wrong.

    None rather than an exception so that django-otp's failure count (its throttle) commits.
    """
    device = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()
    if device is None or not device.verify_token(token):
        return None
    audit_record(actor=user, action="staff.second_factor_passed")
    return device


@transaction.atomic
def staff_recovery_code_use(*, user: User, code: str) -> StaticDevice | None:
    """Sign in with a recovery code, which then stops working; None when it is wrong or used."""
    device = StaticDevice.objects.filter(user=user, confirmed=True).first()
    if device is None or not device.verify_token(code):
        return None
    audit_record(actor=user, action="staff.recovery_code_used")
    return device


class SetupLinkInvalid(Exception):
    """The set-up link is unknown, expired or used: ask a curator for a new one."""


# A token is 43 URL-safe characters (256 random bits); anything much longer is not one of ours
# and is refused before it is hashed.
SETUP_TOKEN_MAX_LENGTH = 100


def link_token_new() -> tuple[str, str]:
    """A new emailed-link token (256 random bits) and the hash to store in its place."""
    token = secrets.token_urlsafe(32)
    return token, link_token_hash(token)


def link_token_hash(token: str) -> str:
    """What a link row stores and is looked up by: the token itself is only in the email.
    A fast hash is enough: the token is 256 random bits, so there is nothing to brute-force."""
    return hashlib.sha256(token.encode()).hexdigest()


def staff_is_set_up(*, user: User) -> bool:
    """True once the account has a confirmed authenticator (demo accounts are seeded so)."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def staff_setup_link_find(*, token: str) -> StaffSetupLink | None:
    """The usable set-up link for a token: known, not expired, not used. Reads only."""
    if not token or len(token) > SETUP_TOKEN_MAX_LENGTH:
        return None
    return (
        StaffSetupLink.objects.select_related("user")
        .filter(
            token_hash=link_token_hash(token),
            used_at__isnull=True,
            expires_at__gt=timezone.now(),
            user__is_active=True,
        )
        .first()
    )


def _setup_link_lock(token: str) -> StaffSetupLink:
    link = staff_setup_link_find(token=token)
    if link is None:
        raise SetupLinkInvalid
    # Locked, then checked again: two tabs finishing set-up at once must not both succeed.
    link = StaffSetupLink.objects.select_for_update().select_related("user").get(pk=link.pk)
    if link.used_at is not None or link.expires_at <= timezone.now():
        raise SetupLinkInvalid
    return link


def _setup_link_new(*, user: User, actor: User | None) -> tuple[StaffSetupLink, str]:
    if staff_is_set_up(user=user):
        raise SecondFactorError("This account is already set up.")
    StaffSetupLink.objects.filter(user=user, used_at__isnull=True).delete()
    token, token_hash = link_token_new()
    link = StaffSetupLink.objects.create(
        user=user,
        token_hash=token_hash,
        expires_at=timezone.now() + timedelta(hours=settings.STAFF_SETUP_LINK_HOURS),
    )
    audit_record(
        actor=actor,
        action="staff.setup_link_issued",
        object_type="alliance.user",
        object_id=user.pk,
        detail={"link": link.pk},
    )
    return link, settings.SITE_URL + reverse("alliance:setup-link", args=[token])


@transaction.atomic
def staff_setup_link_create(*, user: User, actor: User | None) -> str:
    """Make a new single-use set-up link for a staff account; return its full address.

    Older links for the account stop working. Refused for an account already set up: to reset
    one, an administrator deletes its authenticator first (docs/deployment.md).
    """
    _link, url = _setup_link_new(user=user, actor=actor)
    return url


@transaction.atomic
def staff_setup_link_send(*, user: User, actor: User | None) -> OutboundMessage:
    """Email a new set-up link to a staff account through the outbox.

    The email holds the link and nothing else about the person: no password, no name, no role.
    The row is erased once sent, because until it is used the link opens the account.
    """
    # Imported here: alliance.notify builds on this module's message_enqueue.
    from alliance.notify import notify

    link, url = _setup_link_new(user=user, actor=actor)
    return notify(
        key=f"staff-setup:{link.pk}",
        to=user.email,
        template="staff-setup",
        context={"url": url, "hours": settings.STAFF_SETUP_LINK_HOURS},
        erase_after_send=True,
    )


@transaction.atomic
def staff_setup_password_set(*, token: str, password: str) -> TOTPDevice:
    """First step of set-up: the new member's own password, then a key for their app.

    The caller has validated the password (Django's validators, with the user). The key is
    shown by the next page; nothing works until the app's code confirms it.
    """
    link = _setup_link_lock(token)
    if link.password_set_at is not None:
        raise SetupLinkInvalid
    user = link.user
    user.set_password(password)
    user.save(update_fields=["password"])
    link.password_set_at = timezone.now()
    link.save(update_fields=["password_set_at"])
    audit_record(
        actor=user,
        action="staff.setup_password_set",
        object_type="alliance.user",
        object_id=user.pk,
    )
    return staff_totp_begin(user=user)


@transaction.atomic
def staff_setup_authenticator_begin(*, token: str) -> TOTPDevice:
    """A key for the app again, if the one begun was removed before set-up finished."""
    link = _setup_link_lock(token)
    if link.password_set_at is None:
        raise SetupLinkInvalid
    return staff_totp_begin(user=link.user)


@transaction.atomic
def staff_setup_complete(*, token: str, code: str) -> TotpEnrolment | None:
    """Last step: the app's code confirms the key, the link is spent, recovery codes are made.

    None when the code is wrong (django-otp's failure count must commit, so no exception).
    """
    link = _setup_link_lock(token)
    if link.password_set_at is None:
        raise SetupLinkInvalid
    enrolment = staff_totp_confirm(user=link.user, token=code)
    if enrolment is None:
        return None
    link.used_at = timezone.now()
    link.save(update_fields=["used_at"])
    audit_record(
        actor=link.user,
        action="staff.setup_completed",
        object_type="alliance.user",
        object_id=link.user.pk,
    )
    return enrolment


def _queue_delivery(message_id: int) -> None:
    try:
        celery_app.send_task(DELIVER_TASK, args=[message_id])
    except Exception:  # the broker is down or unreachable
        # Not an error for the user: the row is committed and the beat sweeper re-queues it.
        logger.warning("outbox: could not queue message %s; the sweeper will", message_id)


@transaction.atomic
def message_enqueue(
    *,
    key: str,
    to: str,
    subject: str,
    body_text: str,
    body_html: str = "",
    erase_after_send: bool = False,
) -> OutboundMessage:
    """Write one outbound email in the caller's transaction; queue delivery on commit.

    The idempotency key makes a repeated call a no-op: the first row wins and is sent once.
    """
    message, created = OutboundMessage.objects.get_or_create(
        idempotency_key=key,
        defaults={
            "to": to,
            "subject": subject,
            "body_text": body_text,
            "body_html": body_html,
            "erase_after_send": erase_after_send,
        },
    )
    if created:
        # Queued only after commit: a rolled-back change never sends its message.
        transaction.on_commit(lambda: _queue_delivery(message.pk))
    return message


class Message(NamedTuple):
    """One email for `messages_enqueue`: what `message_enqueue` takes, as a row."""

    key: str
    to: str
    subject: str
    body_text: str
    body_html: str = ""
    erase_after_send: bool = False


def _queue_delivery_many(message_ids: list[int]) -> None:
    try:
        celery_app.send_task(DELIVER_MANY_TASK, args=[message_ids])
    except Exception:  # the broker is down: the rows are committed and the sweeper has them
        logger.warning("outbox: could not queue messages %s; the sweeper will", message_ids)


def messages_enqueue(messages: list[Message]) -> list[OutboundMessage]:
    """`message_enqueue` for several emails of one change: the same guarantees, fewer trips.

    The rows are written in the caller's transaction by one `INSERT … ON CONFLICT DO NOTHING`
    (a key already there is left as it is: the first row wins), and ONE delivery task for the
    new rows is queued on commit. That task still claims each row with a conditional update,
    so nothing is sent twice.
    """
    rows: dict[str, OutboundMessage] = {}
    for m in messages:
        if m.key not in rows:  # the first of a repeated key wins, as one by one
            rows[m.key] = OutboundMessage(
                idempotency_key=m.key,
                to=m.to,
                subject=m.subject,
                body_text=m.body_text,
                body_html=m.body_html,
                erase_after_send=m.erase_after_send,
            )
    if not rows:
        return []
    fields = [f for f in OutboundMessage._meta.concrete_fields if not f.primary_key]
    values = [
        [f.get_db_prep_save(f.pre_save(row, True), connection) for f in fields]
        for row in rows.values()
    ]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    one = "(" + ", ".join(["%s"] * len(fields)) + ")"
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {OutboundMessage._meta.db_table} ({columns}) "  # noqa: S608
            f"VALUES {', '.join([one] * len(values))} "
            "ON CONFLICT (idempotency_key) DO NOTHING RETURNING id, idempotency_key",
            [value for row in values for value in row],
        )
        created = dict((key, pk) for pk, key in cursor.fetchall())
    for key, pk in created.items():
        rows[key].pk = pk
        rows[key]._state.adding = False
    if len(created) < len(rows):  # keys written before: return the rows that won
        rows |= {
            row.idempotency_key: row
            for row in OutboundMessage.objects.filter(
                idempotency_key__in=[key for key in rows if key not in created]
            )
        }
    if created:
        ids = sorted(created.values())
        # Queued only after commit: a rolled-back change never sends its messages.
        transaction.on_commit(lambda: _queue_delivery_many(ids))
    return [rows[m.key] for m in messages]


def messages_deliver(*, message_ids: list[int]) -> list[int]:
    """Deliver several messages; returns those that failed for now, for the caller to retry.

    The same steps as `message_deliver`, with the claim and the read done for all of them at
    once: one conditional UPDATE claims every row that is claimable, row by row (a row another
    worker holds, or already sent, is not claimed, so nothing is sent twice), and returns the
    ids it claimed. Each message is then sent and marked sent on its own, so a worker killed
    mid-way leaves at most the one message in hand unmarked, as before. A transient failure of
    one releases it (as `message_deliver` does) and does not hold up the others.
    """
    claimed = _messages_claim(message_ids)
    retry = []
    for message in OutboundMessage.objects.filter(pk__in=claimed).order_by("pk"):
        try:
            _message_send(message)
        except mail.TransientMailError:
            retry.append(message.pk)
    return retry


def _messages_claim(message_ids: list[int]) -> list[int]:
    """`message_claim` for several rows in one statement; returns the ids this call claimed."""
    if not message_ids:
        return []
    now = timezone.now()
    table = OutboundMessage._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            UPDATE {table}
               SET status = %s, claimed_until = %s, attempts = attempts + 1
             WHERE id = ANY(%s) AND attempts < %s
               AND (status = %s OR (status = %s AND claimed_until < %s))
            RETURNING id
            """,  # noqa: S608 (the table name is the model's own; every value is a parameter)
            [
                OutboundMessage.Status.SENDING,
                now + timedelta(seconds=settings.OUTBOX_CLAIM_SECONDS),
                list(message_ids),
                settings.OUTBOX_MAX_ATTEMPTS,
                OutboundMessage.Status.PENDING,
                OutboundMessage.Status.SENDING,
                now,
            ],
        )
        return [row[0] for row in cursor.fetchall()]


def message_claim(*, message_id: int) -> bool:
    """Claim a message for delivery with one conditional UPDATE; False if someone else has it.

    A claim lapses after OUTBOX_CLAIM_SECONDS so a killed worker's message is delivered later.
    """
    now = timezone.now()
    claimable = models.Q(status=OutboundMessage.Status.PENDING) | models.Q(
        status=OutboundMessage.Status.SENDING, claimed_until__lt=now
    )
    updated = (
        OutboundMessage.objects.filter(claimable, pk=message_id)
        .filter(attempts__lt=settings.OUTBOX_MAX_ATTEMPTS)
        .update(
            status=OutboundMessage.Status.SENDING,
            claimed_until=now + timedelta(seconds=settings.OUTBOX_CLAIM_SECONDS),
            attempts=models.F("attempts") + 1,
        )
    )
    return updated == 1


def message_deliver(*, message_id: int) -> bool:
    """Send one claimed message and mark it sent. Returns True only if this call sent it.

    A permanent refusal (5xx) fails the message at once: retrying cannot help, and a parent's
    address is erased straight away. A transient failure releases the claim and raises
    TransientMailError so the task retries with back-off (and the sweeper after that).

    The Message-ID is derived from the idempotency key, so in the narrow window where the mail
    server took the message but the worker died before marking it sent, a re-send carries the
    same Message-ID and receiving systems can drop the duplicate.
    """
    if not message_claim(message_id=message_id):
        return False
    return _message_send(OutboundMessage.objects.get(pk=message_id))


def _message_send(message: OutboundMessage) -> bool:
    """Send one message this worker has claimed and mark it sent (or failed, or released)."""
    message_id = message.pk
    try:
        mail.send(
            to=message.to,
            subject=message.subject,
            body_text=message.body_text,
            body_html=message.body_html,
            headers={"Message-ID": message_id_for(message.idempotency_key)},
        )
    except mail.PermanentMailError as exc:
        _message_mark_failed(message, reason=exc.reason)
        logger.warning("outbox: message %s refused for good (%s)", message_id, exc.reason)
        return False
    except mail.TransientMailError as exc:
        OutboundMessage.objects.filter(pk=message_id).update(
            status=OutboundMessage.Status.PENDING,
            claimed_until=None,
            last_error=exc.reason[:300],
        )
        raise
    _message_mark_sent(message)
    return True


def _message_mark_failed(message: OutboundMessage, *, reason: str) -> None:
    message.status = OutboundMessage.Status.FAILED
    message.claimed_until = None
    message.last_error = reason[:300]
    fields = ["status", "claimed_until", "last_error"]
    if message.erase_after_send:
        # Kept only to send: once sending has failed for good, a parent's address goes too.
        message.to = ""
        message.body_text = ""
        message.body_html = ""
        message.erased_at = timezone.now()
        fields += ["to", "body_text", "body_html", "erased_at"]
    message.save(update_fields=fields)


def _message_mark_sent(message: OutboundMessage) -> None:
    message.status = OutboundMessage.Status.SENT
    message.sent_at = timezone.now()
    message.claimed_until = None
    fields = ["status", "sent_at", "claimed_until"]
    if message.erase_after_send:
        # A parent's address is not kept once their email has gone (DESIGN.md privacy rules).
        message.to = ""
        message.body_text = ""
        message.body_html = ""
        message.erased_at = message.sent_at
        fields += ["to", "body_text", "body_html", "erased_at"]
    message.save(update_fields=fields)


def message_id_for(key: str) -> str:
    """The Message-ID for an idempotency key: stable, so a re-send is recognisably the same.

    Hashed, because keys may hold characters a Message-ID may not (and say nothing outside).
    """
    digest = hashlib.sha256(key.encode()).hexdigest()[:40]
    domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2] or "localhost"
    return f"<{digest}@{domain}>"


def outbox_sweep() -> int:
    """Re-queue messages left unsent: never queued (broker down) or claimed by a dead worker."""
    now = timezone.now()
    stale = now - timedelta(seconds=settings.OUTBOX_SWEEP_AFTER_SECONDS)
    ids = list(
        OutboundMessage.objects.filter(attempts__lt=settings.OUTBOX_MAX_ATTEMPTS)
        .filter(
            models.Q(status=OutboundMessage.Status.PENDING, created_at__lt=stale)
            | models.Q(status=OutboundMessage.Status.SENDING, claimed_until__lt=now)
        )
        .values_list("pk", flat=True)[:500]
    )
    for message_id in ids:
        _queue_delivery(message_id)
    OutboundMessage.objects.filter(
        status__in=[OutboundMessage.Status.PENDING, OutboundMessage.Status.SENDING],
        attempts__gte=settings.OUTBOX_MAX_ATTEMPTS,
    ).update(status=OutboundMessage.Status.FAILED)
    # A parent's address is kept only to send; once sending has failed for good it goes too.
    OutboundMessage.objects.filter(
        status=OutboundMessage.Status.FAILED, erase_after_send=True, erased_at__isnull=True
    ).update(to="", body_text="", body_html="", erased_at=now)
    return len(ids)


def heartbeat_record(*, name: str = "worker") -> None:
    """Note that a worker ran the beat-scheduled heartbeat just now."""
    Heartbeat.objects.update_or_create(name=name, defaults={"at": timezone.now()})


def personal_data_erase_expired() -> int:
    """Erase outbox rows older than the retention period (DESIGN.md privacy rule 6)."""
    cutoff = timezone.now() - timedelta(days=settings.PERSONAL_DATA_RETENTION_DAYS)
    deleted, _ = OutboundMessage.objects.filter(
        created_at__lt=cutoff,
        status__in=[OutboundMessage.Status.SENT, OutboundMessage.Status.FAILED],
    ).delete()
    return deleted
