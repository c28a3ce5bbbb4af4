"""Done when: a suggestion made, found in the queue, accepted into a draft, and the
practitioner emailed, through the real outbox and a real Celery worker."""

from pathlib import Path

import pytest
from django.test import Client

from alliance.models import OutboundMessage
from directory.models import Service, Suggestion
from tests.conftest import sign_in
from tests.directory.curation_helpers import walk_suggestion
from tests.directory.factories import CategoryFactory
from tests.support.worker import sent_copies, wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_a_suggestion_is_made_queued_accepted_and_the_practitioner_emailed(
    worker_env, start_worker, curator
) -> None:  # type: ignore[no-untyped-def]
    mail_dir = Path(worker_env["EMAIL_FILE_PATH"])
    start_worker()
    mediation = CategoryFactory(slug="mediation", name="Family mediation")
    practitioner = Client()
    walk_suggestion(practitioner, mediation)
    practitioner.get("/services/suggest/similar/")
    assert practitioner.post("/services/suggest/check/").status_code == 302
    suggestion = Suggestion.objects.get()
    received = f"directory-suggestion-received:{suggestion.pk}"
    wait_for(
        lambda: OutboundMessage.objects.get(idempotency_key=received).status == "sent",
        60,
        "the confirmation email",
    )
    assert sent_copies(mail_dir, received) == 1

    staff = Client()
    sign_in(staff, curator)
    queue = staff.get("/staff/curation/").content.decode()
    assert "New suggestions: 1" in queue
    assert suggestion.reference in queue
    staff.post(f"/staff/curation/suggestions/{suggestion.pk}/", {"action": "accept"})

    service = Service.objects.get(name="Rutland Family Mediation")
    assert service.status == Service.Status.DRAFT
    decided = f"directory-suggestion-decided:{suggestion.pk}"
    wait_for(
        lambda: OutboundMessage.objects.get(idempotency_key=decided).status == "sent",
        60,
        "the decision email",
    )
    assert sent_copies(mail_dir, decided) == 1
    mail = "".join(p.read_text() for p in mail_dir.glob("*.log"))
    assert "sam.taylor@council.example.org" in mail
    assert suggestion.reference in mail
    assert "New suggestions: 0" in staff.get("/staff/curation/").content.decode()
