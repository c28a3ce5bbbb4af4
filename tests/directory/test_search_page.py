"""The /services/ page: results, messages for bad input (never a 500), and the query bound."""

import re

import pytest
from django.test import Client

from directory.views import RESULTS_PER_PAGE
from tests.directory.factories import (
    AreaWideServiceFactory,
    CategoryFactory,
    LocationFactory,
    PublishedServiceFactory,
    north_of_centre,
)

pytestmark = pytest.mark.django_db


def error_messages(html: str) -> list[str]:
    summary = re.search(r'govuk-error-summary__list">(.*?)</ul>', html, re.S)
    if summary is None:
        return []
    return [m.strip() for m in re.findall(r"<a [^>]*>([^<]*)</a>", summary[1])]


def test_mediation_near_le1_lists_services_nearest_first_with_miles(
    client: Client, le1: object
) -> None:
    for miles in (4, 1, 2.5):
        PublishedServiceFactory(name=f"Mediation {miles}", at=north_of_centre(miles))

    html = client.get("/services/", {"q": "mediation", "postcode": "le1 6zg"}).content.decode()

    assert "3 services found within 25 miles of LE1 6ZG" in html
    assert html.index("Mediation 1") < html.index("Mediation 2.5") < html.index("Mediation 4")
    assert "1.0 miles away" in html
    assert "2.5 miles away" in html


def test_an_area_wide_service_shows_available_across_the_area(client: Client, le1: object) -> None:
    AreaWideServiceFactory(name="Online mediation")

    html = client.get("/services/", {"q": "mediation", "postcode": "LE1"}).content.decode()

    assert "Online mediation" in html
    assert "Available across the area" in html
    assert "miles away" not in html


def test_a_full_postcode_not_in_the_table_falls_back_to_its_district(
    client: Client, le1: object
) -> None:
    PublishedServiceFactory(name="Near", at=north_of_centre(1))

    html = client.get("/services/", {"postcode": "LE1 9ZZ"}).content.decode()

    assert error_messages(html) == []
    assert "1.0 miles away" in html


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"postcode": "not a postcode"}, "Enter a real postcode, like LE1 6ZG"),
        (
            {"postcode": "ZZ9 9ZZ"},
            "We could not find ZZ9 9ZZ. Check it, or enter just the first part, like LE1",
        ),
        ({"postcode": "LE1", "radius": "-3"}, "Enter a distance of more than 0 miles"),
        ({"postcode": "LE1", "radius": "far"}, "Enter the distance as a number of miles, like 5"),
        ({"age": "abc"}, "Enter the child&#x27;s age in years, like 8"),
        ({"age": "-1"}, "Enter an age of 0 or more"),
        ({"category": "no-such-thing"}, "Choose a type of help from the list"),
        ({"mode": "carrier-pigeon"}, "Choose in person, online or by phone"),
        ({"language": "klingon"}, "Choose a language from the list"),
    ],
)
def test_bad_input_gets_a_message_and_the_rest_of_the_search_still_runs(
    client: Client, le1: object, params: dict[str, str], message: str
) -> None:
    PublishedServiceFactory(name="Still listed", at=north_of_centre(1))

    response = client.get("/services/", params)

    assert response.status_code == 200
    html = response.content.decode()
    assert error_messages(html) == [message]
    assert "Still listed" in html
    assert "<title>Error: Search results" in html


@pytest.mark.parametrize("page", ["999", "0", "-1", "abc", "1e9"])
def test_a_page_out_of_range_shows_a_real_page(client: Client, page: str) -> None:
    PublishedServiceFactory(name="Only one")

    response = client.get("/services/", {"q": "parents", "page": page})

    assert response.status_code == 200
    assert "Only one" in response.content.decode()


def test_a_2000_character_query_is_cut_short_not_refused(client: Client) -> None:
    PublishedServiceFactory(name="Family mediation")

    response = client.get("/services/", {"q": "mediation " + "x" * 2000})

    assert response.status_code == 200
    assert 'value="mediation xxxx' in response.content.decode()
    assert len(re.search(r'id="id_q" [^>]*value="([^"]*)"', response.content.decode())[1]) == 200


@pytest.mark.parametrize(
    "params",
    [
        {"q": "\x00mediation", "postcode": "\x00LE1"},
        {"q": "') OR 1=1 --", "postcode": "'; DROP TABLE"},
        {"q": "<script>alert(1)</script>"},
        {"q": "!!! & | :* <->"},
        {"radius": "1e308", "postcode": "LE1"},
        {"radius": "nan", "postcode": "LE1"},
        {"age": "99999999999999999999"},
        {"category": ["mediation"] * 50},
    ],
)
def test_hostile_input_never_errors_and_is_escaped(client: Client, le1: object, params) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/services/", params)

    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.content.decode()


def test_no_results_gives_a_helpful_empty_state(client: Client) -> None:
    response = client.get("/services/", {"q": "zzzzqqqq"})

    html = response.content.decode()
    assert "0 services found" in html
    assert "No services match your search" in html
    assert "0808 2000 247" in html


def test_the_search_url_is_shareable_and_keeps_its_choices(client: Client, le1: object) -> None:
    CategoryFactory(slug="mediation", name="Family mediation")

    html = client.get(
        "/services/?q=help&postcode=LE1&radius=5&category=mediation&age=7&free=true"
        "&mode=online&language=pl"
    ).content.decode()

    assert error_messages(html) == []
    assert 'value="mediation" checked' in html
    assert 'value="online" checked' in html
    assert 'value="pl" selected' in html
    assert 'id="id_free" name="free" type="checkbox" value="true" checked' in html


@pytest.mark.parametrize("count", [10, 50])
def test_a_results_page_takes_at_most_six_queries_however_many_results(
    client: Client, le1: object, django_assert_max_num_queries, count: int
) -> None:  # type: ignore[no-untyped-def]
    category = CategoryFactory(slug="mediation", name="Family mediation")
    child = CategoryFactory(slug="miams", name="MIAMs", parent=category)
    for i in range(count):
        service = PublishedServiceFactory(
            name=f"Mediation {i}", at=north_of_centre(i % 9 + 0.5), categories=[child]
        )
        service.locations.add(LocationFactory(organisation=service.organisation))

    with django_assert_max_num_queries(6):
        response = client.get(
            "/services/",
            {"q": "mediation", "postcode": "LE1 6ZG", "radius": "20", "category": "mediation"},
        )

    assert response.status_code == 200
    assert response.content.decode().count('class="alliance-result"') == min(
        count, RESULTS_PER_PAGE
    )


def test_pagination_links_keep_the_search(client: Client) -> None:
    for i in range(25):
        PublishedServiceFactory(name=f"Mediation {i:02d}")

    html = client.get("/services/", {"q": "mediation", "page": "3"}).content.decode()

    assert html.count('class="alliance-result"') == 25 - 2 * RESULTS_PER_PAGE
    assert 'href="?q=mediation&amp;page=2"' in html
    assert 'href="?q=mediation&amp;page=1"' in html


def test_the_search_boxes_stop_at_the_length_the_search_reads(client, db) -> None:
    """A pasted essay is cut by the browser at the length the search uses, so its address never
    outgrows what the server accepts and the parent sees what was searched."""
    from directory.forms import MAX_QUERY_CHARS

    for path in ("/services/", "/"):
        html = client.get(path).content.decode()
        at = html.index('name="q"')
        box = html[html.rindex("<input", 0, at) : html.index(">", at)]
        assert f'maxlength="{MAX_QUERY_CHARS}"' in box, path
