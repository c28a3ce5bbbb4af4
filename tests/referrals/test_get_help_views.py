"""The get-help check's pages: errors, tampering, start again, exit, and nothing kept."""

import logging
from typing import Any

import pytest
from django.test import Client

from referrals.signposting.steps import SESSION_KEY

pytestmark = pytest.mark.django_db

Answers = dict[str, dict[str, Any]]

SAFETY_ANSWERS: Answers = {
    "danger": {"answer": "no"},
    "safety": {"answer": ["me", "children"]},
    "own-behaviour": {"answer": "no"},
    "needs": {"answer": ["arrangements", "court_case"]},
    "ages": {"answer": "3, 7"},
    "postcode": {"answer": "sw1a1aa"},
    "modes": {"answer": ["phone"]},
}
COOPERATIVE_ANSWERS: Answers = {
    **SAFETY_ANSWERS,
    "safety": {"answer": ["none"]},
}
MINIMISING = ("alleged", "historical", "historic abuse", "high conflict", "high-conflict")


def answer_all(client: Client, answers: Answers) -> None:
    for slug, data in answers.items():
        response = client.post(f"/get-help/{slug}/", data)
        assert response.status_code == 302, (slug, response.content[:2000])


def test_the_start_page_explains_the_exit_control_and_that_nothing_is_stored(
    client: Client,
) -> None:
    response = client.get("/get-help/")
    text = response.content.decode()
    assert response.status_code == 200
    assert "Shift key 3 times" in text
    assert "we do not save your answers in our records" in text
    assert 'href="/get-help/danger/"' in text
    assert 'href="/exit/"' in text


def test_an_empty_answer_gets_the_error_summary(client: Client) -> None:
    response = client.post("/get-help/danger/", {})
    text = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in text
    assert '<a href="#id_answer_0">Select yes if you or anyone else is in danger right now' in text
    assert 'id="id_answer_0"' in text
    assert "govuk-form-group--error" in text
    assert "<title>" in text
    assert "Error:" in text


@pytest.mark.parametrize(
    ("slug", "data"),
    [
        ("danger", {"answer": "maybe"}),
        ("safety", {"answer": ["me", "the-moon"]}),
        ("own-behaviour", {"answer": ["yes", "no"]}),
        ("needs", {"answer": "<script>"}),
        ("modes", {"answer": ["teleport"]}),
        ("ages", {"answer": "three"}),
        ("ages", {"answer": "3, 70"}),
        ("ages", {"answer": "²"}),
        ("postcode", {"answer": "not a postcode"}),
    ],
)
def test_a_tampered_or_wrong_answer_is_asked_again_not_a_500(
    client: Client, slug: str, data: dict
) -> None:
    earlier = dict(list(COOPERATIVE_ANSWERS.items())[: list(COOPERATIVE_ANSWERS).index(slug)])
    answer_all(client, earlier)
    response = client.post(f"/get-help/{slug}/", data)
    assert response.status_code == 200
    assert "govuk-error-summary" in response.content.decode()
    assert slug not in client.session.get(SESSION_KEY, {})


def test_no_worries_together_with_a_worry_is_an_error(client: Client) -> None:
    answer_all(client, {"danger": {"answer": "no"}})
    response = client.post("/get-help/safety/", {"answer": ["none", "me"]})
    assert "govuk-error-summary" in response.content.decode()


@pytest.mark.parametrize(
    "path",
    [
        "/get-help/needs/",
        "/get-help/modes/",
        "/get-help/check-your-answers/",
        "/get-help/your-results/",
    ],
)
def test_a_later_step_reached_by_url_goes_back_to_the_first_unanswered(
    client: Client, path: str
) -> None:
    answer_all(client, {"danger": {"answer": "no"}})
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"] == "/get-help/safety/"
    # Posting to it is no shortcut either: the same detour, and nothing stored.
    response = client.post(path, {"answer": "arrangements"})
    assert response.status_code == 302
    assert response["Location"] == "/get-help/safety/"
    assert client.session[SESSION_KEY] == {"danger": "no"}


def test_an_unknown_step_is_not_found(client: Client) -> None:
    assert client.get("/get-help/nonsense/").status_code == 404


def test_a_stored_value_that_no_longer_parses_is_asked_again(client: Client) -> None:
    session = client.session
    session[SESSION_KEY] = {"danger": "perhaps", "safety": "me", "own-behaviour": ["no"]}
    session.save()
    response = client.get("/get-help/own-behaviour/")
    assert response["Location"] == "/get-help/danger/"


def test_immediate_danger_shows_only_the_emergency_page(client: Client) -> None:
    response = client.post("/get-help/danger/", {"answer": "yes"})
    assert response["Location"] == "/get-help/emergency/"
    for path in ("/get-help/safety/", "/get-help/check-your-answers/", "/get-help/your-results/"):
        assert client.get(path)["Location"] == "/get-help/emergency/"
    text = client.get("/get-help/emergency/").content.decode()
    assert "Call 999" in text
    assert "press 5 and then 5 again" in text
    assert "18000" in text
    for other in ("0808 2000 247", "Mediation", "Services near you", "0808 802 4040"):
        assert other not in text
    # Going back and changing the answer opens the rest of the check again.
    assert client.post("/get-help/danger/", {"answer": "no"})["Location"] == "/get-help/safety/"


def test_the_safety_journey_never_offers_joint_options(client: Client) -> None:
    answer_all(client, SAFETY_ANSWERS)
    check = client.get("/get-help/check-your-answers/").content.decode()
    assert "Yes, I am worried about my safety" in check
    assert "SW1A 1AA" in check
    assert "3, 7" in check
    response = client.get("/get-help/your-results/")
    text = response.content.decode()
    assert response.status_code == 200
    assert "0808 2000 247" in text
    assert "0808 800 5000" in text
    assert "You do not have to go to mediation" in text
    assert "Court orders that protect you" in text
    assert "Tell your Family Court Adviser" in text
    assert ">Mediation<" not in text
    assert "Make a parenting plan" not in text
    assert "Your answers are not saved in our records" in text
    assert not [word for word in MINIMISING if word in text.lower()]


def test_the_cooperative_journey_offers_the_plan_and_mediation(client: Client) -> None:
    answer_all(client, COOPERATIVE_ANSWERS)
    text = client.get("/get-help/your-results/").content.decode()
    assert "Make a parenting plan" in text
    assert ">Mediation<" in text
    assert "Planning Together for Children" in text
    assert "0808 2000 247" not in text


def test_own_behaviour_gets_the_respect_phoneline(client: Client) -> None:
    answer_all(client, {**COOPERATIVE_ANSWERS, "own-behaviour": {"answer": "not_sure"}})
    text = client.get("/get-help/your-results/").content.decode()
    assert "0808 802 4040" in text
    assert ">Mediation<" not in text


def test_change_from_check_your_answers_comes_back_to_it(client: Client) -> None:
    answer_all(client, COOPERATIVE_ANSWERS)
    page = client.get("/get-help/needs/?change=1").content.decode()
    assert 'href="/get-help/check-your-answers/"' in page  # the back link
    assert "checked" in page
    response = client.post("/get-help/needs/?change=1", {"answer": ["legal"]})
    assert response["Location"] == "/get-help/check-your-answers/"


def test_start_again_asks_first_and_a_get_clears_nothing(client: Client) -> None:
    answer_all(client, COOPERATIVE_ANSWERS)

    response = client.get("/get-help/start-again/")

    assert response.status_code == 200
    assert "Clear your answers and start again?" in response.content.decode()
    assert client.get("/get-help/your-results/").status_code == 200


def test_start_again_clears_the_answers(client: Client) -> None:
    answer_all(client, COOPERATIVE_ANSWERS)
    response = client.post("/get-help/start-again/")
    assert response["Location"] == "/get-help/"
    assert SESSION_KEY not in client.session
    assert client.get("/get-help/your-results/")["Location"] == "/get-help/danger/"


def test_exit_clears_the_whole_session(client: Client) -> None:
    answer_all(client, SAFETY_ANSWERS)
    session_key = client.session.session_key
    response = client.get("/exit/")
    assert response.status_code == 302
    from django.contrib.sessions.backends.cache import SessionStore

    assert session_key
    assert not SessionStore().exists(session_key)
    assert SESSION_KEY not in client.session
    assert client.get("/get-help/your-results/")["Location"] == "/get-help/danger/"


def test_pages_that_read_the_answers_are_never_cached(client: Client) -> None:
    answer_all(client, COOPERATIVE_ANSWERS)
    for path in (
        "/get-help/danger/",
        "/get-help/check-your-answers/",
        "/get-help/your-results/",
        "/get-help/emergency/",
    ):
        assert "no-store" in client.get(path)["Cache-Control"], path


def test_answering_touches_neither_the_database_nor_the_logs(
    client: Client, django_assert_num_queries, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    with django_assert_num_queries(0):
        answer_all(client, SAFETY_ANSWERS)
        client.get("/get-help/check-your-answers/")
    logged = "\n".join(record.getMessage() for record in caplog.records)
    for secret in ("SW1A", "sw1a", "court_case", "arrangements", "children"):
        assert secret not in logged


def test_no_minimising_words_about_abuse_in_the_check() -> None:
    """DESIGN.md rule 5: never "alleged", "historical" or "high conflict" about abuse."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    files = [*root.glob("templates/referrals/get_help/*.html"), *root.glob("referrals/*.py")]
    assert len(files) > 10
    for path in files:
        text = path.read_text(encoding="utf-8").lower()
        assert not [word for word in MINIMISING if word in text], path
