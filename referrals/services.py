"""Every state change of a programme referral. Nothing else changes a referral's state.

Each transition is one keyword-only function: it checks the TRANSITIONS table, writes in one
transaction, records a ReferralEvent and an audit event, and writes its emails to the outbox
in the same transaction (DESIGN.md "Reliability"). Emails carry a reference and a link only.

Lock order, everywhere: the case row, then its referrals, then a cohort. Every write that
gives or takes a cohort place locks the case first, so the two parents of one case are
allocated or booked one after the other and each sees the other's cohort (domain.md 1.5).
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.db.models import QuerySet
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from alliance.models import AuditEvent, User
from alliance.notify import Notice, notify, notify_all
from alliance.services import audit_record
from directory.models import Organisation
from directory.selectors import (
    PostcodeMatch,
    haversine_miles,
    in_alliance_area,
    miles_between,
    postcode_lookup,
)
from referrals import gate as gate_rules
from referrals.links import parent_url
from referrals.models import (
    Case,
    Cohort,
    CourtDecision,
    Mode,
    Offering,
    Programme,
    Referral,
    ReferralEvent,
    Route,
    Status,
)

logger = logging.getLogger(__name__)

ALLOCATE_TASK = "referrals.tasks.allocate_referral"
ALLOCATE_CASE_TASK = "referrals.tasks.allocate_case"
# No 0/O or 1/I: a reference is read aloud on the phone.
_REFERENCE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"


class ReferralError(Exception):
    """A change the referral's state or the rules do not allow; the message says why."""


@dataclass(frozen=True)
class Transition:
    sources: frozenset[Status]
    target: Status
    stamp: str  # the Referral timestamp this step sets


def _t(sources: set[Status], target: Status, stamp: str) -> Transition:
    return Transition(frozenset(sources), target, stamp)


S = Status
OPEN_BEFORE_ATTENDANCE = {
    S.DRAFT, S.SUBMITTED, S.UNALLOCATED, S.ALLOCATED, S.SENT, S.ACCEPTED, S.BOOKED,
}  # fmt: skip

# The one table of allowed steps (issue 9 item 5): action -> from which states, to which.
TRANSITIONS: dict[str, Transition] = {
    "submit": _t({S.DRAFT}, S.SUBMITTED, "submitted_at"),
    "allocate": _t({S.SUBMITTED, S.UNALLOCATED}, S.ALLOCATED, "allocated_at"),
    "wait": _t({S.SUBMITTED}, S.UNALLOCATED, "allocated_at"),
    "send": _t({S.ALLOCATED}, S.SENT, "sent_at"),
    "accept": _t({S.SENT}, S.ACCEPTED, "accepted_at"),
    "decline": _t({S.SENT}, S.DECLINED, "closed_at"),
    "book": _t({S.ACCEPTED, S.BOOKED}, S.BOOKED, "booked_at"),
    "attend": _t({S.BOOKED}, S.ATTENDED, "attended_at"),
    "did_not_attend": _t({S.BOOKED}, S.DID_NOT_ATTEND, "closed_at"),
    "complete": _t({S.ATTENDED}, S.COMPLETED, "completed_at"),
    "withdraw": _t(OPEN_BEFORE_ATTENDANCE, S.WITHDRAWN, "closed_at"),
    "return_unsuitable": _t(
        {S.SENT, S.ACCEPTED, S.BOOKED, S.ATTENDED}, S.RETURNED_UNSUITABLE, "closed_at"
    ),
}
# Leaving by these steps gives the cohort place back.
RELEASES_PLACE = frozenset({"decline", "withdraw", "return_unsuitable"})


def allowed_actions(status: str) -> list[str]:
    """The actions the table allows from a status (the pages offer only these)."""
    return [action for action, step in TRANSITIONS.items() if status in step.sources]


def new_reference(prefix: str) -> str:
    return prefix + "".join(secrets.choice(_REFERENCE_ALPHABET) for _ in range(7))


# Helpers -----------------------------------------------------------------------------------


def _lock_case(case_id: int) -> Case:
    return Case.objects.select_for_update().select_related("created_by").get(pk=case_id)


def _lock_referral(referral_id: int) -> tuple[Case, Referral]:
    case_id = Referral.objects.values_list("case_id", flat=True).get(pk=referral_id)
    case = _lock_case(case_id)
    referral = (
        Referral.objects.select_for_update(of=("self",))
        .select_related("offering__organisation", "cohort")
        .get(pk=referral_id)
    )
    return case, referral


def _move(
    referral: Referral, action: str, *, actor: User | None, reason: str = "", **fields: Any
) -> Referral:
    """Check the table, set the new state and its timestamp, record the event and the audit."""
    step = TRANSITIONS[action]
    if referral.status not in step.sources:
        raise ReferralError(
            f"A referral that is {Status(referral.status).label.lower()} cannot be moved by "
            f"“{action.replace('_', ' ')}”."
        )
    before = referral.status
    now = timezone.now()
    referral.status = step.target
    setattr(referral, step.stamp, now)
    for name, value in fields.items():
        setattr(referral, name, value)
    referral.save(update_fields=["status", step.stamp, *fields])
    ReferralEvent.objects.create(
        referral=referral,
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        from_status=before,
        to_status=step.target,
        reason=reason[:200],
    )
    audit_record(
        actor=actor,
        action=f"referral.{action}",
        object_type="referrals.referral",
        object_id=referral.pk,
        detail={"from": before, "to": str(step.target), "cohort": referral.cohort_id},
    )
    return referral


def _release_place(referral: Referral) -> None:
    if referral.cohort_id is None:
        return
    Cohort.objects.filter(pk=referral.cohort_id).update(places_taken=models.F("places_taken") - 1)
    referral.cohort = None


def _take_place(cohort_id: int) -> bool:
    # One conditional UPDATE: PostgreSQL re-checks the condition on the newest row version
    # after waiting for a concurrent writer, so two takers of the last place cannot both win.
    # The check constraint cohort_never_over_capacity stands behind it.
    updated = Cohort.objects.filter(pk=cohort_id, places_taken__lt=models.F("capacity")).update(
        places_taken=models.F("places_taken") + 1
    )
    return updated == 1


def _other_parent_cohort(referral: Referral) -> int | None:
    return (
        Referral.objects.filter(case_id=referral.case_id)
        .exclude(pk=referral.pk)
        .values_list("cohort_id", flat=True)
        .first()
    )


def _fca_url(case: Case) -> str:
    return settings.SITE_URL + reverse("referrals:case", args=[case.pk])


def _provider_url(referral: Referral) -> str:
    return settings.SITE_URL + reverse("referrals:provider-referral", args=[referral.pk])


def _tell_fca(case: Case, referral: Referral, event: str, *, what: str) -> None:
    notify(
        key=f"referral:{referral.pk}:fca:{event}:{referral.events.count()}",
        to=case.created_by.email,
        template="referral-fca-update",
        context={"reference": referral.reference, "what": what, "url": _fca_url(case)},
    )


def _tell_parent(referral: Referral, event: str) -> None:
    # The parent's own address is kept only until the email has gone (DESIGN.md rule 6).
    notify(
        key=f"referral:{referral.pk}:parent:{event}:{referral.events.count()}",
        to=referral.email,
        template=f"referral-parent-{event}",
        context={"reference": referral.reference, "url": parent_url(referral.reference)},
        erase_after_send=True,
    )


# The gate -----------------------------------------------------------------------------------


def case_gate(case: Case, *, today: dt.date | None = None) -> gate_rules.GateResult:
    """The safeguarding gate for a case, from its answers and both parents' safety flags."""
    referrals = list(case.referrals.all())
    return gate_rules.gate(
        gate_rules.GateInput(
            route=gate_rules.Route(case.route),
            today=today or timezone.localdate(),
            first_hearing_on=case.first_hearing_on,
            order_date=case.order_date,
            issuing_court=case.issuing_court,
            court_decision=gate_rules.CourtDecision(case.court_decision),
            enquiries_completed_on=case.enquiries_completed_on,
            police_checks_done=case.police_checks_done,
            local_authority_checks_done=case.local_authority_checks_done,
            both_parents_spoken_to=case.both_parents_spoken_to,
            domestic_abuse_indicated=case.domestic_abuse_indicated,
            child_safeguarding_indicated=case.child_safeguarding_indicated,
            parent_safety_flag=any(r.safety_flag for r in referrals),
            fca_attests=case.fca_attests,
        )
    )


# Cases --------------------------------------------------------------------------------------

CASE_FIELDS = (
    "court",
    "case_number",
    "issuing_court",
    "first_hearing_on",
    "route",
    "order_date",
    "enquiries_completed_on",
    "police_checks_done",
    "local_authority_checks_done",
    "both_parents_spoken_to",
    "domestic_abuse_indicated",
    "child_safeguarding_indicated",
    "fca_attests",
)
PARENT_FIELDS = (
    "name",
    "email",
    "phone",
    "postcode",
    "preferred_language",
    "interpreter_needed",
    "access_needs",
    "address_confidential",
    "safety_flag",
)


@transaction.atomic
def case_create(
    *,
    actor: User,
    programme: Programme,
    case: dict[str, Any],
    parents: list[dict[str, Any]],
) -> Case:
    """Create a case and one draft referral per parent (never one per couple: domain.md 7.1)."""
    if len(parents) != 2:
        raise ReferralError("A case has two parents, each with their own referral.")
    row = Case.objects.create(
        reference=new_reference("C"),
        created_by=actor,
        programme=programme,
        **{name: case[name] for name in CASE_FIELDS if name in case},
    )
    for number, parent in enumerate(parents, start=1):
        referral = Referral.objects.create(
            reference=new_reference("R"),
            case=row,
            parent=number,
            **{name: parent[name] for name in PARENT_FIELDS if name in parent},
        )
        ReferralEvent.objects.create(
            referral=referral, actor=actor, action="create", from_status="", to_status=S.DRAFT
        )
    audit_record(actor=actor, action="case.created", object_type="referrals.case", object_id=row.pk)
    return row


@transaction.atomic
def case_court_decision_record(*, actor: User, case_id: int, decision: CourtDecision) -> Case:
    """Record the court's answer to an FCA's request (ordered or declined)."""
    case = _lock_case(case_id)
    if case.route != Route.REQUEST_TO_COURT:
        raise ReferralError("Only a request to the court waits for the court's decision.")
    if case.court_decision != CourtDecision.PENDING:
        raise ReferralError("The court's decision is already recorded.")
    case.court_decision = decision
    case.save(update_fields=["court_decision"])
    audit_record(
        actor=actor,
        action="case.court_decision",
        object_type="referrals.case",
        object_id=case.pk,
        detail={"decision": str(decision)},
    )
    return case


@transaction.atomic
def case_route_to_court(*, actor: User, case_id: int) -> Case:
    """Turn a blocked direct referral into a request to the court (the gate's way out)."""
    case = _lock_case(case_id)
    if case.route != Route.FCA_DIRECT or case.referrals.exclude(status=S.DRAFT).exists():
        raise ReferralError("Only a direct referral not yet submitted can become a request.")
    case.route = Route.REQUEST_TO_COURT
    case.court_decision = CourtDecision.PENDING
    case.save(update_fields=["route", "court_decision"])
    audit_record(
        actor=actor, action="case.routed_to_court", object_type="referrals.case", object_id=case.pk
    )
    return case


def _queue_allocation(referral_id: int) -> None:
    from alliance.celery import app as celery_app

    try:
        celery_app.send_task(ALLOCATE_TASK, args=[referral_id])
    except Exception:  # the broker is down: the FCA can try again from the case page
        logger.warning("referrals: could not queue allocation of %s", referral_id)


def _queue_case_allocation(case_id: int) -> None:
    from alliance.celery import app as celery_app

    try:
        celery_app.send_task(ALLOCATE_CASE_TASK, args=[case_id])
    except Exception:  # the broker is down: the FCA can try again from the case page
        logger.warning("referrals: could not queue allocation of case %s", case_id)


@transaction.atomic
def case_submit(*, actor: User, case_id: int) -> list[Referral]:
    """Submit every draft referral of a case, if the safeguarding gate allows; queue allocation.

    Rule (domain.md 1.3, 2): a direct referral needs complete enquiries and no indicator.
    """
    case = _lock_case(case_id)
    result = case_gate(case)
    if not result.allowed:
        raise ReferralError(" ".join(block.value for block in result.blocks))
    drafts = list(case.referrals.select_for_update().filter(status=S.DRAFT))
    if not drafts:
        raise ReferralError("There is nothing to submit: both referrals are already submitted.")
    for referral in drafts:
        _move(referral, "submit", actor=actor)
    # One task allocates both parents, one after the other under the case lock (queued after
    # commit: a rolled-back submit never allocates).
    transaction.on_commit(partial(_queue_case_allocation, case.pk))
    return drafts


@transaction.atomic
def referral_retry_allocation(*, actor: User, referral_id: int) -> None:
    """Ask again for a place for a referral that is waiting (the FCA's "try again")."""
    _case, referral = _lock_referral(referral_id)
    # A submitted referral whose task was lost (the broker was down) may be tried again too.
    if referral.status not in {S.SUBMITTED, S.UNALLOCATED}:
        raise ReferralError("Only a referral waiting for a place can be tried again.")
    audit_record(
        actor=actor,
        action="referral.allocation_retried",
        object_type="referrals.referral",
        object_id=referral.pk,
    )
    transaction.on_commit(lambda: _queue_allocation(referral.pk))


# Allocation ---------------------------------------------------------------------------------


def _covers(offering: Offering, match: PostcodeMatch | None) -> bool:
    if offering.coverage == Offering.Coverage.NATIONAL:
        return True
    if match is None:  # a postcode the postcode table does not know
        return False
    if offering.coverage == Offering.Coverage.AREA:
        # The postcode table covers the whole UK: a known postcode is not yet in the area.
        return in_alliance_area(match)
    point = match.point
    venue = offering.venue
    return (
        venue is not None
        and offering.radius_miles is not None
        and miles_between(point, (venue.latitude, venue.longitude)) <= offering.radius_miles
    )


def _speaks(offering: Offering, referral: Referral) -> bool:
    if referral.interpreter_needed:
        return offering.interpreter_available
    return referral.preferred_language in offering.languages or offering.interpreter_available


def _usable_offering_ids(
    offerings: list[Offering], referral: Referral, match: PostcodeMatch | None
) -> list[int]:
    return [o.pk for o in offerings if _covers(o, match) and _speaks(o, referral)]


def _ranked_cohorts(
    offering_ids: list[int],
    *,
    point: tuple[float, float] | None,
    other: int | None,
    now: dt.datetime,
) -> QuerySet[Cohort]:
    """Future cohorts with room of these offerings, never `other`, best first, ranked by the
    database: in person nearest first (then soonest), then online soonest first."""
    rows = Cohort.objects.filter(
        offering_id__in=offering_ids, starts_at__gt=now, places_taken__lt=models.F("capacity")
    )
    if other is not None:
        rows = rows.exclude(pk=other)
    if point is None:  # no point to measure from: only online groups will do
        return rows.filter(mode=Mode.ONLINE).order_by("starts_at", "pk")
    in_person = models.Q(mode=Mode.IN_PERSON, venue__isnull=False)
    return (
        rows.filter(models.Q(mode=Mode.ONLINE) | models.Q(venue__isnull=False))
        .annotate(
            rank=models.Case(models.When(in_person, then=0), default=1),
            miles=models.Case(
                models.When(in_person, then=haversine_miles(*point, prefix="venue__")),
                default=models.Value(0.0),
                output_field=models.FloatField(),
            ),
        )
        .order_by("rank", "miles", "starts_at", "pk")
    )


_BATCH = 5  # cohorts read at a time; the next few only if another worker filled them first


def _place(
    referral: Referral,
    offerings: list[Offering],
    *,
    other: int | None,
    now: dt.datetime,
    points: dict[str, PostcodeMatch | None] | None = None,
) -> tuple[int, Offering] | None:
    """Take a place in the best cohort with room for this parent: (cohort id, its offering),
    or None. The rule (issue 9 item 4): an active offering of the case's programme that covers
    the parent's postcode, in their language or with an interpreter, a future cohort with room,
    never the other parent's cohort; in person nearest first, then online (`_ranked_cohorts`).
    `points` caches postcode look-ups across the parents of one call.

    The ranking reads a few ids at a time; each place is taken by the conditional UPDATE
    (`_take_place`), which locks only the chosen row.
    """
    points = {} if points is None else points
    if referral.postcode not in points:
        points[referral.postcode] = postcode_lookup(referral.postcode)
    match = points[referral.postcode]
    point = match.point if match is not None else None
    offering_ids = _usable_offering_ids(offerings, referral, match)
    if not offering_ids:
        return None
    by_id = {o.pk: o for o in offerings}
    ranked = _ranked_cohorts(offering_ids, point=point, other=other, now=now)
    tried: list[int] = []
    while True:
        batch = list(ranked.exclude(pk__in=tried).values_list("pk", "offering_id")[:_BATCH])
        for cohort_id, offering_id in batch:
            if _take_place(cohort_id):
                return cohort_id, by_id[offering_id]
        if len(batch) < _BATCH:
            return None
        tried += [cohort_id for cohort_id, _ in batch]


@transaction.atomic
def referral_allocate(*, referral_id: int, actor: User | None = None) -> Referral:
    """Give one parent a place in a cohort, or mark the referral as waiting and tell the FCA.

    Serialised per case (the case row is locked), so two workers allocating the two parents
    of one case at the same moment see each other's cohort; each place is taken by a
    conditional UPDATE, so no cohort goes over capacity (both also database constraints).
    """
    case, referral = _lock_referral(referral_id)
    if referral.status not in TRANSITIONS["allocate"].sources:
        raise ReferralError("This referral is not waiting for a place.")
    now = timezone.now()
    offerings = _active_offerings(case, now)
    place = _place(referral, offerings, other=_other_parent_cohort(referral), now=now)
    if place is not None:
        cohort_id, offering = place
        return _move(referral, "allocate", actor=actor, cohort_id=cohort_id, offering=offering)
    if referral.status == S.SUBMITTED:
        _move(referral, "wait", actor=actor)
        _tell_fca(case, referral, "unallocated", what="waiting: no suitable place yet")
    return referral


def _active_offerings(case: Case, now: dt.datetime) -> list[Offering]:
    if not case.programme.is_active_on(now.date()):
        return []
    return list(
        Offering.objects.filter(programme_id=case.programme_id, active=True).select_related(
            "venue", "organisation"
        )
    )


def _provider_recipients(organisation: Organisation) -> list[str]:
    recipients = [organisation.email] if organisation.email else []
    recipients += list(
        organisation.memberships.order_by("pk").values_list("user__email", flat=True)
    )
    return list(dict.fromkeys(recipients))


def _provider_notices(referral: Referral, recipients: list[str]) -> list[Notice]:
    context = {"reference": referral.reference, "url": _provider_url(referral)}
    return [
        Notice(
            f"referral:{referral.pk}:provider-new:{index}",
            address,
            "referral-provider-new",
            context,
        )
        for index, address in enumerate(recipients)
    ]


def _parent_notice(referral: Referral, event: str, events: int) -> Notice:
    # The parent's own address is kept only until the email has gone (DESIGN.md rule 6).
    return Notice(
        f"referral:{referral.pk}:parent:{event}:{events}",
        referral.email,
        f"referral-parent-{event}",
        {"reference": referral.reference, "url": parent_url(referral.reference)},
        erase_after_send=True,
    )


@transaction.atomic
def referral_send_to_provider(*, referral_id: int, actor: User | None = None) -> Referral:
    """Send an allocated referral to its provider; tell the provider and the parent."""
    _case, referral = _lock_referral(referral_id)
    _move(referral, "send", actor=actor)
    if referral.offering is None:  # never: an allocated referral has one
        raise ReferralError("This referral has no provider.")
    notify_all(
        [
            *_provider_notices(referral, _provider_recipients(referral.offering.organisation)),
            _parent_notice(referral, "sent", referral.events.count()),
        ]
    )
    return referral


# Allocating and sending in one go (the worker's path) ---------------------------------------


class _Trail:
    """The events, audit rows and emails of one transaction, written together at the end."""

    def __init__(self, actor: User | None) -> None:
        self.actor = actor if actor is not None and actor.is_authenticated else None
        self.events: list[ReferralEvent] = []
        self.audit: list[AuditEvent] = []
        self.notices: list[Notice] = []

    def step(self, referral: Referral, action: str, now: dt.datetime, **fields: Any) -> set[str]:
        """`_move` in memory: check the table, set the state; returns the fields changed."""
        step = TRANSITIONS[action]
        if referral.status not in step.sources:
            raise ReferralError(
                f"A referral that is {Status(referral.status).label.lower()} cannot be moved "
                f"by “{action.replace('_', ' ')}”."
            )
        before = referral.status
        referral.status = step.target
        setattr(referral, step.stamp, now)
        for name, value in fields.items():
            setattr(referral, name, value)
        self.events.append(
            ReferralEvent(
                referral=referral,
                actor=self.actor,
                action=action,
                from_status=before,
                to_status=step.target,
            )
        )
        self.audit.append(
            AuditEvent(
                actor=self.actor,
                action=f"referral.{action}",
                object_type="referrals.referral",
                object_id=str(referral.pk),
                detail={"from": before, "to": str(step.target), "cohort": referral.cohort_id},
            )
        )
        return {"status", step.stamp, *fields}

    def write(self) -> None:
        ReferralEvent.objects.bulk_create(self.events)
        AuditEvent.objects.bulk_create(self.audit)
        if self.notices:
            notify_all(self.notices)


def _allocate_and_send(
    case: Case, referrals: list[Referral], waiting: list[Referral], actor: User | None
) -> None:
    """Allocate each waiting referral and send it to its provider, or mark it waiting: every
    step recorded as `_move` would (one ReferralEvent and one audit row per transition)."""
    now = timezone.now()
    trail = _Trail(actor)
    offerings = _active_offerings(case, now)
    counts = {r.pk: r.n_events for r in referrals if hasattr(r, "n_events")}
    if len(counts) < len(referrals):
        counts = dict(
            ReferralEvent.objects.filter(referral__in=referrals)
            .values("referral")
            .annotate(n=models.Count("pk"))
            .values_list("referral", "n")
        )
    recipients: dict[int, list[str]] = {}
    points: dict[str, PostcodeMatch | None] = {}
    moved: list[Referral] = []
    fields: set[str] = set()
    for referral in waiting:
        other = next((r.cohort_id for r in referrals if r.pk != referral.pk), None)
        place = _place(referral, offerings, other=other, now=now, points=points)
        if place is not None:
            cohort_id, offering = place
            changed = trail.step(referral, "allocate", now, cohort_id=cohort_id, offering=offering)
            changed |= trail.step(referral, "send", now)
            organisation = offering.organisation
            if organisation.pk not in recipients:
                recipients[organisation.pk] = _provider_recipients(organisation)
            trail.notices += _provider_notices(referral, recipients[organisation.pk])
            events = counts.get(referral.pk, 0) + 2
            trail.notices.append(_parent_notice(referral, "sent", events))
        elif referral.status == S.SUBMITTED:
            changed = trail.step(referral, "wait", now)
            events = counts.get(referral.pk, 0) + 1
            trail.notices.append(
                Notice(
                    f"referral:{referral.pk}:fca:unallocated:{events}",
                    case.created_by.email,
                    "referral-fca-update",
                    {
                        "reference": referral.reference,
                        "what": "waiting: no suitable place yet",
                        "url": _fca_url(case),
                    },
                )
            )
        else:
            continue
        moved.append(referral)
        fields |= changed
    # One UPDATE for every referral moved (their rows are locked: the rest is as read).
    if moved:
        Referral.objects.bulk_update(moved, sorted(fields))
    trail.write()


@transaction.atomic
def case_allocate(*, case_id: int, actor: User | None = None) -> list[Referral]:
    """Allocate and send every waiting parent of a case, in one transaction (the worker's
    path after a submission). The case lock serialises it with anything else that gives or
    takes a place in this case, so the second parent always sees the first one's cohort."""
    case = (
        Case.objects.select_for_update().select_related("created_by", "programme").get(pk=case_id)
    )
    events = (
        ReferralEvent.objects.filter(referral=models.OuterRef("pk"))
        .order_by()
        .values("referral")
        .annotate(n=models.Count("pk"))
        .values("n")
    )
    referrals: list[Referral] = list(
        Referral.objects.select_for_update()
        .filter(case_id=case.pk)
        .annotate(n_events=Coalesce(models.Subquery(events), 0))
        .order_by("parent")
    )
    allocate = TRANSITIONS["allocate"].sources
    waiting = [r for r in referrals if r.status in allocate]
    _allocate_and_send(case, referrals, waiting, actor)
    return referrals


@transaction.atomic
def referral_allocate_and_send(*, referral_id: int, actor: User | None = None) -> Referral:
    """Allocate one waiting parent and send it to the provider in one transaction (the
    FCA's "try again"); a referral no longer waiting is left as it is."""
    case, referral = _lock_referral(referral_id)
    if referral.status not in TRANSITIONS["allocate"].sources:
        raise ReferralError("This referral is not waiting for a place.")
    referrals = list(Referral.objects.filter(case_id=case.pk).exclude(pk=referral.pk))
    _allocate_and_send(case, [referral, *referrals], [referral], actor)
    return referral


# Provider steps -----------------------------------------------------------------------------


@transaction.atomic
def referral_accept(*, actor: User, referral_id: int) -> Referral:
    """The provider accepts the referral; the FCA is told."""
    case, referral = _lock_referral(referral_id)
    _move(referral, "accept", actor=actor)
    _tell_fca(case, referral, "accepted", what="accepted by the provider")
    return referral


@transaction.atomic
def referral_decline(*, actor: User, referral_id: int, reason: str) -> Referral:
    """The provider declines, with a reason (DfE Family Hubs: mandatory, short); FCA told."""
    if not reason.strip():
        raise ReferralError("Give a reason for declining.")
    case, referral = _lock_referral(referral_id)
    _release_place(referral)
    _move(
        referral,
        "decline",
        actor=actor,
        cohort=referral.cohort,
        decline_reason=reason.strip()[:500],
    )
    _tell_fca(case, referral, "declined", what="declined by the provider")
    return referral


@transaction.atomic
def referral_book(*, actor: User, referral_id: int, cohort_id: int) -> Referral:
    """Book the parent into one of the provider's cohorts: never the other parent's, never full.

    Rule (domain.md 1.5): the two parents never attend the same session.
    """
    _case, referral = _lock_referral(referral_id)
    if referral.status not in TRANSITIONS["book"].sources:
        raise ReferralError("Accept the referral before booking a place.")
    cohort = Cohort.objects.select_related("offering").filter(pk=cohort_id).first()
    if cohort is None or referral.offering is None:
        raise ReferralError("Choose one of your cohorts.")
    if cohort.offering.organisation_id != referral.offering.organisation_id:
        raise ReferralError("Choose one of your cohorts.")
    if cohort.offering.programme_id != referral.offering.programme_id:
        raise ReferralError("Choose a cohort of the same programme.")
    if cohort.pk == _other_parent_cohort(referral):
        raise ReferralError("This parent cannot be in that cohort. Choose another.")
    if cohort.pk != referral.cohort_id:
        if cohort.starts_at <= timezone.now():
            raise ReferralError("That cohort has already started. Choose another.")
        if not _take_place(cohort.pk):
            raise ReferralError("That cohort is full. Choose another.")
        _release_place(referral)
    _move(referral, "book", actor=actor, cohort=cohort, offering=cohort.offering)
    _tell_parent(referral, "booked")
    return referral


@transaction.atomic
def referral_attendance_record(*, actor: User, referral_id: int, attended: bool) -> Referral:
    """Record attendance only, never what a parent said (domain.md 1.7). A court-ordered
    non-attendance is flagged to the FCA to report to the court."""
    case, referral = _lock_referral(referral_id)
    if attended:
        return _move(referral, "attend", actor=actor)
    _move(referral, "did_not_attend", actor=actor)
    ordered = case.route == Route.COURT_ORDER or case.court_decision == CourtDecision.ORDERED
    what = "did not attend (court-ordered: report to the court)" if ordered else "did not attend"
    _tell_fca(case, referral, "did-not-attend", what=what)
    return referral


@transaction.atomic
def referral_complete(*, actor: User, referral_id: int) -> Referral:
    """Record completion; the FCA is told."""
    case, referral = _lock_referral(referral_id)
    _move(referral, "complete", actor=actor)
    _tell_fca(case, referral, "completed", what="completed")
    return referral


@transaction.atomic
def referral_return_unsuitable(*, actor: User, referral_id: int, reason: str) -> Referral:
    """The provider returns the referral as unsuitable; the place is freed; the FCA is told."""
    case, referral = _lock_referral(referral_id)
    _release_place(referral)
    _move(referral, "return_unsuitable", actor=actor, cohort=referral.cohort, reason=reason)
    _tell_fca(case, referral, "returned", what="returned as unsuitable")
    return referral


@transaction.atomic
def referral_withdraw(*, actor: User, referral_id: int, reason: str = "") -> Referral:
    """The FCA withdraws a referral; any place is freed."""
    _case, referral = _lock_referral(referral_id)
    _release_place(referral)
    return _move(referral, "withdraw", actor=actor, cohort=referral.cohort, reason=reason)


# The parent's own page -------------------------------------------------------------------------


@transaction.atomic
def referral_availability_give(*, referral_id: int, availability: str) -> Referral:
    """The parent tells the provider when they can attend (from their own signed link)."""
    _case, referral = _lock_referral(referral_id)
    if referral.status in {S.COMPLETED, S.DECLINED, S.WITHDRAWN, S.RETURNED_UNSUITABLE}:
        raise ReferralError("This referral is closed.")
    referral.availability = availability
    referral.save(update_fields=["availability"])
    audit_record(
        actor=None,
        action="referral.availability_given",
        object_type="referrals.referral",
        object_id=referral.pk,
    )
    return referral


# Cohorts ------------------------------------------------------------------------------------


@transaction.atomic
def cohort_create(
    *,
    actor: User,
    offering: Offering,
    starts_at: dt.datetime,
    mode: str,
    capacity: int,
) -> Cohort:
    """A provider adds a workshop group to one of its offerings."""
    if mode not in offering.modes:
        raise ReferralError("This programme is not offered that way.")
    venue = offering.venue if mode == Mode.IN_PERSON else None
    if mode == Mode.IN_PERSON and venue is None:
        raise ReferralError("This offering has no venue for in-person groups.")
    cohort = Cohort.objects.create(
        offering=offering, starts_at=starts_at, mode=mode, venue=venue, capacity=capacity
    )
    audit_record(
        actor=actor, action="cohort.created", object_type="referrals.cohort", object_id=cohort.pk
    )
    return cohort
