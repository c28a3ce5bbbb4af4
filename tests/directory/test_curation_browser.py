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


def sign_in_browser(page, user) -> None:  # type: ignore[no-untyped-def]
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tests.conftest import PASSWORD

    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/accounts/two-factor/**")
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    code = totp(device.bin_key, device.step, device.t0, device.digits, device.drift)
    page.get_by_label("Security code").fill(f"{code:06d}")
    with page.expect_navigation():
        page.get_by_role("button", name="Continue").click()


@pytest.mark.parametrize("width", [390, 1280])
def test_the_report_message_and_curators_pages_have_no_axe_violations(
    page, width: int, curator, provider_staff
) -> None:  # type: ignore[no-untyped-def]
    from directory import curation_services
    from directory.models import OrganisationMembership, ProviderEdit
    from tests.directory.test_curation_queue import make_suggestion

    page.set_viewport_size({"width": width, "height": 900})
    service = PublishedServiceFactory(name="Oakham contact centre", summary="Saturdays.")
    OrganisationMembership.objects.create(user=provider_staff, organisation=service.organisation)

    page.goto(f"/services/{service.slug}/report-a-problem/")
    clean(page)
    page.get_by_role("button", name="Send report").click()
    assert page.locator(".govuk-error-summary").is_visible()
    clean(page)
    page.get_by_label("Something else").check()
    page.get_by_label("Tell us more (optional)").fill("The entrance has moved.")
    page.get_by_role("button", name="Send report").click()
    assert page.locator(".govuk-panel__title").inner_text() == "Report sent"
    clean(page)

    page.goto("/contact/message/")
    page.get_by_role("button", name="Send message").click()
    assert page.locator(".govuk-error-summary").is_visible()
    clean(page)

    suggestion = make_suggestion()
    curation_services.provider_edit_propose(
        actor=provider_staff, service=service, proposed={"summary": "Saturdays and Sundays."}
    )
    sign_in_browser(page, curator)
    for url in (
        "/staff/curation/",
        f"/staff/curation/suggestions/{suggestion.pk}/",
        f"/staff/curation/edits/{ProviderEdit.objects.get().pk}/",
        f"/staff/curation/problems/{service.problem_reports.get().pk}/",
        f"/staff/curation/preview/{service.slug}/",
    ):
        page.goto(url)
        clean(page)
    page.goto(f"/staff/curation/suggestions/{suggestion.pk}/")
    page.get_by_role("button", name="Reject").click()
    assert page.locator(".govuk-error-summary").is_visible()
    clean(page)
    assert page.external_requests == []


@pytest.mark.parametrize("width", [390, 1280])
def test_a_provider_proposes_a_change_with_no_axe_violations(
    page, width: int, provider_staff
) -> None:  # type: ignore[no-untyped-def]
    from directory.models import OrganisationMembership, ProviderEdit

    page.set_viewport_size({"width": width, "height": 900})
    service = PublishedServiceFactory(name="Oakham contact centre", summary="Saturdays.")
    OrganisationMembership.objects.create(user=provider_staff, organisation=service.organisation)
    sign_in_browser(page, provider_staff)

    page.goto("/services/provider-edits/")
    clean(page)
    page.get_by_role("link", name="Oakham contact centre").click()
    clean(page)
    page.get_by_label("Summary").fill("")
    page.get_by_role("button", name="Send for approval").click()
    assert page.locator(".govuk-error-summary").is_visible()
    clean(page)
    page.get_by_label("Summary").fill("Saturdays and Sundays.")
    page.get_by_role("button", name="Send for approval").click()
    assert "A curator will check your changes" in page.content()
    clean(page)
    assert ProviderEdit.objects.get().changes == {"summary": "Saturdays and Sundays."}
