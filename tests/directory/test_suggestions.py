"""Practitioner suggestions: the steps, the duplicate check, spam limits and bad input."""

import pytest
from django.test import Client

from alliance.models import AuditEvent, OutboundMessage
from directory.models import Suggestion
from tests.directory.curation_helpers import ANSWERS, walk_suggestion
from tests.directory.factories import CategoryFactory, OrganisationFactory, PublishedServiceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def mediation():  # type: ignore[no-untyped-def]
    return CategoryFactory(slug="mediation", name="Family mediation")


def test_a_practitioner_suggests_a_new_service_and_is_emailed_a_reference(
    client: Client, mediation
) -> None:  # type: ignore[no-untyped-def]
    response = walk_suggestion(client, mediation)
    assert response["Location"] == "/services/suggest/similar/"
    # Nothing similar is listed, so the duplicate check goes straight on.
    assert client.get("/services/suggest/similar/")["Location"] == "/services/suggest/check/"
    check = client.get("/services/suggest/check/").content.decode()
    assert "Rutland Family Mediation" in check
    assert "Family mediation" in check
    assert not Suggestion.objects.exists()

    response = client.post("/services/suggest/check/")

    assert response["Location"] == "/services/suggest/done/"
    suggestion = Suggestion.objects.get()
    assert suggestion.status == Suggestion.Status.NEW
    assert suggestion.category == mediation
    assert suggestion.practitioner_email == "sam.taylor@council.example.org"
    assert suggestion.correction_to is None
    done = client.get("/services/suggest/done/").content.decode()
    assert suggestion.reference in done
    email = OutboundMessage.objects.get(idempotency_key__startswith="directory-suggestion-received")
    assert email.to == "sam.taylor@council.example.org"
    assert suggestion.reference in email.body_text
    # No personal or case detail in the email: the reference only.
    assert "Rutland" not in email.body_text
    assert AuditEvent.objects.filter(action="suggestion.submit").count() == 1
    assert "suggestion" not in client.session


def test_the_duplicate_check_offers_similar_listings_and_turns_a_match_into_a_correction(
    client: Client, mediation
) -> None:  # type: ignore[no-untyped-def]
    existing = PublishedServiceFactory(
        name="Rutland Family Mediation Service",
        organisation=OrganisationFactory(name="Rutland Mediation"),
    )
    by_host = PublishedServiceFactory(
        name="Something else entirely", website="https://www.rutland-mediation.example.org/x"
    )
    PublishedServiceFactory(name="Citizens Advice Leicester")
    walk_suggestion(client, mediation)

    page = client.get("/services/suggest/similar/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Rutland Family Mediation Service" in html
    assert "Something else entirely" in html  # the same website host
    assert "Citizens Advice Leicester" not in html

    response = client.post("/services/suggest/similar/", {"match": str(existing.pk)})
    assert response["Location"] == "/services/suggest/check/"
    client.post("/services/suggest/check/")

    suggestion = Suggestion.objects.get()
    assert suggestion.correction_to == existing
    assert by_host.pk != existing.pk


def test_the_duplicate_check_must_be_answered(client: Client, mediation) -> None:  # type: ignore[no-untyped-def]
    PublishedServiceFactory(name="Rutland Family Mediation")
    walk_suggestion(client, mediation)
    for bad in ({}, {"match": "99999"}, {"match": "<script>"}):
        response = client.post("/services/suggest/similar/", bad)
        assert response.status_code == 400
        assert "govuk-error-summary" in response.content.decode()
    assert not Suggestion.objects.exists()


def test_a_later_step_cannot_be_reached_before_the_earlier_ones(client: Client) -> None:
    assert client.get("/services/suggest/why/")["Location"] == "/services/suggest/service/"
    assert client.get("/services/suggest/check/")["Location"] == "/services/suggest/service/"
    assert client.post("/services/suggest/check/")["Location"] == "/services/suggest/service/"
    assert client.get("/services/suggest/nonsense/").status_code == 404
    assert not Suggestion.objects.exists()


HOSTILE = "Robert'); DROP TABLE suggestion;--\x00\x1b[31m"


@pytest.mark.parametrize(
    ("step", "field", "value", "message"),
    [
        ("service", "organisation_name", "", "Enter the name of the organisation"),
        ("service", "service_name", "   ", "Enter the name of the service"),
        ("service", "organisation_name", "x" * 201, "200 characters or fewer"),
        ("service", "organisation_name", HOSTILE, "Remove the special characters"),
        ("service", "website", "javascript:alert(1)", "correct format"),
        ("service", "website", "https://" + "a" * 300 + ".org", "300 characters or fewer"),
        ("about", "offers", "", "Enter what the service offers"),
        ("about", "offers", "y" * 2001, "2000 characters or fewer"),
        ("about", "category", "", "Choose the type of help"),
        ("about", "category", "99999", "Choose the type of help"),
        ("about", "category", "1 OR 1=1", "Choose the type of help"),
        ("about", "area", "<script>alert(1)</script>" * 20, "200 characters or fewer"),
        ("why", "reason", "", "Enter why it should be part of the alliance"),
        ("why", "reason", "\x07bell", "Remove the special characters"),
        ("you", "practitioner_email", "", "Enter an email address"),
        ("you", "practitioner_email", "not-an-email", "correct format"),
        ("you", "practitioner_email", "a" * 250 + "@example.org", "254 characters or fewer"),
        ("you", "practitioner_name", "n" * 121, "120 characters or fewer"),
    ],
)
def test_every_step_refuses_empty_oversized_and_hostile_answers(
    client: Client, mediation, step: str, field: str, value: str, message: str
) -> None:  # type: ignore[no-untyped-def]
    steps = list(ANSWERS)
    for earlier in steps[: steps.index(step)]:
        data = dict(ANSWERS[earlier])
        if earlier == "about":
            data["category"] = mediation.pk
        assert client.post(f"/services/suggest/{earlier}/", data).status_code == 302
    data = dict(ANSWERS[step])
    if step == "about":
        data["category"] = mediation.pk
    data[field] = value

    response = client.post(f"/services/suggest/{step}/", data)

    html = response.content.decode()
    assert response.status_code == 400
    assert "govuk-error-summary" in html
    assert message in html
    assert step not in client.session.get("suggestion", {})
    assert not Suggestion.objects.exists()


def test_a_bot_that_fills_the_hidden_field_is_thanked_and_nothing_is_stored(
    client: Client, mediation
) -> None:  # type: ignore[no-untyped-def]
    walk_suggestion(client, mediation, you={"nickname": "spam"})
    client.get("/services/suggest/similar/")
    response = client.post("/services/suggest/check/")
    assert response["Location"] == "/services/suggest/done/"
    assert not Suggestion.objects.exists()
    assert not OutboundMessage.objects.exists()


def test_one_address_can_send_only_a_few_suggestions_a_day(
    client: Client, mediation, settings
) -> None:  # type: ignore[no-untyped-def]
    settings.SUGGESTIONS_PER_ADDRESS_PER_DAY = 2
    settings.PUBLIC_FORMS_PER_HOUR = 100
    statuses = []
    for n in range(3):
        visitor = Client(REMOTE_ADDR=f"10.0.0.{n + 1}")  # three visitors, one address
        walk_suggestion(visitor, mediation)
        visitor.get("/services/suggest/similar/")
        statuses.append(visitor.post("/services/suggest/check/").status_code)
    assert statuses == [302, 302, 429]
    assert Suggestion.objects.count() == 2


def test_one_visitor_can_send_only_a_few_suggestions_an_hour(
    client: Client, mediation, settings
) -> None:  # type: ignore[no-untyped-def]
    settings.PUBLIC_FORMS_PER_HOUR = 1
    statuses = []
    for n in range(2):
        walk_suggestion(client, mediation, you={"practitioner_email": f"p{n}@example.org"})
        client.get("/services/suggest/similar/")
        statuses.append(client.post("/services/suggest/check/").status_code)
    assert statuses == [302, 429]
    assert Suggestion.objects.count() == 1
