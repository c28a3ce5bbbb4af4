"""Problem reports from every service page, the contact page and its general message."""

import pytest
from django.test import Client

from alliance.models import OutboundMessage
from directory.models import ContactMessage, ProblemReport
from tests.conftest import sign_in
from tests.directory.factories import DraftServiceFactory, PublishedServiceFactory

pytestmark = pytest.mark.django_db


def test_a_problem_is_reported_confirmed_and_fixed_and_the_reporter_told_then_forgotten(
    client: Client, curator
) -> None:  # type: ignore[no-untyped-def]
    service = PublishedServiceFactory(email="listing@example.org")
    page = client.get(service.get_absolute_url()).content.decode()
    assert f"/services/{service.slug}/report-a-problem/" in page

    response = client.post(
        f"/services/{service.slug}/report-a-problem/",
        {"kind": "contact_wrong", "details": "The number rings out.", "email": "me@example.org"},
    )
    assert response.status_code == 200
    report = ProblemReport.objects.get()
    assert (report.kind, report.email, report.status) == ("contact_wrong", "me@example.org", "new")

    staff = Client()
    sign_in(staff, curator)
    assert "Problem reports: 1" in staff.get("/staff/curation/").content.decode()
    staff.post(f"/staff/curation/problems/{report.pk}/", {"action": "confirm"})
    told = OutboundMessage.objects.get(idempotency_key=f"directory-problem-confirmed:{report.pk}")
    assert told.to == "listing@example.org"
    assert "rings out" not in told.body_text

    staff.post(f"/staff/curation/problems/{report.pk}/", {"action": "fixed"})

    report.refresh_from_db()
    assert report.status == ProblemReport.Status.FIXED
    assert report.email == ""
    fixed = OutboundMessage.objects.get(idempotency_key=f"directory-problem-fixed:{report.pk}")
    assert (fixed.to, fixed.erase_after_send) == ("me@example.org", True)


def test_a_dismissed_report_erases_the_email_without_writing(client: Client, curator) -> None:  # type: ignore[no-untyped-def]
    service = PublishedServiceFactory()
    client.post(
        f"/services/{service.slug}/report-a-problem/",
        {"kind": "closed", "email": "me@example.org"},
    )
    report = ProblemReport.objects.get()
    sign_in(client, curator)
    client.post(f"/staff/curation/problems/{report.pk}/", {"action": "dismiss"})
    report.refresh_from_db()
    assert (report.status, report.email) == ("dismissed", "")
    assert not OutboundMessage.objects.exists()


def test_a_draft_has_no_report_page(client: Client) -> None:
    draft = DraftServiceFactory()
    assert client.get(f"/services/{draft.slug}/report-a-problem/").status_code == 404
    assert (
        client.post(f"/services/{draft.slug}/report-a-problem/", {"kind": "closed"}).status_code
        == 404
    )
    assert not ProblemReport.objects.exists()


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"kind": "nonsense"},
        {"kind": "other"},  # "something else" needs words
        {"kind": "closed", "details": "d" * 1001},
        {"kind": "closed", "details": "\x00"},
        {"kind": "closed", "email": "not-an-email"},
        {"kind": "closed", "email": "a" * 300 + "@example.org"},
        {"kind": "<script>alert(1)</script>"},
    ],
)
def test_bad_reports_are_refused_with_the_error_summary(client: Client, data: dict) -> None:  # type: ignore[type-arg]
    service = PublishedServiceFactory()
    response = client.post(f"/services/{service.slug}/report-a-problem/", data)
    assert response.status_code == 400
    assert "govuk-error-summary" in response.content.decode()
    assert not ProblemReport.objects.exists()


def test_reports_are_rate_limited_and_bots_are_ignored(client: Client, settings) -> None:  # type: ignore[no-untyped-def]
    settings.PUBLIC_FORMS_PER_HOUR = 2
    service = PublishedServiceFactory()
    url = f"/services/{service.slug}/report-a-problem/"
    assert client.post(url, {"kind": "closed", "nickname": "bot"}).status_code == 200
    assert not ProblemReport.objects.exists()
    assert client.post(url, {"kind": "closed"}).status_code == 200
    assert client.post(url, {"kind": "closed"}).status_code == 429
    assert ProblemReport.objects.count() == 1


def test_the_contact_page_routes_and_says_it_is_not_for_emergencies(client: Client) -> None:
    html = client.get("/contact/").content.decode()
    assert "not for emergencies" in html
    assert "999" in html
    assert "0808 2000 247" in html
    assert "/services/suggest/" in html
    assert "/contact/message/" in html
    assert 'href="/contact/"' in client.get("/").content.decode()  # the footer


def test_a_message_reaches_the_inbox_as_a_reference_only(client: Client, settings, curator) -> None:  # type: ignore[no-untyped-def]
    settings.ALLIANCE_INBOX_EMAIL = "inbox@alliance.example.org"
    response = client.post(
        "/contact/message/",
        {"name": "Pat", "email": "pat@example.org", "message": "When is the next forum?"},
    )
    assert response.status_code == 200
    item = ContactMessage.objects.get()
    email = OutboundMessage.objects.get()
    assert email.to == "inbox@alliance.example.org"
    assert item.reference in email.body_text
    assert "forum" not in email.body_text
    sign_in(client, curator)
    assert (
        "When is the next forum?"
        in client.get(f"/staff/curation/messages/{item.pk}/").content.decode()
    )
    client.post(f"/staff/curation/messages/{item.pk}/")
    item.refresh_from_db()
    assert item.handled_at is not None


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"name": "Pat", "email": "pat@example.org", "message": ""},
        {"name": "Pat", "email": "pat@example.org", "message": "m" * 2001},
        {"name": "n" * 121, "email": "pat@example.org", "message": "hi"},
        {"name": "Pat", "email": "bad", "message": "hi"},
        {"name": "Pat\x00", "email": "pat@example.org", "message": "hi"},
    ],
)
def test_bad_messages_are_refused(client: Client, data: dict) -> None:  # type: ignore[type-arg]
    response = client.post("/contact/message/", data)
    assert response.status_code == 400
    assert "govuk-error-summary" in response.content.decode()
    assert not ContactMessage.objects.exists()
    assert not OutboundMessage.objects.exists()


def test_messages_are_rate_limited(client: Client, settings) -> None:  # type: ignore[no-untyped-def]
    settings.PUBLIC_FORMS_PER_HOUR = 1
    data = {"name": "Pat", "email": "pat@example.org", "message": "hi"}
    assert client.post("/contact/message/", data).status_code == 200
    assert client.post("/contact/message/", data).status_code == 429
    assert ContactMessage.objects.count() == 1
