"""Programme referrals end to end in Chromium, with the keyboard only, on a real worker.

The FCA creates a court-ordered case with two parents and submits it; a real Celery worker
allocates each parent; the provider accepts, books each parent into their (different) cohort
and records attendance and completion; the FCA sees both referrals complete. axe runs on every
page at 390 px and 1280 px. Keys used: Tab, typing, the arrow keys and Space for radios, Enter.
"""

from collections.abc import Iterator

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from referrals.models import Referral, Status
from tests.conftest import PASSWORD, axe_violations
from tests.referrals.support import PARENT_A, PARENT_B, cohort, postcodes, provider, ptfc
from tests.support.worker import wait_for

pytestmark = [pytest.mark.browser, pytest.mark.worker, pytest.mark.django_db(transaction=True)]

MAX_TABS = 150


def active(page, selector: str) -> bool:  # type: ignore[no-untyped-def]
    return page.evaluate("s => document.activeElement.matches(s)", selector)


def tab_to(page, selector: str) -> None:  # type: ignore[no-untyped-def]
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        if active(page, selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def type_into(page, name: str, text: str) -> None:  # type: ignore[no-untyped-def]
    tab_to(page, f"[name='{name}']")
    page.keyboard.type(text)


def choose_radio(page, name: str, value: str) -> None:  # type: ignore[no-untyped-def]
    tab_to(page, f"input[type=radio][name='{name}']")
    for _ in range(10):
        if active(page, f"input[type=radio][value='{value}']"):
            break
        page.keyboard.press("ArrowDown")
    page.keyboard.press("Space")
    assert page.evaluate("document.activeElement.checked")


def enter_on(page, selector: str) -> None:  # type: ignore[no-untyped-def]
    tab_to(page, selector)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    check_page(page)


def check_page(page) -> None:  # type: ignore[no-untyped-def]
    for width, height in ((1280, 900), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        assert axe_violations(page) == [], (page.url, width)
    assert page.external_requests == []


def sign_in_by_keyboard(page, user) -> None:  # type: ignore[no-untyped-def]
    page.goto("/accounts/login/")
    type_into(page, "username", user.email)
    type_into(page, "password", PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    code = totp(device.bin_key, device.step, device.t0, device.digits, device.drift)
    type_into(page, "token", f"{code:06d}")
    with page.expect_navigation():
        page.keyboard.press("Enter")


@pytest.fixture
def provider_page(browser, live_server) -> Iterator[object]:  # type: ignore[no-untyped-def]
    context = browser.new_context(base_url=live_server.url, viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.external_requests = []  # type: ignore[attr-defined]
    yield page
    context.close()


def test_a_court_ordered_case_from_referral_to_completion_by_keyboard(
    page, provider_page, fca, provider_staff, start_worker
) -> None:
    postcodes()
    ptfc()
    offering = provider(staff=provider_staff)
    cohort(offering, days=7)
    cohort(offering, days=9)
    start_worker()

    # The FCA creates the case and submits both referrals.
    sign_in_by_keyboard(page, fca)
    page.goto("/referrals/")
    check_page(page)
    enter_on(page, "a[href='/referrals/cases/new/']")
    type_into(page, "court", "Leicester Family Court")
    type_into(page, "case_number", "LE26P04321")
    type_into(page, "first_hearing_on", "01/10/2026")
    choose_radio(page, "route", "court_order")
    type_into(page, "order_date", "01/10/2026")
    type_into(page, "issuing_court", "Leicester Family Court")
    for prefix, parent in (("a", PARENT_A), ("b", PARENT_B)):
        for key in ("name", "email", "phone", "postcode"):
            type_into(page, f"{prefix}_{key}", str(parent[key]))
    enter_on(page, "button[type=submit], input[type=submit]")
    assert "/referrals/cases/" in page.url
    assert "The gate is passed" in page.content()
    enter_on(page, "form[action$='/submit/'] button")

    # A real worker allocates each parent and sends the referrals to the provider.
    wait_for(lambda: Referral.objects.filter(status=Status.SENT).count() == 2, 90, "both sent")
    first, second = Referral.objects.order_by("parent")
    assert first.cohort_id != second.cohort_id

    # The provider accepts, books, records attendance and completion for each parent.
    sign_in_by_keyboard(provider_page, provider_staff)
    provider_page.goto("/provider/")
    check_page(provider_page)
    for referral in (first, second):
        provider_page.goto("/provider/")
        enter_on(provider_page, f"a[href='/provider/referrals/{referral.pk}/']")
        content = provider_page.content()
        assert referral.name in content
        other = second if referral == first else first
        assert other.name not in content
        enter_on(provider_page, "form[action$='/accept/'] button")
        choose_radio(provider_page, "cohort", str(referral.cohort_id))
        enter_on(provider_page, "form[action$='/book/'] [type=submit]")
        choose_radio(provider_page, "attended", "yes")
        enter_on(provider_page, "form[action$='/attendance/'] [type=submit]")
        enter_on(provider_page, "form[action$='/complete/'] button")
        assert "Completed" in provider_page.content()

    # The FCA sees both referrals complete.
    page.reload()
    check_page(page)
    assert page.content().count(">Completed<") == 2
    assert {r.status for r in Referral.objects.all()} == {Status.COMPLETED}
