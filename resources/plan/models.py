"""The parenting plan: two parents (or one) agree arrangements item by item (domain.md 4, 7.3).

Privacy (DESIGN.md rule 1; domain.md 6.4): a participant's email is kept only to send them
sign-in links and content-free alerts. No page, email, PDF or log shows it to anyone; the
other parent sees only the name a parent chose. A parent who leaves has it erased.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from resources.plan.rules import SECTIONS, Action, ItemStatus

__all__ = ["ParentingPlan", "PlanItem", "PlanItemEvent", "PlanLink", "PlanParticipant"]

MAX_NAME_LENGTH = 40
MAX_ITEM_LENGTH = 1000


class ParentingPlan(models.Model):
    """One plan. `private` when the parent who started it signalled a risk: never shared."""

    private = models.BooleanField(default=False)
    review_on = models.DateField(null=True, blank=True)
    # The review date a reminder was last sent for, so each date is reminded once.
    review_reminded_for = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Set when a parent leaves a shared plan: from then on it is a read-only record of what was
    # agreed, and nothing more is shared.
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("parenting plan")

    def __str__(self) -> str:
        return f"parenting plan {self.pk}"


class PlanParticipant(models.Model):
    """A parent on a plan: the one who started it or the one invited. Their own sign-in."""

    class Role(models.TextChoices):
        STARTER = "starter", _("Started the plan")
        INVITED = "invited", _("Invited")

    plan = models.ForeignKey(ParentingPlan, on_delete=models.CASCADE, related_name="participants")
    role = models.CharField(max_length=10, choices=Role.choices)
    # Never shown to the other parent; erased when the parent leaves.
    email = models.EmailField(blank=True)
    # What the other parent sees: chosen by the parent; blank until an invited parent joins.
    name = models.CharField(max_length=MAX_NAME_LENGTH, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    joined_at = models.DateTimeField(null=True, blank=True)
    left_at = models.DateTimeField(null=True, blank=True)
    # When this parent was last sent an update alert: at most one an hour (issue 13).
    alerted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["plan", "role"], name="plan_one_participant_per_role")
        ]

    def __str__(self) -> str:
        return f"participant {self.pk} ({self.role}) of plan {self.plan_id}"

    @property
    def active(self) -> bool:
        return self.joined_at is not None and self.left_at is None


class PlanLink(models.Model):
    """A single-use, expiring sign-in or invitation link. Only a hash of its token is stored."""

    class Purpose(models.TextChoices):
        SIGN_IN = "sign_in", _("Sign in")
        INVITE = "invite", _("Invitation")

    participant = models.ForeignKey(PlanParticipant, on_delete=models.CASCADE, related_name="links")
    purpose = models.CharField(max_length=10, choices=Purpose.choices)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.purpose} link {self.pk}"


class PlanItem(models.Model):
    """One arrangement in a section, with its current wording and where the parents are."""

    plan = models.ForeignKey(ParentingPlan, on_delete=models.CASCADE, related_name="items")
    section = models.CharField(
        max_length=30, choices=[(s.value, info.title) for s, info in SECTIONS.items()]
    )
    text = models.TextField(max_length=MAX_ITEM_LENGTH)
    status = models.CharField(
        max_length=12, choices=[(s.value, s.label) for s in ItemStatus], default=ItemStatus.PROPOSED
    )
    # Who wrote the current wording (null once that parent has left and been erased).
    proposed_by = models.ForeignKey(
        PlanParticipant, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"item {self.pk} ({self.section}, {self.status})"


class PlanItemEvent(models.Model):
    """An item's history: who did what, with the wording at that moment."""

    item = models.ForeignKey(PlanItem, on_delete=models.CASCADE, related_name="events")
    participant = models.ForeignKey(
        PlanParticipant, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=12, choices=[(a.value, a.value) for a in Action])
    text = models.TextField(max_length=MAX_ITEM_LENGTH, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.action} on item {self.item_id}"
