"""Invented demo directory for the alliance area; `seed_demo` calls `seed(stdout)`.

Every organisation and local service here is invented. The national helplines are real, with
their real, free numbers, because a parent in danger should always be shown them.
"""

from __future__ import annotations

import random
from datetime import time, timedelta
from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.utils import timezone
from django.utils.text import slugify

from directory.models import (
    Category,
    Contact,
    Location,
    Organisation,
    Postcode,
    Schedule,
    Service,
    ServiceAtLocation,
)

DISTRICTS_CSV = Path(__file__).resolve().parent / "data" / "le-postcode-districts.csv"

# (slug, name, description, children)
CATEGORIES: list[tuple[str, str, str, list[tuple[str, str, str]]]] = [
    (
        "mediation",
        "Family mediation",
        "A trained mediator helps you and the other parent agree arrangements.",
        [
            (
                "miams",
                "MIAMs (mediation information and assessment meetings)",
                "The first meeting with a mediator, usually needed before applying to court.",
            )
        ],
    ),
    (
        "parenting-programme",
        "Planning Together for Children",
        "The parenting programme the family court or Cafcass may refer you to.",
        [],
    ),
    (
        "child-contact-centres",
        "Child contact centres",
        "Safe, neutral places for children to spend time with a parent they do not live with.",
        [
            ("supported-contact", "Supported contact", "Staff and volunteers are nearby."),
            ("supervised-contact", "Supervised contact", "A worker watches and listens."),
        ],
    ),
    (
        "domestic-abuse-support",
        "Domestic abuse support",
        "Help if someone has hurt, threatened, controlled or frightened you.",
        [
            ("support-for-survivors", "Support for survivors", "Advice, safety and refuge."),
            (
                "programmes-for-people-who-harm",
                "Programmes for people who harm",
                "For people who want to stop being abusive.",
            ),
        ],
    ),
    ("legal-advice", "Legal advice", "Family law advice, including legal aid.", []),
    (
        "counselling-emotional-support",
        "Counselling and emotional support",
        "Someone to talk to about separation, stress and feelings.",
        [],
    ),
    (
        "children-young-people",
        "Support for children and young people",
        "Help for children and teenagers whose parents have separated.",
        [],
    ),
    (
        "parenting-courses",
        "Parenting courses",
        "Courses on parenting apart and helping children through separation.",
        [],
    ),
    (
        "money-debt-housing",
        "Money, debt and housing advice",
        "Help with benefits, child maintenance, debt and somewhere to live.",
        [],
    ),
]

# (name, website domain or "", phone)
ORGANISATIONS: list[tuple[str, str, str]] = [
    ("Riverside Family Mediation", "riverside-mediation.example.org", "0116 496 0101"),
    ("Soar Valley Mediation Service", "soarvalley-mediation.example.org", "0116 496 0102"),
    ("Charnwood Family Mediation", "charnwood-mediation.example.org", "01509 496 010"),
    ("Harborough Mediation Partnership", "harborough-mediation.example.org", "01858 496 010"),
    ("Rutland Family Mediation", "rutland-mediation.example.org", "01572 496 010"),
    ("Clocktower Contact Centre Trust", "clocktower-contact.example.org", "0116 496 0106"),
    ("Wigston Child Contact Centre", "wigston-contact.example.org", "0116 496 0107"),
    ("Bosworth Families Contact Centre", "bosworth-contact.example.org", "01455 496 010"),
    ("Melton Families Contact Centre", "melton-contact.example.org", "01664 496 010"),
    ("Safe Haven Leicester", "safehaven.example.org", "0116 496 0110"),
    ("Shire Women's Aid", "shire-womens-aid.example.org", "0116 496 0111"),
    ("Refuge (National Domestic Abuse Helpline)", "www.nationaldahelpline.org.uk", ""),
    ("Respect", "respect.uk.net", ""),
    ("New Directions Behaviour Change", "new-directions.example.org", "0116 496 0114"),
    ("Castle Street Law Centre", "castle-street-law.example.org", "0116 496 0115"),
    ("Granby Family Law", "granby-family-law.example.org", "0116 496 0116"),
    ("Loughborough Family Law Clinic", "lboro-family-law.example.org", "01509 496 017"),
    ("Open Door Counselling", "opendoor-counselling.example.org", "0116 496 0118"),
    ("Bridges Family Counselling", "bridges-counselling.example.org", "0116 496 0119"),
    ("Samaritans", "www.samaritans.org", ""),
    ("Young Voices Leicester", "young-voices.example.org", "0116 496 0121"),
    ("Both Sides Youth Project", "both-sides.example.org", "0116 496 0122"),
    ("Childline (NSPCC)", "www.childline.org.uk", ""),
    ("Parenting Matters", "parenting-matters.example.org", "0116 496 0124"),
    ("City Family Hubs", "city-family-hubs.example.org", "0116 496 0125"),
    ("County Family Hubs", "county-family-hubs.example.org", "0116 496 0126"),
    ("Positive Parenting Partners", "positive-parenting.example.org", "0116 496 0127"),
    ("Money Matters Advice", "money-matters.example.org", "0116 496 0128"),
    ("Homes First Advice", "homes-first.example.org", "0116 496 0129"),
    ("National Debtline", "www.nationaldebtline.org", ""),
    ("Shelter", "england.shelter.org.uk", ""),
    ("Advice Hub Leicestershire", "advice-hub.example.org", "0116 496 0132"),
]

IN_PERSON = Service.DeliveryMode.IN_PERSON
ONLINE = Service.DeliveryMode.ONLINE
PHONE = Service.DeliveryMode.PHONE
SELF = Service.AccessMethod.SELF_REFERRAL
PRO = Service.AccessMethod.PROFESSIONAL_REFERRAL
COURT = Service.AccessMethod.COURT_ORDERED
A = Service.Accreditation
RADIUS = Service.AreaCovered.RADIUS
AREA = Service.AreaCovered.ALLIANCE_AREA
NATIONAL = Service.AreaCovered.NATIONAL

WEEKDAYS = [(d, time(9), time(17)) for d in range(5)]
EVENINGS = [(1, time(17, 30), time(20, 30)), (3, time(17, 30), time(20, 30))]
WEEKENDS = [(5, time(10), time(16)), (6, time(10), time(14))]
ALWAYS = [(d, time(0), time(23, 59)) for d in range(7)]


def _svc(org: int, name: str, cats: list[str], summary: str, **kw: Any) -> dict[str, Any]:
    return {"org": org, "name": name, "cats": cats, "summary": summary, **kw}


# Each entry: organisation index, name, category slugs, summary, then options.
# fmt: off
SERVICES: list[dict[str, Any]] = [
    # Mediation: never "safe where there is domestic abuse" (joint sessions).
    _svc(0, "Family mediation in Leicester city centre", ["mediation"],
         "Accredited mediators help you agree arrangements for children and money.",
         districts=["LE1"], cost="£120 per person per session; free with legal aid",
         acc=[A.FMC_MEDIATOR, A.LEGAL_AID], langs=["en", "pa", "gu"], hours=WEEKDAYS + EVENINGS,
         keywords="mediator mediate agreement child arrangements"),
    _svc(0, "MIAM appointments (Riverside)", ["miams"],
         "Your first meeting with a mediator, needed before most court applications.",
         districts=["LE1", "LE2"], modes=[IN_PERSON, ONLINE], cost="£95; free with legal aid",
         acc=[A.FMC_MEDIATOR, A.LEGAL_AID], keywords="MIAM court form C100 exemption"),
    _svc(1, "Soar Valley family mediation", ["mediation", "miams"],
         "Mediation and MIAMs in north Leicester and Birstall, with evening appointments.",
         districts=["LE4"], cost="£110 per session", acc=[A.FMC_MEDIATOR], langs=["en", "ur"],
         hours=WEEKDAYS + EVENINGS),
    _svc(1, "Child-inclusive mediation", ["mediation", "children-young-people"],
         "A specially trained mediator talks with your children so their views are heard.",
         districts=["LE4"], cost="£150 per family", acc=[A.FMC_MEDIATOR], ages=(10, 17)),
    _svc(2, "Charnwood family mediation", ["mediation", "miams"],
         "Mediation in Loughborough and online for families across Charnwood.",
         districts=["LE11"], modes=[IN_PERSON, ONLINE], cost="£100 per session",
         acc=[A.FMC_MEDIATOR, A.LEGAL_AID]),
    _svc(3, "Harborough mediation", ["mediation"],
         "Local mediators for Market Harborough and Lutterworth families.",
         districts=["LE16", "LE17"], cost="£115 per session", acc=[A.FMC_MEDIATOR]),
    _svc(4, "Rutland family mediation", ["mediation", "miams"],
         "Mediation in Oakham and by video for families in Rutland.",
         districts=["LE15"], modes=[IN_PERSON, ONLINE], cost="£105 per session",
         acc=[A.FMC_MEDIATOR]),
    _svc(0, "Online mediation", ["mediation"],
         "Mediation by secure video call, so you do not have to be in the same room.",
         modes=[ONLINE], area=AREA, cost="£110 per session", acc=[A.FMC_MEDIATOR],
         langs=["en", "pl", "ro"]),
    _svc(2, "Shuttle mediation", ["mediation"],
         "The mediator moves between two rooms so you and the other parent do not meet.",
         districts=["LE12"], cost="£130 per session", acc=[A.FMC_MEDIATOR]),
    _svc(3, "Mediation voucher advice line", ["mediation", "legal-advice"],
         "Phone advice on the Family Mediation Voucher Scheme and whether you qualify.",
         modes=[PHONE], area=AREA, free=True, status="temporarily_closed"),
    # Planning Together for Children (court or Cafcass referral only).
    _svc(26, "Planning Together for Children (city)", ["parenting-programme"],
         "The course the court or Cafcass may refer you to, with e-learning and a group session.",
         districts=["LE1"], modes=[IN_PERSON, ONLINE], free=True, access=[COURT, PRO],
         langs=["en", "pa", "gu", "ur", "pl"], safe=True,
         keywords="SPIP separated parents information programme PTfC"),
    _svc(26, "Planning Together for Children (county)", ["parenting-programme"],
         "The court-directed course for parents, in Loughborough, Hinckley and online.",
         districts=["LE11", "LE10"], modes=[IN_PERSON, ONLINE], free=True, access=[COURT, PRO],
         keywords="SPIP separated parents information programme PTfC"),
    _svc(26, "Planning Together for Children online", ["parenting-programme"],
         "The whole course online, in separate sessions from the other parent.",
         modes=[ONLINE], area=AREA, free=True, access=[COURT, PRO], langs=["en", "ar", "so"],
         keywords="SPIP PTfC"),
    # Child contact centres.
    _svc(5, "Clocktower supported contact centre", ["supported-contact"],
         "A friendly centre where children spend time with a parent; staff are close by.",
         districts=["LE1"], cost="£15 per visit", acc=[A.NACCC_CENTRE], hours=WEEKENDS,
         ages=(0, 16), keywords="handover contact centre visits"),
    _svc(5, "Clocktower supervised contact", ["supervised-contact"],
         "Contact watched by a trained worker who writes a report for the court if needed.",
         districts=["LE1"], cost="£45 per hour", acc=[A.NACCC_CENTRE], access=[PRO, COURT],
         hours=WEEKENDS + WEEKDAYS[:2], ages=(0, 16), safe=True),
    _svc(6, "Wigston child contact centre", ["supported-contact"],
         "Saturday supported contact in a church hall, with toys, garden and parking.",
         districts=["LE18"], cost="£10 per visit", acc=[A.NACCC_CENTRE], hours=WEEKENDS[:1],
         ages=(0, 12)),
    _svc(6, "Handover service", ["supported-contact"],
         "Children are handed over through the centre so parents do not need to meet.",
         districts=["LE18"], free=True, acc=[A.NACCC_CENTRE], hours=WEEKENDS,
         keywords="handover changeover"),
    _svc(7, "Bosworth families contact centre", ["supported-contact", "supervised-contact"],
         "Supported and supervised contact in Hinckley.",
         districts=["LE10"], cost="£12 to £40 per visit", acc=[A.NACCC_CENTRE],
         hours=WEEKENDS, status="temporarily_closed"),
    _svc(8, "Melton families contact centre", ["supported-contact"],
         "A welcoming supported contact centre for Melton and the villages.",
         districts=["LE13"], cost="£10 per visit", acc=[A.NACCC_CENTRE], hours=WEEKENDS[:1]),
    _svc(5, "Loughborough supported contact", ["supported-contact"],
         "Sunday supported contact in Loughborough.",
         districts=["LE11"], cost="£12 per visit", acc=[A.NACCC_CENTRE], hours=WEEKENDS[1:]),
    _svc(7, "Coalville supervised contact", ["supervised-contact"],
         "Supervised contact with reports for Cafcass and the court.",
         districts=["LE67"], cost="£42 per hour", acc=[A.NACCC_CENTRE], access=[PRO, COURT]),
    # Domestic abuse: survivors.
    _svc(11, "National Domestic Abuse Helpline", ["support-for-survivors"],
         "Free, confidential advice for women, 24 hours a day. Call 0808 2000 247.",
         modes=[PHONE, ONLINE], area=NATIONAL, free=True, phone="0808 2000 247",
         specialist=True, hours=ALWAYS, langs=["en", "bsl"],
         website="https://www.nationaldahelpline.org.uk/",
         keywords="domestic violence helpline refuge women 24 hour"),
    _svc(12, "Men's Advice Line", ["support-for-survivors"],
         "Free, confidential help for men experiencing domestic abuse. Call 0808 801 0327.",
         modes=[PHONE, ONLINE], area=NATIONAL, free=True, phone="0808 801 0327",
         specialist=True, website="https://mensadviceline.org.uk/",
         keywords="domestic violence men male victims"),
    _svc(9, "Safe Haven refuge", ["support-for-survivors"],
         "Safe, confidential accommodation for women and children escaping abuse.",
         districts=["LE3"], confidential=True, free=True, specialist=True, access=[SELF, PRO],
         langs=["en", "pa", "gu", "ur", "so"], hours=ALWAYS,
         keywords="refuge shelter safe house emergency accommodation"),
    _svc(9, "Safe Haven outreach and IDVA service", ["support-for-survivors", "legal-advice"],
         "Independent domestic violence advisers help with safety plans, police and court.",
         districts=["LE1"], free=True, specialist=True, langs=["en", "pa", "gu", "hi"],
         acc=[A.SAFELIVES], keywords="IDVA advocate non-molestation order court support"),
    _svc(10, "Shire Women's Aid county refuge", ["support-for-survivors"],
         "Refuge rooms for women and children in the county. The address is never shared.",
         districts=["LE11"], confidential=True, free=True, specialist=True, hours=ALWAYS,
         keywords="refuge shelter safe house"),
    _svc(10, "Shire Women's Aid helpline", ["support-for-survivors"],
         "Local helpline for anyone affected by domestic abuse in Leicestershire and Rutland.",
         modes=[PHONE], area=AREA, free=True, specialist=True, hours=WEEKDAYS + EVENINGS),
    _svc(10, "Freedom Programme groups", ["support-for-survivors", "parenting-courses"],
         "A 12-week group for women to understand abuse and its effect on children.",
         districts=["LE5", "LE9"], free=True, specialist=True, hours=[(2, time(10), time(12))]),
    _svc(9, "Children's domestic abuse recovery group", ["support-for-survivors",
                                                        "children-young-people"],
         "Group work for children who have lived with domestic abuse.",
         districts=["LE2"], free=True, specialist=True, ages=(5, 12), access=[PRO, SELF]),
    _svc(10, "Rutland domestic abuse outreach", ["support-for-survivors"],
         "Outreach workers who meet you somewhere safe in Rutland.",
         districts=["LE15"], confidential=True, free=True, specialist=True),
    # Domestic abuse: people who harm (never "safe where abuse": not for survivors).
    _svc(12, "Respect Phoneline", ["programmes-for-people-who-harm"],
         "Confidential help for people who are abusive and want to stop. 0808 802 4040.",
         modes=[PHONE, ONLINE], area=NATIONAL, free=True, phone="0808 802 4040",
         specialist=True, safe=False, website="https://respectphoneline.org.uk/"),
    _svc(13, "New Directions behaviour change programme", ["programmes-for-people-who-harm"],
         "A Respect-accredited group programme for people who have been abusive.",
         districts=["LE1"], cost="Free by referral; £30 per session if you refer yourself",
         acc=[A.RESPECT], access=[SELF, PRO, COURT], specialist=True, safe=False,
         hours=EVENINGS, keywords="perpetrator DAPP domestic abuse perpetrator programme"),
    _svc(13, "New Directions county groups", ["programmes-for-people-who-harm"],
         "Behaviour change groups in Loughborough and Hinckley.",
         districts=["LE11", "LE10"], free=True, acc=[A.RESPECT], access=[PRO, COURT],
         specialist=True, safe=False),
    # Legal advice.
    _svc(14, "Castle Street family law advice", ["legal-advice"],
         "Free advice on child arrangements, legal aid and court forms.",
         districts=["LE1"], free=True, acc=[A.LEGAL_AID], langs=["en", "gu", "pa"],
         keywords="solicitor lawyer court order C100 legal aid"),
    _svc(14, "Court forms help session", ["legal-advice"],
         "Drop-in help filling in court forms if you have no lawyer.",
         districts=["LE1"], free=True, hours=[(2, time(10), time(13))],
         keywords="litigant in person C100 C1A"),
    _svc(15, "Granby family law fixed-fee advice", ["legal-advice"],
         "A one-hour meeting with a family solicitor for a fixed fee.",
         districts=["LE1"], cost="£150 fixed fee", acc=[A.LAW_SOCIETY, A.RESOLUTION],
         keywords="solicitor lawyer divorce"),
    _svc(15, "Granby legal aid family team", ["legal-advice"],
         "Legal aid for family cases where there is domestic abuse or risk to children.",
         districts=["LE1"], free=True, acc=[A.LEGAL_AID, A.LAW_SOCIETY], specialist=True,
         keywords="solicitor legal aid non-molestation"),
    _svc(16, "Loughborough family law clinic", ["legal-advice"],
         "Free 30-minute legal advice appointments in Loughborough.",
         districts=["LE11"], free=True, modes=[IN_PERSON, PHONE]),
    _svc(31, "Advice Hub family advice line", ["legal-advice", "money-debt-housing"],
         "Phone advice on separation, child maintenance and benefits.",
         modes=[PHONE], area=AREA, free=True, langs=["en", "pl", "ro", "pt"]),
    _svc(16, "Online legal information sessions", ["legal-advice"],
         "Monthly online sessions explaining the family court process.",
         modes=[ONLINE], area=AREA, free=True),
    # Counselling and emotional support.
    _svc(17, "Open Door separation counselling", ["counselling-emotional-support"],
         "Short-term counselling for adults going through separation.",
         districts=["LE2"], cost="Pay what you can, from £5", acc=[A.BACP],
         modes=[IN_PERSON, ONLINE, PHONE], langs=["en", "hi", "gu"]),
    _svc(17, "Open Door Hinckley", ["counselling-emotional-support"],
         "Counselling for adults in Hinckley and Bosworth.",
         districts=["LE10"], cost="£25 per session", acc=[A.BACP]),
    _svc(18, "Bridges family counselling", ["counselling-emotional-support",
                                            "children-young-people"],
         "Counselling for parents and children together or apart.",
         districts=["LE18"], cost="£40 per session", acc=[A.BACP], ages=(8, 18)),
    _svc(18, "Bridges online support group", ["counselling-emotional-support"],
         "A weekly online group for separated parents.",
         modes=[ONLINE], area=AREA, free=True, hours=[(3, time(19), time(20, 30))]),
    _svc(19, "Samaritans", ["counselling-emotional-support"],
         "Someone to talk to, day or night. Call 116 123 free.",
         modes=[PHONE, ONLINE], area=NATIONAL, free=True, phone="116 123", hours=ALWAYS,
         website="https://www.samaritans.org/"),
    _svc(17, "Melton wellbeing café", ["counselling-emotional-support"],
         "A relaxed weekly drop-in for parents to talk and get support.",
         districts=["LE13"], free=True, hours=[(4, time(10), time(12))],
         status="temporarily_closed"),
    # Children and young people.
    _svc(20, "Young Voices one-to-one support", ["children-young-people"],
         "A youth worker to talk to when your parents have split up.",
         districts=["LE1", "LE4"], free=True, ages=(11, 18), langs=["en", "so", "ar"]),
    _svc(20, "Young Voices online chat", ["children-young-people"],
         "Online chat with a youth worker, evenings and weekends.",
         modes=[ONLINE], area=AREA, free=True, ages=(11, 18)),
    _svc(21, "Both Sides young people's group", ["children-young-people"],
         "A group for 8 to 12 year olds whose parents live apart.",
         districts=["LE5"], free=True, ages=(8, 12)),
    _svc(21, "Both Sides county groups", ["children-young-people"],
         "Groups for children in Loughborough, Coalville and Market Harborough.",
         districts=["LE11", "LE67", "LE16"], free=True, ages=(6, 12)),
    _svc(22, "Childline", ["children-young-people", "counselling-emotional-support"],
         "Free, confidential help for anyone under 19. Call 0800 1111.",
         modes=[PHONE, ONLINE], area=NATIONAL, free=True, phone="0800 1111", ages=(0, 18),
         hours=ALWAYS, website="https://www.childline.org.uk/"),
    _svc(21, "Teen talk drop-in", ["children-young-people"],
         "A weekly after-school drop-in for teenagers.",
         districts=["LE3"], free=True, ages=(13, 19), hours=[(2, time(16), time(18))]),
    # Parenting courses.
    _svc(23, "Parenting apart course", ["parenting-courses"],
         "A six-week course on co-parenting and keeping children out of conflict.",
         districts=["LE2"], cost="£60 for the course", modes=[IN_PERSON, ONLINE]),
    _svc(23, "Parenting Matters online", ["parenting-courses"],
         "Self-paced online course on helping children through separation.",
         modes=[ONLINE], area=NATIONAL, free=True, langs=["en", "pl", "ar"]),
    _svc(24, "City Family Hubs parenting groups", ["parenting-courses", "children-young-people"],
         "Free parenting groups in the city's family hubs.",
         districts=["LE3", "LE4", "LE5"], free=True, ages=(0, 19),
         langs=["en", "pa", "gu", "ur", "so"], hours=WEEKDAYS),
    _svc(25, "County Family Hubs parenting groups", ["parenting-courses"],
         "Parenting groups in family hubs across Leicestershire.",
         districts=["LE9", "LE12", "LE16", "LE65"], free=True, ages=(0, 19), hours=WEEKDAYS),
    _svc(25, "Rutland family hub", ["parenting-courses", "children-young-people"],
         "Parenting support and activities for families in Rutland.",
         districts=["LE15"], free=True, ages=(0, 19), hours=WEEKDAYS),
    _svc(23, "Dads' parenting group", ["parenting-courses"],
         "An evening group for fathers living apart from their children.",
         districts=["LE1"], cost="£5 per session", hours=EVENINGS[:1]),
    _svc(24, "Parenting teenagers after separation", ["parenting-courses"],
         "A four-session course for parents of 12 to 18 year olds.",
         districts=["LE18"], free=True, ages=(12, 18), status="draft"),
    # Money, debt and housing.
    _svc(27, "Money Matters benefits and debt advice", ["money-debt-housing"],
         "Help with Universal Credit, child maintenance and debts after separation.",
         districts=["LE1", "LE11"], free=True, modes=[IN_PERSON, PHONE],
         langs=["en", "gu", "pa", "pl"], keywords="Child Maintenance Service CMS benefits"),
    _svc(28, "Homes First housing advice", ["money-debt-housing"],
         "Advice if you have to leave your home or are at risk of homelessness.",
         districts=["LE1"], free=True, modes=[IN_PERSON, PHONE],
         keywords="homeless housing tenancy eviction"),
    _svc(29, "National Debtline", ["money-debt-housing"],
         "Free, independent debt advice. Call 0808 808 4000.",
         modes=[PHONE, ONLINE], area=NATIONAL, free=True, phone="0808 808 4000",
         website="https://nationaldebtline.org/"),
    _svc(30, "Shelter helpline", ["money-debt-housing"],
         "Urgent housing advice. Call 0808 800 4444.",
         modes=[PHONE, ONLINE], area=NATIONAL, free=True, phone="0808 800 4444",
         website="https://england.shelter.org.uk/"),
    _svc(31, "Advice Hub drop-in", ["money-debt-housing", "legal-advice"],
         "Drop-in advice on money, housing and separation in Coalville and Ashby.",
         districts=["LE67", "LE65"], free=True),
    _svc(27, "Money Matters Melton outreach", ["money-debt-housing"],
         "Monthly outreach sessions in Melton Mowbray.",
         districts=["LE13"], free=True, status="archived"),
    _svc(28, "Homes First Harborough", ["money-debt-housing"],
         "Housing advice for Market Harborough and Lutterworth.",
         districts=["LE16", "LE17"], free=True),
]
# fmt: on


def _jitter(rng: random.Random) -> float:
    return rng.uniform(-0.012, 0.012)


def _inward(rng: random.Random) -> str:
    letters = "ABDEFGHJLNPQRSTUWXYZ"
    return f"{rng.randint(0, 9)}{rng.choice(letters)}{rng.choice(letters)}"


def seed(stdout: Any) -> None:
    """Create or update the demo directory; running it twice changes nothing."""
    call_command("import_postcodes", str(DISTRICTS_CSV), verbosity=1, stdout=stdout)
    rng = random.Random(20261123)  # noqa: S311 - demo data, not security
    categories = _seed_categories()
    centroids = {
        p.code: (p.latitude, p.longitude) for p in Postcode.objects.filter(is_district=True)
    }
    organisations = []
    for name, domain, phone in ORGANISATIONS:
        org, _ = Organisation.objects.update_or_create(
            slug=slugify(name),
            defaults={
                "name": name,
                "website": f"https://{domain}/" if domain else "",
                "phone": phone,
                "description": f"{name} is part of the alliance.",
            },
        )
        organisations.append(org)
    now = timezone.now()
    for index, spec in enumerate(SERVICES):
        org = organisations[spec["org"]]
        cats = spec["cats"]
        is_mediation = any(c in ("mediation", "miams") for c in cats)
        modes = spec.get("modes", [IN_PERSON])
        service, _ = Service.objects.update_or_create(
            slug=slugify(spec["name"]),
            defaults={
                "organisation": org,
                "name": spec["name"],
                "summary": spec["summary"],
                "description": _description(spec),
                "keywords": spec.get("keywords", ""),
                "status": spec.get("status", Service.Status.PUBLISHED),
                "delivery_modes": modes,
                "is_free": spec.get("free", False),
                "cost": spec.get("cost", ""),
                "min_age": (spec.get("ages") or (None, None))[0],
                "max_age": (spec.get("ages") or (None, None))[1],
                "languages": spec.get("langs", ["en"]),
                "access_methods": spec.get("access", [SELF]),
                "how_to_access": _how_to_access(spec),
                "accreditations": spec.get("acc", []),
                "safe_where_abuse": spec.get("safe", not is_mediation),
                "domestic_abuse_specialist": spec.get("specialist", False),
                "area_covered": spec.get("area", RADIUS),
                "area_radius_miles": 15.0 if spec.get("area", RADIUS) == RADIUS else None,
                "eligibility": _eligibility(spec),
                "accessibility_notes": (
                    "Step-free access and an accessible toilet. Tell us if you need an interpreter."
                    if IN_PERSON in modes
                    else ""
                ),
                "website": spec.get("website", org.website),
                "phone": spec.get("phone", org.phone),
                "email": f"hello@{org.website.split('/')[2]}" if ".example." in org.website else "",
                "last_verified_at": now - timedelta(days=(index * 7) % 240),
            },
        )
        service.categories.set([categories[c] for c in cats])
        _seed_locations(service, spec, centroids, rng)
        _seed_schedule(service, spec)
        if not service.contacts.exists() and service.phone:
            Contact.objects.create(service=service, title="Enquiries", phone=service.phone)
    stdout.write(
        f"Directory: {Organisation.objects.count()} organisations, "
        f"{Service.objects.filter(status=Service.Status.PUBLISHED).count()} published services."
    )


def _seed_categories() -> dict[str, Category]:
    found: dict[str, Category] = {}
    for position, (slug, name, description, children) in enumerate(CATEGORIES):
        parent, _ = Category.objects.update_or_create(
            slug=slug,
            defaults={"name": name, "description": description, "position": position},
        )
        found[slug] = parent
        for child_position, (child_slug, child_name, child_description) in enumerate(children):
            found[child_slug], _ = Category.objects.update_or_create(
                slug=child_slug,
                defaults={
                    "name": child_name,
                    "description": child_description,
                    "parent": parent,
                    "position": child_position,
                },
            )
    return found


def _seed_locations(
    service: Service,
    spec: dict[str, Any],
    centroids: dict[str, tuple[float, float]],
    rng: random.Random,
) -> None:
    for district in spec.get("districts", []):
        lat, lng = centroids[district]
        name = f"{service.organisation.name}, {district}"
        location, _ = Location.objects.get_or_create(
            organisation=service.organisation,
            name=name,
            defaults={
                "address_1": ""
                if spec.get("confidential")
                else f"{rng.randint(1, 180)} High Street",
                "town": "Leicester" if district in {"LE1", "LE2", "LE3", "LE4", "LE5"} else "",
                "postcode": f"{district} {_inward(rng)}",
                "latitude": lat + _jitter(rng),
                "longitude": lng + _jitter(rng),
                "confidential": bool(spec.get("confidential")),
                "accessibility_notes": "Ground floor rooms. Parking nearby.",
            },
        )
        ServiceAtLocation.objects.get_or_create(service=service, location=location)


def _seed_schedule(service: Service, spec: dict[str, Any]) -> None:
    if service.schedules.exists():
        return
    hours = spec.get("hours", WEEKDAYS)
    Schedule.objects.bulk_create(
        Schedule(service=service, weekday=day, opens_at=opens, closes_at=closes)
        for day, opens, closes in hours
    )


def _description(spec: dict[str, Any]) -> str:
    parts = [spec["summary"]]
    if spec.get("specialist"):
        parts.append("Our staff are trained specialists in domestic abuse.")
    if spec.get("keywords"):
        parts.append(f"We can help with: {spec['keywords']}.")
    parts.append("Everything you tell us is confidential unless a child or adult is at risk.")
    return "\n\n".join(parts)


def _how_to_access(spec: dict[str, Any]) -> str:
    access = spec.get("access", [SELF])
    if COURT in access and SELF not in access:
        return "The court or Cafcass will refer you. You do not need to apply yourself."
    if PRO in access and SELF not in access:
        return "Ask a professional, such as your health visitor, GP or social worker, to refer you."
    if spec.get("phone"):
        return f"Call {spec['phone']}."
    return "Call or email us to book. We will call you back within two working days."


def _eligibility(spec: dict[str, Any]) -> str:
    ages = spec.get("ages")
    if ages:
        return f"Children and young people aged {ages[0]} to {ages[1]}, and their families."
    return "Parents and carers living in the area."
