"""My list: kept in the session only; emailed through the outbox, address wiped once sent."""

import pytest
from django.test import Client

from alliance.models import AuditEvent, OutboundMessage
from alliance.services import message_deliver
from tests.directory.factories import DraftServiceFactory, PublishedServiceFactory

pytestmark = pytest.mark.django_db


def save(client: Client, service_id: object, next_url: str = "/services/") -> object:
    return client.post("/services/my-list/add/", {"service": service_id, "next": next_url})


def test_saving_keeps_the_service_ids_in_the_session_only(client: Client) -> None:
    first, second = PublishedServiceFactory(name="First"), PublishedServiceFactory(name="Second")
    before = OutboundMessage.objects.count(), AuditEvent.objects.count()

    response = save(client, first.pk, "/services/?q=mediation")
    save(client, second.pk)
    save(client, first.pk)

    assert response.status_code == 302
    assert response["Location"] == "/services/?q=mediation"
    assert client.session["my_list"] == [second.pk, first.pk]
    assert (OutboundMessage.objects.count(), AuditEvent.objects.count()) == before
    html = client.get("/services/my-list/").content.decode()
    assert "First" in html
    assert "Second" in html
    assert "Remove from my list" in html


def test_the_results_show_a_saved_service_as_saved(client: Client) -> None:
    service = PublishedServiceFactory(name="Family mediation")
    save(client, service.pk)

    html = client.get("/services/", {"q": "mediation"}).content.decode()

    assert "Remove from my list" in html
    assert "Save to my list" not in html


def test_removing_a_service(client: Client) -> None:
    service = PublishedServiceFactory()
    save(client, service.pk)

    client.post("/services/my-list/remove/", {"service": service.pk})

    assert client.session["my_list"] == []


@pytest.mark.parametrize("value", ["abc", "", "999999"])
def test_saving_nonsense_or_a_missing_service_is_refused_politely(
    client: Client, value: str
) -> None:
    response = save(client, value)

    assert response.status_code == 302
    assert client.session.get("my_list", []) == []


def test_a_draft_cannot_be_saved(client: Client) -> None:
    save(client, DraftServiceFactory().pk)

    assert client.session.get("my_list", []) == []


def test_saving_never_redirects_to_another_site(client: Client) -> None:
    response = save(client, PublishedServiceFactory().pk, "https://evil.example.com/")

    assert response["Location"] == "/services/my-list/"


def test_exit_forgets_the_list(client: Client) -> None:
    save(client, PublishedServiceFactory().pk)

    client.get("/exit/")

    assert "my_list" not in client.session


def test_the_print_page_lists_the_saved_services(client: Client) -> None:
    save(client, PublishedServiceFactory(name="Contact centre", phone="0116 496 0000").pk)

    html = client.get("/services/my-list/print/").content.decode()

    assert "Contact centre" in html
    assert "0116 496 0000" in html


def test_emailing_the_list_goes_through_the_outbox_and_leaves_no_address(
    client: Client, django_capture_on_commit_callbacks, mailoutbox
) -> None:  # type: ignore[no-untyped-def]
    service = PublishedServiceFactory(name="Family mediation", phone="0116 496 0101")
    save(client, service.pk)
    client.get("/services/my-list/")
    token = client.session["my_list_email_token"]

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(
            "/services/my-list/email/", {"email": "parent@example.com", "token": token}
        )
        again = client.post(
            "/services/my-list/email/", {"email": "parent@example.com", "token": token}
        )

    assert response.status_code == 302
    assert again.status_code == 302
    assert len(callbacks) == 1, "a double-submitted form queues one email"
    message = OutboundMessage.objects.get()
    assert message.to == "parent@example.com"
    assert message.erase_after_send is True
    assert "Family mediation" in message.body_text
    assert "&#x27;" not in message.body_text

    assert message_deliver(message_id=message.pk) is True

    assert [m.to for m in mailoutbox] == [["parent@example.com"]]
    message.refresh_from_db()
    assert message.status == OutboundMessage.Status.SENT
    assert (message.to, message.body_text, message.body_html) == ("", "", "")
    assert not OutboundMessage.objects.filter(to__icontains="parent@").exists()
    assert not AuditEvent.objects.filter(detail__icontains="parent@").exists()


def test_the_email_form_cannot_be_used_to_flood_an_inbox(client: Client, settings) -> None:
    settings.MY_LIST_EMAILS_PER_HOUR = 3
    save(client, PublishedServiceFactory().pk)

    statuses = []
    for n in range(4):
        client.get("/services/my-list/")
        token = client.session["my_list_email_token"]
        response = client.post(
            "/services/my-list/email/", {"email": f"someone{n}@example.com", "token": token}
        )
        statuses.append(response.status_code)

    assert statuses == [302, 302, 302, 429]
    assert "emailed your list several times" in response.content.decode()
    assert "govuk-error-summary" in response.content.decode()
    assert OutboundMessage.objects.count() == 3


@pytest.mark.parametrize("email", ["", "not-an-email", "a@b"])
def test_a_bad_email_address_gets_a_message(client: Client, email: str) -> None:
    save(client, PublishedServiceFactory().pk)

    response = client.post("/services/my-list/email/", {"email": email, "token": "x" * 20})

    assert response.status_code == 400
    assert "govuk-error-summary" in response.content.decode()
    assert not OutboundMessage.objects.exists()


def test_an_empty_list_is_not_emailed(client: Client) -> None:
    response = client.post("/services/my-list/email/", {"email": "p@example.com"})

    assert response.status_code == 302
    assert not OutboundMessage.objects.exists()
