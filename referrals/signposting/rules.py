"""Pure safeguarding and routing rules. No ORM, no I/O: answers in, decisions out.

The get-help check (DESIGN.md "Who uses it"; domain.md 7.2) sorts a parent into one of four
pathways and decides what the results page may show. The safety rules here are policy: a
safeguarding lead reads them in `tests/referrals/test_rules.py`, a table of every combination
of answers that changes the outcome.

The one rule everything else bends to (DESIGN.md privacy and safety rule 5; domain.md 2.4,
5.4): any sign of domestic abuse or a risk to a child removes every joint option (mediation,
MIAMs, a joint parenting plan, parenting courses, the court parenting programme) and limits
the directory to services flagged safe where there is abuse. A "not sure" or a missing answer
counts as a sign, never as "no worries".
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from alliance.helplines import HELPLINES, Helpline
from directory.taxonomy import JOINT_OPTIONS, CategoryCode

# Answers ------------------------------------------------------------------------------------


class Danger(enum.StrEnum):
    YES = "yes"
    NO = "no"


class Worry(enum.StrEnum):
    """Whose safety the parent is worried about (domain.md 3.1 step 2: the children and/or me)."""

    ME = "me"
    CHILDREN = "children"
    NOT_SURE = "not_sure"
    NONE = "none"


class OwnBehaviour(enum.StrEnum):
    YES = "yes"
    NOT_SURE = "not_sure"
    NO = "no"


class Need(enum.StrEnum):
    ARRANGEMENTS = "arrangements"
    CHILDREN = "children"
    EMOTIONAL = "emotional"
    LEGAL = "legal"
    MONEY_HOUSING = "money_housing"
    COURT_CASE = "court_case"
    OTHER = "other"


class Mode(enum.StrEnum):
    """Values match the directory's `delivery_modes`."""

    IN_PERSON = "in_person"
    ONLINE = "online"
    PHONE = "phone"


@dataclass(frozen=True)
class Answers:
    """The parent's answers to the get-help check. `None` or empty means not answered."""

    danger: Danger | None = None
    worries: frozenset[Worry] = frozenset()
    own_behaviour: OwnBehaviour | None = None
    needs: frozenset[Need] = frozenset()
    ages: tuple[int, ...] = ()
    postcode: str = ""
    modes: frozenset[Mode] = frozenset()


# Decisions ----------------------------------------------------------------------------------


class Pathway(enum.StrEnum):
    EMERGENCY = "emergency"
    SAFETY = "safety"
    OWN_BEHAVIOUR = "own_behaviour"
    COOPERATIVE = "cooperative"


class Section(enum.StrEnum):
    """Blocks of explanation the results page may show; the template holds their words."""

    STAYING_SAFE_ONLINE = "staying_safe_online"
    PROTECTIVE_ORDERS = "protective_orders"  # domain.md 3.3 last line: DA injunctions
    MIAM_EXEMPTION = "miam_exemption"  # domain.md 2.5
    CHILDREN_SERVICES = "children_services"  # domain.md 3.3: report to the local council
    COURT_IS_THE_ROUTE = "court_is_the_route"  # domain.md 2.4: court, not negotiation
    RESPECT = "respect"  # domain.md 7.2: a parent worried about their own behaviour
    COURT_PROGRAMME = "court_programme"  # domain.md 1.1, 1.3: PTfC, referred by court or FCA
    COURT_PROGRAMME_SAFETY = "court_programme_safety"  # domain.md 1.6: tell the FCA
    PARENTING_PLAN = "parenting_plan"  # domain.md 4: a plan agreed by both parents
    PRIVATE_PLAN = "private_plan"  # issue 13: a plan for one parent alone, never shared
    MEDIATION = "mediation"  # domain.md 2.4, 2.5: MIAM before applying to court


# Directory categories by their stable codes (directory/taxonomy.py): a curator renaming or
# moving a category cannot change what these rules offer.
MEDIATION = CategoryCode.MEDIATION
MIAMS = CategoryCode.MIAMS
PARENTING_PROGRAMME = CategoryCode.PARENTING_PROGRAMME
CONTACT_CENTRES = CategoryCode.CONTACT_CENTRES
SUPPORTED_CONTACT = CategoryCode.SUPPORTED_CONTACT
SUPERVISED_CONTACT = CategoryCode.SUPERVISED_CONTACT
DOMESTIC_ABUSE = CategoryCode.DOMESTIC_ABUSE
SURVIVORS = CategoryCode.SURVIVORS
PEOPLE_WHO_HARM = CategoryCode.PEOPLE_WHO_HARM
LEGAL = CategoryCode.LEGAL
EMOTIONAL = CategoryCode.EMOTIONAL
CHILDREN = CategoryCode.CHILDREN
PARENTING_COURSES = CategoryCode.PARENTING_COURSES
MONEY_HOUSING = CategoryCode.MONEY_HOUSING

# Never offered once abuse or a risk to a child is indicated: the one list, kept with the
# taxonomy so the directory enforces it too (see directory/taxonomy.py for the reasons).
JOINT_CATEGORIES = JOINT_OPTIONS
JOINT_SECTIONS = frozenset({Section.PARENTING_PLAN, Section.MEDIATION, Section.COURT_PROGRAMME})


# Meant only for families where there are worries about safety (domain.md 3.3, 7.2): specialist
# domestic abuse services (refuges, outreach, IDVAs, recovery groups, programmes for people who
# harm) and supervised contact. For a parent who said there are no safety worries they never
# lead a group: they come last in it, labelled (see `service_fit`). A curator's uncoded child
# category counts as its parent (the selector reads it so).
SAFETY_ONLY_CATEGORIES: frozenset[str] = frozenset(
    {DOMESTIC_ABUSE, SURVIVORS, PEOPLE_WHO_HARM, SUPERVISED_CONTACT}
)


class Destination(enum.StrEnum):
    """Where a section or group leads; `links.py` turns each into a URL."""

    MEDIATION_SERVICES = "mediation_services"  # the directory: mediation and MIAMs near you
    MEDIATION_GUIDE = "mediation_guide"
    PARENTING_PLAN = "parenting_plan"  # the plan tool, to make a plan with the other parent
    PRIVATE_PLAN = "private_plan"  # the same tool: a parent at risk is given a private plan
    LEGAL_SERVICES = "legal_services"  # the directory: legal advice near you
    FAMILY_COURT_GUIDE = "family_court_guide"


# Never shown to a parent at risk. Mediation and the joint plan: DESIGN.md rule 5. The
# directory's own search is not limited to services safe where there is abuse, so a link into
# it (legal services too) is for the co-operative pathway only; a parent at risk gets the
# filtered list on the results page instead (decision 0013).
JOINT_DESTINATIONS = frozenset(
    {
        Destination.MEDIATION_SERVICES,
        Destination.MEDIATION_GUIDE,
        Destination.PARENTING_PLAN,
        Destination.LEGAL_SERVICES,
    }
)


class Why(enum.StrEnum):
    """Why a helpline is shown when its name alone does not say; the words are `WHY_TEXT`."""

    CHILDREN_AND_ABUSE = "children_and_abuse"


WHY_TEXT: dict[Why, str | Promise] = {
    # domain.md 2.3: children who see, hear or experience the effects of domestic abuse are
    # victims in their own right (Domestic Abuse Act 2021, s.3).
    Why.CHILDREN_AND_ABUSE: _(
        "If your worry is about how the other parent behaves, this helpline can help you: "
        "children who see, hear or live with domestic abuse are harmed by it too."
    ),
}


@dataclass(frozen=True)
class HelplineRow:
    """One helpline as the results page lists it, with why it is there when that helps."""

    line: Helpline
    why: Why | None = None

    @property
    def reason(self) -> str | Promise:
        return WHY_TEXT[self.why] if self.why else ""


class Fit(enum.IntEnum):
    """How well a listed service fits what the parent said; lower is listed first."""

    ASKED_FOR = 0
    SAFETY_ONLY = 1  # a safety-only service shown to a parent with no safety worries


class Group(enum.StrEnum):
    """Headings the results page lists services under, in this order."""

    SAFETY = "safety"
    OWN_BEHAVIOUR = "own_behaviour"
    CHILDREN = "children"
    ARRANGEMENTS = "arrangements"
    COURT = "court"
    LEGAL = "legal"
    EMOTIONAL = "emotional"
    MONEY_HOUSING = "money_housing"


GROUP_TITLES: dict[Group, str | Promise] = {
    Group.SAFETY: _("Domestic abuse support near you"),
    Group.OWN_BEHAVIOUR: _("Help to change your behaviour"),
    Group.CHILDREN: _("Support for your children"),
    Group.ARRANGEMENTS: _("Help to agree arrangements for your children"),
    Group.COURT: _("Parenting programme for court cases"),
    Group.LEGAL: _("Legal advice"),
    Group.EMOTIONAL: _("Someone to talk to"),
    Group.MONEY_HOUSING: _("Money, debt and housing"),
}


@dataclass(frozen=True)
class ServiceGroup:
    group: Group
    categories: tuple[str, ...]
    # Whether the children's ages narrow this group's search.
    by_age: bool = False
    # Programmes for people who harm: see `outcome` for why the "safe where there is abuse"
    # filter does not apply to this one group, and what applies instead.
    for_people_who_harm: bool = False

    @property
    def title(self) -> str | Promise:
        return GROUP_TITLES[self.group]


@dataclass(frozen=True)
class Outcome:
    """What the results page may show for one set of answers."""

    pathway: Pathway
    joint_options: bool
    safe_where_abuse_only: bool
    helpline_rows: tuple[HelplineRow, ...]
    sections: frozenset[Section]
    groups: tuple[ServiceGroup, ...]
    destinations: frozenset[Destination] = frozenset()

    @property
    def helplines(self) -> tuple[Helpline, ...]:
        return tuple(row.line for row in self.helpline_rows)

    @property
    def categories(self) -> frozenset[str]:
        return frozenset(slug for group in self.groups for slug in group.categories)

    @property
    def shows_services(self) -> bool:
        return bool(self.groups)


# Rules --------------------------------------------------------------------------------------


def safety_worry(answers: Answers) -> bool:
    """True unless the parent said plainly that they have no safety worries.

    "Not sure" and no answer count as a worry: negotiation is only for families with no
    safety concerns (domain.md 2.4), so doubt goes to the safety pathway.
    """
    return not answers.worries or answers.worries != {Worry.NONE}


def own_behaviour_worry(answers: Answers) -> bool:
    """True when the parent is, or may be, worried about their own behaviour (domain.md 7.2).

    "Not sure" counts: the Respect Phoneline is for exactly that doubt (domain.md 3.3). No
    answer counts too, so a missing answer can never unlock joint options.
    """
    return answers.own_behaviour != OwnBehaviour.NO


def abuse_indicated(answers: Answers) -> bool:
    """Any sign of abuse or a risk to a child, from either safety question (DESIGN.md rule 5)."""
    return answers.danger == Danger.YES or safety_worry(answers) or own_behaviour_worry(answers)


def pathway(answers: Answers) -> Pathway:
    """Which pathway the answers lead to (domain.md 7.2 "Routing"; 3.2 the two pathways).

    Checked in this order, the first match wins:
    1. someone is in immediate danger → EMERGENCY, whatever else was answered;
    2. any worry about the parent's or the children's safety (or not sure) → SAFETY, even
       when the parent is also worried about their own behaviour: a parent can be harmed
       and fear their own reactions, or fear for the children because of them, and safety
       support comes first. The Respect line is added to that pathway (see `outcome`);
    3. worried (or not sure) about their own behaviour, no other worry → OWN_BEHAVIOUR;
    4. otherwise → COOPERATIVE.
    """
    if answers.danger == Danger.YES:
        return Pathway.EMERGENCY
    if safety_worry(answers):
        return Pathway.SAFETY
    if own_behaviour_worry(answers):
        return Pathway.OWN_BEHAVIOUR
    return Pathway.COOPERATIVE


def _helplines(keys: Iterable[str], why: dict[str, Why]) -> tuple[HelplineRow, ...]:
    return tuple(HelplineRow(HELPLINES[key], why.get(key)) for key in dict.fromkeys(keys))


def _destinations(sections: frozenset[Section], groups: Iterable[ServiceGroup]) -> set[Destination]:
    """Every section and group that names a next step leads to it (issue 15 item 3)."""
    leads: set[Destination] = set()
    if Section.MEDIATION in sections:
        leads.update({Destination.MEDIATION_SERVICES, Destination.MEDIATION_GUIDE})
    if Section.PARENTING_PLAN in sections:
        leads.add(Destination.PARENTING_PLAN)
    if Section.PRIVATE_PLAN in sections:
        leads.add(Destination.PRIVATE_PLAN)
    if any(group.group is Group.LEGAL for group in groups):
        leads.update({Destination.LEGAL_SERVICES, Destination.FAMILY_COURT_GUIDE})
    return leads


def service_fit(codes: Iterable[str], *, joint_options: bool) -> Fit:
    """How a listed service fits a parent: what they asked for first, safety-only services last.

    `codes` are the service's category codes (an uncoded category counts as its parent). A
    service meant only for safety situations (SAFETY_ONLY_CATEGORIES) never leads a group for
    a parent who said there are no safety worries (`joint_options`): it comes after every
    service for what they asked, labelled. For a parent at risk it is exactly what fits.
    Within equal fit the nearest comes first (selectors.get_help_services).
    """
    if joint_options and not SAFETY_ONLY_CATEGORIES.isdisjoint(codes):
        return Fit.SAFETY_ONLY
    return Fit.ASKED_FOR


def _groups(groups: Iterable[ServiceGroup], *, joint_options: bool) -> tuple[ServiceGroup, ...]:
    """Drop empty groups and repeated categories; drop joint categories when not allowed."""
    seen: set[str] = set()
    kept: list[ServiceGroup] = []
    for group in groups:
        slugs = tuple(
            slug
            for slug in dict.fromkeys(group.categories)
            if slug not in seen and (joint_options or slug not in JOINT_CATEGORIES)
        )
        seen.update(slugs)
        if slugs:
            kept.append(ServiceGroup(group.group, slugs, group.by_age, group.for_people_who_harm))
    return tuple(sorted(kept, key=lambda g: list(Group).index(g.group)))


def outcome(answers: Answers) -> Outcome:
    """What to show a parent for their answers: pathway, helplines, explanations, services.

    EMERGENCY (domain.md 7.2): 999 and nothing else; the page itself gives the silent-call
    guidance (999 then 55 on a mobile, text relay 18000; domain.md 3.3).

    SAFETY (domain.md 3.3, 5.4, 7.2): the national domestic abuse helplines, local specialist
    domestic abuse services, children's services, the NSPCC and Childline when the children
    may be at risk (and then the National Domestic Abuse Helpline too, saying why when the
    worry is only for the children: domain.md 2.3), legal advice and protective orders, the
    MIAM domestic abuse exemption (2.5), and that court, not negotiation, is the route (2.4).
    No joint options; only services flagged safe where there is abuse. With a court case: the
    parenting programme may not be right, so tell the FCA (1.6). When the parent is also
    worried about their own behaviour, the Respect Phoneline and programmes for people who
    harm are added.

    OWN_BEHAVIOUR (domain.md 3.3, 7.2): the Respect Phoneline and programmes for people who
    harm. Someone worried about harming their family is a sign of abuse, so joint options
    are removed exactly as on the safety pathway.

    Programmes for people who harm are the one exception to "only services safe where there
    is abuse": the directory flags them not safe where there is abuse because they are not
    for survivors. So that group (`for_people_who_harm`) is only ever added when the parent
    says they are, or may be, worried about their own behaviour, holds only that category,
    and lists only services marked as domestic abuse specialists (Respect-accredited work;
    domain.md 3.3). A survivor who is not worried about their own behaviour never sees it.

    COOPERATIVE (domain.md 5.4, 7.2): shaped by the needs chosen: agreeing arrangements gives
    the parenting plan, mediation and MIAMs, contact centres and parenting courses; the
    children's wellbeing gives children's support and parenting courses; a court case gives
    what the parenting programme is and that the court or the FCA refers parents to it (1.3).
    No specific need (or "something else") shows every co-operative group.

    Where sections lead (`destinations`, issue 15): mediation to mediation and MIAM services
    and the mediation guide, the parenting plan to the plan tool, legal advice to legal
    services and the family court guide. A parent at risk gets none of JOINT_DESTINATIONS.
    """
    path = pathway(answers)
    if path is Pathway.EMERGENCY:
        return Outcome(
            pathway=path,
            joint_options=False,
            safe_where_abuse_only=True,
            helpline_rows=_helplines(["emergency"], {}),
            sections=frozenset(),
            groups=(),
        )

    needs = answers.needs
    own_behaviour = own_behaviour_worry(answers)
    joint_options = not abuse_indicated(answers)
    by_age = bool(answers.ages)
    helplines: list[str] = []
    why: dict[str, Why] = {}
    sections: set[Section] = set()
    groups: list[ServiceGroup] = []

    if path is Pathway.SAFETY:
        worries = answers.worries or {Worry.NOT_SURE}
        about_me = bool(worries & {Worry.ME, Worry.NOT_SURE})
        about_children = bool(worries & {Worry.CHILDREN, Worry.NOT_SURE})
        helplines = ["emergency", "police"]
        if about_me:
            helplines += ["domestic_abuse", "mens_advice", "galop", "karma_nirvana"]
            helplines += ["forced_marriage"]
        if about_children:
            helplines += ["nspcc", "childline", "domestic_abuse"]
            sections.add(Section.CHILDREN_SERVICES)
            if not about_me:
                # In a separation a worry for the children is very often a worry about the
                # other parent's behaviour (domain.md 2.3): say why the line is there.
                why["domestic_abuse"] = Why.CHILDREN_AND_ABUSE
        sections |= {
            Section.STAYING_SAFE_ONLINE,
            Section.PROTECTIVE_ORDERS,
            Section.MIAM_EXEMPTION,
            Section.COURT_IS_THE_ROUTE,
        }
        groups.append(ServiceGroup(Group.SAFETY, (DOMESTIC_ABUSE, SURVIVORS)))
        groups.append(ServiceGroup(Group.LEGAL, (LEGAL,)))
        if about_children:
            groups.append(ServiceGroup(Group.CHILDREN, (CHILDREN,), by_age))
    if own_behaviour:
        helplines.append("respect")
        sections.add(Section.RESPECT)
        groups.append(
            ServiceGroup(Group.OWN_BEHAVIOUR, (PEOPLE_WHO_HARM,), for_people_who_harm=True)
        )

    if Need.COURT_CASE in needs:
        sections.add(Section.COURT_PROGRAMME if joint_options else Section.COURT_PROGRAMME_SAFETY)

    everything = not (needs - {Need.OTHER})
    if joint_options:
        if everything or needs & {Need.ARRANGEMENTS, Need.COURT_CASE}:
            sections |= {Section.PARENTING_PLAN, Section.MEDIATION}
            groups.append(
                ServiceGroup(
                    Group.ARRANGEMENTS,
                    (MEDIATION, MIAMS, CONTACT_CENTRES, SUPPORTED_CONTACT, PARENTING_COURSES),
                )
            )
        if Need.COURT_CASE in needs:
            groups.append(ServiceGroup(Group.COURT, (PARENTING_PROGRAMME,)))
    if everything or Need.CHILDREN in needs:
        # Parenting courses are dropped again below when joint options are not allowed.
        groups.append(ServiceGroup(Group.CHILDREN, (CHILDREN, PARENTING_COURSES), by_age))
    if everything or needs & {Need.LEGAL, Need.ARRANGEMENTS, Need.COURT_CASE}:
        groups.append(ServiceGroup(Group.LEGAL, (LEGAL,)))
    if everything or Need.EMOTIONAL in needs:
        helplines.append("samaritans")
        groups.append(ServiceGroup(Group.EMOTIONAL, (EMOTIONAL,)))
    if everything or Need.MONEY_HOUSING in needs:
        groups.append(ServiceGroup(Group.MONEY_HOUSING, (MONEY_HOUSING,)))

    if not joint_options:
        sections -= JOINT_SECTIONS
        # A parent at risk who needs arrangements may still write down their own plan: the
        # plan tool asks the same questions and gives them one no one else sees (issue 13).
        if everything or needs & {Need.ARRANGEMENTS, Need.COURT_CASE}:
            sections.add(Section.PRIVATE_PLAN)
    kept = _groups(groups, joint_options=joint_options)
    destinations = _destinations(frozenset(sections), kept)
    if not joint_options:
        destinations -= JOINT_DESTINATIONS
    return Outcome(
        pathway=path,
        joint_options=joint_options,
        safe_where_abuse_only=not joint_options,
        helpline_rows=_helplines(helplines, why),
        sections=frozenset(sections),
        groups=kept,
        destinations=frozenset(destinations),
    )
