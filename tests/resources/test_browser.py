"""Guides, news and the about page in Debian's Chromium: axe clean at 390 and 1280 px, and a
keyboard-only walk from the home page to a guide to a local service (issue 12, done when)."""

import io
import os
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from directory import demo as directory_demo
from directory.models import Category
from directory.services import taxonomy_ensure
from directory.taxonomy import CategoryCode
from resources import demo
from resources.models import Article
from tests.conftest import axe_violations
from tests.directory.factories import PublishedServiceFactory
from tests.resources.factories import (
    EventFactory,
    GuideFactory,
    NewsFactory,
    PageFactory,
    TopicFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

GUIDE_BODY = """## What mediation is

A mediator helps you and the other parent **talk and agree**. They do not take sides.

- It is usually quicker than court.
- It can cost less.

| Way to agree | Cost |
|---|---|
| Talking directly | Free |
| Mediation | About £120 an hour |

> If you are not safe, you do not have to go to mediation.

[Find out about MIAMs](https://www.familymediationcouncil.org.uk/)
"""


@pytest.fixture
def content() -> None:
    taxonomy_ensure()
    mediation = Category.objects.get(code=CategoryCode.MEDIATION)
    PublishedServiceFactory(
        name="City Family Mediation", slug="city-family-mediation", categories=[mediation]
    )
    topic = TopicFactory(name="Agreeing arrangements", slug="agreeing-arrangements", position=0)
    GuideFactory(
        title="Mediation and MIAMs",
        slug="mediation-and-miams",
        summary="What a mediator does, and when you must go to a first meeting.",
        topic=topic,
        body=GUIDE_BODY,
        categories=[CategoryCode.MEDIATION],
    )
    for day in range(3):
        NewsFactory(
            title=f"Alliance news {day}",
            slug=f"alliance-news-{day}",
            publish_at=timezone.now() - timedelta(days=day + 1),
            body="Our news.\n\n## More\n\nWords.",
        )
    PageFactory(
        slug="about",
        title="About the alliance",
        body="## What we are\n\nA local partnership.\n\n## Our objectives\n\n1. Early help.\n"
        "2. Safety.",
    )
    EventFactory(title="Practitioner briefing")


@pytest.mark.parametrize("width", [390, 1280])
def test_a_guide_the_news_and_the_about_page_have_no_axe_violations(
    page, content, width: int
) -> None:  # type: ignore[no-untyped-def]
    page.set_viewport_size({"width": width, "height": 900})
    for path, heading in [
        ("/resources/", "Guides for separated families"),
        ("/resources/mediation-and-miams/", "Mediation and MIAMs"),
        ("/resources/?q=mediator", "Guides for separated families"),
        ("/news/", "Latest news"),
        ("/news/" + "alliance-news-0/", None),
        ("/about/", "About the alliance"),
        ("/about/standards/", "Standards"),
        ("/practitioners/", "For practitioners"),
        ("/", "Help for separating and separated families"),
    ]:
        response = page.goto(path)
        assert response.status == 200, path
        if heading:
            assert page.locator("h1").inner_text() == heading, path
        assert axe_violations(page) == [], path
    assert page.external_requests == []


def test_a_keyboard_user_walks_from_the_home_page_to_a_guide_to_a_local_service(
    page, content
) -> None:  # type: ignore[no-untyped-def]
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/")

    def tab_to(href: str) -> None:
        for _ in range(120):
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.getAttribute('href')") == href:
                return
        raise AssertionError(f"no keyboard route to {href}")

    tab_to("/resources/mediation-and-miams/")
    page.keyboard.press("Enter")
    page.wait_for_url("**/resources/mediation-and-miams/")
    assert page.locator("h1").inner_text() == "Mediation and MIAMs"

    tab_to("/services/city-family-mediation/")
    page.keyboard.press("Enter")
    page.wait_for_url("**/services/city-family-mediation/")
    assert page.locator("h1").inner_text() == "City Family Mediation"


def test_a_printed_guide_leaves_out_the_menu_and_exit_control(page, content) -> None:  # type: ignore[no-untyped-def]
    page.goto("/resources/mediation-and-miams/")
    page.emulate_media(media="print")

    assert not page.locator(".govuk-exit-this-page").is_visible()
    assert not page.locator(".govuk-service-navigation").is_visible()
    assert not page.locator(".govuk-breadcrumbs").is_visible()
    assert page.locator(".alliance-article__body").is_visible()
    assert page.get_by_role("link", name="City Family Mediation").is_visible()


# The content as shipped ----------------------------------------------------------------------
# Every guide, news post and page under resources/seed/ (written by the content work), with the
# demo directory so each guide lists real local services. Skipped while the folder is empty.
SEED_DIR = Path(os.environ.get("RESOURCES_SEED_DIR", str(demo.SEED_DIR)))
HAS_SEED = any(SEED_DIR.glob("*/*.md"))


@pytest.fixture
def shipped_content() -> list[str]:
    directory_demo.seed(io.StringIO())
    demo.load(SEED_DIR)
    live = Article.objects.live()
    return ["/", "/resources/", "/news/", *(a.get_absolute_url() for a in live)]


@pytest.mark.skipif(not HAS_SEED, reason="no content in resources/seed/ yet")
@pytest.mark.parametrize("width", [390, 1280])
def test_every_shipped_guide_news_post_and_page_has_no_axe_violations(
    page, shipped_content: list[str], width: int
) -> None:  # type: ignore[no-untyped-def]
    page.set_viewport_size({"width": width, "height": 900})
    failures = {}
    for path in shipped_content:
        response = page.goto(path)
        assert response.status == 200, path
        violations = axe_violations(page)
        if violations:
            failures[path] = violations
    assert failures == {}
    assert page.external_requests == []
