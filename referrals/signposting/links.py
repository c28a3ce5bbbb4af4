"""Where each next step on the results page leads: the rules' `Destination`s as links.

The rules decide which destinations a parent may see (`rules.outcome`: none of the joint ones
for a parent at risk); this only turns them into URLs and words.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from directory.taxonomy import CategoryCode
from referrals.signposting.rules import Answers, Destination, Outcome
from referrals.signposting.selectors import category_slugs

# The guides each destination leads to, by slug (resources/seed/guides/).
GUIDES: dict[Destination, str] = {
    Destination.MEDIATION_GUIDE: "mediation-and-miams",
    Destination.FAMILY_COURT_GUIDE: "the-first-hearing-and-cafcass",
}


def guide_url(slug: str) -> str:
    return reverse("resources:guide", kwargs={"slug": slug})


@dataclass(frozen=True)
class Link:
    url: str
    text: str | Promise


def parenting_plan_link() -> Link:
    return Link(reverse("plan:start"), _("Start your parenting plan"))


def search_url(codes: tuple[str, ...], postcode: str) -> str:
    """The directory search for these categories, near the parent's postcode when given."""
    params: list[tuple[str, str]] = [("postcode", postcode)] if postcode else []
    params += [("category", slug) for slug in category_slugs(codes)]
    return f"{reverse('directory:search')}?{urlencode(params)}"


# Which links each part of the results page shows, in this order, when the rules allow them.
LEADS: dict[str, tuple[Destination, ...]] = {
    "mediation": (Destination.MEDIATION_SERVICES, Destination.MEDIATION_GUIDE),
    "parenting_plan": (Destination.PARENTING_PLAN,),
    "private_plan": (Destination.PRIVATE_PLAN,),
    "legal": (Destination.LEGAL_SERVICES, Destination.FAMILY_COURT_GUIDE),
}


def results_leads(outcome: Outcome, answers: Answers) -> dict[str, list[Link]]:
    """For each part of the results page (LEADS), the links the outcome allows."""
    links = destination_links(outcome, answers)
    return {part: [links[d] for d in wanted if d in links] for part, wanted in LEADS.items()}


def destination_links(outcome: Outcome, answers: Answers) -> dict[Destination, Link]:
    """A link for each destination the outcome allows."""
    links: dict[Destination, Link] = {}
    for destination in outcome.destinations:
        if destination is Destination.MEDIATION_SERVICES:
            url = search_url((CategoryCode.MEDIATION, CategoryCode.MIAMS), answers.postcode)
            links[destination] = Link(url, _("Find mediation and MIAMs near you"))
        elif destination is Destination.LEGAL_SERVICES:
            url = search_url((CategoryCode.LEGAL,), answers.postcode)
            links[destination] = Link(url, _("See all legal advice services near you"))
        elif destination is Destination.PARENTING_PLAN:
            links[destination] = parenting_plan_link()
        elif destination is Destination.PRIVATE_PLAN:
            links[destination] = Link(reverse("plan:start"), _("Start a private plan"))
        elif destination is Destination.MEDIATION_GUIDE:
            links[destination] = Link(
                guide_url(GUIDES[destination]), _("Read our guide to mediation and MIAMs")
            )
        elif destination is Destination.FAMILY_COURT_GUIDE:
            links[destination] = Link(
                guide_url(GUIDES[destination]),
                _("Read our guide to the first court hearing and Cafcass"),
            )
    return links
