"""Reviews keep listings fresh: three reminders weeks apart, then stale, then verified by a
signed single-use link that expires (issue 11, item 4), with the clock moved forward."""

import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.test import Client

from alliance.models import AuditEvent, OutboundMessage
from directory import curation_services
from directory.models import Service, ServiceReview
from tests.conftest import sign_in
from tests.directory.factories import PublishedServiceFactory

pytestmark = pytest.mark.django_db

CHECKED = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
LINK = re.compile(r"/services/review/([^/\s\"]+)/")


def reminders() -> list[OutboundMessage]:
    return list(
        OutboundMessage.objects.filter(idempotency_key__startswith="directory-review:").order_by(
            "pk"
        )
    )


def run_at(when: datetime) -> dict[str, int]:
    with time_machine.travel(when, tick=False):
        return curation_services.reviews_run()


@pytest.fixture
def listing() -> Service:
    return PublishedServiceFactory(
        name="Oakham contact centre",
        email="centre@example.org",
        last_verified_at=CHECKED,
        review_interval_months=6,
    )


def test_reminders_escalate_once_each_then_the_listing_is_stale_until_the_link_verifies_it(
    client: Client, listing: Service
) -> None:
    due = datetime(2026, 7, 5, 9, 0, tzinfo=UTC)
    first = due - timedelta(weeks=2)

    run_at(first - timedelta(days=1))
    assert reminders() == []

    run_at(first)
    run_at(first + timedelta(hours=3))  # the daily run repeated: nothing sent twice
    assert [m.to for m in reminders()] == ["centre@example.org"]
    assert "Reminder" not in reminders()[0].subject

    run_at(first + timedelta(weeks=2))
    assert len(reminders()) == 1
    run_at(first + timedelta(weeks=3))
    run_at(first + timedelta(weeks=3, days=1))
    assert len(reminders()) == 2
    assert reminders()[1].subject.startswith("Reminder")
    run_at(first + timedelta(weeks=6))
    assert len(reminders()) == 3
    assert reminders()[2].subject.startswith("Urgent")
    listing.refresh_from_db()
    assert listing.stale_since is None

    stale_at = first + timedelta(weeks=9)
    run_at(stale_at)
    run_at(stale_at + timedelta(days=1))
    listing.refresh_from_db()
    assert listing.stale_since == stale_at
    assert len(reminders()) == 3
    assert AuditEvent.objects.filter(action="service.stale").count() == 1
    with time_machine.travel(stale_at + timedelta(days=2), tick=False):
        page = client.get(listing.get_absolute_url()).content.decode()
    assert "Last checked over 7 months ago" in page

    token = LINK.search(reminders()[2].body_text).group(1)
    verified_at = stale_at + timedelta(days=3)
    with time_machine.travel(verified_at, tick=False):
        shown = client.get(f"/services/review/{token}/")
        assert shown.status_code == 200
        assert "These details are still correct" in shown.content.decode()
        listing.refresh_from_db()
        assert listing.stale_since is not None  # a GET (a link scanner) changes nothing
        done = client.post(f"/services/review/{token}/")
        assert done.status_code == 200
        again = client.post(f"/services/review/{token}/")
        assert again.status_code == 404
        assert client.get(f"/services/review/{token}/").status_code == 404

    listing.refresh_from_db()
    assert listing.stale_since is None
    assert listing.last_verified_at == verified_at
    assert "Last checked over" not in client.get(listing.get_absolute_url()).content.decode()
    assert AuditEvent.objects.filter(
        action="service.verify", object_id=str(listing.pk), detail__via="review_link"
    ).exists()
    # The next round starts from the new check, six months on.
    run_at(verified_at + timedelta(days=30))
    assert len(reminders()) == 3


def test_a_review_link_expires(client: Client, listing: Service, settings) -> None:  # type: ignore[no-untyped-def]
    settings.REVIEW_LINK_DAYS = 42
    sent = datetime(2026, 6, 21, 9, 0, tzinfo=UTC)
    run_at(sent)
    token = LINK.search(reminders()[0].body_text).group(1)

    with time_machine.travel(sent + timedelta(days=43), tick=False):
        assert client.get(f"/services/review/{token}/").status_code == 404
        assert client.post(f"/services/review/{token}/").status_code == 404
    listing.refresh_from_db()
    assert listing.last_verified_at == CHECKED
    with time_machine.travel(sent + timedelta(days=41), tick=False):
        assert client.post(f"/services/review/{token}/").status_code == 200


@pytest.mark.parametrize(
    "token",
    ["nonsense", "x" * 3000, "eyJyIjoxLCJuIjoiYSJ9:1tZz:forged", "%00", "..%2F..%2Fetc"],
)
def test_a_forged_or_broken_review_link_is_refused(
    client: Client, listing: Service, token: str
) -> None:
    run_at(datetime(2026, 6, 21, 9, 0, tzinfo=UTC))
    assert client.post(f"/services/review/{token}/").status_code == 404
    assert ServiceReview.objects.get().completed_at is None


def test_a_curator_marking_it_checked_ends_the_review_and_the_staleness(
    listing: Service, curator
) -> None:  # type: ignore[no-untyped-def]
    from directory import services

    for weeks in (0, 3, 6, 9):
        run_at(datetime(2026, 6, 21, 9, 0, tzinfo=UTC) + timedelta(weeks=weeks))
    listing.refresh_from_db()
    assert listing.stale_since is not None

    services.services_mark_verified(actor=curator, service_ids=[listing.pk])

    listing.refresh_from_db()
    assert listing.stale_since is None
    assert ServiceReview.objects.get().completed_at is not None


def test_the_queue_lists_reviews_due_and_stale_listings(
    client: Client, listing: Service, curator
) -> None:  # type: ignore[no-untyped-def]
    run_at(datetime(2026, 6, 21, 9, 0, tzinfo=UTC))
    stale = PublishedServiceFactory(name="Long unchecked", stale_since=CHECKED)
    sign_in(client, curator)
    html = client.get("/staff/curation/").content.decode()
    assert "Reviews due: 0" in html
    assert "Reviews overdue: 1" in html  # it fell due in July
    assert "Stale listings: 1" in html
    assert stale.name in html


def test_a_stale_listing_is_labelled_in_search_results(client: Client) -> None:
    PublishedServiceFactory(name="Stale mediation", last_verified_at=CHECKED, stale_since=CHECKED)
    PublishedServiceFactory(name="Fresh mediation", last_verified_at=CHECKED)
    with time_machine.travel(datetime(2026, 9, 10, tzinfo=UTC), tick=False):
        html = client.get("/services/", {"q": "mediation"}).content.decode()
    assert html.count("Last checked over 8 months ago") == 1


def test_the_urgent_reminder_is_copied_to_the_organisations_staff(
    listing: Service, provider_staff
) -> None:  # type: ignore[no-untyped-def]
    from directory.models import OrganisationMembership

    OrganisationMembership.objects.create(user=provider_staff, organisation=listing.organisation)
    for weeks in (0, 3, 6):
        run_at(datetime(2026, 6, 21, 9, 0, tzinfo=UTC) + timedelta(weeks=weeks))
    assert [m.to for m in reminders()] == [
        "centre@example.org",
        "centre@example.org",
        "centre@example.org",
        provider_staff.email,
    ]
    assert f"/services/provider-edits/{listing.slug}/" in reminders()[-1].body_text


def test_practitioners_details_are_erased_after_the_retention_period(settings) -> None:  # type: ignore[no-untyped-def]
    from directory.models import ContactMessage, Suggestion
    from tests.directory.test_curation_queue import make_suggestion

    settings.PERSONAL_DATA_RETENTION_DAYS = 30
    old = make_suggestion(decided_at=CHECKED, status="rejected")
    recent = make_suggestion(service_name="Recent", decided_at=CHECKED + timedelta(days=25))
    undecided = make_suggestion(service_name="Waiting")
    ContactMessage.objects.create(
        name="Pat", email="p@example.org", message="hi", handled_at=CHECKED
    )
    ContactMessage.objects.create(name="Sam", email="s@example.org", message="hi")

    with time_machine.travel(CHECKED + timedelta(days=40), tick=False):
        assert curation_services.curation_personal_data_erase() == 2

    old.refresh_from_db()
    assert (old.practitioner_email, old.practitioner_name, old.service_name) == (
        "",
        "",
        old.service_name,
    )
    assert Suggestion.objects.get(pk=recent.pk).practitioner_email == "sam@example.org"
    assert Suggestion.objects.get(pk=undecided.pk).practitioner_email == "sam@example.org"
    assert list(ContactMessage.objects.values_list("name", flat=True)) == ["Sam"]
