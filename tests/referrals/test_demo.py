"""The referral demo: a newcomer signing in as the demo FCA or provider sees a working area."""

import io

import pytest
from django.core.management import call_command
from django.test import Client

from alliance.models import User
from directory.models import OrganisationMembership
from referrals.demo import PROVIDER_SLUG
from referrals.models import Case, Cohort, Programme, Referral, Status
from tests.conftest import PASSWORD, sign_in

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def _counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in (Programme, Cohort, Case, Referral)}


def test_the_demo_has_programmes_a_provider_and_cases_in_every_state(settings) -> None:
    settings.DEMO_MODE = True
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    assert "demo cases for fca@demo.invalid" in out.getvalue()
    first = _counts()
    call_command("seed_demo", stdout=io.StringIO())
    assert _counts() == first

    spip = Programme.objects.get(code="SPIP")
    assert str(spip.active_to) == "2023-03-29"
    assert {"PTFC", "WT4C"} <= set(Programme.objects.values_list("code", flat=True))
    provider = User.objects.get(email="provider@demo.invalid")
    assert OrganisationMembership.objects.filter(
        user=provider, organisation__slug=PROVIDER_SLUG
    ).exists()
    states = set(Referral.objects.values_list("status", flat=True))
    assert states >= {
        Status.DRAFT,
        Status.UNALLOCATED,
        Status.SENT,
        Status.ACCEPTED,
        Status.BOOKED,
        Status.COMPLETED,
        Status.DID_NOT_ATTEND,
        Status.DECLINED,
        Status.WITHDRAWN,
        Status.ATTENDED,
        Status.RETURNED_UNSUITABLE,
    }
    for case in Case.objects.all():
        a, b = case.referrals.order_by("parent")
        assert a.cohort_id is None or a.cohort_id != b.cohort_id


def test_the_demo_fca_and_provider_see_their_areas(settings, client: Client) -> None:
    settings.DEMO_MODE = True
    call_command("seed_demo", stdout=io.StringIO())
    for email, path, word in (
        ("fca@demo.invalid", "/referrals/", "DEMO0005"),
        ("provider@demo.invalid", "/provider/", "Completed"),
    ):
        user = User.objects.get(email=email)
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])
        sign_in(client, user)
        assert word in client.get(path).content.decode()
        client.logout()
