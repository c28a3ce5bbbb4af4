"""The parenting plan's pure rules: who may do what to an item, and the safety gate, which is
the get-help check's own rule asked the same question."""

from itertools import combinations, product

import pytest

from referrals.signposting.rules import Answers, Danger, OwnBehaviour, Worry, abuse_indicated
from resources.plan.rules import (
    Action,
    Gate,
    ItemStatus,
    Who,
    allowed_actions,
    contact_detail_in,
    gate,
    next_status,
)

S, A = ItemStatus, Action
# status, who, shared → what that parent may do
TABLE = [
    (S.PROPOSED, Who.AUTHOR, True, {A.REVISE, A.NEEDS_HELP}),
    (S.PROPOSED, Who.OTHER, True, {A.AGREE, A.COUNTER, A.NOT_AGREE, A.NEEDS_HELP}),
    (S.COUNTERED, Who.OTHER, True, {A.AGREE, A.COUNTER, A.NOT_AGREE, A.NEEDS_HELP}),
    (S.AGREED, Who.AUTHOR, True, set()),
    (S.AGREED, Who.OTHER, True, {A.COUNTER}),
    (S.NOT_AGREED, Who.OTHER, True, {A.AGREE, A.COUNTER}),
    (S.NOT_AGREED, Who.AUTHOR, True, {A.REVISE}),
    (S.NEEDS_HELP, Who.OTHER, True, {A.AGREE, A.COUNTER}),
    (S.PROPOSED, Who.AUTHOR, False, {A.REVISE, A.NEEDS_HELP}),
    (S.NEEDS_HELP, Who.AUTHOR, False, {A.REVISE}),
]


@pytest.mark.parametrize(("status", "who", "shared", "expected"), TABLE)
def test_what_a_parent_may_do_to_an_item(
    status: ItemStatus, who: Who, shared: bool, expected: set[Action]
) -> None:
    assert allowed_actions(status=status, who=who, shared=shared) == expected


def test_nobody_agrees_to_their_own_wording_and_nobody_agrees_alone() -> None:
    for status in ItemStatus:
        assert A.AGREE not in allowed_actions(status=status, who=Who.AUTHOR, shared=True)
        for who in Who:
            assert A.AGREE not in allowed_actions(status=status, who=who, shared=False)


def test_a_revision_of_an_unsettled_item_puts_it_back_to_suggested() -> None:
    assert next_status(action=A.REVISE, status=S.NOT_AGREED) is S.PROPOSED
    assert next_status(action=A.REVISE, status=S.COUNTERED) is S.COUNTERED
    assert next_status(action=A.COUNTER, status=S.AGREED) is S.COUNTERED


WORRY_SETS = [frozenset(c) for n in range(0, 3) for c in combinations(list(Worry), n)]


@pytest.mark.parametrize(
    ("danger", "worries", "own"),
    list(product(list(Danger), WORRY_SETS, list(OwnBehaviour))),
)
def test_the_gate_is_the_get_help_checks_rule(
    danger: Danger, worries: frozenset[Worry], own: OwnBehaviour
) -> None:
    answers = Answers(danger=danger, worries=worries, own_behaviour=own)

    decided = gate(answers)

    if danger is Danger.YES:
        assert decided is Gate.EMERGENCY
    elif abuse_indicated(answers):
        assert decided is Gate.PRIVATE_ONLY
    else:
        assert decided is Gate.JOINT_ALLOWED
        assert worries == {Worry.NONE}
        assert own is OwnBehaviour.NO


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Call 07700 900123", True),
        ("+44 (0)116 496 0000", True),
        ("me@example.org", True),
        ("Handover at LE1 6ZG", True),
        ("Alternate weekends, 2 nights each", False),
        ("Pick up at 3:30 from school on 12 June 2027", False),
    ],
)
def test_contact_details_are_recognised_in_free_text(text: str, found: bool) -> None:
    assert contact_detail_in(text) is found
