"""The get-help routing rules, as a table a safeguarding lead can read.

Each row: the parent's answers → the pathway, whether joint options (mediation, MIAMs, a joint
parenting plan, parenting courses, the court parenting programme) may be offered, whether only
services flagged "safe where there is abuse" are shown, and what must and must not appear.
Below the table, every possible combination of answers is checked against the rules that may
never bend (DESIGN.md rule 5; domain.md 2.4, 5.4, 7.2).
"""

import itertools

import pytest

from referrals.signposting.rules import (
    JOINT_CATEGORIES,
    JOINT_DESTINATIONS,
    JOINT_SECTIONS,
    WHY_TEXT,
    Answers,
    Danger,
    Destination,
    Fit,
    Mode,
    Need,
    OwnBehaviour,
    Pathway,
    Section,
    Why,
    Worry,
    abuse_indicated,
    outcome,
    own_behaviour_worry,
    service_fit,
)

YES, NO = Danger.YES, Danger.NO
ME, CHILDREN, NOT_SURE, NONE = Worry.ME, Worry.CHILDREN, Worry.NOT_SURE, Worry.NONE
HARM_YES, HARM_UNSURE, HARM_NO = OwnBehaviour.YES, OwnBehaviour.NOT_SURE, OwnBehaviour.NO
ARRANGE, KIDS, TALK, LEGAL, MONEY, COURT, OTHER = (
    Need.ARRANGEMENTS,
    Need.CHILDREN,
    Need.EMOTIONAL,
    Need.LEGAL,
    Need.MONEY_HOUSING,
    Need.COURT_CASE,
    Need.OTHER,
)
EMERGENCY, SAFETY, OWN, COOP = (
    Pathway.EMERGENCY,
    Pathway.SAFETY,
    Pathway.OWN_BEHAVIOUR,
    Pathway.COOPERATIVE,
)


def row(
    story: str,
    *,
    danger: Danger | None,
    worries: set[Worry],
    own: OwnBehaviour | None,
    needs: set[Need],
    pathway: Pathway,
    joint: bool,
    helplines: set[str] = frozenset(),  # type: ignore[assignment]
    no_helplines: set[str] = frozenset(),  # type: ignore[assignment]
    shows: set[str] = frozenset(),  # type: ignore[assignment]
    hides: set[str] = frozenset(),  # type: ignore[assignment]
    sections: set[Section] = frozenset(),  # type: ignore[assignment]
    no_sections: set[Section] = frozenset(),  # type: ignore[assignment]
    why: dict[str, Why | None] | None = None,
    leads: set[Destination] = frozenset(),  # type: ignore[assignment]
    no_leads: set[Destination] = frozenset(),  # type: ignore[assignment]
):  # type: ignore[no-untyped-def]
    answers = Answers(
        danger=danger,
        worries=frozenset(worries),
        own_behaviour=own,
        needs=frozenset(needs),
    )
    expected = {
        "pathway": pathway,
        "joint": joint,
        "helplines": set(helplines),
        "no_helplines": set(no_helplines),
        "shows": set(shows),
        "hides": set(hides),
        "sections": set(sections),
        "no_sections": set(no_sections),
        "why": dict(why or {}),
        "leads": set(leads),
        "no_leads": set(no_leads),
    }
    return pytest.param(answers, expected, id=story)


JOINT = {"mediation", "miams", "parenting_programme", "parenting_courses"}
DA_LINES = {"domestic_abuse", "mens_advice", "galop", "karma_nirvana"}
# Where the results lead (issue 15): the directory searches and the guides.
D = Destination
MEDIATION_LEADS = {D.MEDIATION_SERVICES, D.MEDIATION_GUIDE}
LEGAL_LEADS = {D.LEGAL_SERVICES, D.FAMILY_COURT_GUIDE}
EVERY_LEAD = set(Destination)
# The joint plan for a co-operative parent; a private plan of their own for a parent at risk.
COOPERATIVE_LEADS = EVERY_LEAD - {D.PRIVATE_PLAN}
CHILDREN_AND_ABUSE = Why.CHILDREN_AND_ABUSE

TABLE = [
    # --- Immediate danger: the emergency page, nothing else -------------------------------
    row("danger now", danger=YES, worries={ME}, own=HARM_NO, needs={ARRANGE},
        pathway=EMERGENCY, joint=False, helplines={"emergency"},
        no_helplines=DA_LINES | {"respect"}, hides=JOINT | {"domestic_abuse"}),
    row("danger now, though no other worry ticked", danger=YES, worries={NONE}, own=HARM_NO,
        needs={ARRANGE}, pathway=EMERGENCY, joint=False, helplines={"emergency"},
        hides=JOINT),
    row("danger now and worried about own behaviour", danger=YES, worries={NONE},
        own=HARM_YES, needs=set(), pathway=EMERGENCY, joint=False,
        no_helplines={"respect"}, hides={"people_who_harm"}),
    # --- Safety pathway ---------------------------------------------------------------------
    row("worried about my own safety", danger=NO, worries={ME}, own=HARM_NO, needs=set(),
        pathway=SAFETY, joint=False,
        helplines={"emergency", "police", "forced_marriage"} | DA_LINES,
        no_helplines={"respect", "nspcc", "childline"},
        why={"domestic_abuse": None},
        shows={"domestic_abuse", "survivors", "legal_advice"},
        hides=JOINT,
        sections={Section.PROTECTIVE_ORDERS, Section.MIAM_EXEMPTION,
                  Section.COURT_IS_THE_ROUTE, Section.STAYING_SAFE_ONLINE},
        no_sections=set(JOINT_SECTIONS)),
    row("worried about my children's safety: the domestic abuse helpline too, saying why",
        danger=NO, worries={CHILDREN}, own=HARM_NO,
        needs=set(), pathway=SAFETY, joint=False,
        helplines={"emergency", "police", "nspcc", "childline", "domestic_abuse"},
        no_helplines={"respect", "mens_advice", "galop", "karma_nirvana", "forced_marriage"},
        why={"domestic_abuse": CHILDREN_AND_ABUSE, "nspcc": None},
        shows={"children", "domestic_abuse"}, hides=JOINT,
        sections={Section.CHILDREN_SERVICES}, no_sections=set(JOINT_SECTIONS),
        leads={D.FAMILY_COURT_GUIDE}, no_leads=JOINT_DESTINATIONS),
    row("worried about me and the children: the helpline is for me, no extra reason",
        danger=NO, worries={ME, CHILDREN}, own=HARM_NO,
        needs=set(), pathway=SAFETY, joint=False, helplines=DA_LINES | {"nspcc"},
        why={"domestic_abuse": None, "nspcc": None},
        shows={"children", "domestic_abuse"}, hides=JOINT),
    row("not sure about safety: treated as a worry", danger=NO, worries={NOT_SURE},
        own=HARM_NO, needs={ARRANGE}, pathway=SAFETY, joint=False,
        helplines=DA_LINES | {"nspcc"}, hides=JOINT | {"supported_contact"},
        no_sections=set(JOINT_SECTIONS)),
    row("safety worry, wants help agreeing arrangements: no mediation, no plan, no links to "
        "either", danger=NO,
        worries={ME}, own=HARM_NO, needs={ARRANGE}, pathway=SAFETY, joint=False,
        shows={"legal_advice"}, hides=JOINT | {"contact_centres", "supported_contact"},
        sections={Section.COURT_IS_THE_ROUTE}, no_sections=set(JOINT_SECTIONS),
        leads={D.FAMILY_COURT_GUIDE}, no_leads=JOINT_DESTINATIONS),
    row("safety worry and a court case: tell the FCA, no programme offered", danger=NO,
        worries={ME}, own=HARM_NO, needs={COURT}, pathway=SAFETY, joint=False,
        hides=JOINT, sections={Section.COURT_PROGRAMME_SAFETY},
        no_sections={Section.COURT_PROGRAMME}),
    row("safety worry, wants someone to talk to", danger=NO, worries={ME}, own=HARM_NO,
        needs={TALK}, pathway=SAFETY, joint=False, helplines={"samaritans"},
        shows={"emotional_support", "domestic_abuse"}, hides=JOINT),
    row("safety worry, money and housing", danger=NO, worries={ME}, own=HARM_NO,
        needs={MONEY}, pathway=SAFETY, joint=False, shows={"money_housing"}, hides=JOINT),
    row("safety worry and worried about own behaviour: safety first, Respect added",
        danger=NO, worries={ME}, own=HARM_YES, needs={ARRANGE}, pathway=SAFETY, joint=False,
        helplines=DA_LINES | {"respect"},
        shows={"domestic_abuse", "people_who_harm"}, hides=JOINT,
        sections={Section.RESPECT, Section.PROTECTIVE_ORDERS},
        no_sections=set(JOINT_SECTIONS)),
    row("children's safety and not sure about own behaviour", danger=NO, worries={CHILDREN},
        own=HARM_UNSURE, needs={KIDS}, pathway=SAFETY, joint=False,
        helplines={"nspcc", "respect"},
        shows={"children", "people_who_harm"},
        hides=JOINT, sections={Section.CHILDREN_SERVICES, Section.RESPECT}),
    row("safety question not answered: treated as a worry", danger=NO, worries=set(),
        own=HARM_NO, needs={ARRANGE}, pathway=SAFETY, joint=False, hides=JOINT),
    row("'no worries' ticked together with 'me' (tampered): treated as a worry", danger=NO,
        worries={NONE, ME}, own=HARM_NO, needs={ARRANGE}, pathway=SAFETY, joint=False,
        hides=JOINT),
    # --- Own behaviour pathway --------------------------------------------------------------
    row("worried about own behaviour only", danger=NO, worries={NONE}, own=HARM_YES,
        needs=set(), pathway=OWN, joint=False, helplines={"respect"},
        no_helplines={"domestic_abuse"}, shows={"people_who_harm"},
        hides=JOINT | {"domestic_abuse"}, sections={Section.RESPECT},
        no_sections=set(JOINT_SECTIONS) | {Section.PROTECTIVE_ORDERS}),
    row("not sure about own behaviour: Respect, no joint options, no links to them",
        danger=NO,
        worries={NONE}, own=HARM_UNSURE, needs={ARRANGE}, pathway=OWN, joint=False,
        helplines={"respect"}, shows={"people_who_harm", "legal_advice"},
        hides=JOINT | {"supported_contact"}, no_sections=set(JOINT_SECTIONS),
        leads={D.FAMILY_COURT_GUIDE}, no_leads=JOINT_DESTINATIONS),
    row("own behaviour and a court case: tell the FCA", danger=NO, worries={NONE},
        own=HARM_YES, needs={COURT}, pathway=OWN, joint=False, hides=JOINT,
        sections={Section.COURT_PROGRAMME_SAFETY}, no_sections={Section.COURT_PROGRAMME}),
    row("own behaviour, wants children's support: no parenting courses", danger=NO,
        worries={NONE}, own=HARM_YES, needs={KIDS}, pathway=OWN, joint=False,
        shows={"children"}, hides=JOINT),
    row("own behaviour question not answered: no joint options", danger=NO, worries={NONE},
        own=None, needs={ARRANGE}, pathway=OWN, joint=False, hides=JOINT),
    row("worried about my safety and needing arrangements: only a private plan of my own",
        danger=NO, worries={ME}, own=HARM_NO, needs={ARRANGE}, pathway=SAFETY, joint=False,
        hides=JOINT, sections={Section.PRIVATE_PLAN, Section.COURT_IS_THE_ROUTE},
        no_sections=set(JOINT_SECTIONS), leads={D.PRIVATE_PLAN, D.FAMILY_COURT_GUIDE},
        no_leads=set(JOINT_DESTINATIONS)),
    row("worried about my safety, needing only someone to talk to: no plan offered",
        danger=NO, worries={ME}, own=HARM_NO, needs={TALK}, pathway=SAFETY, joint=False,
        no_sections=set(JOINT_SECTIONS) | {Section.PRIVATE_PLAN},
        no_leads=set(JOINT_DESTINATIONS) | {D.PRIVATE_PLAN}),
    # --- Co-operative pathway ---------------------------------------------------------------
    row("no worries, agreeing arrangements", danger=NO, worries={NONE}, own=HARM_NO,
        needs={ARRANGE}, pathway=COOP, joint=True, no_helplines=DA_LINES | {"respect"},
        shows={"mediation", "miams", "contact_centres", "supported_contact",
               "parenting_courses", "legal_advice"},
        hides={"domestic_abuse", "parenting_programme", "supervised_contact"},
        sections={Section.PARENTING_PLAN, Section.MEDIATION},
        no_sections={Section.PROTECTIVE_ORDERS, Section.COURT_PROGRAMME, Section.PRIVATE_PLAN},
        leads=COOPERATIVE_LEADS, no_leads={D.PRIVATE_PLAN}),
    row("no worries, a court case has started", danger=NO, worries={NONE}, own=HARM_NO,
        needs={COURT}, pathway=COOP, joint=True, shows={"parenting_programme", "mediation"},
        sections={Section.COURT_PROGRAMME, Section.PARENTING_PLAN},
        no_sections={Section.COURT_PROGRAMME_SAFETY}),
    row("no worries, the children's wellbeing", danger=NO, worries={NONE}, own=HARM_NO,
        needs={KIDS}, pathway=COOP, joint=True,
        shows={"children", "parenting_courses"},
        hides={"mediation", "legal_advice"}, no_sections={Section.PARENTING_PLAN},
        no_leads=EVERY_LEAD),
    row("no worries, someone to talk to", danger=NO, worries={NONE}, own=HARM_NO,
        needs={TALK}, pathway=COOP, joint=True, helplines={"samaritans"},
        shows={"emotional_support"}, hides={"mediation", "money_housing"}),
    row("no worries, legal advice: legal services and the court guide, no mediation", danger=NO,
        worries={NONE}, own=HARM_NO, needs={LEGAL},
        pathway=COOP, joint=True, shows={"legal_advice"}, hides={"mediation"},
        leads=LEGAL_LEADS, no_leads=MEDIATION_LEADS | {D.PARENTING_PLAN}),
    row("no worries, money or housing", danger=NO, worries={NONE}, own=HARM_NO,
        needs={MONEY}, pathway=COOP, joint=True, shows={"money_housing"},
        hides={"mediation", "legal_advice"}),
    row("no worries, something else: every co-operative service", danger=NO,
        worries={NONE}, own=HARM_NO, needs={OTHER}, pathway=COOP, joint=True,
        shows={"mediation", "children", "emotional_support",
               "legal_advice", "money_housing", "parenting_courses"},
        hides={"parenting_programme", "domestic_abuse"},
        sections={Section.PARENTING_PLAN}),
]  # fmt: skip


@pytest.mark.parametrize(("answers", "expected"), TABLE)
def test_the_routing_table(answers: Answers, expected: dict) -> None:
    result = outcome(answers)
    helplines = {line.key for line in result.helplines}

    assert result.pathway == expected["pathway"]
    assert result.joint_options is expected["joint"]
    assert result.safe_where_abuse_only is not expected["joint"]
    assert expected["helplines"] <= helplines
    assert not expected["no_helplines"] & helplines
    assert expected["shows"] <= result.categories
    assert not expected["hides"] & result.categories
    assert expected["sections"] <= result.sections
    assert not expected["no_sections"] & result.sections
    assert expected["leads"] <= result.destinations
    assert not expected["no_leads"] & result.destinations
    why = {row.line.key: row.why for row in result.helpline_rows}
    for key, reason in expected["why"].items():
        assert why[key] is reason, key


def test_immediate_danger_shows_only_the_emergency_page() -> None:
    result = outcome(Answers(danger=Danger.YES, worries=frozenset({Worry.NONE})))
    assert result.pathway is Pathway.EMERGENCY
    assert [line.number for line in result.helplines] == ["999"]
    assert result.groups == ()
    assert result.sections == frozenset()


# Every combination of answers that can change the outcome -------------------------------


def _subsets(items: list) -> list[frozenset]:  # type: ignore[type-arg]
    return [
        frozenset(combo)
        for size in range(len(items) + 1)
        for combo in itertools.combinations(items, size)
    ]


ALL_ANSWERS = [
    Answers(danger=danger, worries=worries, own_behaviour=own, needs=needs, ages=ages)
    for danger in (None, *Danger)
    for worries in _subsets(list(Worry))
    for own in (None, *OwnBehaviour)
    for needs in _subsets(list(Need))
    for ages in ((), (4,))
]


def test_every_combination_keeps_the_safety_rules() -> None:
    """Any abuse answer: no mediation, no joint plan, only services safe where there is abuse."""
    checked = 0
    for answers in ALL_ANSWERS:
        result = outcome(answers)
        for group in result.groups:
            if group.for_people_who_harm:
                # The only group not limited to "safe where there is abuse": only for a parent
                # worried about their own behaviour, and only that category.
                assert own_behaviour_worry(answers), answers
                assert group.categories == ("people_who_harm",), answers
            else:
                assert "people_who_harm" not in group.categories, answers
        if abuse_indicated(answers):
            assert not result.joint_options, answers
            assert result.safe_where_abuse_only, answers
            assert not result.categories & JOINT_CATEGORIES, answers
            assert not result.sections & JOINT_SECTIONS, answers
            assert not result.destinations & JOINT_DESTINATIONS, answers
            assert result.pathway is not Pathway.COOPERATIVE, answers
        else:
            assert result.pathway is Pathway.COOPERATIVE, answers
            assert result.joint_options, answers
        if answers.danger is Danger.YES:
            assert result.pathway is Pathway.EMERGENCY, answers
            assert result.groups == (), answers
            assert result.sections == frozenset(), answers
        else:
            assert result.groups, answers  # nobody leaves with nothing to contact
        # Every section that names a next step leads to it, and nothing leads nowhere.
        leads = result.destinations
        assert (Destination.MEDIATION_GUIDE in leads) is (Section.MEDIATION in result.sections)
        assert (Destination.PARENTING_PLAN in leads) is (
            Section.PARENTING_PLAN in result.sections
        ), answers
        # A private plan leads to the plan tool, and only for a parent at risk.
        assert (Destination.PRIVATE_PLAN in leads) is (Section.PRIVATE_PLAN in result.sections), (
            answers
        )
        if Section.PRIVATE_PLAN in result.sections:
            assert not result.joint_options, answers
        has_legal = any(group.group == "legal" for group in result.groups)
        assert (Destination.FAMILY_COURT_GUIDE in leads) is has_legal, answers
        assert (Destination.LEGAL_SERVICES in leads) is (has_legal and result.joint_options)
        for line in result.helpline_rows:
            # The one reason given: the children's worry that brings the abuse helpline.
            if line.why is not None:
                assert line.line.key == "domestic_abuse", answers
                assert Worry.ME not in answers.worries, answers
        checked += 1
    assert checked == len(ALL_ANSWERS) > 20_000


def test_abuse_is_indicated_by_any_worry_or_by_doubt() -> None:
    clear = Answers(
        danger=Danger.NO, worries=frozenset({Worry.NONE}), own_behaviour=OwnBehaviour.NO
    )
    assert not abuse_indicated(clear)
    for worry in (Worry.ME, Worry.CHILDREN, Worry.NOT_SURE):
        assert abuse_indicated(Answers(danger=Danger.NO, worries=frozenset({worry})))
    for own in (OwnBehaviour.YES, OwnBehaviour.NOT_SURE, None):
        assert abuse_indicated(
            Answers(danger=Danger.NO, worries=frozenset({Worry.NONE}), own_behaviour=own)
        )


def test_ages_narrow_only_the_childrens_group() -> None:
    answers = Answers(
        danger=Danger.NO,
        worries=frozenset({Worry.NONE}),
        own_behaviour=OwnBehaviour.NO,
        ages=(3, 9),
        modes=frozenset({Mode.ONLINE}),
    )
    by_age = {str(group.group): group.by_age for group in outcome(answers).groups}
    assert by_age.pop("children") is True
    assert not any(by_age.values())


def test_ages_narrow_the_childrens_group_on_the_safety_pathway_too() -> None:
    answers = Answers(danger=Danger.NO, worries=frozenset({Worry.CHILDREN}), ages=(3,))
    groups = {str(group.group): group for group in outcome(answers).groups}
    assert groups["children"].by_age is True
    assert groups["safety"].by_age is False
    assert (
        outcome(Answers(danger=Danger.NO, worries=frozenset({Worry.CHILDREN}))).groups[-1].by_age
        is False
    )


def test_a_childrens_worry_lists_the_childrens_lines_then_the_abuse_helpline_with_why() -> None:
    result = outcome(
        Answers(
            danger=Danger.NO,
            worries=frozenset({Worry.CHILDREN}),
            own_behaviour=OwnBehaviour.NO,
            needs=frozenset({Need.LEGAL}),
        )
    )
    assert [row.line.key for row in result.helpline_rows] == [
        "emergency",
        "police",
        "nspcc",
        "childline",
        "domestic_abuse",
    ]
    reasons = {row.line.key: str(row.reason) for row in result.helpline_rows}
    assert reasons.pop("domestic_abuse") == str(WHY_TEXT[Why.CHILDREN_AND_ABUSE])
    assert "see, hear or live with domestic abuse" in str(WHY_TEXT[Why.CHILDREN_AND_ABUSE])
    assert set(reasons.values()) == {""}


def test_a_worry_about_me_lists_every_abuse_line_in_order() -> None:
    result = outcome(
        Answers(
            danger=Danger.NO,
            worries=frozenset({Worry.ME}),
            own_behaviour=OwnBehaviour.NO,
            needs=frozenset({Need.LEGAL}),
        )
    )
    assert [line.key for line in result.helplines] == [
        "emergency",
        "police",
        "domestic_abuse",
        "mens_advice",
        "galop",
        "karma_nirvana",
        "forced_marriage",
    ]


# Ranking within a group (issue 15 item 2) ------------------------------------------------
# A service's category codes → where it stands in its group. The selector sorts by this,
# then nearest first.

S = "survivors"
FIT_TABLE = [
    ("no worries: legal advice is what was asked", {"legal_advice"}, True, Fit.ASKED_FOR),
    ("no worries: mediation and MIAMs", {"mediation", "miams"}, True, Fit.ASKED_FOR),
    ("no worries: a children's domestic abuse recovery group comes last", {S, "children"},
     True, Fit.SAFETY_ONLY),
    ("no worries: an IDVA service under legal advice comes last", {S, "legal_advice"}, True,
     Fit.SAFETY_ONLY),
    ("no worries: supervised contact comes last", {"supervised_contact"}, True,
     Fit.SAFETY_ONLY),
    ("no worries: supported and supervised contact together comes last",
     {"supported_contact", "supervised_contact"}, True, Fit.SAFETY_ONLY),
    ("no worries: any domestic abuse service comes last", {"domestic_abuse"}, True,
     Fit.SAFETY_ONLY),
    ("no worries: a programme for people who harm comes last", {"people_who_harm"}, True,
     Fit.SAFETY_ONLY),
    ("no worries: a service with no category", set(), True, Fit.ASKED_FOR),
    ("at risk: the IDVA service is what fits", {S, "legal_advice"}, False, Fit.ASKED_FOR),
    ("at risk: supervised contact is what fits", {"supervised_contact"}, False,
     Fit.ASKED_FOR),
]  # fmt: skip


@pytest.mark.parametrize(
    ("codes", "joint", "fit"),
    [pytest.param(codes, joint, fit, id=story) for story, codes, joint, fit in FIT_TABLE],
)
def test_the_ranking_table(codes: set[str], joint: bool, fit: Fit) -> None:
    assert service_fit(frozenset(codes), joint_options=joint) is fit
    assert service_fit(iter(sorted(codes)), joint_options=joint) is fit  # any iterable


def test_safety_only_services_sort_after_what_was_asked_for() -> None:
    assert Fit.ASKED_FOR < Fit.SAFETY_ONLY
