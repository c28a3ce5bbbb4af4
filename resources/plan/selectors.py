"""Reads that decide what a signed-in parent sees of their plan, and nothing of anyone else's.

A parent is signed in by their session holding their participant id (set only by spending a
sign-in link). Every read starts from that participant, so another plan's item is simply not
found (404), and no read ever selects an email address for a page.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.sessions.backends.base import SessionBase
from django.db.models import Prefetch

from resources.plan.models import ParentingPlan, PlanItem, PlanItemEvent, PlanParticipant
from resources.plan.rules import (
    SECTIONS,
    Action,
    ItemStatus,
    Section,
    SectionInfo,
    Who,
    allowed_actions,
)

SESSION_KEY = "parenting_plan"


def participant_for_session(session: SessionBase) -> PlanParticipant | None:
    """The parent this browser is signed in as, while they are still on their plan."""
    participant_id = session.get(SESSION_KEY)
    if not isinstance(participant_id, int):
        return None
    return (
        PlanParticipant.objects.select_related("plan")
        .filter(pk=participant_id, joined_at__isnull=False, left_at__isnull=True)
        .first()
    )


def other_parent(participant: PlanParticipant) -> PlanParticipant | None:
    """The other parent on the plan, joined or invited. Pages use only `.name` and dates."""
    return (
        PlanParticipant.objects.filter(plan_id=participant.plan_id)
        .exclude(pk=participant.pk)
        .only("pk", "plan_id", "role", "name", "joined_at", "left_at")
        .first()
    )


@dataclass
class ItemView:
    item: PlanItem
    status: ItemStatus
    mine: bool
    actions: frozenset[Action]
    history: list[PlanItemEvent]


@dataclass
class SectionView:
    section: Section
    info: SectionInfo
    items: list[ItemView] = field(default_factory=list)

    @property
    def agreed(self) -> list[ItemView]:
        return [i for i in self.items if i.status is ItemStatus.AGREED]

    @property
    def not_agreed(self) -> list[ItemView]:
        return [i for i in self.items if i.status is not ItemStatus.AGREED]


def plan_sections(
    *, participant: PlanParticipant, shared: bool, agreed_only: bool = False
) -> list[SectionView]:
    """Every section of the participant's plan with its items, their history and what this
    parent may do to each. `agreed_only` for a plan that has ended (the copy that is kept)."""
    items = PlanItem.objects.filter(plan_id=participant.plan_id).prefetch_related(
        Prefetch(
            "events",
            queryset=PlanItemEvent.objects.only(
                "pk", "item_id", "participant_id", "action", "text", "at"
            ),
        )
    )
    if agreed_only:
        items = items.filter(status=ItemStatus.AGREED)
    views = {section: SectionView(section, SECTIONS[section]) for section in Section}
    for item in items:
        status = ItemStatus(item.status)
        mine = item.proposed_by_id == participant.pk
        views[Section(item.section)].items.append(
            ItemView(
                item=item,
                status=status,
                mine=mine,
                actions=allowed_actions(
                    status=status, who=Who.AUTHOR if mine else Who.OTHER, shared=shared
                ),
                history=list(item.events.all()),
            )
        )
    return list(views.values())


def plan_item(*, participant: PlanParticipant, item_id: int) -> PlanItem | None:
    """One item of this parent's own plan; None for anyone else's (the view answers 404)."""
    return PlanItem.objects.filter(plan_id=participant.plan_id, pk=item_id).first()


def plan_of(participant: PlanParticipant) -> ParentingPlan:
    return ParentingPlan.objects.get(pk=participant.plan_id)
