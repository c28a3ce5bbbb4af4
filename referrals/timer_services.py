"""Firing the referral timers: each due timer becomes outbox messages exactly once.

The rules (which timer is due on which working day) are pure, in `referrals.timers`. Here a
beat task reads the referrals still waiting, and for each due timer writes one outbox message
per recipient in one transaction with an audit event. Exactly once, whatever happens:

- the referral row is locked while its timer fires, so two beat runs (or two workers) firing
  the same timer serialise, and the second finds the first one's messages and stops;
- each message's idempotency key is `referral:<id>:timer:<timer>:<n>`, unique in the outbox,
  so even a bug that skipped the lock could not write a second copy;
- the messages are written in the same transaction as the audit event: a worker killed
  mid-way leaves nothing, and the next beat run fires the timer afresh;
- delivery is the outbox's (queued on commit, swept if the broker was down).
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from alliance.models import OutboundMessage
from alliance.notify import notify
from alliance.services import audit_record
from referrals.links import parent_url
from referrals.models import Referral
from referrals.timers import (
    RECIPIENTS,
    TIMED_STATUSES,
    Clock,
    Recipient,
    Timer,
    due_timers,
)
from referrals.working_days import DEFAULT_NATION

logger = logging.getLogger(__name__)

WHAT = {
    Timer.PROVIDER_REMINDER: "please accept or decline it",
    Timer.FCA_NOT_ACKNOWLEDGED: "the provider has not accepted or declined it in 4 working days",
    Timer.PARENT_NOT_BOOKED: "",
    Timer.FCA_NOTHING_AFTER_HEARING: "the parent is not booked 14 days after the hearing",
    Timer.PROVIDER_FOLLOW_UP: "the follow-up call (6 to 8 weeks after the workshop) is due",
}


def timer_key_prefix(referral_id: int, timer: Timer) -> str:
    return f"referral:{referral_id}:timer:{timer}:"


def _local_date(moment: dt.datetime | None) -> dt.date | None:
    return timezone.localdate(moment) if moment is not None else None


def referral_clock(referral: Referral) -> Clock:
    """The timers' view of a referral (needs case__programme and cohort selected)."""
    case = referral.case
    workshop = referral.cohort.starts_at if referral.cohort is not None else referral.attended_at
    return Clock(
        status=referral.status,
        nation=getattr(case.programme, "nation", DEFAULT_NATION) or DEFAULT_NATION,
        sent_on=_local_date(referral.sent_at),
        first_hearing_on=case.first_hearing_on,
        workshop_on=_local_date(workshop),
    )


def _timed_referrals():  # type: ignore[no-untyped-def]
    return Referral.objects.filter(status__in=TIMED_STATUSES).select_related(
        "case__programme", "case__created_by", "cohort", "offering__organisation"
    )


def _provider_addresses(referral: Referral) -> list[str]:
    if referral.offering is None:
        return []
    organisation = referral.offering.organisation
    addresses = [organisation.email] if organisation.email else []
    addresses += list(organisation.memberships.order_by("pk").values_list("user__email", flat=True))
    return list(dict.fromkeys(a for a in addresses if a))


def _send(referral: Referral, timer: Timer) -> int:
    recipient = RECIPIENTS[timer]
    prefix = timer_key_prefix(referral.pk, timer)
    if recipient is Recipient.PARENT:
        if not referral.email:
            return 0
        # The parent's address is kept in the outbox only until the email has gone.
        notify(
            key=prefix + "0",
            to=referral.email,
            template="referral-timer-parent",
            context={"reference": referral.reference, "url": parent_url(referral.reference)},
            erase_after_send=True,
        )
        return 1
    if recipient is Recipient.FCA:
        addresses = [referral.case.created_by.email]
        url = settings.SITE_URL + reverse("referrals:case", args=[referral.case_id])
    else:
        addresses = _provider_addresses(referral)
        url = settings.SITE_URL + reverse("referrals:provider-referral", args=[referral.pk])
    for index, address in enumerate(addresses):
        notify(
            key=f"{prefix}{index}",
            to=address,
            template="referral-timer-staff",
            context={"reference": referral.reference, "what": WHAT[timer], "url": url},
        )
    return len(addresses)


@transaction.atomic
def referral_timer_fire(*, referral_id: int, timer: Timer, today: dt.date) -> bool:
    """Fire one timer for one referral if it is due and has not fired; True if it fired now.

    Rule and source: referrals.timers (domain.md 1.7; issue 10 item 1).
    """
    referral = (
        Referral.objects.select_for_update(of=("self",))
        .select_related("case__programme", "case__created_by", "cohort", "offering__organisation")
        .get(pk=referral_id)
    )
    # Checked again under the lock: the state may have moved since the beat read it.
    if timer not in due_timers(referral_clock(referral), today):
        return False
    prefix = timer_key_prefix(referral.pk, timer)
    if OutboundMessage.objects.filter(idempotency_key__startswith=prefix).exists():
        return False
    sent = _send(referral, timer)
    audit_record(
        actor=None,
        action=f"referral.timer.{timer}",
        object_type="referrals.referral",
        object_id=referral.pk,
        detail={"status": referral.status, "messages": sent, "due": today.isoformat()},
    )
    if sent == 0:
        # Nobody to tell (a provider with no address): a marker keeps it from firing again.
        OutboundMessage.objects.get_or_create(
            idempotency_key=prefix + "none",
            defaults={
                "to": "",
                "subject": "",
                "body_text": "",
                "status": OutboundMessage.Status.FAILED,
                "last_error": "no recipient",
            },
        )
        logger.warning("referral timer %s for %s: nobody to tell", timer, referral.pk)
    return True


def referral_timers_run(*, today: dt.date | None = None) -> int:
    """Beat: fire every due timer once; returns how many fired on this run.

    Each referral's timers fire in their own transaction: one failure does not hold back the
    others, and a second run fires nothing already fired.
    """
    today = today or timezone.localdate()
    fired = 0
    for referral in _timed_referrals().iterator(chunk_size=500):
        for timer in due_timers(referral_clock(referral), today):
            if OutboundMessage.objects.filter(
                idempotency_key__startswith=timer_key_prefix(referral.pk, timer)
            ).exists():
                continue
            fired += referral_timer_fire(referral_id=referral.pk, timer=timer, today=today)
    return fired


def referral_overdue_counts(*, today: dt.date | None = None, referrals=None) -> dict[Timer, int]:  # type: ignore[no-untyped-def]
    """How many referrals each timer is overdue for now (fired or not), for the dashboard."""
    today = today or timezone.localdate()
    counts = dict.fromkeys(Timer, 0)
    queryset = referrals if referrals is not None else _timed_referrals()
    for referral in queryset.filter(status__in=TIMED_STATUSES).iterator(chunk_size=500):
        for timer in due_timers(referral_clock(referral), today):
            counts[timer] += 1
    return counts
