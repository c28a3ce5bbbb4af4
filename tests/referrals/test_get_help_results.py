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
