"""Where the get-help results lead (referrals/signposting/links.py)."""

import pytest

from referrals.signposting.links import GUIDES, guide_url, parenting_plan_link
from referrals.signposting.rules import Destination


def test_the_plan_link_is_the_guide_until_the_plan_tool_exists() -> None:
    link = parenting_plan_link()
    assert link.url == "/resources/making-a-parenting-plan/"
    assert str(link.text) == "Read our guide to making a parenting plan"


@pytest.mark.urls("tests.referrals.plan_urls")
def test_the_plan_link_is_the_plan_tool_once_it_exists() -> None:
    link = parenting_plan_link()
    assert link.url == "/parenting-plan/"
    assert str(link.text) == "Start your parenting plan"


def test_the_guides_are_linked_by_their_public_paths() -> None:
    assert guide_url(GUIDES[Destination.MEDIATION_GUIDE]) == "/resources/mediation-and-miams/"
    assert (
        guide_url(GUIDES[Destination.FAMILY_COURT_GUIDE])
        == "/resources/the-first-hearing-and-cafcass/"
    )
