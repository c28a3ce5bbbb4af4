"""Search that understands how parents speak (issue 14): phrases, relaxed matching, danger
words, stale listings, every UK postcode district, and what the results page says."""

import pytest
from django.test import Client

from directory.models import Category, Postcode, SearchPhrase, Service
from directory.search_rules import Phrase, plan_words
from directory.selectors import Matched, ServiceQuery, search
from directory.taxonomy import JOINT_OPTIONS, CategoryCode
from tests.directory.factories import CENTRE, PublishedServiceFactory, north_of_centre


def category(code: CategoryCode) -> Category:
    return Category.objects.get(code=code)


# The pure rules -------------------------------------------------------------------------


def test_the_longest_phrase_wins_and_each_word_is_used_once() -> None:
    table = [Phrase("broke"), Phrase("broke up"), Phrase("checks my phone", suggests_danger=True)]

    plan = plan_words("We broke up and he checks my phone", table)

    assert [p.phrase for p in plan.phrases] == ["checks my phone", "broke up"]
    assert plan.leftover == ("we", "and", "he")
    assert plan.suggests_danger


def test_a_final_s_does_not_matter_and_case_and_curly_apostrophes_are_ignored() -> None:
    plan = plan_words("My KIDS can\u2019t sleep", [Phrase("kid"), Phrase("can't sleep")])

    assert [p.phrase for p in plan.phrases] == ["can't sleep", "kid"]


def test_the_relaxed_words_leave_out_words_that_say_nothing_about_the_help() -> None:
    plan = plan_words("I need help with a lawyer", [Phrase("lawyer", terms=("legal advice",))])

    assert plan.relaxed_words() == ["i", "with", "a", "lawyer", "legal advice"]


# The phrase table -------------------------------------------------------------------------

pytestmark = pytest.mark.django_db


def test_every_install_starts_with_a_thoughtful_phrase_table() -> None:
    assert SearchPhrase.objects.count() >= 150
    danger = SearchPhrase.objects.filter(suggests_danger=True)
    assert danger.filter(phrase__in=["hits me", "threatens me", "scared of"]).count() == 3
    # A danger word never sends a parent to a joint option.
    assert not danger.filter(categories__code__in=JOINT_OPTIONS).exists()
    lawyer = SearchPhrase.objects.get(phrase="lawyer")
    assert list(lawyer.categories.values_list("code", flat=True)) == [CategoryCode.LEGAL]


def test_everyday_words_find_a_category_without_the_words_in_the_listing() -> None:
    PublishedServiceFactory(
        name="Castle Street clinic",
        summary="Family law advice.",
        description="Appointments on Tuesdays.",
        categories=[category(CategoryCode.LEGAL)],
    )
    PublishedServiceFactory(name="Money clinic", categories=[category(CategoryCode.MONEY_HOUSING)])

    found = search(ServiceQuery(text="I can't afford a lawyer"))

    names = [s.name for s in found.services]
    assert names[0] == "Castle Street clinic"
    assert "can't afford a lawyer" in found.phrases


def test_a_curators_new_phrase_works_on_the_next_search_without_a_restart(client: Client) -> None:
    PublishedServiceFactory(name="Rainbow group", categories=[category(CategoryCode.CHILDREN)])
    assert "Rainbow group" not in client.get("/services/", {"q": "wibble"}).content.decode()

    phrase = SearchPhrase.objects.create(phrase="Wibble", terms="young people")
    phrase.categories.set([category(CategoryCode.CHILDREN)])

    assert "Rainbow group" in client.get("/services/", {"q": "wibble"}).content.decode()


def test_few_strict_matches_are_filled_with_services_matching_some_words(client: Client) -> None:
    PublishedServiceFactory(name="Weekend dads group", summary="Dads meet on Saturdays.")
    PublishedServiceFactory(name="Dads online chat", summary="Evening chat.")
    PublishedServiceFactory(name="Garden club", summary="Growing vegetables.")

    found = search(ServiceQuery(text="weekend group for dads"))
    names = [s.name for s in found.services]

    assert found.matched == Matched.SOME
    assert names == ["Weekend dads group", "Dads online chat"]
    text = client.get("/services/", {"q": "weekend group for dads"}).content.decode()
    assert "services matching some of the words come after them" in text


def test_nothing_matching_falls_back_to_names_spelled_alike(client: Client) -> None:
    PublishedServiceFactory(name="Family mediation")

    found = search(ServiceQuery(text="mediatoin"))

    assert found.matched == Matched.SIMILAR
    assert [s.name for s in found.services] == ["Family mediation"]


# Safety -----------------------------------------------------------------------------------


@pytest.fixture
def mixed_directory(db: None) -> dict[str, Service]:
    return {
        "mediation": PublishedServiceFactory(
            name="Safe mediation",
            summary="For parents scared of talking to their ex.",
            categories=[category(CategoryCode.MEDIATION)],
            at=north_of_centre(0.1),
        ),
        "contact": PublishedServiceFactory(
            name="Contact centre",
            summary="A safe place if you are scared of handovers with your ex.",
            categories=[category(CategoryCode.SUPPORTED_CONTACT)],
            at=north_of_centre(0.2),
        ),
        "specialist": PublishedServiceFactory(
            name="Outreach team",
            summary="Support for survivors.",
            categories=[category(CategoryCode.SURVIVORS)],
            domestic_abuse_specialist=True,
            safe_where_abuse=True,
            at=north_of_centre(5),
        ),
        "counselling": PublishedServiceFactory(
            name="Counselling",
            summary="Talk about feeling scared.",
            categories=[category(CategoryCode.EMOTIONAL)],
            at=north_of_centre(3),
        ),
    }


def test_danger_words_open_with_urgent_help_and_specialists_and_no_joint_option_on_top(
    client: Client, mixed_directory: dict[str, Service]
) -> None:
    Postcode.objects.update_or_create(
        code="LE1", defaults={"latitude": CENTRE[0], "longitude": CENTRE[1], "is_district": True}
    )
    found = search(ServiceQuery(text="I am scared of my ex", point=CENTRE, radius_miles=25))
    ordered = list(found.services)

    assert found.suggests_danger
    assert ordered[0].name == "Outreach team"
    top = {s.name for s in ordered[:2]}
    assert "Safe mediation" not in top
    assert "Contact centre" not in top

    response = client.get("/services/", {"q": "he hits me", "postcode": "LE1"})
    text = response.content.decode()
    assert text.index("If you are in danger now, call 999") < text.index('id="results"')
    assert text.index("Outreach team") < text.index('id="results"') + 10_000
    assert text.count("If you are in danger now, call 999") == 1
    assert "Specialist domestic abuse services are listed first" in text


def test_danger_words_put_support_for_the_person_harmed_before_programmes_for_people_who_harm(
    mixed_directory: dict[str, Service],
) -> None:
    PublishedServiceFactory(
        name="Behaviour change groups",
        summary="For people who want to stop being abusive and controlling.",
        categories=[category(CategoryCode.PEOPLE_WHO_HARM)],
        domestic_abuse_specialist=True,
        at=north_of_centre(1),
    )
    found = search(ServiceQuery(text="he checks my phone", point=CENTRE, radius_miles=25))
    names = [s.name for s in found.services]

    assert found.suggests_danger
    assert names[0] == "Outreach team"
    assert names.index("Behaviour change groups") > names.index("Outreach team")

    # Someone asking for a programme for themselves still finds it first.
    own = search(ServiceQuery(text="I lose my temper", point=CENTRE, radius_miles=25))
    assert next(iter(own.services)).name == "Behaviour change groups"


def test_without_danger_words_the_nearest_come_first(mixed_directory: dict[str, Service]) -> None:
    found = search(ServiceQuery(text="safe place", point=CENTRE, radius_miles=25))

    assert not found.suggests_danger
    assert next(iter(found.services)).name in {"Safe mediation", "Contact centre"}


def test_a_stale_listing_comes_after_a_fresh_one_of_equal_fit() -> None:
    from django.utils import timezone

    stale = PublishedServiceFactory(name="A mediation", at=north_of_centre(1))
    PublishedServiceFactory(name="B mediation", at=north_of_centre(2))
    Service.objects.filter(pk=stale.pk).update(stale_since=timezone.now())

    names = [
        s.name
        for s in search(ServiceQuery(text="mediation", point=CENTRE, radius_miles=25)).services
    ]

    assert names == ["B mediation", "A mediation"]


# Postcodes --------------------------------------------------------------------------------


@pytest.mark.parametrize("postcode", ["DE74 2SA", "DE12 7AA", "CV13 0AB", "PE9 3AA", "PE9"])
def test_postcodes_of_the_area_outside_le_find_the_nearest_services(
    client: Client, postcode: str
) -> None:
    district = postcode.split()[0]
    point = Postcode.objects.get(code=district)
    PublishedServiceFactory(name="Near service", at=(point.latitude + 0.01, point.longitude))
    PublishedServiceFactory(name="Far service", at=(point.latitude + 0.2, point.longitude))

    response = client.get("/services/", {"postcode": postcode})
    text = response.content.decode()

    assert "We could not find" not in text
    assert text.index("Near service") < text.index("Far service")
    assert "is outside" not in text  # all four are in the alliance's area


def test_a_postcode_outside_the_area_is_found_and_told_so(client: Client) -> None:
    text = client.get("/services/", {"postcode": "SW1A 1AA"}).content.decode()

    assert "We could not find" not in text
    assert "SW1A 1AA is outside" in text


def test_the_get_help_check_finds_a_de74_postcode(client: Client) -> None:
    from tests.referrals.test_get_help_views import COOPERATIVE_ANSWERS, answer_all

    point = Postcode.objects.get(code="DE74")
    PublishedServiceFactory(
        name="Kegworth family law",
        categories=[category(CategoryCode.LEGAL)],
        at=(point.latitude, point.longitude),
    )
    answer_all(
        client, {**COOPERATIVE_ANSWERS, "postcode": {"answer": "DE74 2SA"}, "modes": {"answer": []}}
    )
    text = client.get("/get-help/your-results/").content.decode()

    assert "We could not find your postcode" not in text
    assert "The nearest services are first." in text
    assert "Kegworth family law" in text


# The results page says what it did --------------------------------------------------------


def test_the_distance_box_shows_the_distance_searched(client: Client) -> None:
    text = client.get("/services/", {"postcode": "LE1"}).content.decode()

    assert 'name="radius" type="text" inputmode="decimal" value="25"' in text
    assert "within 25 miles of LE1" in text


def test_no_results_advice_fits_the_search_and_suggests_the_get_help_check(
    client: Client,
) -> None:
    text = client.get("/services/", {"q": "zzzzqqq"}).content.decode()

    assert "No services match your search." in text
    assert "leave the distance empty" not in text
    assert "search further than" not in text
    assert 'href="/get-help/"' in text


def test_a_sentence_near_a_postcode_costs_at_most_six_queries(
    client: Client, mixed_directory: dict[str, Service], django_assert_max_num_queries
) -> None:
    with django_assert_max_num_queries(6):
        response = client.get(
            "/services/", {"q": "I can't afford a lawyer for my kids", "postcode": "LE1 6ZG"}
        )
    assert response.status_code == 200


def test_a_curator_adds_a_phrase_in_the_admin_and_the_next_search_uses_it(
    client: Client, curator
) -> None:  # type: ignore[no-untyped-def]
    from tests.conftest import sign_in

    PublishedServiceFactory(name="Rainbow group", categories=[category(CategoryCode.CHILDREN)])
    sign_in(client, curator)
    assert client.get("/admin/directory/searchphrase/add/").status_code == 200

    response = client.post(
        "/admin/directory/searchphrase/add/",
        {
            "phrase": "  Our  Sprogs ",
            "terms": "young people",
            "categories": [category(CategoryCode.CHILDREN).pk],
        },
    )

    assert response.status_code == 302
    assert SearchPhrase.objects.filter(phrase="our sprogs").exists()
    parent = Client()
    assert (
        "Rainbow group" in parent.get("/services/", {"q": "help for our sprogs"}).content.decode()
    )


@pytest.mark.parametrize("phrase", ["", "x" * 121, "<script>alert(1)</script>" + "y" * 200, "\x00"])
def test_the_admin_refuses_a_bad_phrase_and_stores_nothing(
    client: Client, curator, phrase: str
) -> None:  # type: ignore[no-untyped-def]
    from tests.conftest import sign_in

    sign_in(client, curator)
    before = SearchPhrase.objects.count()

    response = client.post("/admin/directory/searchphrase/add/", {"phrase": phrase, "terms": ""})

    assert response.status_code == 200
    assert SearchPhrase.objects.count() == before
