"""The categories the safety rules depend on, by a code no curator can edit. Pure data.

A curator may rename a category, change its slug or move it; the rules in
`referrals/signposting/rules.py` and the directory's own safety checks key on `Category.code`,
which the admin never shows as editable (DESIGN.md privacy and safety rule 9). Every install
has these categories: `taxonomy_ensure` creates any that are missing after each migrate, and
the system check `directory.E001` fails loudly if one has gone. No queries here.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models


class CategoryCode(models.TextChoices):
    MEDIATION = "mediation"
    MIAMS = "miams"
    PARENTING_PROGRAMME = "parenting_programme"
    CONTACT_CENTRES = "contact_centres"
    SUPPORTED_CONTACT = "supported_contact"
    SUPERVISED_CONTACT = "supervised_contact"
    DOMESTIC_ABUSE = "domestic_abuse"
    SURVIVORS = "survivors"
    PEOPLE_WHO_HARM = "people_who_harm"
    LEGAL = "legal_advice"
    EMOTIONAL = "emotional_support"
    CHILDREN = "children"
    PARENTING_COURSES = "parenting_courses"
    MONEY_HOUSING = "money_housing"


C = CategoryCode

# Never offered once abuse or a risk to a child is indicated, and never flagged "safe where
# there is domestic abuse". Mediation and MIAMs: domain.md 2.4 (negotiation only "if there are
# no safety concerns"). The court parenting programme: domain.md 1.6 (not suitable where there
# are safeguarding concerns; the FCA decides). Parenting courses and supported (unsupervised)
# contact assume the parents can cooperate safely: a policy choice for the safeguarding lead.
# A curator's new child category of one of these ("Online mediation", no code of its own) is
# a joint option too; a coded child is decided here (supervised contact is not a joint option).
JOINT_OPTIONS = frozenset(
    {
        C.MEDIATION,
        C.MIAMS,
        C.PARENTING_PROGRAMME,
        C.PARENTING_COURSES,
        C.CONTACT_CENTRES,
        C.SUPPORTED_CONTACT,
    }
)


@dataclass(frozen=True)
class CoreCategory:
    code: CategoryCode
    slug: str
    name: str
    description: str
    parent: CategoryCode | None = None


# The starting names and slugs; after the first migrate the curators own them.
CORE_CATEGORIES: tuple[CoreCategory, ...] = (
    CoreCategory(
        C.MEDIATION,
        "mediation",
        "Family mediation",
        "A trained mediator helps you and the other parent agree arrangements.",
    ),
    CoreCategory(
        C.MIAMS,
        "miams",
        "MIAMs (mediation information and assessment meetings)",
        "The first meeting with a mediator, usually needed before applying to court.",
        parent=C.MEDIATION,
    ),
    CoreCategory(
        C.PARENTING_PROGRAMME,
        "parenting-programme",
        "Planning Together for Children",
        "The parenting programme the family court or Cafcass may refer you to.",
    ),
    CoreCategory(
        C.CONTACT_CENTRES,
        "child-contact-centres",
        "Child contact centres",
        "Safe, neutral places for children to spend time with a parent they do not live with.",
    ),
    CoreCategory(
        C.SUPPORTED_CONTACT,
        "supported-contact",
        "Supported contact",
        "Staff and volunteers are nearby.",
        parent=C.CONTACT_CENTRES,
    ),
    CoreCategory(
        C.SUPERVISED_CONTACT,
        "supervised-contact",
        "Supervised contact",
        "A worker watches and listens.",
        parent=C.CONTACT_CENTRES,
    ),
    CoreCategory(
        C.DOMESTIC_ABUSE,
        "domestic-abuse-support",
        "Domestic abuse support",
        "Help if someone has hurt, threatened, controlled or frightened you.",
    ),
    CoreCategory(
        C.SURVIVORS,
        "support-for-survivors",
        "Support for survivors",
        "Advice, safety and refuge.",
        parent=C.DOMESTIC_ABUSE,
    ),
    CoreCategory(
        C.PEOPLE_WHO_HARM,
        "programmes-for-people-who-harm",
        "Programmes for people who harm",
        "For people who want to stop being abusive.",
        parent=C.DOMESTIC_ABUSE,
    ),
    CoreCategory(
        C.LEGAL, "legal-advice", "Legal advice", "Family law advice, including legal aid."
    ),
    CoreCategory(
        C.EMOTIONAL,
        "counselling-emotional-support",
        "Counselling and emotional support",
        "Someone to talk to about separation, stress and feelings.",
    ),
    CoreCategory(
        C.CHILDREN,
        "children-young-people",
        "Support for children and young people",
        "Help for children and teenagers whose parents have separated.",
    ),
    CoreCategory(
        C.PARENTING_COURSES,
        "parenting-courses",
        "Parenting courses",
        "Courses on parenting apart and helping children through separation.",
    ),
    CoreCategory(
        C.MONEY_HOUSING,
        "money-debt-housing",
        "Money, debt and housing advice",
        "Help with benefits, child maintenance, debt and somewhere to live.",
    ),
)
