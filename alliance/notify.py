"""Render an email from a template trio and put it in the outbox."""

from typing import Any

from django.template.loader import render_to_string

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
    subject = " ".join(render_to_string(f"emails/{template}-subject.txt", context).split())
    body_text = render_to_string(f"emails/{template}-body.txt", context)
    body_html = render_to_string(f"emails/{template}-body.html", context)
    return message_enqueue(
        key=key,
        to=to,
        subject=subject,
        body_text=body_text,
        body_html=body_html,
        erase_after_send=erase_after_send,
    )
