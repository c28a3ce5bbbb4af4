"""Render an email from a template trio and put it in the outbox."""

from typing import Any, NamedTuple

from alliance import mail
from alliance.models import OutboundMessage
from alliance.services import Message, message_enqueue, messages_enqueue


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


class Notice(NamedTuple):
    """One email for `notify_all`: `notify`'s arguments as a row."""

    key: str
    to: str
    template: str
    context: dict[str, Any]
    erase_after_send: bool = False


def notify_all(notices: list[Notice]) -> list[OutboundMessage]:
    """`notify` for the several emails of one change: each distinct email rendered once, the
    rows written together and delivered by one task (alliance.services.messages_enqueue)."""
    rendered: dict[tuple[str, tuple[tuple[str, Any], ...]], mail.Rendered] = {}
    messages = []
    for notice in notices:
        which = (notice.template, tuple(sorted(notice.context.items())))
        if which not in rendered:
            rendered[which] = mail.render(notice.template, notice.context)
        email = rendered[which]
        messages.append(
            Message(
                key=notice.key,
                to=notice.to,
                subject=email.subject,
                body_text=email.body_text,
                body_html=email.body_html,
                erase_after_send=notice.erase_after_send,
            )
        )
    return messages_enqueue(messages)
