"""The retention purge: a closed referral's personal data is erased after RETENTION_MONTHS.

What goes (DESIGN.md privacy rule 6; domain.md 6.3, "its own short retention schedule with
automatic deletion"):
- the referral's personal fields (`Referral.PERSONAL_FIELDS`: name, email, phone, postcode,
  access needs, availability, decline reason), blanked in place;
- the free-text reasons on its events (`ReferralEvent.reason`);
- every outbox row about it (keys `referral:<id>:…`) and any row still addressed to its email:
  recipient and bodies blanked, the row kept so an idempotency key can never fire again;
- the same fields in any django-simple-history table registered for these models;
- once every referral of a case is erased, the case's own personal fields (court, case
  number, issuing court).

What stays, for the dashboard's anonymous figures: programme, route, status (the outcome),
the step timestamps (so the month and every duration), language and flags, ids and random
references. Audit rows hold ids and action codes only and are never changed (alliance
migration 0003), so they need no erasure.

"Closed" is an end state: completed, did not attend, withdrawn, declined, returned as
unsuitable. Each referral is erased in its own transaction and recorded once as an audit event
`referral.personal_data_erased`, which is also what makes a second run do nothing.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone

from alliance.models import AuditEvent, OutboundMessage
from alliance.services import audit_record
from referrals.models import Case, Referral, ReferralEvent, Status

logger = logging.getLogger(__name__)

CLOSED = frozenset(
    {
        Status.COMPLETED,
        Status.DID_NOT_ATTEND,
        Status.WITHDRAWN,
        Status.DECLINED,
        Status.RETURNED_UNSUITABLE,
    }
)
ERASED = "referral.personal_data_erased"
CASE_ERASED = "case.personal_data_erased"


def months_before(moment: dt.datetime, months: int) -> dt.datetime:
    """The same day and time `months` calendar months earlier (the month's last day if short)."""
    month_index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(month_index, 12)
    month += 1
    for day in range(moment.day, 0, -1):
        try:
            return moment.replace(year=year, month=month, day=day)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def _erased(object_type: str, action: str) -> Any:
    return AuditEvent.objects.filter(
        object_type=object_type,
        action=action,
        object_id=Cast(models.OuterRef("pk"), models.CharField()),
    )


def referrals_due_for_erasure(*, now: dt.datetime | None = None) -> models.QuerySet[Referral]:
    """Closed referrals past the retention period whose personal data is not yet erased."""
    now = now or timezone.now()
    cutoff = months_before(now, settings.RETENTION_MONTHS)
    return (
        Referral.objects.filter(status__in=CLOSED)
        .annotate(closed_moment=Coalesce("closed_at", "completed_at"))
        .filter(closed_moment__lt=cutoff)
        .exclude(models.Exists(_erased("referrals.referral", ERASED)))
        .order_by("pk")
    )


def _blank(model: type[models.Model], names: tuple[str, ...]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name in names:
        field = model._meta.get_field(name)
        values[name] = None if getattr(field, "null", False) else ""
    return values


def _history_model(model: type[models.Model]) -> Any:
    # django-simple-history's manager, if the model is registered (none are today).
    history = getattr(model, "history", None)
    return getattr(history, "model", None)


@transaction.atomic
def referral_personal_data_erase(*, referral_id: int) -> bool:
    """Erase one closed referral's personal data; False if already erased or not closed.

    Rule: DESIGN.md privacy rule 6; RETENTION_MONTHS (default 12) after it closed.
    """
    referral = Referral.objects.select_for_update(of=("self",)).get(pk=referral_id)
    if referral.status not in CLOSED:
        return False
    if AuditEvent.objects.filter(
        object_type="referrals.referral", object_id=str(referral.pk), action=ERASED
    ).exists():
        return False
    email = referral.email
    blank = _blank(Referral, Referral.PERSONAL_FIELDS)
    Referral.objects.filter(pk=referral.pk).update(**blank)
    history = _history_model(Referral)
    if history is not None:
        history.objects.filter(id=referral.pk).update(**blank)
    events = ReferralEvent.objects.filter(referral_id=referral.pk).exclude(reason="")
    reasons = events.update(reason="")
    outbox = models.Q(idempotency_key__startswith=f"referral:{referral.pk}:")
    if email:
        outbox |= models.Q(to__iexact=email)
    messages = (
        OutboundMessage.objects.filter(outbox)
        .exclude(to="", body_text="", body_html="")
        .update(to="", body_text="", body_html="", erased_at=timezone.now())
    )
    audit_record(
        actor=None,
        action=ERASED,
        object_type="referrals.referral",
        object_id=referral.pk,
        detail={"status": referral.status, "reasons": reasons, "messages": messages},
    )
    _case_erase_if_done(referral.case_id)
    return True


def _case_erase_if_done(case_id: int) -> None:
    case = Case.objects.select_for_update().get(pk=case_id)
    erased_ids = set(
        AuditEvent.objects.filter(object_type="referrals.referral", action=ERASED)
        .filter(object_id__in=[str(pk) for pk in case.referrals.values_list("pk", flat=True)])
        .values_list("object_id", flat=True)
    )
    if len(erased_ids) < case.referrals.count():
        return  # the other parent's referral is still open or within its period
    if AuditEvent.objects.filter(
        object_type="referrals.case", object_id=str(case.pk), action=CASE_ERASED
    ).exists():
        return
    blank = _blank(Case, Case.PERSONAL_FIELDS)
    Case.objects.filter(pk=case.pk).update(**blank)
    history = _history_model(Case)
    if history is not None:
        history.objects.filter(id=case.pk).update(**blank)
    audit_record(actor=None, action=CASE_ERASED, object_type="referrals.case", object_id=case.pk)


def referrals_purge_expired(*, now: dt.datetime | None = None) -> int:
    """Beat: erase every closed referral past its retention period; returns how many now.

    Idempotent: an erased referral is recorded and never selected again.
    """
    ids = list(referrals_due_for_erasure(now=now).values_list("pk", flat=True)[:2000])
    erased = sum(referral_personal_data_erase(referral_id=pk) for pk in ids)
    if erased:
        logger.info("retention: erased the personal data of %s closed referrals", erased)
    return erased
