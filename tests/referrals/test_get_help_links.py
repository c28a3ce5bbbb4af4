"""Where the get-help results lead (referrals/signposting/links.py)."""

from referrals.signposting.links import GUIDES, guide_url, parenting_plan_link
from referrals.signposting.rules import Destination


def test_the_plan_link_is_the_plan_tool() -> None:
    link = parenting_plan_link()
    assert link.url == "/parenting-plan/"
    assert str(link.text) == "Start your parenting plan"


def test_the_guides_are_linked_by_their_public_paths() -> None:
    assert guide_url(GUIDES[Destination.MEDIATION_GUIDE]) == "/resources/mediation-and-miams/"
    assert (
        guide_url(GUIDES[Destination.FAMILY_COURT_GUIDE])
        == "/resources/the-first-hearing-and-cafcass/"
    )


def test_every_guide_a_result_links_to_is_shipped() -> None:
    from resources.demo import SEED_DIR

    for slug in GUIDES.values():
        assert (SEED_DIR / "guides" / f"{slug}.md").is_file(), slug
