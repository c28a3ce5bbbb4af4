"""Hostile input to every curation form: never a 500, and nothing stored from a refusal."""

import pytest
from django.core.cache import cache
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from directory.models import ContactMessage, ProblemReport, Suggestion
from tests.directory.curation_helpers import ANSWERS
from tests.directory.factories import CategoryFactory, PublishedServiceFactory
from tests.test_fuzz_pages import FUZZ, HOSTILE

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

# A form post is UTF-8: a lone surrogate cannot be sent at all (the test client refuses it).
POSTABLE = HOSTILE.filter(lambda text: not any(0xD800 <= ord(c) <= 0xDFFF for c in text))
STEP_FIELDS = {step: [*answers, "nickname"] for step, answers in ANSWERS.items()}
STEP_FIELDS["about"].append("category")


def fields(names: list[str]) -> st.SearchStrategy[dict[str, str]]:
    return st.fixed_dictionaries({}, optional={name: POSTABLE for name in names})


@FUZZ
@given(step=st.sampled_from(list(STEP_FIELDS)), data=st.data())
def test_no_suggestion_step_answers_500(step: str, data: st.DataObject) -> None:
    cache.clear()
    category = CategoryFactory(slug="mediation")
    client = Client()
    for earlier in list(STEP_FIELDS)[: list(STEP_FIELDS).index(step)]:
        answers = {**ANSWERS[earlier], **({"category": category.pk} if earlier == "about" else {})}
        client.post(f"/services/suggest/{earlier}/", answers)
    posted = data.draw(fields(STEP_FIELDS[step]))
    response = client.post(f"/services/suggest/{step}/", posted)
    assert response.status_code < 500
    assert not Suggestion.objects.exists()


@FUZZ
@given(posted=fields(["kind", "details", "email", "nickname"]))
def test_no_problem_report_answers_500(posted: dict[str, str]) -> None:
    cache.clear()
    service = PublishedServiceFactory()
    response = Client().post(f"/services/{service.slug}/report-a-problem/", posted)
    assert response.status_code < 500
    if response.status_code != 200:
        assert not ProblemReport.objects.exists()


@FUZZ
@given(posted=fields(["name", "email", "message", "nickname"]))
def test_no_contact_message_answers_500(posted: dict[str, str]) -> None:
    cache.clear()
    response = Client().post("/contact/message/", posted)
    assert response.status_code < 500
    if response.status_code != 200:
        assert not ContactMessage.objects.exists()


@FUZZ
@given(match=POSTABLE)
def test_no_duplicate_answer_answers_500(match: str) -> None:
    cache.clear()
    category = CategoryFactory(slug="mediation")
    PublishedServiceFactory(name=ANSWERS["service"]["service_name"])
    client = Client()
    for step, answers in ANSWERS.items():
        client.post(
            f"/services/suggest/{step}/",
            {**answers, **({"category": category.pk} if step == "about" else {})},
        )
    assert client.post("/services/suggest/similar/", {"match": match}).status_code < 500
    assert client.post("/services/suggest/check/").status_code < 500
