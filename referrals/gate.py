"""The safeguarding gate: may this case's referrals go to the programme? Pure: no ORM, no I/O.

Sources (domain.md 1.3, 1.6, 2): an FCA may refer directly before the first hearing only once
the safeguarding enquiries are complete (police and local-authority checks done, both parents
spoken to) and there is no domestic-abuse or child-safeguarding indicator; otherwise the court
decides. A court order goes ahead even with a safety flag (the court has decided), but the
provider must arrange separate, safe attendance and the FCA is warned.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass


class Route(enum.StrEnum):
    COURT_ORDER = "court_order"
    FCA_DIRECT = "fca_direct"
    REQUEST_TO_COURT = "request_to_court"


class CourtDecision(enum.StrEnum):
    PENDING = "pending"
    ORDERED = "ordered"
    DECLINED = "declined"


class Block(enum.StrEnum):
    """Why the gate says no, in words an FCA reads on the case page."""

    ORDER_DETAILS_MISSING = "Enter the order date and the issuing court."
    HEARING_PASSED = (
        "The first hearing has happened: a direct referral is only for before it. Ask the court."
    )
    ENQUIRIES_NOT_COMPLETE = "The safeguarding enquiries are not complete (enter the date)."
    POLICE_CHECKS = "The police checks are not done."
    LOCAL_AUTHORITY_CHECKS = "The local authority checks are not done."
    NOT_SPOKEN_TO_BOTH = "You have not spoken to both parents."
    DOMESTIC_ABUSE = "Domestic abuse is indicated: the court must decide."
    CHILD_SAFEGUARDING = "A child safeguarding concern is indicated: the court must decide."
    PARENT_SAFETY_FLAG = "A parent has a safety concern: the court must decide."
    NO_ATTESTATION = "You have not confirmed that a referral is safe and appropriate."
    COURT_PENDING = "The court has not decided yet."
    COURT_DECLINED = "The court decided a referral is not appropriate: do not refer."


class Caution(enum.StrEnum):
    SEPARATE_SAFE_ATTENDANCE = (
        "A safety concern is recorded. The court has ordered the programme, so the referral "
        "goes ahead: the provider is told to arrange separate, safe attendance."
    )


@dataclass(frozen=True)
class GateInput:
    route: Route
    today: dt.date
    first_hearing_on: dt.date
    order_date: dt.date | None = None
    issuing_court: str = ""
    court_decision: CourtDecision = CourtDecision.PENDING
    enquiries_completed_on: dt.date | None = None
    police_checks_done: bool = False
    local_authority_checks_done: bool = False
    both_parents_spoken_to: bool = False
    domestic_abuse_indicated: bool = False
    child_safeguarding_indicated: bool = False
    parent_safety_flag: bool = False  # either parent's safety flag
    fca_attests: bool = False


@dataclass(frozen=True)
class GateResult:
    blocks: tuple[Block, ...]
    warnings: tuple[Caution, ...]

    @property
    def allowed(self) -> bool:
        return not self.blocks

    @property
    def offer_request_to_court(self) -> bool:
        """A blocked direct referral may still be asked of the court."""
        return bool(self.blocks) and Block.COURT_DECLINED not in self.blocks


def _any_flag(given: GateInput) -> bool:
    return (
        given.domestic_abuse_indicated
        or given.child_safeguarding_indicated
        or given.parent_safety_flag
    )


def _direct_blocks(given: GateInput) -> list[Block]:
    checks = [
        (given.first_hearing_on <= given.today, Block.HEARING_PASSED),
        (given.enquiries_completed_on is None, Block.ENQUIRIES_NOT_COMPLETE),
        (not given.police_checks_done, Block.POLICE_CHECKS),
        (not given.local_authority_checks_done, Block.LOCAL_AUTHORITY_CHECKS),
        (not given.both_parents_spoken_to, Block.NOT_SPOKEN_TO_BOTH),
        (given.domestic_abuse_indicated, Block.DOMESTIC_ABUSE),
        (given.child_safeguarding_indicated, Block.CHILD_SAFEGUARDING),
        (given.parent_safety_flag, Block.PARENT_SAFETY_FLAG),
        (not given.fca_attests, Block.NO_ATTESTATION),
    ]
    return [block for failed, block in checks if failed]


def gate(given: GateInput) -> GateResult:
    """Decide whether the referrals may be submitted, with every reason they may not.

    Court order (or a request the court granted): goes ahead, warned when any flag is set.
    FCA direct: every check must pass and no indicator may be set; else it is blocked and the
    request-to-court route is offered.
    """
    if given.route == Route.FCA_DIRECT:
        return GateResult(blocks=tuple(_direct_blocks(given)), warnings=())
    blocks: list[Block] = []
    if given.route == Route.COURT_ORDER and (given.order_date is None or not given.issuing_court):
        blocks.append(Block.ORDER_DETAILS_MISSING)
    if given.route == Route.REQUEST_TO_COURT:
        if given.court_decision == CourtDecision.PENDING:
            blocks.append(Block.COURT_PENDING)
        elif given.court_decision == CourtDecision.DECLINED:
            blocks.append(Block.COURT_DECLINED)
    warnings = (Caution.SEPARATE_SAFE_ATTENDANCE,) if _any_flag(given) else ()
    return GateResult(blocks=tuple(blocks), warnings=warnings)
