"""A practitioner's suggestion walked with the keyboard only, axe clean on every step."""

import pytest

from directory.models import Suggestion
from tests.conftest import axe_violations
from tests.directory.factories import CategoryFactory, PublishedServiceFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def tab_to(page, selector: str, limit: int = 80) -> None:  # type: ignore[no-untyped-def]
    """Press Tab until the element matching `selector` has focus (as a keyboard user would)."""
    target = page.locator(selector).first
    for _ in range(limit):
        page.keyboard.press("Tab")
        if target.evaluate("el => el === document.activeElement"):
            return
        assert page.evaluate("document.activeElement.id") != "id_nickname", "honeypot focused"
    raise AssertionError(f"Tab never reached {selector}")


def type_into(page, selector: str, text: str) -> None:  # type: ignore[no-untyped-def]
    tab_to(page, selector)
    page.keyboard.type(text)


def press_button(page, name: str) -> None:  # type: ignore[no-untyped-def]
    tab_to(page, f"button:has-text('{name}'), a[role=button]:has-text('{name}')")
    with page.expect_navigation():
        page.keyboard.press("Enter")


def clean(page) -> None:  # type: ignore[no-untyped-def]
    assert axe_violations(page) == [], page.url


@pytest.mark.parametrize("width", [390, 1280])
def test_a_practitioner_suggests_a_service_with_the_keyboard(page, width: int) -> None:  # type: ignore[no-untyped-def]
    CategoryFactory(slug="mediation", name="Family mediation")
    PublishedServiceFactory(name="Rutland Family Mediation Centre")
    page.set_viewport_size({"width": width, "height": 900})

    page.goto("/contact/")
    clean(page)
    tab_to(page, "a[href='/services/suggest/']")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    clean(page)
    press_button(page, "Start now")

    # Step 1, first sent empty: the error summary takes focus and links to the field.
    press_button(page, "Continue")
    assert page.locator(".govuk-error-summary").is_visible()
    clean(page)
    type_into(page, "#id_organisation_name", "Rutland Family Mediation")
    type_into(page, "#id_service_name", "Rutland Family Mediation")
    type_into(page, "#id_website", "rutland-mediation.example.org")
    press_button(page, "Continue")

    assert page.locator("h1").inner_text() == "About the service"
    clean(page)
    type_into(page, "#id_offers", "Mediation for separating parents in Oakham.")
    tab_to(page, "#id_category")
    page.keyboard.press("Space")
    type_into(page, "#id_area", "Rutland")
    press_button(page, "Continue")

    clean(page)
    type_into(page, "#id_reason", "Nothing like it in Rutland.")
    press_button(page, "Continue")

    clean(page)
    type_into(page, "#id_practitioner_name", "Sam Taylor")
    type_into(page, "#id_practitioner_role", "Family support worker")
    type_into(page, "#id_practitioner_email", "sam@example.org")
    type_into(page, "#id_practitioner_organisation", "Rutland County Council")
    press_button(page, "Continue")

    assert page.locator("h1").inner_text() == "Is it already listed?"
    assert "Rutland Family Mediation Centre" in page.content()
    clean(page)
    # A radio group is one Tab stop; the arrow keys move along it and choose.
    tab_to(page, "#id_match")
    none = page.locator("input[value=none]")
    for _ in range(10):
        if none.is_checked():
            break
        page.keyboard.press("ArrowDown")
    assert none.is_checked()
    press_button(page, "Continue")

    assert page.locator("h1").inner_text() == "Check your answers before sending"
    clean(page)
    press_button(page, "Send suggestion")

    assert page.locator(".govuk-panel__title").inner_text() == "Suggestion sent"
    clean(page)
    suggestion = Suggestion.objects.get()
    assert suggestion.reference in page.locator(".govuk-panel__body").inner_text()
    assert suggestion.website == "https://rutland-mediation.example.org"
    assert page.external_requests == []
