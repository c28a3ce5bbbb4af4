"""The get-help check in Chromium, with the keyboard only: axe on every page, nothing kept.

Keys used: Tab to move, Space to tick a checkbox, the arrow keys to choose among radios (how a
radio group works from the keyboard), typing into text boxes, Enter to press a link or button.
"""

import pytest
from django.contrib.sessions.backends.cache import SessionStore
from django.db import connection

from tests.conftest import axe_violations
from tests.directory.factories import (
    CategoryFactory,
    PublishedServiceFactory,
    north_of_centre,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MAX_TABS = 60


def active(page, selector: str) -> bool:  # type: ignore[no-untyped-def]
    return page.evaluate("s => document.activeElement.matches(s)", selector)


def tab_to(page, selector: str) -> None:  # type: ignore[no-untyped-def]
    """Press Tab until the element matching `selector` has the focus."""
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        if active(page, selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def choose_radio(page, value: str) -> None:  # type: ignore[no-untyped-def]
    tab_to(page, "input[type=radio]")
    for _ in range(10):
        if active(page, f"input[type=radio][value='{value}']"):
            break
        page.keyboard.press("ArrowDown")
    page.keyboard.press("Space")
    assert page.evaluate("document.activeElement.checked")


def tick(page, *values: str) -> None:  # type: ignore[no-untyped-def]
    for value in values:
        tab_to(page, f"input[type=checkbox][value='{value}']")
        page.keyboard.press("Space")
        assert page.evaluate("document.activeElement.checked")


def type_into(page, text: str) -> None:  # type: ignore[no-untyped-def]
    tab_to(page, "input[type=text]")
    page.keyboard.type(text)


def press_enter_on(page, selector: str, next_path: str) -> None:  # type: ignore[no-untyped-def]
    tab_to(page, selector)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith(next_path), page.url
    check_page(page)


def continue_to(page, next_path: str) -> None:  # type: ignore[no-untyped-def]
    press_enter_on(page, "button[type=submit]", next_path)


def check_page(page) -> None:  # type: ignore[no-untyped-def]
    assert axe_violations(page) == [], page.url
    assert page.locator("a.govuk-exit-this-page__button").count() == 1, page.url
    assert page.external_requests == [], page.url


def database_text() -> str:
    """Every row of every table, as text: what a pg_dump of the data would show."""
    chunks: list[str] = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f'SELECT t::text FROM "{table}" t')  # noqa: S608
            chunks.extend(row[0] for row in cursor.fetchall())
    return "\n".join(chunks)


def session_key(page, live_server) -> str:  # type: ignore[no-untyped-def]
    cookies = page.context.cookies(live_server.url)
    return next(c["value"] for c in cookies if c["name"] == "sessionid")


def exit_by_keyboard(page, *, shift_three_times: bool) -> None:  # type: ignore[no-untyped-def]
    if shift_three_times:
        page.wait_for_selector(".govuk-exit-this-page__indicator", state="attached")
        with page.expect_response(lambda r: r.url.endswith("/exit/")) as response:
            for _ in range(3):
                page.keyboard.press("Shift")
    else:
        # From the top of a freshly loaded page: the skip link, then the hidden exit link.
        page.keyboard.press("Tab")
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.textContent.trim()") == "Exit this page"
        with page.expect_response(lambda r: r.url.endswith("/exit/")) as response:
            page.keyboard.press("Enter")
    assert response.value.status == 302


def assert_nothing_kept(page, live_server, key: str, answers: list[str], **exit_how) -> None:  # type: ignore[no-untyped-def]
    # Reference data may hold the same words ("money_housing" is also a category code): what
    # matters is that the journey added no occurrence of any answer to any table.
    before = page.database_before
    dumped = database_text()
    for answer in answers:
        assert dumped.count(answer) == before.count(answer), answer
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM django_session")
        assert cursor.fetchone()[0] == 0
    exit_by_keyboard(page, **exit_how)
    assert not SessionStore().exists(key)
    assert all(c["name"] != "sessionid" for c in page.context.cookies(live_server.url))


def start(page) -> None:  # type: ignore[no-untyped-def]
    page.database_before = database_text()
    page.goto("/")
    check_page(page)
    # On a phone-sized screen the menu is folded behind its "Menu" button.
    if page.locator(".govuk-service-navigation__toggle").is_visible():
        tab_to(page, ".govuk-service-navigation__toggle")
        page.keyboard.press("Enter")
    press_enter_on(page, "a.govuk-service-navigation__link[href='/get-help/']", "/get-help/")
    press_enter_on(page, "a.govuk-button--start", "/get-help/danger/")


@pytest.fixture
def listings(transactional_db: None) -> None:
    abuse = CategoryFactory(slug="domestic-abuse-support")
    survivors = CategoryFactory(slug="support-for-survivors", parent=abuse)
    PublishedServiceFactory(
        name="Safe Haven outreach",
        categories=[survivors],
        safe_where_abuse=True,
        delivery_modes=["in_person", "phone"],
        at=north_of_centre(1),
    )
    PublishedServiceFactory(
        name="Drop-in joint advice session",
        categories=[CategoryFactory(slug="legal-advice")],
        safe_where_abuse=False,
        delivery_modes=["phone"],
        at=north_of_centre(1),
    )


def test_the_safety_journey_by_keyboard(page, live_server, listings) -> None:  # type: ignore[no-untyped-def]
    start(page)
    # An empty answer: the error summary, focused by GOV.UK Frontend, and still accessible.
    continue_to(page, "/get-help/danger/")
    assert page.locator(".govuk-error-summary").is_visible()
    assert active(page, ".govuk-error-summary")
    choose_radio(page, "no")
    continue_to(page, "/get-help/safety/")
    assert "this is called coercive control" in page.content()
    tick(page, "me", "children")
    continue_to(page, "/get-help/own-behaviour/")
    choose_radio(page, "not_sure")
    continue_to(page, "/get-help/needs/")
    tick(page, "arrangements", "court_case")
    continue_to(page, "/get-help/ages/")
    type_into(page, "4, 9")
    continue_to(page, "/get-help/postcode/")
    type_into(page, "zx9 9qq")
    continue_to(page, "/get-help/modes/")
    tick(page, "phone")
    continue_to(page, "/get-help/check-your-answers/")
    assert "ZX9 9QQ" in page.content()
    press_enter_on(page, "a[href='/get-help/your-results/']", "/get-help/your-results/")

    text = page.locator("main").inner_text()
    assert "Help to keep you and your children safe" in text
    assert "0808 2000 247" in text
    assert "0808 802 4040" in text  # Respect, for the "not sure" about own behaviour
    assert "You do not have to go to mediation" in text
    assert "Make a parenting plan" not in text
    assert "Your answers are not saved in our records" in text
    assert "Safe Haven outreach" in text
    assert "Drop-in joint advice session" not in text  # not flagged safe where there is abuse
    # A parent at risk is never linked to mediation or a joint plan, nor into the unfiltered
    # directory search; the family court guide is there.
    main_html = page.locator("main").inner_html()
    for never in ("mediation-and-miams", "making-a-parenting-plan", "Start your parenting plan"):
        assert never not in main_html, never
    # Only a plan of their own, which the plan tool keeps private (issue 13).
    assert page.locator("main a[href='/parenting-plan/']").all_inner_texts() == [
        "Start a private plan"
    ]
    assert 'href="/services/"' not in main_html
    assert 'href="/services/?' not in main_html
    assert page.locator("main a[href='/resources/the-first-hearing-and-cafcass/']").count() == 1
    # Save the service to the parent's list, by keyboard; the results come back, marked saved.
    tab_to(page, "form[action='/services/my-list/add/'] button")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/get-help/your-results/" in page.url
    check_page(page)
    assert "Remove from my list" in page.locator("main").inner_text()

    key = session_key(page, live_server)
    assert SessionStore().exists(key)
    assert_nothing_kept(
        page,
        live_server,
        key,
        ["ZX9 9QQ", "zx9", "court_case", "not_sure"],
        shift_three_times=True,
    )


@pytest.fixture
def mediation(transactional_db: None) -> None:
    # Transactional tests start from an empty database: the coded categories are made here.
    parent = CategoryFactory(slug="mediation", name="Family mediation", code="mediation")
    CategoryFactory(slug="miams", name="MIAMs", code="miams", parent=parent)


def test_the_cooperative_journey_by_keyboard(page, live_server, mediation) -> None:  # type: ignore[no-untyped-def]
    start(page)
    choose_radio(page, "no")
    continue_to(page, "/get-help/safety/")
    tick(page, "none")
    continue_to(page, "/get-help/own-behaviour/")
    choose_radio(page, "no")
    continue_to(page, "/get-help/needs/")
    tick(page, "arrangements", "money_housing")
    continue_to(page, "/get-help/ages/")
    continue_to(page, "/get-help/postcode/")
    continue_to(page, "/get-help/modes/")
    continue_to(page, "/get-help/check-your-answers/")
    # Change one answer from the check page and come back to it.
    press_enter_on(page, "a[href='/get-help/needs/?change=1']", "/get-help/needs/?change=1")
    tick(page, "emotional")
    continue_to(page, "/get-help/check-your-answers/")
    assert "Support for me, like someone to talk to" in page.content()
    press_enter_on(page, "a[href='/get-help/your-results/']", "/get-help/your-results/")

    text = page.locator("main").inner_text()
    assert "Make a parenting plan" in text
    assert "Mediation" in text
    assert "116 123" in text  # Samaritans, for someone to talk to
    assert "0808 2000 247" not in text
    # Each section leads somewhere: the plan tool, the mediation guide, and mediation
    # services in the directory, reached by keyboard.
    assert page.locator("main a[href='/parenting-plan/']").count() == 1
    assert page.locator("main a[href='/resources/mediation-and-miams/']").count() == 1
    press_enter_on(
        page,
        "main a[href='/services/?category=mediation&category=miams']",
        "/services/?category=mediation&category=miams",
    )
    assert "Family mediation" in page.locator("main").inner_text()
    page.go_back()
    assert page.url.endswith("/get-help/your-results/")
    # The same results on a desktop screen: still accessible.
    page.set_viewport_size({"width": 1280, "height": 900})
    check_page(page)
    page.set_viewport_size({"width": 390, "height": 844})

    # Start again clears the answers: the results now send the parent back to the start.
    press_enter_on(page, "a[href='/get-help/start-again/']", "/get-help/start-again/")
    press_enter_on(page, "button.govuk-button--warning", "/get-help/")
    page.goto("/get-help/your-results/")
    assert page.url.endswith("/get-help/danger/")

    key = session_key(page, live_server)
    assert_nothing_kept(
        page, live_server, key, ["money_housing", "emotional"], shift_three_times=False
    )


def test_immediate_danger_by_keyboard_shows_only_the_emergency_page(page) -> None:  # type: ignore[no-untyped-def]
    start(page)
    choose_radio(page, "yes")
    continue_to(page, "/get-help/emergency/")
    text = page.locator("main").inner_text()
    assert "Call 999 now" in text
    assert "Silent Solution" in text
    assert "Services near you" not in text
    assert "0808" not in text


def test_the_own_behaviour_journey_by_keyboard(page, live_server, mediation) -> None:  # type: ignore[no-untyped-def]
    start(page)
    choose_radio(page, "no")
    continue_to(page, "/get-help/safety/")
    tick(page, "none")
    continue_to(page, "/get-help/own-behaviour/")
    choose_radio(page, "yes")
    continue_to(page, "/get-help/needs/")
    tick(page, "arrangements", "legal")
    continue_to(page, "/get-help/ages/")
    continue_to(page, "/get-help/postcode/")
    continue_to(page, "/get-help/modes/")
    continue_to(page, "/get-help/check-your-answers/")
    press_enter_on(page, "a[href='/get-help/your-results/']", "/get-help/your-results/")

    text = page.locator("main").inner_text()
    assert "Help to change your behaviour" in text
    assert "0808 802 4040" in text  # Respect
    assert "Mediation" not in text
    assert "Make a parenting plan" not in text
    main_html = page.locator("main").inner_html()
    assert "mediation-and-miams" not in main_html
    assert 'href="/services/"' not in main_html
    assert 'href="/services/?' not in main_html
    # The guide itself is on another branch: its link is checked, not followed.
    assert page.locator("main a[href='/resources/the-first-hearing-and-cafcass/']").count() == 1
    key = session_key(page, live_server)
    assert_nothing_kept(page, live_server, key, ["legal"], shift_three_times=True)
