"""The search and a service page in Debian's Chromium: accessible, no JavaScript needed."""

import re

import pytest

from tests.conftest import axe_violations
from tests.directory.factories import (
    AreaWideServiceFactory,
    CategoryFactory,
    LocationFactory,
    PostcodeFactory,
    PublishedServiceFactory,
    north_of_centre,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def directory() -> None:
    PostcodeFactory(code="LE1")
    mediation = CategoryFactory(slug="mediation", name="Family mediation")
    CategoryFactory(slug="miams", name="MIAMs", parent=mediation)
    for miles in (1, 2.5, 4):
        PublishedServiceFactory(
            name=f"Mediation {miles}", at=north_of_centre(miles), categories=[mediation]
        )
    AreaWideServiceFactory(name="Online mediation", categories=[mediation])
    refuge = PublishedServiceFactory(name="Safe refuge", slug="safe-refuge", is_free=True)
    refuge.locations.add(
        LocationFactory(organisation=refuge.organisation, postcode="LE3 9QX", confidential=True)
    )
    refuge.schedules.create(weekday=0, opens_at="09:00", closes_at="17:00")


@pytest.mark.parametrize("width", [390, 1280])
def test_a_parent_searches_saves_and_reads_a_service_with_no_axe_violations(
    page, directory, width: int
) -> None:  # type: ignore[no-untyped-def]
    page.set_viewport_size({"width": width, "height": 900})
    page.goto("/services/")
    assert axe_violations(page) == []

    page.get_by_label("What are you looking for?").fill("mediaton")
    page.get_by_label("Postcode").fill("le1")
    page.get_by_role("button", name="Search", exact=True).click()
    assert page.locator("#results").inner_text() == "4 services found within 25 miles of LE1"
    assert page.locator(".alliance-result h3").all_inner_texts() == [
        "Mediation 1",
        "Mediation 2.5",
        "Mediation 4",
        "Online mediation",
    ]
    assert axe_violations(page) == []

    page.get_by_role("button", name=re.compile(r"^Save to my list\W+Mediation 2\.5$")).click()
    assert page.get_by_text("Saved to your list.").is_visible()
    page.goto("/services/safe-refuge/")
    assert "LE3 area" in page.locator("main").inner_text()
    assert "9QX" not in page.content()
    assert axe_violations(page) == []

    page.goto("/services/?postcode=nowhere&age=abc")
    assert page.locator(".govuk-error-summary").is_visible()
    assert axe_violations(page) == []

    page.goto("/services/my-list/")
    assert page.locator(".alliance-result h2").all_inner_texts() == ["Mediation 2.5"]
    assert axe_violations(page) == []
    assert page.external_requests == []


def test_the_search_works_with_javascript_off(browser, live_server, directory) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto("/services/")
        page.get_by_label("What are you looking for?").fill("mediation")
        page.get_by_role("button", name="Search", exact=True).click()
        assert "4 services found" in page.locator("#results").inner_text()
        page.get_by_role("button", name=re.compile(r"^Save to my list\W+Online mediation$")).click()
        page.goto("/services/my-list/")
        assert page.locator(".alliance-result h2").all_inner_texts() == ["Online mediation"]
    finally:
        context.close()


@pytest.mark.parametrize("width", [390, 1280])
def test_a_danger_search_opens_with_urgent_help_and_stays_accessible(
    page, directory, width: int
) -> None:  # type: ignore[no-untyped-def]
    survivors = CategoryFactory(slug="support-for-survivors")
    PublishedServiceFactory(
        name="Outreach team",
        categories=[survivors],
        domestic_abuse_specialist=True,
        at=north_of_centre(6),
    )
    page.set_viewport_size({"width": width, "height": 900})
    page.goto("/services/")

    page.get_by_label("What are you looking for?").fill("he threatens me")
    page.get_by_label("Postcode").fill("LE1")
    page.keyboard.press("Enter")

    first_box = page.locator(".govuk-inset-text").first.inner_text()
    assert "call 999" in first_box
    assert page.locator(".alliance-result h3").first.inner_text() == "Outreach team"
    assert axe_violations(page) == []
