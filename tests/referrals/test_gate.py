# ruff: noqa: E501 - the table is read across, a row per situation, like a safeguarding checklist
"""The safeguarding gate, as a table a safeguarding lead can read (domain.md 1.3, 1.6, 2).

Each row: the route and what the FCA has recorded → whether the referral may go ahead, every
reason it may not, and whether the provider is told to arrange separate, safe attendance.
A direct referral starts from "everything done" and each row takes one thing away or adds
one indicator; a court order goes ahead whatever the flags, with the warning.
"""

import dataclasses
import datetime as dt

import pytest

from referrals.gate import Block, Caution, CourtDecision, GateInput, Route, gate

TODAY = dt.date(2026, 11, 23)
HEARING = dt.date(2026, 12, 14)

COMPLETE_DIRECT = GateInput(
    route=Route.FCA_DIRECT,
    today=TODAY,
    first_hearing_on=HEARING,
    enquiries_completed_on=dt.date(2026, 11, 20),
    police_checks_done=True,
    local_authority_checks_done=True,
    both_parents_spoken_to=True,
    fca_attests=True,
)
COURT_ORDER = GateInput(
    route=Route.COURT_ORDER,
    today=TODAY,
    first_hearing_on=dt.date(2026, 10, 1),
    order_date=dt.date(2026, 10, 1),
    issuing_court="Leicester Family Court",
)
REQUEST = GateInput(route=Route.REQUEST_TO_COURT, today=TODAY, first_hearing_on=HEARING)

DIRECT, ORDER = COMPLETE_DIRECT, COURT_ORDER
NOTHING_DONE = GateInput(route=Route.FCA_DIRECT, today=TODAY, first_hearing_on=HEARING)
ORDERED, REFUSED = CourtDecision.ORDERED, CourtDecision.DECLINED
B = Block
GOES_AHEAD = "goes ahead"
WITH_WARNING = "goes ahead, provider told to arrange separate, safe attendance"

# fmt: off
TABLE = [
    # situation                                 base     what is different               outcome
    ("direct: everything done, no indicator",   DIRECT,  {},                                 GOES_AHEAD),
    ("direct: enquiries not complete",          DIRECT,  {"enquiries_completed_on": None},   [B.ENQUIRIES_NOT_COMPLETE]),
    ("direct: police checks not done",          DIRECT,  {"police_checks_done": False},      [B.POLICE_CHECKS]),
    ("direct: local authority checks not done", DIRECT,  {"local_authority_checks_done": False}, [B.LOCAL_AUTHORITY_CHECKS]),
    ("direct: only one parent spoken to",       DIRECT,  {"both_parents_spoken_to": False},  [B.NOT_SPOKEN_TO_BOTH]),
    ("direct: domestic abuse indicated",        DIRECT,  {"domestic_abuse_indicated": True}, [B.DOMESTIC_ABUSE]),
    ("direct: child safeguarding concern",      DIRECT,  {"child_safeguarding_indicated": True}, [B.CHILD_SAFEGUARDING]),
    ("direct: a parent has a safety flag",      DIRECT,  {"parent_safety_flag": True},       [B.PARENT_SAFETY_FLAG]),
    ("direct: the FCA has not attested",        DIRECT,  {"fca_attests": False},             [B.NO_ATTESTATION]),
    ("direct: the first hearing is today",      DIRECT,  {"first_hearing_on": TODAY},        [B.HEARING_PASSED]),
    ("direct: nothing done at all",             NOTHING_DONE, {},                            [B.ENQUIRIES_NOT_COMPLETE, B.POLICE_CHECKS, B.LOCAL_AUTHORITY_CHECKS, B.NOT_SPOKEN_TO_BOTH, B.NO_ATTESTATION]),
    ("court order: no flags",                   ORDER,   {},                                 GOES_AHEAD),
    ("court order: domestic abuse indicated",   ORDER,   {"domestic_abuse_indicated": True}, WITH_WARNING),
    ("court order: child safeguarding concern", ORDER,   {"child_safeguarding_indicated": True}, WITH_WARNING),
    ("court order: a parent has a safety flag", ORDER,   {"parent_safety_flag": True},       WITH_WARNING),
    ("court order: no order date",              ORDER,   {"order_date": None},               [B.ORDER_DETAILS_MISSING]),
    ("court order: no issuing court",           ORDER,   {"issuing_court": ""},              [B.ORDER_DETAILS_MISSING]),
    ("request: the court has not decided",      REQUEST, {},                                 [B.COURT_PENDING]),
    ("request: the court declined",             REQUEST, {"court_decision": REFUSED},        [B.COURT_DECLINED]),
    ("request: the court ordered it",           REQUEST, {"court_decision": ORDERED},        GOES_AHEAD),
    ("request: ordered, abuse indicated",       REQUEST, {"court_decision": ORDERED, "domestic_abuse_indicated": True}, WITH_WARNING),
]
# fmt: on


@pytest.mark.parametrize(
    ("situation", "base", "change", "outcome"), TABLE, ids=[row[0] for row in TABLE]
)
def test_the_gate_table(situation, base, change, outcome) -> None:
    result = gate(dataclasses.replace(base, **change))
    if outcome in (GOES_AHEAD, WITH_WARNING):
        assert result.allowed
        assert result.blocks == ()
        warned = outcome == WITH_WARNING
        assert result.warnings == ((Caution.SEPARATE_SAFE_ATTENDANCE,) if warned else ())
    else:
        assert not result.allowed
        assert list(result.blocks) == outcome
        assert result.warnings == ()


@pytest.mark.parametrize(
    "flag", ["domestic_abuse_indicated", "child_safeguarding_indicated", "parent_safety_flag"]
)
def test_it_blocks_a_direct_referral_with_any_indicator_and_offers_the_court(flag: str) -> None:
    result = gate(dataclasses.replace(COMPLETE_DIRECT, **{flag: True}))
    assert not result.allowed
    assert result.offer_request_to_court


def test_a_blocked_direct_referral_is_offered_the_request_to_court_route() -> None:
    assert gate(dataclasses.replace(COMPLETE_DIRECT, fca_attests=False)).offer_request_to_court
    assert not gate(COMPLETE_DIRECT).offer_request_to_court


def test_a_declined_request_is_not_offered_the_court_again() -> None:
    result = gate(dataclasses.replace(REQUEST, court_decision=CourtDecision.DECLINED))
    assert not result.offer_request_to_court


def test_every_reason_is_plain_words_without_minimising_language() -> None:
    for text in [*Block, *Caution]:
        lowered = text.value.lower()
        for word in ("alleged", "historical", "high conflict", "claims"):
            assert word not in lowered
