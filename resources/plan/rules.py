"""Pure rules of the parenting plan: sections, item statuses, who may do what. No ORM, no I/O.

The safety gate is not here: it is the get-help check's own rules
(`referrals.signposting.rules`), asked the same question, so the two can never drift apart
(docs/decisions/0011-parenting-plan-reuses-the-safety-rules.md).
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from referrals.signposting.rules import (
    Answers,
    Danger,
    OwnBehaviour,
    Pathway,
    Worry,
    abuse_indicated,
    outcome,
)


class Section(enum.StrEnum):
    """The plan's sections (domain.md 7.3), in the order a parent sees them."""

    COMMUNICATION = "communication"
    LIVING = "living"
    FAMILY = "family"
    MONEY = "money"
    EDUCATION = "education"
    HEALTH = "health"
    CULTURE = "culture"
    WELLBEING = "wellbeing"
    ACTIVITIES = "activities"
    TRAVEL = "travel"
    REVIEW = "review"


@dataclass(frozen=True)
class SectionInfo:
    title: str | Promise
    hint: str | Promise
    # The heading on the child-friendly summary.
    for_children: str | Promise


SECTIONS: dict[Section, SectionInfo] = {
    Section.COMMUNICATION: SectionInfo(
        _("Communication and sorting out differences"),
        _("How you will keep each other informed, and what you will do when you disagree."),
        _("How your parents will talk to each other"),
    ),
    Section.LIVING: SectionInfo(
        _("Living arrangements"),
        _(
            "Where the children live and when they spend time with each parent: term time, "
            "half terms, Easter, summer, Christmas, bank holidays, birthdays and special days, "
            "handovers and transport."
        ),
        _("Where you live and when you see each parent"),
    ),
    Section.FAMILY: SectionInfo(
        _("Extended family and friends"),
        _("Grandparents, brothers and sisters, other family and friends."),
        _("Seeing your family and friends"),
    ),
    Section.MONEY: SectionInfo(
        _("Money"),
        _("Child maintenance, and who pays for extras like school trips and clubs."),
        _("Paying for things you need"),
    ),
    Section.EDUCATION: SectionInfo(
        _("Education"),
        _("Choosing schools, parents' evenings, school reports and events."),
        _("School"),
    ),
    Section.HEALTH: SectionInfo(
        _("Health and medical consent"),
        _("Doctors, dentists, medicines, and who can agree to treatment in an emergency."),
        _("Keeping you healthy"),
    ),
    Section.CULTURE: SectionInfo(
        _("Religion, culture and surname"),
        _("Faith, cultural traditions, and the children's surname."),
        _("Your beliefs, traditions and name"),
    ),
    Section.WELLBEING: SectionInfo(
        _("Emotional well-being and the children's voice"),
        _("How you will support the children's feelings and listen to what they want."),
        _("Your feelings, and being listened to"),
    ),
    Section.ACTIVITIES: SectionInfo(
        _("Activities and technology"),
        _("Clubs, hobbies, phones, games and the internet."),
        _("Hobbies, phones and the internet"),
    ),
    Section.TRAVEL: SectionInfo(
        _("Holidays abroad, moving and new partners"),
        _("Travel abroad and who keeps the passports, moving house or area, new partners."),
        _("Holidays, moving house and new people"),
    ),
    Section.REVIEW: SectionInfo(
        _("Reviewing and changing the plan"),
        _("When you will look at the plan again, and how you will change it."),
        _("Checking the plan still works"),
    ),
}

SECTION_BY_VALUE = {section.value: section for section in Section}


class ItemStatus(enum.StrEnum):
    PROPOSED = "proposed"
    COUNTERED = "countered"
    AGREED = "agreed"
    NOT_AGREED = "not_agreed"
    NEEDS_HELP = "needs_help"

    @property
    def label(self) -> str | Promise:
        return STATUS_LABELS[self]


STATUS_LABELS: dict[ItemStatus, str | Promise] = {
    ItemStatus.PROPOSED: _("Suggested"),
    ItemStatus.COUNTERED: _("Other suggestion made"),
    ItemStatus.AGREED: _("Agreed"),
    ItemStatus.NOT_AGREED: _("Not agreed"),
    ItemStatus.NEEDS_HELP: _("Needs help"),
}


class Action(enum.StrEnum):
    PROPOSE = "propose"  # a new item
    COUNTER = "counter"  # the other parent suggests different wording
    REVISE = "revise"  # the parent who wrote the wording changes it before an answer
    AGREE = "agree"
    NOT_AGREE = "not_agree"
    NEEDS_HELP = "needs_help"


class Who(enum.StrEnum):
    """The acting parent, seen from the item: wrote its current wording, or not."""

    AUTHOR = "author"
    OTHER = "other"


OPEN = frozenset({ItemStatus.PROPOSED, ItemStatus.COUNTERED})
UNSETTLED = frozenset({ItemStatus.NOT_AGREED, ItemStatus.NEEDS_HELP})

# The one table (STYLE.md): action → (who may take it, from which statuses, to which status).
# Agreement needs the other parent: nobody agrees to their own wording (domain.md 4.2, 7.3).
# An agreed item can be reopened with a new suggestion: plans change as children grow.
TRANSITIONS: dict[Action, tuple[frozenset[Who], frozenset[ItemStatus], ItemStatus | None]] = {
    Action.COUNTER: (
        frozenset({Who.OTHER}),
        OPEN | UNSETTLED | {ItemStatus.AGREED},
        ItemStatus.COUNTERED,
    ),
    Action.REVISE: (frozenset({Who.AUTHOR}), OPEN | UNSETTLED, None),  # status unchanged
    Action.AGREE: (frozenset({Who.OTHER}), OPEN | UNSETTLED, ItemStatus.AGREED),
    Action.NOT_AGREE: (frozenset({Who.OTHER}), OPEN, ItemStatus.NOT_AGREED),
    Action.NEEDS_HELP: (frozenset({Who.AUTHOR, Who.OTHER}), OPEN, ItemStatus.NEEDS_HELP),
}
# With one parent (a private plan, or before the other joins): write, change, ask for help.
ALONE = frozenset({Action.REVISE, Action.NEEDS_HELP})


def allowed_actions(*, status: ItemStatus, who: Who, shared: bool) -> frozenset[Action]:
    """What a parent may do to an item: by the table, and only wording and help when alone."""
    allowed = {
        action
        for action, (whom, statuses, _to) in TRANSITIONS.items()
        if who in whom and status in statuses
    }
    if not shared:
        allowed &= ALONE
    return frozenset(allowed)


def next_status(*, action: Action, status: ItemStatus) -> ItemStatus:
    """The status after an allowed action (a revision keeps the item where it was)."""
    target = TRANSITIONS[action][2]
    if target is None:
        return ItemStatus.PROPOSED if status in UNSETTLED else status
    return target


# Safety gate ---------------------------------------------------------------------------------


class Gate(enum.StrEnum):
    EMERGENCY = "emergency"  # 999 and nothing else
    PRIVATE_ONLY = "private_only"  # a plan for one parent only, with signposting
    JOINT_ALLOWED = "joint_allowed"  # a plan to share with the other parent, or alone


def safety_answers(*, danger: str, worries: list[str], own_behaviour: str) -> Answers:
    """The plan's three safety answers in the get-help check's own shape."""
    return Answers(
        danger=Danger(danger),
        worries=frozenset(Worry(w) for w in worries),
        own_behaviour=OwnBehaviour(own_behaviour),
    )


def gate(answers: Answers) -> Gate:
    """Which plan a parent may make (domain.md 7.3 "Pre-check"; DESIGN.md rule 5).

    The get-help check's rules decide: immediate danger is its emergency pathway; any sign of
    abuse or a risk to a child (a "not sure" included) removes joint options there, and here
    it removes the shared plan and invitations.
    """
    if outcome(answers).pathway is Pathway.EMERGENCY:
        return Gate.EMERGENCY
    if abuse_indicated(answers) or not outcome(answers).joint_options:
        return Gate.PRIVATE_ONLY
    return Gate.JOINT_ALLOWED


# Contact details in free text ----------------------------------------------------------------

EMAIL_LIKE = re.compile(r"[^\s@]+@[^\s@]+\.[^\s@]+")
# Eight or more digits, allowing spaces, dots, dashes and brackets between them: a phone number.
PHONE_LIKE = re.compile(r"(?:\+|\b)(?:\d[\s().-]{0,2}){8,}")
UK_POSTCODE_LIKE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b", re.IGNORECASE)


def contact_detail_in(text: str) -> bool:
    """True when text looks like it holds an email address, a phone number or a postcode.

    The plan is shared with the other parent, who must never learn where a parent lives or how
    to reach them (domain.md 6.4); a parent typing one by mistake is stopped before it is sent.
    """
    return bool(EMAIL_LIKE.search(text) or PHONE_LIKE.search(text) or UK_POSTCODE_LIKE.search(text))
