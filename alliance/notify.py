"""Render an email from a template trio and put it in the outbox."""

from typing import Any

from alliance import mail
from alliance.models import OutboundMessage
from alliance.services import message_enqueue


def notify(
    *,
    key: str,
    to: str,
    template: str,
    context: dict[str, Any],
    erase_after_send: bool = False,
) -> OutboundMessage:
    """Queue `emails/<template>-subject.txt`, `-body.txt` and `-body.html` for `to`.

    Emails carry no personal or case detail: a reference and a link (DESIGN.md rule 2).
    """
    email = mail.render(template, context)
    return message_enqueue(
        key=key,
        to=to,
        subject=email.subject,
        body_text=email.body_text,
        body_html=email.body_html,
        erase_after_send=erase_after_send,
    )
