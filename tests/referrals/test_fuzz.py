"""Hostile input to every referral page and form, signed in as the person it is for: never a
500, nothing stored from a refused form (the site-wide fuzz reaches these only anonymously)."""

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from referrals.links import parent_token
from referrals.models import Case, Cohort, Referral
from tests.conftest import sign_in
from tests.referrals.support import cohort, make_case, postcodes, provider, sent
from tests.test_fuzz_pages import HOSTILE, _clean_text

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

FUZZ = settings(
    max_examples=6,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
FIELDS = [
    "programme", "court", "case_number", "first_hearing_on", "route", "order_date",
    "issuing_court", "a_name", "a_email", "a_postcode", "b_name", "b_email", "b_postcode",
    "a_preferred_language", "decision", "reason", "cohort", "attended", "availability",
    "offering", "starts_on", "starts_time", "mode", "capacity", "return-reason",
]  # fmt: skip


@pytest.fixture
def world(fca, provider_staff):  # type: ignore[no-untyped-def]
    postcodes()
    offering = provider(staff=provider_staff)
    cohort(offering)
    cohort(offering, days=8)
    a, _b = sent(fca)
    draft = make_case(fca)
    # Signed in once: a TOTP code is accepted once per time step, so not once per example.
    clients = {}
    for who, user in (("fca", fca), ("provider", provider_staff)):
        clients[who] = Client(raise_request_exception=False)
        sign_in(clients[who], user)
    return {"clients": clients, "a": a, "draft": draft}


def _pages(world):  # type: ignore[no-untyped-def]
    a, case, draft = world["a"], world["a"].case, world["draft"]
    fca_pages = [
        "/referrals/",
        "/referrals/cases/new/",
        f"/referrals/cases/{case.pk}/",
        f"/referrals/cases/{draft.pk}/submit/",
        f"/referrals/cases/{draft.pk}/to-court/",
        f"/referrals/cases/{draft.pk}/court-decision/",
        f"/referrals/cases/{case.pk}/referrals/{a.pk}/retry/",
    ]
    provider_pages = [
        "/provider/",
        "/provider/cohorts/",
        f"/provider/referrals/{a.pk}/",
        *[
            f"/provider/referrals/{a.pk}/{action}/"
            for action in ("decline", "book", "attendance", "return", "nonsense")
        ],
    ]
    return fca_pages, provider_pages


@FUZZ
@given(data=st.dictionaries(st.sampled_from(FIELDS), HOSTILE, max_size=8))
def test_no_referral_page_answers_500_to_hostile_input(world, data) -> None:
    clean = {k: _clean_text(v) for k, v in data.items()}
    fca_pages, provider_pages = _pages(world)
    counts = (Case.objects.count(), Cohort.objects.count())
    for who, pages in (("fca", fca_pages), ("provider", provider_pages)):
        client = world["clients"][who]
        for path in pages:
            assert client.get(path, clean).status_code < 500, path
            assert client.post(path, clean).status_code < 500, path
    parent = Client(raise_request_exception=False)
    url = f"/referrals/parent/{parent_token(world['a'].reference)}/"
    assert parent.post(url, clean).status_code < 500
    assert (Case.objects.count(), Cohort.objects.count()) <= (counts[0] + 1, counts[1] + 1)
    assert not any("\x00" in name for name in Referral.objects.values_list("name", flat=True))
