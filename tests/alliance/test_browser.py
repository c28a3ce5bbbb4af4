"""The base page in Debian's Chromium: accessible, and the exit control works from the keyboard."""

import pytest

from tests.conftest import PASSWORD, axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEUTRAL = "https://www.bbc.co.uk/weather"


def is_exit(response) -> bool:  # type: ignore[no-untyped-def]
    return response.url.endswith("/exit/")


@pytest.mark.parametrize("width", [390, 1280])
def test_the_home_page_has_no_axe_violations(page, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    page.goto("/")
    assert page.locator("h1").inner_text() == "Help for separating and separated families"
    assert axe_violations(page) == []
    assert page.external_requests == []
    # GOV.UK Frontend's JavaScript ran (the body class set by our nonce'd inline script).
    assert "govuk-frontend-supported" in page.locator("body").get_attribute("class")


def test_pressing_shift_three_times_leaves_the_site(page) -> None:
    page.goto("/staying-safe-online/")
    # GOV.UK Frontend adds the indicator once the component's JavaScript has started.
    page.wait_for_selector(".govuk-exit-this-page__indicator", state="attached")
    with page.expect_response(is_exit) as exit_response:
        for _ in range(3):
            page.keyboard.press("Shift")
    # The machine has no network, so the browser cannot show the neutral site itself:
    # what matters is that it was sent there.
    assert exit_response.value.status == 302
    assert exit_response.value.headers["location"] == NEUTRAL


def test_the_exit_button_is_reached_by_keyboard_and_clears_the_session(
    page, live_server, fca
) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill(fca.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("Password").press("Enter")
    page.wait_for_url("**/accounts/two-factor/**")
    assert any(c["name"] == "sessionid" for c in page.context.cookies(live_server.url))
    # The first Tab stops: skip to content, then the hidden exit link, reached before anything.
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Exit this page"
    with page.expect_response(is_exit) as exit_response:
        page.keyboard.press("Enter")
    assert exit_response.value.headers["location"] == NEUTRAL
    assert all(c["name"] != "sessionid" for c in page.context.cookies(live_server.url))


def test_sign_in_and_two_factor_pages_have_no_axe_violations(page, fca) -> None:
    page.goto("/accounts/login/")
    page.get_by_role("button", name="Sign in").click()  # empty: the error summary shows
    assert page.locator(".govuk-error-summary").is_visible()
    assert axe_violations(page) == []
    page.get_by_label("Email address").fill(fca.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/accounts/two-factor/**")
    assert axe_violations(page) == []
    page.get_by_label("Security code").fill("12")
    page.get_by_role("button", name="Continue").click()
    assert (
        "Enter the security code as 6 digits" in page.locator(".govuk-error-summary").inner_text()
    )
    assert axe_violations(page) == []
    assert page.external_requests == []
