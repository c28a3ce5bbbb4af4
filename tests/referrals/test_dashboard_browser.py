"""The dashboard and the audit trail in Chromium: axe clean at 390 and 1280 px, no request
leaves the site, and each chart draws exactly what its table says."""

import datetime as dt

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from referrals.audit import Access, referral_access_record
from referrals.models import Route, Status
from tests.conftest import PASSWORD, axe_violations
from tests.referrals.test_dashboard import referrals

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FIGURES_JS = """
() => {
  const out = {marks: {}, tables: {}};
  for (const svg of document.querySelectorAll("svg[data-chart]")) {
    const marks = {};
    for (const el of svg.querySelectorAll("[data-series]")) {
      marks[el.dataset.category + " | " + el.dataset.series] = el.dataset.text;
    }
    out.marks[svg.dataset.chart] = marks;
  }
  for (const table of document.querySelectorAll("table[data-chart-table]")) {
    const heads = [...table.querySelectorAll("thead th")].map(th => th.textContent.trim());
    const cells = {};
    for (const row of table.querySelectorAll("tbody tr")) {
      const [head, ...rest] = row.querySelectorAll("th, td");
      rest.forEach((td, i) => {
        cells[head.textContent.trim() + " | " + heads[i + 1]] = td.textContent.trim();
      });
    }
    out.tables[table.dataset.chartTable] = cells;
  }
  return out;
}
"""


def browser_sign_in(page, user) -> None:  # type: ignore[no-untyped-def]
    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/accounts/two-factor/**")
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    code = totp(device.bin_key, device.step, device.t0, device.digits, device.drift)
    page.get_by_label("Security code").fill(f"{code:06d}")
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(lambda url: "two-factor" not in url)


@pytest.mark.parametrize("width", [390, 1280])
def test_the_dashboard_is_axe_clean_and_its_charts_match_their_tables(
    page, curator, fca, width: int
) -> None:  # type: ignore[no-untyped-def]
    now = dt.datetime.now(dt.UTC)
    referrals(fca, 7, status=Status.BOOKED, submitted_at=now, allocated_at=now,
              accepted_at=now, booked_at=now + dt.timedelta(days=2))  # fmt: skip
    referrals(fca, 3, route=Route.FCA_DIRECT, status=Status.UNALLOCATED, submitted_at=now)
    page.set_viewport_size({"width": width, "height": 900})
    browser_sign_in(page, curator)

    page.goto("/referrals/dashboard/")

    assert page.get_by_role("heading", name="Referrals dashboard").is_visible()
    assert axe_violations(page) == []
    figures = page.evaluate(FIGURES_JS)
    assert sorted(figures["marks"]) == ["by-route", "rates", "times", "waiting"]
    assert figures["marks"] == figures["tables"]
    assert "fewer than 5" in figures["tables"]["waiting"].values()
    # A wide table scrolls in its own box: the page itself never scrolls sideways.
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert page.external_requests == []


def test_the_filters_work_by_keyboard_and_bad_input_shows_the_error_summary(page, curator) -> None:  # type: ignore[no-untyped-def]
    browser_sign_in(page, curator)
    page.goto("/referrals/dashboard/?months=7")
    assert page.locator(".govuk-error-summary").is_visible()
    assert axe_violations(page) == []
    page.get_by_label("Period").focus()
    page.keyboard.press("End")
    page.get_by_role("button", name="Show figures").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "months=24" in url)
    assert page.locator(".govuk-error-summary").count() == 0


def test_the_audit_trail_is_axe_clean(page, curator, fca) -> None:  # type: ignore[no-untyped-def]
    referral_access_record(actor=fca, referral_ids=[1, 2], what=Access.VIEWED)
    browser_sign_in(page, curator)
    for path in (
        "/referrals/audit/",
        "/referrals/audit/referral/1/",
        f"/referrals/audit/user/{fca.pk}/",
    ):
        page.goto(path)
        assert axe_violations(page) == [], path
        page.set_viewport_size({"width": 390, "height": 844})
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, path
    assert page.external_requests == []
