"""One table of helplines feeds the rules, the pages and the emails (issue 7 item 3)."""

import dataclasses
import re
from pathlib import Path

import pytest
from django.test import Client

from alliance.helplines import HELPLINES
from alliance.models import OutboundMessage
from tests.directory.factories import PublishedServiceFactory
from tests.referrals.test_get_help_views import SAFETY_ANSWERS, answer_all

ROOT = Path(__file__).resolve().parent.parent.parent
CHANGED = "0808 111 2222"


@pytest.fixture
def changed_number(monkeypatch: pytest.MonkeyPatch) -> str:
    """The domestic abuse helpline's number changes in the table, and only there."""
    line = HELPLINES["domestic_abuse"]
    monkeypatch.setitem(HELPLINES, "domestic_abuse", dataclasses.replace(line, number=CHANGED))
    return CHANGED


@pytest.mark.django_db
def test_a_number_changed_in_the_table_changes_on_every_page_that_shows_it(
    client: Client, changed_number: str
) -> None:
    no_results = client.get("/services/", {"q": "zzzzqqqq"}).content.decode()
    answer_all(client, SAFETY_ANSWERS)
    get_help = client.get("/get-help/your-results/").content.decode()

    for html in (no_results, get_help):
        assert changed_number in html
        assert "tel:08081112222" in html
        assert "0808 2000 247" not in html


@pytest.mark.django_db
def test_a_number_changed_in_the_table_changes_in_the_my_list_email(
    client: Client, changed_number: str, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    service = PublishedServiceFactory(name="Family mediation")
    client.post("/services/my-list/add/", {"service": service.pk, "next": "/services/"})
    client.get("/services/my-list/")
    token = client.session["my_list_email_token"]
    with django_capture_on_commit_callbacks(execute=False):
        client.post("/services/my-list/email/", {"email": "parent@example.com", "token": token})

    message = OutboundMessage.objects.get()
    assert changed_number in message.body_text
    assert changed_number in message.body_html
    assert "0808 2000 247" not in message.body_text + message.body_html


def test_every_line_says_who_it_is_for_when_it_is_open_and_whether_it_is_free() -> None:
    for line in HELPLINES.values():
        assert str(line.who_for).strip(), line.key
        assert str(line.hours).strip(), line.key
        assert isinstance(line.free, bool), line.key
        assert line.tel == re.sub(r"\D", "", line.number), line.key


def test_no_helpline_number_is_typed_anywhere_but_the_table() -> None:
    numbers = {line.number for line in HELPLINES.values() if len(line.tel) > 4}
    places = [
        *ROOT.glob("templates/**/*.html"),
        *ROOT.glob("templates/**/*.txt"),
        *(
            p
            for app in ("alliance", "directory", "referrals", "resources")
            for p in ROOT.glob(f"{app}/**/*.py")
        ),
    ]
    typed = {
        (str(path.relative_to(ROOT)), number)
        for path in places
        if path.name != "helplines.py"
        for number in numbers
        if number in path.read_text(encoding="utf-8")
    }
    assert typed == set()
