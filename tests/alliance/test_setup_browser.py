"""The staff set-up pages in Debian's Chromium: accessible at each step, with and without errors."""

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from alliance.models import Role, User
from alliance.services import staff_setup_link_create
from tests.conftest import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_set_up_pages_have_no_axe_violations(page) -> None:
    user = User.objects.create_user(email="new.starter@example.org", role=Role.FCA)
    url = staff_setup_link_create(user=user, actor=None)
    page.goto("/" + url.split("://", 1)[1].split("/", 1)[1])
    page.wait_for_url("**/accounts/set-up/")
    assert page.locator("h1").inner_text() == "Set up your staff account"
    assert axe_violations(page) == []

    page.get_by_role("button", name="Continue").click()  # empty: the error summary shows
    assert "Choose a password" in page.locator(".govuk-error-summary").inner_text()
    assert axe_violations(page) == []

    page.get_by_label("Choose a password").fill("plum-lantern-orbit-meadow")
    page.get_by_label("Type the password again").fill("plum-lantern-orbit-meadow")
    page.get_by_role("button", name="Continue").click()
    assert page.locator("h1").inner_text() == "Set up your authenticator app"
    assert page.locator("img.alliance-qr").is_visible()
    assert axe_violations(page) == []

    page.get_by_label("Security code").fill("12")
    page.get_by_role("button", name="Continue").click()
    assert "6 digits" in page.locator(".govuk-error-summary").inner_text()
    assert axe_violations(page) == []

    device = TOTPDevice.objects.get(user=user, confirmed=False)
    code = totp(device.bin_key, device.step, device.t0, device.digits, device.drift)
    page.get_by_label("Security code").fill(f"{code:06d}")
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/accounts/recovery-codes/")
    assert page.locator("ol.alliance-codes li").count() == 10
    assert page.external_requests == []
