"""Every change to a parenting plan: check and write in one transaction, an audit event, and
content-free emails through the outbox (DESIGN.md "Reliability"; STYLE.md).

Emails carry a sign-in link and nothing else: no names, no wording, no contact detail of the
other parent (DESIGN.md rules 1 and 2). Each parent's address is in the outbox only until the
message is sent (`erase_after_send`), because the message holds a link that opens the plan.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from alliance.models import OutboundMessage
from alliance.notify import notify
from alliance.services import audit_record, link_token_hash, link_token_new
from resources.plan.models import (
    ParentingPlan,
    PlanItem,
    PlanItemEvent,
    PlanLink,
    PlanParticipant,
)
from resources.plan.rules import Action, ItemStatus, Section, Who, allowed_actions, next_status

OBJECT_TYPE = "resources.parentingplan"
TOKEN_MAX_LENGTH = 100
ALERT_INTERVAL = timedelta(hours=1)


class PlanError(Exception):
    """A change the plan's present state does not allow; `message` is for the parent."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _link_new(*, participant: PlanParticipant, purpose: str) -> tuple[PlanLink, str]:
    """A new link's full address. Only its hash is stored; the token is only in the email."""
    token, token_hash = link_token_new()
    if purpose == PlanLink.Purpose.INVITE:
        lifetime = timedelta(days=settings.PLAN_INVITE_LINK_DAYS)
    else:
        lifetime = timedelta(minutes=settings.PLAN_SIGN_IN_LINK_MINUTES)
    link = PlanLink.objects.create(
        participant=participant,
        purpose=purpose,
        token_hash=token_hash,
        expires_at=timezone.now() + lifetime,
    )
    return link, settings.SITE_URL + reverse("plan:link", args=[token])


def _send_link(*, participant: PlanParticipant, purpose: str, template: str) -> OutboundMessage:
    link, url = _link_new(participant=participant, purpose=purpose)
    return notify(
        key=f"plan-link:{link.pk}",
        to=participant.email,
        template=template,
        context={
            "url": url,
            "minutes": settings.PLAN_SIGN_IN_LINK_MINUTES,
            "days": settings.PLAN_INVITE_LINK_DAYS,
        },
        erase_after_send=True,
    )


def _audit(action: str, plan: ParentingPlan, **detail: int | str) -> None:
    audit_record(
        actor=None,
        action=f"plan.{action}",
        object_type=OBJECT_TYPE,
        object_id=plan.pk,
        detail=detail,
    )


@transaction.atomic
def plan_start(*, email: str, name: str, private: bool) -> PlanParticipant:
    """Start a plan and email its first sign-in link to the parent who started it.

    A new plan every time: whether the address already has a plan is never looked at, so the
    page cannot reveal it (issue 13). A plan whose link is never used is erased by the beat.
    `private` when the safety questions signalled a risk: the plan can never be shared.
    """
    plan = ParentingPlan.objects.create(private=private)
    participant = PlanParticipant.objects.create(
        plan=plan, role=PlanParticipant.Role.STARTER, email=email.lower(), name=name
    )
    _audit("started", plan, participant=participant.pk, private=int(private))
    _send_link(participant=participant, purpose=PlanLink.Purpose.SIGN_IN, template="plan-sign-in")
    return participant


@transaction.atomic
def plan_sign_in_links_send(*, email: str) -> int:
    """Email a sign-in link for each plan this address may open; nothing when there is none.

    The caller shows the same page either way: nobody learns whether an address has a plan.
    """
    participants = PlanParticipant.objects.filter(
        email=email.lower(), joined_at__isnull=False, left_at__isnull=True
    ).select_related("plan")
    for participant in participants:
        _send_link(
            participant=participant, purpose=PlanLink.Purpose.SIGN_IN, template="plan-sign-in"
        )
    return len(participants)


def link_find(*, token: str) -> PlanLink | None:
    """The usable link for a token: known, not expired, not used, its parent not gone."""
    if not token or len(token) > TOKEN_MAX_LENGTH:
        return None
    return (
        PlanLink.objects.select_related("participant__plan")
        .filter(
            token_hash=link_token_hash(token),
            used_at__isnull=True,
            expires_at__gt=timezone.now(),
            participant__left_at__isnull=True,
        )
        .first()
    )


@transaction.atomic
def link_use(*, token: str, name: str = "") -> PlanParticipant:
    """Spend a link and return the parent it signs in. An invited parent joins with a name.

    Locked, then checked again: two tabs opening the same link must not both get in.
    """
    found = link_find(token=token)
    if found is None:
        raise PlanError("This link has expired or has already been used.")
    link = PlanLink.objects.select_for_update().get(pk=found.pk)
    if link.used_at is not None or link.expires_at <= timezone.now():
        raise PlanError("This link has expired or has already been used.")
    participant = PlanParticipant.objects.select_for_update().get(pk=link.participant_id)
    plan = ParentingPlan.objects.get(pk=participant.plan_id)
    now = timezone.now()
    link.used_at = now
    link.save(update_fields=["used_at"])
    if participant.joined_at is None:
        if participant.role == PlanParticipant.Role.INVITED:
            if plan.ended_at is not None or plan.private:
                raise PlanError("This invitation is no longer open.")
            participant.name = name
        participant.joined_at = now
        participant.save(update_fields=["joined_at", "name"])
        _audit("joined", plan, participant=participant.pk, role=participant.role)
        if participant.role == PlanParticipant.Role.INVITED:
            _alert_others(plan=plan, actor=participant)
    # Other unused links for this parent stop working: the newest email is the one that counts.
    PlanLink.objects.filter(participant=participant, used_at__isnull=True).exclude(
        pk=link.pk
    ).update(used_at=now)
    _audit("signed_in", plan, participant=participant.pk)
    participant.plan = plan
    return participant


def _other(plan: ParentingPlan, participant: PlanParticipant) -> PlanParticipant | None:
    return (
        PlanParticipant.objects.filter(plan=plan, joined_at__isnull=False, left_at__isnull=True)
        .exclude(pk=participant.pk)
        .first()
    )


def is_shared(plan: ParentingPlan) -> bool:
    """Two parents are on it and neither has left."""
    return (
        plan.ended_at is None
        and PlanParticipant.objects.filter(
            plan=plan, joined_at__isnull=False, left_at__isnull=True
        ).count()
        == 2
    )


def _alert_others(*, plan: ParentingPlan, actor: PlanParticipant) -> None:
    """Tell the other parent there is an update: no content, at most one email an hour.

    The participant row is locked so two changes at once cannot both decide to send; the hour
    is also in the idempotency key, so a retried request cannot send a second one.
    """
    other = _other(plan, actor)
    if other is None or not other.email:
        return
    other = PlanParticipant.objects.select_for_update().get(pk=other.pk)
    now = timezone.now()
    if other.alerted_at is not None and now - other.alerted_at < ALERT_INTERVAL:
        return
    other.alerted_at = now
    other.save(update_fields=["alerted_at"])
    _link, url = _link_new(participant=other, purpose=PlanLink.Purpose.SIGN_IN)
    notify(
        key=f"plan-update:{plan.pk}:{other.pk}:{now:%Y%m%d%H}",
        to=other.email,
        template="plan-update",
        context={"url": url, "minutes": settings.PLAN_SIGN_IN_LINK_MINUTES},
        erase_after_send=True,
    )


def _editable(plan: ParentingPlan, participant: PlanParticipant) -> None:
    if plan.ended_at is not None or not participant.active:
        raise PlanError("This plan has ended, so it can no longer be changed.")


def _lock(participant: PlanParticipant) -> tuple[ParentingPlan, PlanParticipant]:
    # The plan row is the lock for every change to it: one change at a time per plan.
    plan = ParentingPlan.objects.select_for_update().get(pk=participant.plan_id)
    fresh = PlanParticipant.objects.get(pk=participant.pk)
    _editable(plan, fresh)
    return plan, fresh


@transaction.atomic
def item_propose(*, participant: PlanParticipant, section: Section, text: str) -> PlanItem:
    """Add a suggestion to a section; the other parent is told there is an update."""
    plan, participant = _lock(participant)
    if plan.items.count() >= settings.PLAN_MAX_ITEMS:
        raise PlanError("This plan has as many items as it can hold.")
    item = PlanItem.objects.create(
        plan=plan, section=section.value, text=text, proposed_by=participant
    )
    PlanItemEvent.objects.create(
        item=item, participant=participant, action=Action.PROPOSE, text=text
    )
    ParentingPlan.objects.filter(pk=plan.pk).update(updated_at=timezone.now())
    _audit("item_proposed", plan, participant=participant.pk, item=item.pk)
    _alert_others(plan=plan, actor=participant)
    return item


@transaction.atomic
def item_act(
    *, participant: PlanParticipant, item_id: int, action: Action, text: str = ""
) -> PlanItem:
    """Counter, revise, agree, not agree or ask for help on an item, as the rules allow."""
    plan, participant = _lock(participant)
    item = PlanItem.objects.select_for_update().filter(plan=plan, pk=item_id).first()
    if item is None:
        raise PlanError("That item is not in your plan.")
    who = Who.AUTHOR if item.proposed_by_id == participant.pk else Who.OTHER
    status = ItemStatus(item.status)
    if action not in allowed_actions(status=status, who=who, shared=is_shared(plan)):
        raise PlanError("That item has changed. Check it and try again.")
    fields = ["status", "updated_at"]
    if action in {Action.COUNTER, Action.REVISE}:
        if not text:
            raise PlanError("Enter your suggestion.")
        item.text = text
        item.proposed_by = participant
        fields += ["text", "proposed_by"]
    item.status = next_status(action=action, status=status)
    item.save(update_fields=fields)
    PlanItemEvent.objects.create(item=item, participant=participant, action=action, text=item.text)
    ParentingPlan.objects.filter(pk=plan.pk).update(updated_at=timezone.now())
    _audit("item_" + action.value, plan, participant=participant.pk, item=item.pk)
    _alert_others(plan=plan, actor=participant)
    return item


@transaction.atomic
def invite_send(*, participant: PlanParticipant, email: str) -> None:
    """Invite the other parent by email. Never for a private plan (DESIGN.md rule 5).

    The invitation holds a link and nothing else: not the inviter's name or address. Sending
    again replaces the address and the earlier link; the number a day is limited.
    """
    plan, participant = _lock(participant)
    if plan.private:
        raise PlanError("This plan is just for you, so it cannot be shared.")
    if participant.role != PlanParticipant.Role.STARTER:
        raise PlanError("You are already sharing this plan.")
    email = email.lower()
    if email == participant.email:
        raise PlanError("Enter the other parent's email address, not your own.")
    invited = PlanParticipant.objects.filter(plan=plan, role=PlanParticipant.Role.INVITED).first()
    if invited is not None and invited.joined_at is not None:
        raise PlanError("The other parent has already joined this plan.")
    day_ago = timezone.now() - timedelta(days=1)
    if (
        PlanLink.objects.filter(
            participant__plan=plan, purpose=PlanLink.Purpose.INVITE, created_at__gt=day_ago
        ).count()
        >= settings.PLAN_INVITES_PER_DAY
    ):
        raise PlanError("You have sent several invitations today. Try again tomorrow.")
    if invited is None:
        invited = PlanParticipant.objects.create(
            plan=plan, role=PlanParticipant.Role.INVITED, email=email
        )
    else:
        invited.email = email
        invited.save(update_fields=["email"])
        invited.links.filter(used_at__isnull=True).update(used_at=timezone.now())
    _audit("invited", plan, participant=participant.pk)
    _send_link(participant=invited, purpose=PlanLink.Purpose.INVITE, template="plan-invite")


@transaction.atomic
def invite_withdraw(*, participant: PlanParticipant) -> None:
    """Cancel an invitation not yet accepted: its link stops working, the address is erased."""
    plan, participant = _lock(participant)
    invited = PlanParticipant.objects.filter(
        plan=plan, role=PlanParticipant.Role.INVITED, joined_at__isnull=True
    ).first()
    if invited is None:
        raise PlanError("There is no invitation to cancel.")
    invited.delete()
    _audit("invitation_withdrawn", plan, participant=participant.pk)


@transaction.atomic
def review_date_set(*, participant: PlanParticipant, review_on: date | None) -> None:
    """Set (or clear) the date to look at the plan again; both parents get a reminder then."""
    plan, participant = _lock(participant)
    plan.review_on = review_on
    plan.save(update_fields=["review_on", "updated_at"])
    _audit("review_date_set", plan, participant=participant.pk)
    _alert_others(plan=plan, actor=participant)


@transaction.atomic
def plan_leave(*, participant: PlanParticipant) -> None:
    """Leave a plan. A shared plan ends: the other parent keeps what was agreed, read only.

    The leaving parent's address is erased and their links stop working; nothing more is shared
    either way (issue 13). A plan nobody is left on is erased at once.
    """
    plan = ParentingPlan.objects.select_for_update().get(pk=participant.plan_id)
    participant = PlanParticipant.objects.get(pk=participant.pk)
    if participant.left_at is not None:
        return
    now = timezone.now()
    other = _other(plan, participant)
    if other is not None:
        # Told before the leaver's row changes, and in this transaction: no content.
        _alert_others(plan=plan, actor=participant)
    participant.left_at = now
    participant.email = ""
    participant.save(update_fields=["left_at", "email"])
    participant.links.filter(used_at__isnull=True).update(used_at=now)
    # An invitation nobody accepted goes with the plan's ending.
    PlanParticipant.objects.filter(plan=plan, joined_at__isnull=True).delete()
    _audit("left", plan, participant=participant.pk)
    if other is None:
        plan.delete()
        return
    plan.ended_at = now
    plan.save(update_fields=["ended_at", "updated_at"])


def review_reminders_send(*, today: date | None = None) -> int:
    """Beat: remind each parent on a plan whose review date has come, once per date."""
    today = today or timezone.localdate()
    sent = 0
    due = ParentingPlan.objects.filter(review_on__lte=today, ended_at__isnull=True).exclude(
        review_reminded_for=F("review_on")
    )
    for plan_id in due.values_list("pk", flat=True)[:500]:
        sent += _review_remind(plan_id=plan_id)
    return sent


@transaction.atomic
def _review_remind(*, plan_id: int) -> int:
    plan = ParentingPlan.objects.select_for_update().get(pk=plan_id)
    if plan.review_on is None or plan.review_reminded_for == plan.review_on:
        return 0
    sent = 0
    for participant in PlanParticipant.objects.filter(
        plan=plan, joined_at__isnull=False, left_at__isnull=True
    ).exclude(email=""):
        _link, url = _link_new(participant=participant, purpose=PlanLink.Purpose.SIGN_IN)
        notify(
            key=f"plan-review:{participant.pk}:{plan.review_on:%Y%m%d}",
            to=participant.email,
            template="plan-review",
            context={"url": url, "minutes": settings.PLAN_SIGN_IN_LINK_MINUTES},
            erase_after_send=True,
        )
        sent += 1
    plan.review_reminded_for = plan.review_on
    plan.save(update_fields=["review_reminded_for"])
    _audit("review_reminded", plan)
    return sent


def plans_erase_expired(*, now: datetime | None = None) -> int:
    """Beat: erase plans nobody has opened for the retention period, and unused starts.

    DESIGN.md rule 6: personal data has a retention period after which it is erased. A plan
    whose first link was never used holds an address nobody confirmed: gone after a day.
    """
    now = now or timezone.now()
    idle = now - timedelta(days=settings.PERSONAL_DATA_RETENTION_DAYS)
    deleted, _ = ParentingPlan.objects.filter(updated_at__lt=idle).delete()
    unconfirmed = ParentingPlan.objects.filter(
        created_at__lt=now - timedelta(days=1),
        participants__role=PlanParticipant.Role.STARTER,
        participants__joined_at__isnull=True,
    )
    more, _ = unconfirmed.delete()
    return deleted + more
