"""Two parents make a plan in Chromium with the keyboard only; axe at 390 and 1280 px on every
page (issue 13, "Done when")."""

from __future__ import annotations

import re

import pytest

from alliance.models import OutboundMessage
from resources.plan.models import PlanItem
from resources.plan.rules import ItemStatus
from tests.conftest import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

A_EMAIL = "alex.parent.a@example.org"
B_EMAIL = "sam.parent.b@example.net"
LINK = re.compile(r"https?://[^\s\"<]+(/parenting-plan/link/[A-Za-z0-9_-]+/)")
WIDTHS = (390, 1280)


def link_for(email: str) -> str:
    message = OutboundMessage.objects.filter(to=email).order_by("-pk").first()
    assert message is not None
    match = LINK.search(message.body_text)
    assert match is not None
    return match.group(1)


FOCUSED = """([selector, text]) => {
    const el = document.activeElement;
    return !!el && el.matches(selector) && (!text || el.textContent.trim() === text);
}"""


def tab_to(page, selector: str, *, text: str = "", limit: int = 80) -> None:  # type: ignore[no-untyped-def]
    """Press Tab until the element matching `selector` has the focus, as a keyboard user would."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(FOCUSED, [selector, text]):
            return
    raise AssertionError(f"Tab never reached {selector} {text} on {page.url}")


def accessible(page, seen: list[str]) -> None:  # type: ignore[no-untyped-def]
    """axe clean at both widths, and nothing loaded from another site."""
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        assert axe_violations(page) == [], (page.url, width)
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.external_requests == []
    seen.append(page.url)


def answer_no_worries(page) -> None:  # type: ignore[no-untyped-def]
    tab_to(page, "#id_danger-answer_0")
    page.keyboard.press("ArrowDown")  # moves to, and selects, "No"
    tab_to(page, "#id_safety-answer_3")
    page.keyboard.press("Space")  # "No, I am not worried about anyone's safety"
    tab_to(page, "#id_own-answer_0")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")  # "No"


def submit(page, label: str) -> None:  # type: ignore[no-untyped-def]
    tab_to(page, "main button[type=submit]", text=label)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def follow(page, href: str) -> None:  # type: ignore[no-untyped-def]
    tab_to(page, f"main a[href='{href}']")
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_two_parents_make_a_plan_with_the_keyboard_only(browser, live_server, page) -> None:  # type: ignore[no-untyped-def]
    seen: list[str] = []
    parent_a = page

    # A: from the home page to a plan of their own, by the keyboard alone.
    parent_a.goto("/")
    follow(parent_a, "/parenting-plan/")
    accessible(parent_a, seen)
    follow(parent_a, "/parenting-plan/safety/")
    accessible(parent_a, seen)
    answer_no_worries(parent_a)
    submit(parent_a, "Continue")
    accessible(parent_a, seen)
    tab_to(parent_a, "#id_name")
    parent_a.keyboard.type("Alex")
    tab_to(parent_a, "#id_email")
    parent_a.keyboard.type(A_EMAIL)
    with parent_a.expect_navigation():
        parent_a.keyboard.press("Enter")
    assert "Check your email" in parent_a.content()
    accessible(parent_a, seen)

    parent_a.goto(link_for(A_EMAIL))  # opening the link from the email
    accessible(parent_a, seen)
    submit(parent_a, "Continue to your plan")
    assert parent_a.url.endswith("/parenting-plan/plan/")
    accessible(parent_a, seen)

    follow(parent_a, "/parenting-plan/plan/invite/")
    accessible(parent_a, seen)
    tab_to(parent_a, "#id_email")
    parent_a.keyboard.type(B_EMAIL)
    with parent_a.expect_navigation():
        parent_a.keyboard.press("Enter")
    assert "They have not joined yet" in parent_a.content()

    follow(parent_a, "/parenting-plan/plan/living/")
    accessible(parent_a, seen)
    tab_to(parent_a, "#id_text")
    parent_a.keyboard.type("Alternate weekends with each parent")
    submit(parent_a, "Add suggestion")
    accessible(parent_a, seen)

    # B: joins from the invitation, answers the same safety questions, suggests otherwise.
    context_b = browser.new_context(
        base_url=live_server.url, viewport={"width": 390, "height": 844}
    )
    parent_b = context_b.new_page()
    parent_b.external_requests = []
    parent_b.on(
        "request",
        lambda r: None
        if r.url.startswith(live_server.url)
        else parent_b.external_requests.append(r.url),
    )
    parent_b.goto(link_for(B_EMAIL))
    accessible(parent_b, seen)
    answer_no_worries(parent_b)
    tab_to(parent_b, "#id_name")
    parent_b.keyboard.type("Sam")
    with parent_b.expect_navigation():
        parent_b.keyboard.press("Enter")
    assert "You are making this plan with Alex" in parent_b.content()
    accessible(parent_b, seen)
    follow(parent_b, "/parenting-plan/plan/living/")
    item = PlanItem.objects.get()
    follow(parent_b, f"/parenting-plan/plan/items/{item.pk}/")
    accessible(parent_b, seen)
    tab_to(parent_b, "#id_action_0")
    parent_b.keyboard.press("ArrowDown")  # "Suggest something different"
    tab_to(parent_b, "#id_text")
    parent_b.keyboard.type("Every other weekend, Friday to Sunday")
    submit(parent_b, "Save")
    item.refresh_from_db()
    assert item.status == ItemStatus.COUNTERED

    # A: agrees to B's wording.
    parent_a.reload()
    follow(parent_a, f"/parenting-plan/plan/items/{item.pk}/")
    assert "Sam" in parent_a.content()
    tab_to(parent_a, "#id_action_0")
    parent_a.keyboard.press("Space")  # "I agree"
    submit(parent_a, "Save")
    item.refresh_from_db()
    assert item.status == ItemStatus.AGREED
    accessible(parent_a, seen)

    # The review date, the summary of progress and the children's summary.
    tab_to(parent_a, "main a.govuk-back-link, a.govuk-back-link")
    with parent_a.expect_navigation():
        parent_a.keyboard.press("Enter")
    follow(parent_a, "/parenting-plan/plan/review-date/")
    accessible(parent_a, seen)
    tab_to(parent_a, "#id_day")
    parent_a.keyboard.type("1")
    tab_to(parent_a, "#id_month")
    parent_a.keyboard.type("6")
    tab_to(parent_a, "#id_year")
    parent_a.keyboard.type("2030")
    with parent_a.expect_navigation():
        parent_a.keyboard.press("Enter")
    assert "1 June 2030" in parent_a.content()
    follow(parent_a, "/parenting-plan/plan/summary/")
    assert "Every other weekend, Friday to Sunday" in parent_a.content()
    accessible(parent_a, seen)
    parent_a.go_back()
    follow(parent_a, "/parenting-plan/plan/for-children/")
    assert "Every other weekend" in parent_a.content()
    accessible(parent_a, seen)

    # Neither parent's address is on any page the other saw.
    for browser_page, theirs in ((parent_a, B_EMAIL), (parent_b, A_EMAIL)):
        assert theirs not in browser_page.content()
    parent_b.reload()
    assert A_EMAIL not in parent_b.content()
    context_b.close()
    assert len(seen) >= 14


def test_the_other_plan_pages_and_their_errors_are_accessible_at_both_widths(page) -> None:  # type: ignore[no-untyped-def]
    seen: list[str] = []

    # Errors: the safety questions, the start form and the sign-in form, sent empty.
    for path, label in (
        ("/parenting-plan/safety/", "Continue"),
        ("/parenting-plan/sign-in/", "Email me a link"),
    ):
        page.goto(path)
        accessible(page, seen)
        submit(page, label)
        assert "There is a problem" in page.content()
        accessible(page, seen)
    page.goto("/parenting-plan/link/not-a-real-token/")
    assert "This link no longer works" in page.content()
    accessible(page, seen)

    # A parent at risk: only a private plan, with helplines.
    page.goto("/parenting-plan/safety/")
    tab_to(page, "#id_danger-answer_0")
    page.keyboard.press("ArrowDown")
    tab_to(page, "#id_safety-answer_0")
    page.keyboard.press("Space")  # worried about my safety
    tab_to(page, "#id_own-answer_0")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    submit(page, "Continue")
    assert "Make a plan just for you" in page.content()
    accessible(page, seen)
    submit(page, "Email me a link")
    assert "There is a problem" in page.content()
    accessible(page, seen)
    tab_to(page, "#id_name")
    page.keyboard.type("Alex")
    tab_to(page, "#id_email")
    page.keyboard.type(A_EMAIL)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.goto(link_for(A_EMAIL))
    submit(page, "Continue to your plan")
    assert "This plan is just for you" in page.content()
    assert "Invite the other parent" not in page.content()
    accessible(page, seen)

    # Errors inside the plan, then leaving it.
    follow(page, "/parenting-plan/plan/review-date/")
    tab_to(page, "#id_day")
    page.keyboard.type("31")
    tab_to(page, "#id_month")
    page.keyboard.type("2")
    submit(page, "Save")
    assert "There is a problem" in page.content()
    accessible(page, seen)
    page.goto("/parenting-plan/plan/money/")
    submit(page, "Add suggestion")
    assert "There is a problem" in page.content()
    accessible(page, seen)
    page.goto("/parenting-plan/plan/")
    follow(page, "/parenting-plan/plan/leave/")
    accessible(page, seen)
    submit(page, "Leave the plan")
    assert "You have left the plan" in page.content()
    accessible(page, seen)
    assert len(seen) == 12
