"""Send one email through the configured backend; say whether a later try could succeed.

The outbox (alliance/services.py) decides what to do with the answer: a transient error goes
back in the queue for a bounded number of retries, a permanent one fails the message at once.
This module imports no models, and its errors never carry an address or the server's text
(which often echoes the address): only the SMTP code and the kind of failure.
"""

import re
import smtplib
from typing import Any, NamedTuple

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string

# RFC 3463 enhanced status codes ("5.1.1") say why, and hold nothing personal.
_ENHANCED_STATUS = re.compile(rb"^([245]\.\d{1,3}\.\d{1,3})\b")

# Refusals of *us* rather than of this message: a wrong password, a relay that does not know
# our host. Every message would fail the same way until an operator fixes the settings, so
# they stay in the queue (bounded by OUTBOX_MAX_ATTEMPTS) instead of all failing for good.
_CONFIGURATION_ERRORS = (
    smtplib.SMTPAuthenticationError,
    smtplib.SMTPConnectError,
    smtplib.SMTPHeloError,
)


class Rendered(NamedTuple):
    subject: str
    body_text: str
    body_html: str


def render(template: str, context: dict[str, Any]) -> Rendered:
    """Render `emails/<template>-subject.txt`, `-body.txt` and `-body.html`.

    Emails carry no personal or case detail: a reference and a link (DESIGN.md rule 2).
    """
    context = {"ALLIANCE_NAME": settings.ALLIANCE_NAME, **context}
    return Rendered(
        subject=" ".join(render_to_string(f"emails/{template}-subject.txt", context).split()),
        body_text=render_to_string(f"emails/{template}-body.txt", context),
        body_html=render_to_string(f"emails/{template}-body.html", context),
    )


class MailError(Exception):
    """Sending failed. `reason` is short and safe to store: a code and a kind, no address."""

    def __init__(self, reason: str, *, code: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.code = code


class TransientMailError(MailError):
    """The mail server could not take the message now; a later try may succeed (4xx, network)."""


class PermanentMailError(MailError):
    """The mail server refused the message for good (5xx); sending it again cannot help."""


def send(
    *, to: str, subject: str, body_text: str, body_html: str = "", headers: dict[str, str]
) -> None:
    """Send one message to one recipient, or raise TransientMailError or PermanentMailError."""
    email = EmailMultiAlternatives(
        subject=subject,
        body=body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        headers=headers,
    )
    if body_html:
        email.attach_alternative(body_html, "text/html")
    try:
        email.send(fail_silently=False)
    except OSError as exc:  # smtplib's errors, refused connections, timeouts, TLS failures
        # `from None`: the original exception's text names the recipient, and Celery logs the
        # whole chain of a failed task.
        raise classify(exc) from None


def classify(exc: OSError) -> MailError:
    """Turn a failure to send into a transient or a permanent error (RFC 5321 section 4.2.1).

    4xx replies, dropped connections and timeouts are transient; 5xx replies to this message
    are permanent, and a refusal of every recipient is permanent only when each code is 5xx.
    """
    name = type(exc).__name__
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        replies = list(exc.recipients.values())
        codes = [code for code, _text in replies]
        worst = max(codes, default=0)
        reason = _reason(worst, replies[0][1] if replies else b"", name)
        if codes and all(500 <= code < 600 for code in codes):
            return PermanentMailError(reason, code=worst)
        return TransientMailError(reason, code=worst or None)
    if isinstance(exc, smtplib.SMTPResponseException):
        code = exc.smtp_code
        reason = _reason(code, exc.smtp_error, name)
        if 500 <= code < 600 and not isinstance(exc, _CONFIGURATION_ERRORS):
            return PermanentMailError(reason, code=code)
        return TransientMailError(reason, code=code)
    return TransientMailError(name)


def _reason(code: int, text: bytes | str, name: str) -> str:
    raw = text.encode(errors="replace") if isinstance(text, str) else text
    match = _ENHANCED_STATUS.match(raw or b"")
    parts = [str(code)] if code else []
    if match:
        parts.append(match.group(1).decode())
    return " ".join([*parts, name])
