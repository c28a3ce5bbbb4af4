"""The parenting plan (issue 13): the safety gate, sign-in links, a two-parent round with
content-free alerts, privacy between the parents, leaving, the review reminder, exports."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from alliance.models import OutboundMessage
from resources.plan import services
from resources.plan.models import ParentingPlan, PlanItem, PlanLink, PlanParticipant
from resources.plan.rules import Action, ItemStatus, Section

pytestmark = pytest.mark.django_db

SAFE = {"danger-answer": "no", "safety-answer": ["none"], "own-answer": "no"}
A_EMAIL = "alex.parent.a@example.org"
B_EMAIL = "sam.parent.b@example.net"
LINK = re.compile(r"https?://[^\s\"<]+/parenting-plan/link/([A-Za-z0-9_-]+)/")


def last_link(email: str) -> str:
    message = OutboundMessage.objects.filter(to=email).order_by("-pk").first()
    assert message is not None, f"no email to {email}"
    match = LINK.search(message.body_text)
    assert match, message.body_text
    return match.group(1)


def start_plan(client: Client, *, answers: dict | None = None, name: str = "Alex") -> Client:
    response = client.post("/parenting-plan/safety/", answers or SAFE)
    assert response.status_code == 302, response.content[:400]
    response = client.post("/parenting-plan/new/", {"name": name, "email": A_EMAIL})
    assert response.status_code == 302, response.content[:400]
    return client


def open_link(client: Client, token: str, data: dict | None = None) -> object:
    response = client.get(f"/parenting-plan/link/{token}/")
    assert response.status_code == 302, response.status_code
    return client.post("/parenting-plan/open/", data or {})


def signed_in_starter(client: Client) -> PlanParticipant:
    start_plan(client)
    response = open_link(client, last_link(A_EMAIL))
    assert response.status_code == 302
    assert response["Location"] == "/parenting-plan/plan/"
    return PlanParticipant.objects.get(email=A_EMAIL)


def join_as_b(client: Client, *, name: str = "Sam", answers: dict | None = None) -> object:
    return open_link(client, last_link(B_EMAIL), {**(answers or SAFE), "name": name})


def two_parents(a: Client, b: Client) -> tuple[PlanParticipant, PlanParticipant]:
    starter = signed_in_starter(a)
    assert a.post("/parenting-plan/plan/invite/", {"email": B_EMAIL}).status_code == 302
    assert join_as_b(b).status_code == 302
    return starter, PlanParticipant.objects.get(email=B_EMAIL)


# The safety gate: the get-help check's rules -------------------------------------------------

RISKS = [
    {"danger-answer": "no", "safety-answer": ["me"], "own-answer": "no"},
    {"danger-answer": "no", "safety-answer": ["children"], "own-answer": "no"},
    {"danger-answer": "no", "safety-answer": ["not_sure"], "own-answer": "no"},
    {"danger-answer": "no", "safety-answer": ["none"], "own-answer": "yes"},
    {"danger-answer": "no", "safety-answer": ["none"], "own-answer": "not_sure"},
]


@pytest.mark.parametrize("answers", RISKS)
def test_a_risk_signalled_offers_only_a_private_plan_with_signposting(
    client: Client, answers: dict
) -> None:
    response = client.post("/parenting-plan/safety/", answers)
    page = client.get("/parenting-plan/new/").content.decode()

    assert response.status_code == 302
    assert "Make a plan just for you" in page
    assert "0808 2000 247" in page  # the national domestic abuse helpline
    client.post("/parenting-plan/new/", {"name": "Alex", "email": A_EMAIL})
    assert ParentingPlan.objects.get().private is True
    open_link(client, last_link(A_EMAIL))
    plan_page = client.get("/parenting-plan/plan/").content.decode()
    assert "Invite the other parent" not in plan_page
    assert client.get("/parenting-plan/plan/invite/").status_code == 404
    assert client.post("/parenting-plan/plan/invite/", {"email": B_EMAIL}).status_code == 404
    with pytest.raises(services.PlanError):
        services.invite_send(participant=PlanParticipant.objects.get(), email=B_EMAIL)
    assert not OutboundMessage.objects.filter(to=B_EMAIL).exists()


def test_no_worries_offers_a_plan_to_share(client: Client) -> None:
    signed_in_starter(client)

    assert ParentingPlan.objects.get().private is False
    assert "Invite the other parent" in client.get("/parenting-plan/plan/").content.decode()


def test_someone_in_danger_is_told_to_call_999_and_offered_no_plan(client: Client) -> None:
    response = client.post(
        "/parenting-plan/safety/",
        {"danger-answer": "yes", "safety-answer": ["me"], "own-answer": "no"},
    )

    assert "Call 999 now" in response.content.decode()
    assert client.get("/parenting-plan/new/")["Location"] == "/parenting-plan/safety/"
    assert not ParentingPlan.objects.exists()


def test_an_invited_parent_who_signals_a_risk_does_not_join_and_the_inviter_is_told_nothing(
    client: Client,
) -> None:
    a, b = Client(), Client()
    signed_in_starter(a)
    a.post("/parenting-plan/plan/invite/", {"email": B_EMAIL})
    alerts_before = OutboundMessage.objects.filter(to=A_EMAIL).count()

    response = join_as_b(b, answers=RISKS[0])

    assert "Make a plan just for you" in response.content.decode()
    assert PlanParticipant.objects.get(email=B_EMAIL).joined_at is None
    assert OutboundMessage.objects.filter(to=A_EMAIL).count() == alerts_before
    assert "have not joined yet" in a.get("/parenting-plan/plan/").content.decode()


# Sign-in links -------------------------------------------------------------------------------


def test_a_sign_in_link_works_once(client: Client) -> None:
    start_plan(client)
    token = last_link(A_EMAIL)
    assert open_link(client, token).status_code == 302

    other = Client()
    assert other.get(f"/parenting-plan/link/{token}/").status_code == 404
    assert (
        "This link no longer works" in other.get(f"/parenting-plan/link/{token}/").content.decode()
    )
    assert other.get("/parenting-plan/plan/")["Location"] == "/parenting-plan/sign-in/"


def test_a_sign_in_link_expires(client: Client) -> None:
    start_plan(client)
    token = last_link(A_EMAIL)

    with time_machine.travel(timezone.now() + timedelta(minutes=61)):
        assert client.get(f"/parenting-plan/link/{token}/").status_code == 404
        assert services.link_find(token=token) is None


def test_a_link_opened_but_not_yet_used_expires_before_it_is_spent(client: Client) -> None:
    start_plan(client)
    client.get(f"/parenting-plan/link/{last_link(A_EMAIL)}/")

    with time_machine.travel(timezone.now() + timedelta(minutes=61)):
        response = client.post("/parenting-plan/open/")

    assert response.status_code == 404
    assert client.get("/parenting-plan/plan/").status_code == 302


def test_only_a_hash_of_the_token_is_stored(client: Client) -> None:
    start_plan(client)
    token = last_link(A_EMAIL)

    link = PlanLink.objects.get()
    assert link.token_hash != token
    assert token not in str(list(PlanLink.objects.values()))


def test_the_sign_in_page_says_the_same_for_a_known_and_an_unknown_address(
    client: Client,
) -> None:
    signed_in_starter(Client())
    before = OutboundMessage.objects.count()

    known = client.post("/parenting-plan/sign-in/", {"email": A_EMAIL})
    unknown = client.post("/parenting-plan/sign-in/", {"email": "nobody@example.org"})

    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == "/parenting-plan/check-your-email/"
    assert OutboundMessage.objects.count() == before + 1  # only the known address is written to


def test_sign_in_links_are_rate_limited_per_address(client: Client, settings) -> None:  # type: ignore[no-untyped-def]
    signed_in_starter(Client())
    before = OutboundMessage.objects.count()

    answers = [
        Client(REMOTE_ADDR=f"10.0.0.{n}").post("/parenting-plan/sign-in/", {"email": A_EMAIL})
        for n in range(settings.PLAN_LINKS_PER_HOUR_PER_EMAIL + 2)
    ]

    assert [r.status_code for r in answers][-1] == 429
    assert OutboundMessage.objects.count() - before == settings.PLAN_LINKS_PER_HOUR_PER_EMAIL - 1


def test_sign_in_links_are_rate_limited_per_visitor(client: Client, settings) -> None:  # type: ignore[no-untyped-def]
    answers = [
        client.post("/parenting-plan/sign-in/", {"email": f"p{n}@example.org"})
        for n in range(settings.PLAN_LINKS_PER_HOUR_PER_VISITOR + 1)
    ]

    assert answers[-1].status_code == 429
    assert answers[0].status_code == 302


def test_invitations_are_limited_per_plan_per_day(client: Client, settings) -> None:  # type: ignore[no-untyped-def]
    starter = signed_in_starter(client)
    for n in range(settings.PLAN_INVITES_PER_DAY):
        services.invite_send(participant=starter, email=f"other{n}@example.org")

    with pytest.raises(services.PlanError):
        services.invite_send(participant=starter, email="one-more@example.org")


def test_exit_signs_the_parent_out(client: Client) -> None:
    signed_in_starter(client)
    assert client.get("/parenting-plan/plan/").status_code == 200

    client.get("/exit/")

    assert client.get("/parenting-plan/plan/")["Location"] == "/parenting-plan/sign-in/"


def test_every_plan_page_has_the_exit_control(client: Client) -> None:
    signed_in_starter(client)
    item = services.item_propose(
        participant=PlanParticipant.objects.get(), section=Section.LIVING, text="Weekends"
    )
    pages = [
        "/parenting-plan/", "/parenting-plan/safety/", "/parenting-plan/sign-in/",
        "/parenting-plan/check-your-email/", "/parenting-plan/plan/",
        "/parenting-plan/plan/living/", f"/parenting-plan/plan/items/{item.pk}/",
        "/parenting-plan/plan/invite/", "/parenting-plan/plan/review-date/",
        "/parenting-plan/plan/summary/", "/parenting-plan/plan/for-children/",
        "/parenting-plan/plan/leave/", "/parenting-plan/link/not-a-real-token/",
    ]  # fmt: skip
    for path in pages:
        body = client.get(path).content.decode()
        assert "govuk-exit-this-page" in body, path
        assert 'href="/exit/"' in body, path


# A two-parent round ---------------------------------------------------------------------------


def test_two_parents_propose_counter_and_agree_with_history() -> None:
    a, b = Client(), Client()
    two_parents(a, b)

    a.post("/parenting-plan/plan/living/", {"text": "Alternate weekends with each parent"})
    item = PlanItem.objects.get()
    assert item.status == ItemStatus.PROPOSED
    # The author cannot agree to their own wording.
    assert a.post(f"/parenting-plan/plan/items/{item.pk}/", {"action": "agree"}).status_code == 400

    b.post(
        f"/parenting-plan/plan/items/{item.pk}/",
        {"action": "counter", "text": "Every other weekend, Friday to Sunday"},
    )
    item.refresh_from_db()
    assert (item.status, item.text) == (
        ItemStatus.COUNTERED,
        "Every other weekend, Friday to Sunday",
    )

    a.post(f"/parenting-plan/plan/items/{item.pk}/", {"action": "agree"})
    item.refresh_from_db()
    assert item.status == ItemStatus.AGREED
    assert [e.action for e in item.events.all()] == [Action.PROPOSE, Action.COUNTER, Action.AGREE]
    history = b.get(f"/parenting-plan/plan/items/{item.pk}/").content.decode()
    assert "Alternate weekends with each parent" in history
    assert "Alex" in history


def test_alerts_carry_no_content_and_come_at_most_once_an_hour_per_parent() -> None:
    a, b = Client(), Client()
    two_parents(a, b)
    # B's joining alerted A once.
    assert (
        OutboundMessage.objects.filter(
            to=A_EMAIL, idempotency_key__startswith="plan-update"
        ).count()
        == 1
    )

    a.post("/parenting-plan/plan/living/", {"text": "Alternate weekends with each parent"})
    a.post("/parenting-plan/plan/education/", {"text": "Both parents go to parents evening"})
    a.post("/parenting-plan/plan/money/", {"text": "We split school trips half and half"})
    updates_to_b = OutboundMessage.objects.filter(
        to=B_EMAIL, idempotency_key__startswith="plan-update"
    )
    assert updates_to_b.count() == 1
    message = updates_to_b.get()
    for secret in ("Alternate", "weekends", "Alex", "Sam", A_EMAIL, "living", "Living"):
        assert secret not in message.subject + message.body_text + message.body_html
    assert "There is an update to your parenting plan" in message.body_text
    assert message.erase_after_send

    with time_machine.travel(timezone.now() + timedelta(minutes=61)):
        a.post("/parenting-plan/plan/health/", {"text": "Either parent can take them to the GP"})
    assert updates_to_b.count() == 2


def test_two_changes_either_side_of_the_hour_send_one_alert_not_two() -> None:
    a, b = Client(), Client()
    two_parents(a, b)
    start = timezone.now().replace(minute=59, second=0) + timedelta(hours=2)
    updates_to_b = OutboundMessage.objects.filter(
        to=B_EMAIL, idempotency_key__startswith="plan-update"
    )

    with time_machine.travel(start, tick=False):
        a.post("/parenting-plan/plan/living/", {"text": "Alternate weekends with each parent"})
    with time_machine.travel(start + timedelta(minutes=2), tick=False):
        a.post("/parenting-plan/plan/money/", {"text": "We split school trips half and half"})

    assert PlanItem.objects.count() == 2
    assert updates_to_b.count() == 1


def test_the_update_link_signs_the_other_parent_in() -> None:
    a, b = Client(), Client()
    two_parents(a, b)
    a.post("/parenting-plan/plan/living/", {"text": "Alternate weekends with each parent"})
    fresh = Client()

    response = open_link(fresh, last_link(B_EMAIL))

    assert response.status_code == 302
    assert "Alternate weekends" in fresh.get("/parenting-plan/plan/living/").content.decode()


def test_neither_parents_contact_details_reach_the_other() -> None:
    a, b = Client(), Client()
    two_parents(a, b)
    a.post("/parenting-plan/plan/living/", {"text": "Alternate weekends with each parent"})
    item = PlanItem.objects.get()
    b.post(f"/parenting-plan/plan/items/{item.pk}/", {"action": "agree"})
    b.post("/parenting-plan/plan/money/", {"text": "We split school trips half and half"})
    pages = [
        "/parenting-plan/plan/", "/parenting-plan/plan/living/", "/parenting-plan/plan/money/",
        f"/parenting-plan/plan/items/{item.pk}/", "/parenting-plan/plan/summary/",
        "/parenting-plan/plan/for-children/", "/parenting-plan/plan/leave/",
        "/parenting-plan/plan/review-date/",
    ]  # fmt: skip

    for client, theirs in ((a, B_EMAIL), (b, A_EMAIL)):
        local = theirs.split("@")[0]
        for path in pages:
            body = client.get(path).content.decode()
            assert theirs not in body, path
            assert local not in body, path
        pdf = client.get("/parenting-plan/plan/summary.pdf")
        assert pdf.content.startswith(b"%PDF")
        assert local.encode() not in pdf.content
    # Each parent's emails mention neither parent's address nor name.
    for message in OutboundMessage.objects.all():
        text = message.subject + message.body_text + message.body_html
        for detail in (A_EMAIL, B_EMAIL, "Alex", "Sam"):
            assert detail not in text, (message.idempotency_key, detail)
    # The invited parent sees only the name the inviter chose, and the inviter the invitee's.
    assert "Alex" in b.get("/parenting-plan/plan/").content.decode()
    assert "Sam" in a.get("/parenting-plan/plan/").content.decode()


def test_contact_details_in_a_suggestion_are_refused(client: Client) -> None:
    signed_in_starter(client)
    for text in ("Call me on 07700 900123", "email me at me@example.org", "Drop off at LE1 6ZG"):
        response = client.post("/parenting-plan/plan/living/", {"text": text})
        assert response.status_code == 400, text
        assert "govuk-error-summary" in response.content.decode()
    assert not PlanItem.objects.exists()


def test_another_plans_item_is_not_found(client: Client) -> None:
    signed_in_starter(client)
    other = ParentingPlan.objects.create()
    stranger = PlanParticipant.objects.create(
        plan=other, role="starter", email="x@example.org", name="X", joined_at=timezone.now()
    )
    theirs = services.item_propose(participant=stranger, section=Section.LIVING, text="Theirs")

    assert client.get(f"/parenting-plan/plan/items/{theirs.pk}/").status_code == 404
    assert (
        client.post(
            f"/parenting-plan/plan/items/{theirs.pk}/", {"action": "needs_help"}
        ).status_code
        == 404
    )
    theirs.refresh_from_db()
    assert theirs.status == ItemStatus.PROPOSED


# Leaving, review, exports ---------------------------------------------------------------------


def test_when_a_parent_leaves_the_other_keeps_only_what_was_agreed() -> None:
    a, b = Client(), Client()
    starter, invited = two_parents(a, b)
    a.post("/parenting-plan/plan/living/", {"text": "Alternate weekends with each parent"})
    a.post("/parenting-plan/plan/money/", {"text": "We split school trips half and half"})
    agreed = PlanItem.objects.get(section="living")
    b.post(f"/parenting-plan/plan/items/{agreed.pk}/", {"action": "agree"})

    response = a.post("/parenting-plan/plan/leave/")

    assert response["Location"] == "/parenting-plan/left/"
    assert a.get("/parenting-plan/plan/")["Location"] == "/parenting-plan/sign-in/"
    starter.refresh_from_db()
    assert starter.email == ""
    assert starter.left_at is not None
    page = b.get("/parenting-plan/plan/").content.decode()
    assert "has ended" in page
    summary = b.get("/parenting-plan/plan/summary/").content.decode()
    assert "Alternate weekends" in summary
    assert "school trips" not in summary
    # Nothing more is shared: no changes, no alerts.
    b.post("/parenting-plan/plan/money/", {"text": "A new idea"})
    assert PlanItem.objects.count() == 2
    with pytest.raises(services.PlanError):
        services.item_propose(participant=invited, section=Section.MONEY, text="More")


def test_the_review_reminder_goes_to_each_parent_once_on_the_day() -> None:
    a, b = Client(), Client()
    two_parents(a, b)
    day = timezone.localdate() + timedelta(days=30)
    response = a.post(
        "/parenting-plan/plan/review-date/",
        {"day": str(day.day), "month": str(day.month), "year": str(day.year)},
    )
    assert response.status_code == 302
    assert services.review_reminders_send() == 0

    with time_machine.travel(timezone.now() + timedelta(days=31)):
        from resources.plan.tasks import send_review_reminders

        assert send_review_reminders() == 2
        assert send_review_reminders() == 0

    reminders = OutboundMessage.objects.filter(idempotency_key__startswith="plan-review")
    assert sorted(reminders.values_list("to", flat=True)) == sorted([A_EMAIL, B_EMAIL])


def test_the_pdf_renders_and_holds_the_agreed_items() -> None:
    from resources.plan.pdf import drawn_text, summary_document
    from resources.plan.views import _summary_context

    a, b = Client(), Client()
    starter, _ = two_parents(a, b)
    a.post("/parenting-plan/plan/living/", {"text": "Alternate weekends with each parent"})
    a.post("/parenting-plan/plan/money/", {"text": "We split school trips half and half"})
    b.post(
        f"/parenting-plan/plan/items/{PlanItem.objects.get(section='living').pk}/",
        {"action": "agree"},
    )

    response = a.get("/parenting-plan/plan/summary.pdf")
    text = " ".join(
        drawn_text(summary_document(_summary_context(PlanParticipant.objects.get(pk=starter.pk))))
    )

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert len(response.content) > 2000
    assert "Alternate weekends with each parent" in text
    assert "Agreed" in text
    assert "Not agreed yet" in text
    assert A_EMAIL not in text
    assert B_EMAIL not in text


def test_the_child_friendly_summary_shows_only_what_is_agreed() -> None:
    a, b = Client(), Client()
    two_parents(a, b)
    a.post("/parenting-plan/plan/living/", {"text": "Alternate weekends with each parent"})
    a.post("/parenting-plan/plan/money/", {"text": "We split school trips half and half"})
    b.post(
        f"/parenting-plan/plan/items/{PlanItem.objects.get(section='living').pk}/",
        {"action": "agree"},
    )

    page = a.get("/parenting-plan/plan/for-children/").content.decode()

    assert "Where you live and when you see each parent" in page
    assert "Alternate weekends" in page
    assert "school trips" not in page


def test_a_plan_whose_first_link_is_never_used_is_erased(client: Client) -> None:
    start_plan(client)

    with time_machine.travel(timezone.now() + timedelta(days=2)):
        services.plans_erase_expired()

    assert not ParentingPlan.objects.exists()


# Bad input on every form: empty, oversized, hostile → error summary, nothing stored ----------

HOSTILE = ["", " ", "a" * 5000, "\x00", "\x7f", "x\x1b[31m"]


@pytest.mark.parametrize("value", HOSTILE)
def test_bad_input_on_every_form_shows_the_error_summary_and_stores_nothing(value: str) -> None:
    a = Client(raise_request_exception=False)
    starter = signed_in_starter(a)
    services.item_propose(participant=starter, section=Section.LIVING, text="Weekends")
    item = PlanItem.objects.get()
    counts = (
        PlanItem.objects.count(),
        PlanParticipant.objects.count(),
        OutboundMessage.objects.count(),
    )
    fresh = Client(raise_request_exception=False)
    fresh.post("/parenting-plan/safety/", SAFE)

    posts = [
        (
            Client(raise_request_exception=False),
            "/parenting-plan/safety/",
            {"danger-answer": value, "safety-answer": [value], "own-answer": value},
        ),
        (fresh, "/parenting-plan/new/", {"name": value, "email": value}),
        (fresh, "/parenting-plan/sign-in/", {"email": value}),
        (a, "/parenting-plan/plan/living/", {"text": value}),
        (a, f"/parenting-plan/plan/items/{item.pk}/", {"action": value, "text": value}),
        (a, f"/parenting-plan/plan/items/{item.pk}/", {"action": "revise", "text": value}),
        (a, "/parenting-plan/plan/invite/", {"email": value}),
        (a, "/parenting-plan/plan/review-date/", {"day": value, "month": "1", "year": "2030"}),
    ]  # fmt: skip
    for client, path, data in posts:
        response = client.post(path, data)
        assert response.status_code == 400, (path, value, response.status_code)
        assert "govuk-error-summary" in response.content.decode(), path

    assert (
        PlanItem.objects.count(),
        PlanParticipant.objects.count(),
        OutboundMessage.objects.count(),
    ) == counts
    item.refresh_from_db()
    assert item.text == "Weekends"


def test_markup_in_a_suggestion_is_shown_as_text(client: Client) -> None:
    signed_in_starter(client)

    client.post("/parenting-plan/plan/living/", {"text": "<script>alert(1)</script>"})
    body = client.get("/parenting-plan/plan/living/").content.decode()

    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body


@pytest.mark.parametrize("value", ["", "a" * 100, "\x00", "me@example.org", "07700 900123"])
def test_bad_names_on_joining_are_refused_and_nobody_joins(value: str) -> None:
    a, b = Client(), Client(raise_request_exception=False)
    signed_in_starter(a)
    a.post("/parenting-plan/plan/invite/", {"email": B_EMAIL})

    response = join_as_b(b, name=value)

    assert response.status_code == 400
    assert "govuk-error-summary" in response.content.decode()
    assert PlanParticipant.objects.get(email=B_EMAIL).joined_at is None


def test_a_review_date_in_the_past_or_not_a_date_is_refused(client: Client) -> None:
    signed_in_starter(client)
    for data in (
        {"day": "31", "month": "2", "year": "2030"},
        {"day": "1", "month": "1", "year": "2001"},
        {"day": "1", "month": "", "year": "2030"},
        {"day": "1", "month": "1", "year": "2199"},
    ):
        response = client.post("/parenting-plan/plan/review-date/", data)
        assert response.status_code == 400, data
    assert ParentingPlan.objects.get().review_on is None


TEXT = st.one_of(
    st.text(max_size=80),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=900, max_size=1200),
    st.sampled_from(["\x00", "a" * 5000, "²", "<b>x</b>", "' OR 1=1 --", "@", "9" * 30]),
)


@hypothesis_settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(text=TEXT, action=TEXT, name=TEXT, email=TEXT)
def test_no_plan_form_answers_500_and_a_refused_one_stores_nothing(
    text: str, action: str, name: str, email: str
) -> None:
    def clean(value: str) -> str:
        return value.encode("utf-8", "replace").decode("utf-8")

    client = Client(raise_request_exception=False)
    participant = PlanParticipant.objects.filter(email=A_EMAIL).first()
    if participant is None:  # the first example starts the plan; the others sign in again
        participant = signed_in_starter(client)
    else:
        _link, url = services._link_new(participant=participant, purpose="sign_in")
        open_link(client, url.rstrip("/").rsplit("/", 1)[-1])
    item = PlanItem.objects.filter(plan=participant.plan_id).first() or services.item_propose(
        participant=participant, section=Section.LIVING, text="Weekends"
    )
    for path, data in (
        ("/parenting-plan/plan/living/", {"text": clean(text)}),
        (f"/parenting-plan/plan/items/{item.pk}/", {"action": clean(action), "text": clean(text)}),
        ("/parenting-plan/plan/invite/", {"email": clean(email)}),
        ("/parenting-plan/sign-in/", {"email": clean(email)}),
    ):
        items_before = PlanItem.objects.count()
        messages_before = OutboundMessage.objects.count()
        response = client.post(path, data)
        assert response.status_code in {302, 400, 429}, (path, data, response.status_code)
        if response.status_code == 400:
            assert "govuk-error-summary" in response.content.decode()
            assert PlanItem.objects.count() == items_before
            assert OutboundMessage.objects.count() == messages_before


def test_the_plan_and_section_pages_take_the_same_queries_for_1_or_20_items(
    client: Client,
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    starter = signed_in_starter(client)

    def queries(path: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(path).status_code == 200
        return len(captured)

    services.item_propose(participant=starter, section=Section.LIVING, text="One")
    few = (queries("/parenting-plan/plan/"), queries("/parenting-plan/plan/living/"))
    for n in range(19):
        services.item_propose(participant=starter, section=Section.LIVING, text=f"Item {n}")

    assert (queries("/parenting-plan/plan/"), queries("/parenting-plan/plan/living/")) == few


def test_the_home_page_links_to_the_plan_and_the_plan_to_its_guide(client: Client) -> None:
    assert 'href="/parenting-plan/"' in client.get("/").content.decode()
    start = client.get("/parenting-plan/").content.decode()
    assert 'href="/resources/making-a-parenting-plan/"' in start
    assert 'href="/parenting-plan/safety/"' in start
