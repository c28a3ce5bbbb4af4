"""The get-help results with directory data: the rules decide which services a parent sees."""

import pytest
from django.test import Client

from tests.directory.factories import (
    CENTRE,
    AreaWideServiceFactory,
    CategoryFactory,
    PostcodeFactory,
    PublishedServiceFactory,
    north_of_centre,
)
from tests.referrals.test_get_help_views import (
    COOPERATIVE_ANSWERS,
    SAFETY_ANSWERS,
    Answers,
    answer_all,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def directory(db: None) -> dict[str, object]:
    PostcodeFactory(code="LE1", latitude=CENTRE[0], longitude=CENTRE[1])
    PostcodeFactory(code="LE1 6ZG", latitude=CENTRE[0], longitude=CENTRE[1])
    abuse = CategoryFactory(slug="domestic-abuse-support", name="Domestic abuse support")
    survivors = CategoryFactory(slug="support-for-survivors", parent=abuse)
    legal = CategoryFactory(slug="legal-advice")
    mediation = CategoryFactory(slug="mediation")
    children = CategoryFactory(slug="children-young-people")
    return {
        "survivors": PublishedServiceFactory(
            name="Safe Haven outreach",
            categories=[survivors],
            safe_where_abuse=True,
            domestic_abuse_specialist=True,
            at=north_of_centre(1),
        ),
        "legal_far": PublishedServiceFactory(
            name="Family law clinic far",
            categories=[legal],
            safe_where_abuse=True,
            at=north_of_centre(6),
        ),
        "legal_near": PublishedServiceFactory(
            name="Family law clinic near",
            categories=[legal],
            safe_where_abuse=True,
            at=north_of_centre(2),
        ),
        "legal_unsafe": PublishedServiceFactory(
            name="Drop-in joint advice session",
            categories=[legal],
            safe_where_abuse=False,
            at=north_of_centre(0.5),
        ),
        # Flagged safe by mistake: still never offered on the safety pathway.
        "mediation": PublishedServiceFactory(
            name="Family mediation service",
            categories=[mediation],
            safe_where_abuse=True,
            at=north_of_centre(0.2),
        ),
        "teens": AreaWideServiceFactory(
            name="Teen talk",
            categories=[children],
            safe_where_abuse=True,
            min_age=11,
            max_age=17,
        ),
    }


def results(client: Client, answers: Answers) -> str:
    answer_all(client, answers)
    response = client.get("/get-help/your-results/")
    assert response.status_code == 200
    return response.content.decode()


def test_the_safety_pathway_shows_only_services_safe_where_there_is_abuse(
    client: Client, directory: dict, django_assert_max_num_queries
) -> None:
    answers: Answers = {
        **SAFETY_ANSWERS,
        "postcode": {"answer": "LE1 6ZG"},
        "modes": {"answer": []},
    }
    answer_all(client, answers)
    with django_assert_max_num_queries(20):
        text = client.get("/get-help/your-results/").content.decode()
    assert "Safe Haven outreach" in text
    assert "Family law clinic near" in text
    assert "Drop-in joint advice session" not in text
    assert "Family mediation service" not in text
    assert "Save to my list" in text
    assert "The nearest services are first." in text
    assert text.index("Family law clinic near") < text.index("Family law clinic far")
    assert "2.0 miles away" in text


def test_the_cooperative_pathway_shows_mediation_and_every_legal_service(
    client: Client, directory: dict
) -> None:
    answers: Answers = {
        **COOPERATIVE_ANSWERS,
        "postcode": {"answer": "LE1 6ZG"},
        "modes": {"answer": []},
    }
    text = results(client, answers)
    assert "Family mediation service" in text
    assert "Drop-in joint advice session" in text
    assert "Safe Haven outreach" not in text
    assert text.index("Drop-in joint advice session") < text.index("Family law clinic near")


def test_the_childrens_ages_choose_the_childrens_services(client: Client, directory: dict) -> None:
    base: Answers = {
        **COOPERATIVE_ANSWERS,
        "needs": {"answer": ["children"]},
        "modes": {"answer": []},
    }
    assert "Teen talk" not in results(client, {**base, "ages": {"answer": "4"}})
    assert "Teen talk" in results(client, {**base, "ages": {"answer": "4, 12"}})


def test_an_unknown_postcode_still_shows_services(client: Client, directory: dict) -> None:
    answers: Answers = {
        **SAFETY_ANSWERS,
        "postcode": {"answer": "ZX9 9QQ"},
        "modes": {"answer": []},
    }
    text = results(client, answers)
    assert "We could not find your postcode" in text
    assert "Safe Haven outreach" in text


def test_the_ways_of_getting_help_narrow_the_services(client: Client, directory: dict) -> None:
    answers: Answers = {**SAFETY_ANSWERS, "modes": {"answer": ["online"]}}
    text = results(client, answers)
    assert "Safe Haven outreach" not in text  # in person only
    assert "We could not find a local service for this yet." in text


@pytest.fixture
def programmes(db: None) -> None:
    harm = CategoryFactory(slug="programmes-for-people-who-harm")
    # The directory flags these not safe where there is abuse: they are not for survivors.
    PublishedServiceFactory(
        name="Respect-accredited behaviour change programme",
        categories=[harm],
        safe_where_abuse=False,
        domestic_abuse_specialist=True,
        at=north_of_centre(1),
    )
    PublishedServiceFactory(
        name="Unaccredited anger class",
        categories=[harm],
        safe_where_abuse=False,
        domestic_abuse_specialist=False,
        at=north_of_centre(1),
    )


def test_a_parent_worried_about_their_behaviour_sees_specialist_programmes_only(
    client: Client, directory: dict, programmes: None
) -> None:
    answers: Answers = {
        **COOPERATIVE_ANSWERS,
        "own-behaviour": {"answer": "yes"},
        "modes": {"answer": []},
    }
    text = results(client, answers)
    assert "Respect-accredited behaviour change programme" in text
    assert "Unaccredited anger class" not in text
    assert "Drop-in joint advice session" not in text  # still safe-only elsewhere
    assert "Family mediation service" not in text


def test_a_survivor_never_sees_programmes_for_people_who_harm(
    client: Client, directory: dict, programmes: None
) -> None:
    answers: Answers = {**SAFETY_ANSWERS, "modes": {"answer": []}}
    text = results(client, answers)
    assert "Safe Haven outreach" in text
    assert "behaviour change programme" not in text


# Ranked by fit, and every section leads somewhere (issue 15) ------------------------------

NO_WORRIES_NEAR_LE1: Answers = {
    **COOPERATIVE_ANSWERS,
    "needs": {"answer": ["arrangements", "children", "legal"]},
    "ages": {"answer": ""},
    "postcode": {"answer": "LE1 6ZG"},
    "modes": {"answer": []},
}
SAFETY_ONLY_TAG = "For families where there are worries about safety"


@pytest.fixture
def mixed(directory: dict) -> dict[str, object]:
    """Services a no-worries parent may see, some meant only for safety situations nearer."""
    survivors = CategoryFactory(slug="support-for-survivors")
    children = CategoryFactory(slug="children-young-people")
    legal = CategoryFactory(slug="legal-advice")
    return {
        **directory,
        "recovery": PublishedServiceFactory(
            name="Children's domestic abuse recovery group",
            categories=[survivors, children],
            safe_where_abuse=True,
            domestic_abuse_specialist=True,
            at=north_of_centre(0.1),
        ),
        "kids_far": PublishedServiceFactory(
            name="Young carers club",
            categories=[children],
            safe_where_abuse=True,
            at=north_of_centre(8),
        ),
        "idva": PublishedServiceFactory(
            name="Outreach and IDVA service",
            categories=[survivors, legal],
            safe_where_abuse=True,
            domestic_abuse_specialist=True,
            at=north_of_centre(0.1),
        ),
        "supervised": PublishedServiceFactory(
            name="Watched contact centre",
            categories=[CategoryFactory(slug="supervised-contact")],
            safe_where_abuse=True,
            at=north_of_centre(0.1),
        ),
    }


def group_text(text: str, title: str) -> str:
    """The part of the results page under one group's heading, up to the next big heading."""
    start = text.index(f">{title}</h2>")
    end = text.find('<h2 class="govuk-heading-l"', start)
    return text[start : end if end != -1 else len(text)]


def test_safety_only_services_never_lead_a_no_worries_parents_groups(
    client: Client, mixed: dict
) -> None:
    text = results(client, NO_WORRIES_NEAR_LE1)

    children = group_text(text, "Support for your children")
    assert children.index("Young carers club") < children.index("recovery group")
    legal = group_text(text, "Legal advice")
    assert legal.index("Family law clinic far") < legal.index("Outreach and IDVA service")
    assert legal.index("Drop-in joint advice session") < legal.index("Family law clinic near")
    arrangements = group_text(text, "Help to agree arrangements for your children")
    assert arrangements.index("Family mediation service") < arrangements.index(
        "Watched contact centre"
    )
    # Each one that comes last says who it is for; nothing else does.
    assert text.count(SAFETY_ONLY_TAG) == 3
    for name in ("recovery group", "Outreach and IDVA service", "Watched contact centre"):
        card = text[text.index(name) :]
        assert card.index(SAFETY_ONLY_TAG) < card.index("Save to my list"), name
    card = text[text.index("Young carers club") :]
    assert card.index("Save to my list") < card.find(SAFETY_ONLY_TAG) or (
        SAFETY_ONLY_TAG not in card
    )


def test_a_parent_at_risk_sees_safety_services_first_and_unlabelled(
    client: Client, mixed: dict
) -> None:
    answers: Answers = {
        **SAFETY_ANSWERS,
        "ages": {"answer": ""},
        "postcode": {"answer": "LE1 6ZG"},
        "modes": {"answer": []},
    }
    text = results(client, answers)
    safety = group_text(text, "Domestic abuse support near you")
    assert safety.index("recovery group") < safety.index("Safe Haven outreach")  # nearer
    assert "Outreach and IDVA service" in safety
    assert SAFETY_ONLY_TAG not in text


def test_no_worries_sections_lead_to_services_near_the_parent_and_the_guides(
    client: Client, mixed: dict
) -> None:
    text = results(client, NO_WORRIES_NEAR_LE1)

    mediation = text[text.index(">Mediation</h2>") :]
    assert (
        'href="/services/?postcode=LE1+6ZG&amp;category=mediation&amp;category=miams"'
        in mediation.split("</ul>")[0]
    )
    assert 'href="/resources/mediation-and-miams/"' in mediation.split("</ul>")[0]
    plan = text[text.index(">Make a parenting plan</h2>") :].split("</ul>")[0]
    assert 'href="/parenting-plan/"' in plan
    legal = group_text(text, "Legal advice")
    assert 'href="/services/?postcode=LE1+6ZG&amp;category=legal-advice"' in legal
    assert 'href="/resources/the-first-hearing-and-cafcass/"' in legal


def test_the_search_links_follow_a_curators_new_slug(client: Client, mixed: dict) -> None:
    from directory.models import Category

    Category.objects.filter(code="miams").update(slug="first-meetings")
    text = results(client, {**NO_WORRIES_NEAR_LE1, "postcode": {"answer": ""}})
    assert 'href="/services/?category=mediation&amp;category=first-meetings"' in text


@pytest.mark.parametrize(
    "answers",
    [
        pytest.param(SAFETY_ANSWERS, id="safety"),
        pytest.param({**COOPERATIVE_ANSWERS, "own-behaviour": {"answer": "yes"}}, id="own"),
        pytest.param({**COOPERATIVE_ANSWERS, "safety": {"answer": ["not_sure"]}}, id="unsure"),
    ],
)
def test_a_parent_at_risk_is_never_shown_a_mediation_or_joint_plan_link(
    client: Client, mixed: dict, answers: Answers
) -> None:
    text = results(client, {**answers, "needs": {"answer": ["arrangements", "legal"]}})
    for never in (
        "mediation-and-miams",
        "making-a-parenting-plan",
        "Start your parenting plan",
        "Make a parenting plan",
        "category=mediation",
        "category=miams",
        'href="/services/?',
    ):
        assert never not in text, never
    main = text[text.index("<main") : text.index("</main>")]
    assert 'href="/services/"' not in main  # the directory's search is not filtered for safety
    assert 'href="/resources/the-first-hearing-and-cafcass/"' in text
    # Only a plan of their own: the plan tool asks again and gives a parent at risk a private
    # plan that cannot invite anyone (issue 13).
    private = main[main.index(">Write down your own plan</h2>") :].split("</ul>")[0]
    assert '<a class="govuk-link" href="/parenting-plan/">Start a private plan</a>' in private
    assert main.count('href="/parenting-plan/"') == 1


def test_a_cooperative_parent_is_not_offered_a_private_plan(client: Client, mixed: dict) -> None:
    text = results(client, NO_WORRIES_NEAR_LE1)
    assert "Write down your own plan" not in text
    assert "Start a private plan" not in text


def test_a_worry_for_the_children_shows_the_abuse_helpline_and_why(
    client: Client, mixed: dict
) -> None:
    text = results(client, {**SAFETY_ANSWERS, "safety": {"answer": ["children"]}})
    main = text[text.index('id="phone-lines"') :]
    assert "0808 800 5000" in main  # NSPCC
    assert "0808 2000 247" in main  # National Domestic Abuse Helpline
    assert "0808 801 0327" not in main  # Men's Advice Line is for a worry about oneself
    line = main[main.index("National Domestic Abuse Helpline") :].split("</li>")[0]
    assert "children who see, hear or live with domestic abuse are harmed by it too" in line
    assert "Anyone living with domestic abuse, or worried about someone who is" in line
    assert "Day and night, every day" in line
    assert "Free to call" in line
    police = main[main.index("Police non-emergency") :].split("</li>")[0]
    assert "You may be charged for the call" in police
    assert "harmed by it too" not in police


def test_a_curators_uncoded_category_ranks_as_its_parent(client: Client, mixed: dict) -> None:
    survivors = CategoryFactory(slug="support-for-survivors")
    online = CategoryFactory(slug="online-survivor-groups", parent=survivors)  # no code
    PublishedServiceFactory(
        name="Online survivors circle",
        categories=[online, CategoryFactory(slug="children-young-people")],
        safe_where_abuse=True,
        at=north_of_centre(0.1),
    )
    text = results(client, NO_WORRIES_NEAR_LE1)
    children = group_text(text, "Support for your children")
    assert children.index("Young carers club") < children.index("Online survivors circle")
    card = text[text.index("Online survivors circle") :]
    assert card.index(SAFETY_ONLY_TAG) < card.index("Save to my list")
