"""The FCA, provider and parent pages: thin views over the services, scoped by selectors."""

import datetime as dt
import re

import pytest
from django.test import Client
from django.utils import timezone

from alliance.models import OutboundMessage, Role
from referrals.links import parent_token
from referrals.models import Case, Cohort, Referral, Status
from tests.conftest import make_staff, sign_in
from tests.directory.factories import OrganisationFactory
from tests.referrals.support import (
    PARENT_A,
    PARENT_B,
    cohort,
    direct_complete,
    make_case,
    parents,
    postcodes,
    provider,
    ptfc,
    sent,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def offering(provider_staff):  # type: ignore[no-untyped-def]
    postcodes()
    return provider(staff=provider_staff)


@pytest.fixture
def fca_client(client: Client, fca) -> Client:
    sign_in(client, fca)
    return client


@pytest.fixture
def provider_client(client: Client, provider_staff) -> Client:
    sign_in(client, provider_staff)
    return client


def case_post(**changes: str) -> dict[str, str]:
    data = {
        "programme": "PTFC",  # replaced by its id when posted (see _posted)
        "court": "Leicester Family Court",
        "case_number": "LE26P09999",
        "first_hearing_on": "01/10/2026",
        "route": "court_order",
        "order_date": "01/10/2026",
        "issuing_court": "Leicester Family Court",
    }
    for prefix, parent in (("a", PARENT_A), ("b", PARENT_B)):
        for key, value in parent.items():
            if isinstance(value, bool):
                if value:
                    data[f"{prefix}_{key}"] = "on"
            else:
                data[f"{prefix}_{key}"] = value
    data.update(changes)
    return data


def _posted(data: dict[str, str]) -> dict[str, str]:
    return {k: (str(ptfc().pk) if v == "PTFC" else v) for k, v in data.items()}


# The FCA area --------------------------------------------------------------------------------


def test_an_fca_creates_a_court_ordered_case_with_one_referral_per_parent(fca_client) -> None:
    response = fca_client.post("/referrals/cases/new/", _posted(case_post()))
    assert response.status_code == 302
    case = Case.objects.get()
    assert response["Location"] == f"/referrals/cases/{case.pk}/"
    a, b = parents(case)
    assert (a.name, b.name) == (PARENT_A["name"], PARENT_B["name"])
    assert b.address_confidential
    page = fca_client.get(response["Location"]).content.decode()
    assert "The gate is passed" in page
    assert "Submit both referrals" in page


BAD_CASE_INPUT = [
    ("empty", {k: "" for k in case_post()}),
    ("oversized name", case_post(a_name="x" * 201)),
    ("oversized court", case_post(court="c" * 5000)),
    ("NUL in a name", case_post(b_name="Bryn\x00")),
    ("a date that is not one", case_post(first_hearing_on="31/02/2026")),
    ("a date far away", case_post(first_hearing_on="01/01/9999")),
    ("a tampered route", case_post(route="self_referral")),
    ("a tampered programme", case_post(programme="99999999999999999999")),
    ("a tampered language", case_post(a_preferred_language="klingon")),
    ("a postcode that is not one", case_post(a_postcode="<script>")),
    ("the same email for both parents", case_post(b_email=PARENT_A["email"])),
    ("a court order without its date", case_post(order_date="")),
]


@pytest.mark.parametrize(("why", "data"), BAD_CASE_INPUT, ids=[row[0] for row in BAD_CASE_INPUT])
def test_bad_case_input_shows_the_error_summary_and_stores_nothing(fca_client, why, data) -> None:
    response = fca_client.post("/referrals/cases/new/", _posted(data))
    assert response.status_code == 200
    assert "govuk-error-summary" in response.content.decode()
    assert not Case.objects.exists()
    assert not Referral.objects.exists()


def test_every_error_summary_link_of_an_empty_case_goes_to_a_field_and_names_the_parent(
    fca_client,
) -> None:
    text = fca_client.post("/referrals/cases/new/", {}).content.decode()
    targets = re.findall(r'<a href="#([\w-]+)">', text.split("govuk-error-summary__list")[1])
    assert "id_route_1" in targets
    for target in targets:
        assert f'id="{target}"' in text, target
    assert "Enter the first parent&#x27;s full name" in text
    assert "Enter the second parent&#x27;s postcode" in text


def test_a_blocked_direct_referral_explains_why_and_offers_the_court(fca, fca_client) -> None:
    case = make_case(fca, case=direct_complete(police_checks_done=False))
    page = fca_client.get(f"/referrals/cases/{case.pk}/").content.decode()
    assert "The police checks are not done." in page
    assert "Submit both referrals" not in page
    assert "Make this a request to the court" in page
    response = fca_client.post(f"/referrals/cases/{case.pk}/submit/")
    assert "govuk-error-summary" in response.content.decode()
    assert {r.status for r in parents(case)} == {Status.DRAFT}
    fca_client.post(f"/referrals/cases/{case.pk}/to-court/")
    page = fca_client.get(f"/referrals/cases/{case.pk}/").content.decode()
    assert "What did the court decide?" in page
    response = fca_client.post(f"/referrals/cases/{case.pk}/court-decision/", {"decision": "x"})
    assert "govuk-error-summary" in response.content.decode()
    fca_client.post(f"/referrals/cases/{case.pk}/court-decision/", {"decision": "ordered"})
    fca_client.post(f"/referrals/cases/{case.pk}/submit/")
    assert {r.status for r in parents(case)} == {Status.SUBMITTED}


def test_a_court_order_with_a_safety_flag_warns_the_fca(fca, fca_client) -> None:
    case = make_case(fca, a={"safety_flag": True})
    page = fca_client.get(f"/referrals/cases/{case.pk}/").content.decode()
    assert "separate, safe attendance" in page
    assert "Submit both referrals" in page


def test_the_fca_sees_a_waiting_referral_and_can_look_again(fca, fca_client, offering) -> None:
    from referrals import services

    cohort(offering)
    case = make_case(fca)
    services.case_submit(actor=fca, case_id=case.pk)
    a, b = parents(case)
    services.referral_allocate(referral_id=a.pk)
    services.referral_allocate(referral_id=b.pk)
    page = fca_client.get(f"/referrals/cases/{case.pk}/").content.decode()
    assert "No suitable place was found for this parent yet." in page
    response = fca_client.post(f"/referrals/cases/{case.pk}/referrals/{b.pk}/retry/")
    assert response.status_code == 302


# The provider area ---------------------------------------------------------------------------


def test_the_provider_accepts_books_records_attendance_and_completion(
    fca, provider_client, offering
) -> None:
    cohort(offering)
    cohort(offering, days=8)
    spare = cohort(offering, days=9)
    a, b = sent(fca)
    url = f"/provider/referrals/{a.pk}/"
    page = provider_client.get(url).content.decode()
    assert "Never record or report what a parent said." in page
    assert PARENT_A["name"] in page
    assert PARENT_B["name"] not in page
    assert provider_client.post(url + "accept/").status_code == 302
    page = provider_client.get(url).content.decode()
    assert f'value="{b.cohort_id}"' not in page  # the other parent's cohort is never offered
    a.refresh_from_db()
    assert "this parent&#x27;s place is held here" in page  # not "0 of 5 places left"
    assert page.count("this parent&#x27;s place is held here") == 1
    response = provider_client.post(url + "book/", {"cohort": str(b.cohort_id)})
    assert "govuk-error-summary" in response.content.decode()
    provider_client.post(url + "book/", {"cohort": str(spare.pk)})
    a.refresh_from_db()
    assert (a.status, a.cohort_id) == (Status.BOOKED, spare.pk)
    response = provider_client.post(url + "attendance/", {"attended": ""})
    assert "govuk-error-summary" in response.content.decode()
    provider_client.post(url + "attendance/", {"attended": "yes"})
    provider_client.post(url + "complete/")
    a.refresh_from_db()
    assert a.status == Status.COMPLETED


@pytest.mark.parametrize("reason", ["", "   ", "r" * 501, "no\x00"])
def test_a_bad_decline_reason_shows_the_error_summary_and_changes_nothing(
    fca, provider_client, offering, reason: str
) -> None:
    cohort(offering)
    cohort(offering, days=8)
    a, _b = sent(fca)
    response = provider_client.post(f"/provider/referrals/{a.pk}/decline/", {"reason": reason})
    assert "govuk-error-summary" in response.content.decode()
    assert Referral.objects.get(pk=a.pk).status == Status.SENT


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"offering": "1", "starts_on": "x" * 5000, "starts_time": "18:30", "mode": "online"},
        {"offering": "999999", "starts_on": "01/01/2030", "starts_time": "25:99", "mode": "?"},
        {"offering": "1", "starts_on": "01/01/2030", "starts_time": "18:30", "capacity": "7"},
        {"offering": "1", "starts_on": "01/01/2001", "starts_time": "18:30", "mode": "online"},
    ],
)
def test_bad_cohort_input_shows_the_error_summary_and_stores_nothing(
    provider_client, offering, data
) -> None:
    data = {k: (str(offering.pk) if k == "offering" and v == "1" else v) for k, v in data.items()}
    response = provider_client.post("/provider/cohorts/", data)
    assert "govuk-error-summary" in response.content.decode()
    assert not Cohort.objects.exists()


def test_the_provider_adds_a_cohort(provider_client, offering) -> None:
    day = (timezone.localdate() + dt.timedelta(days=30)).strftime("%d/%m/%Y")
    response = provider_client.post(
        "/provider/cohorts/",
        {
            "offering": str(offering.pk),
            "starts_on": day,
            "starts_time": "18:30",
            "mode": "online",
            "capacity": "5",
        },
    )
    assert response.status_code == 302
    assert Cohort.objects.get().capacity == 5


# A parent's own page -------------------------------------------------------------------------


def test_a_parents_link_shows_only_their_own_referral(client: Client, fca, offering) -> None:
    cohort(offering)
    cohort(offering, days=8)
    a, b = sent(fca)
    message = OutboundMessage.objects.get(to=b.email)
    path = re.search(r"https?://[^/]+(/referrals/parent/[^/]+/)", message.body_text)[1]
    page = client.get(path).content.decode()
    assert b.reference in page
    for value in [a.reference, a.name, a.email, a.phone, a.postcode, b.case.case_number]:
        assert value not in page
    assert "Exit this page" in page


def test_a_parent_can_tap_to_call_or_email_their_provider(client: Client, fca, offering) -> None:
    organisation = offering.organisation
    organisation.phone, organisation.email = "0116 496 0000", "programmes@example.org"
    organisation.save(update_fields=["phone", "email"])
    cohort(offering)
    cohort(offering, days=8)
    _a, b = sent(fca)
    message = OutboundMessage.objects.get(to=b.email)
    path = re.search(r"https?://[^/]+(/referrals/parent/[^/]+/)", message.body_text)[1]
    page = client.get(path).content.decode()

    assert 'href="tel:01164960000">0116 496 0000</a>' in page
    assert 'href="mailto:programmes@example.org">programmes@example.org</a>' in page


def test_a_parents_link_stops_working_when_it_expires(
    client: Client, fca, offering, settings, time_machine
) -> None:
    cohort(offering)
    cohort(offering, days=8)
    a, _b = sent(fca)
    url = f"/referrals/parent/{parent_token(a.reference)}/"
    assert client.get(url).status_code == 200
    later = timezone.now() + dt.timedelta(days=settings.REFERRAL_PARENT_LINK_DAYS, hours=1)
    time_machine.move_to(later)
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("token", ["nonsense", "x" * 500, "%00", "a:b:c"])
def test_a_forged_parent_link_is_a_404(client: Client, token: str) -> None:
    assert client.get(f"/referrals/parent/{token}/").status_code == 404


def test_a_parent_tells_the_provider_when_they_can_attend(client: Client, fca, offering) -> None:
    cohort(offering)
    cohort(offering, days=8)
    a, _b = sent(fca)
    url = f"/referrals/parent/{parent_token(a.reference)}/"
    for bad in ["", "y" * 501, "evenings\x00"]:
        response = client.post(url, {"availability": bad})
        assert "govuk-error-summary" in response.content.decode()
        assert Referral.objects.get(pk=a.pk).availability == ""
    response = client.post(url, {"availability": "Weekday evenings"})
    assert "The provider can now see when you can attend." in response.content.decode()
    assert Referral.objects.get(pk=a.pk).availability == "Weekday evenings"


# Who sees what: the access matrix ------------------------------------------------------------


@pytest.fixture
def cast(fca, provider_staff, offering):  # type: ignore[no-untyped-def]
    cohort(offering)
    cohort(offering, days=8)
    a, _b = sent(fca)
    other_fca = make_staff("fca2@example.org", Role.FCA)
    other_provider = make_staff("provider2@example.org", Role.PROVIDER)
    provider(staff=other_provider, organisation=OrganisationFactory())
    draft = parents(make_case(fca))[0]
    return {
        "fca": fca,
        "other_fca": other_fca,
        "provider_staff": provider_staff,
        "other_provider": other_provider,
        "case": a.case,
        "referral": a,
        "draft": draft,
    }


def _urls(cast):  # type: ignore[no-untyped-def]
    case, referral, draft = cast["case"], cast["referral"], cast["draft"]
    return {
        "case": f"/referrals/cases/{case.pk}/",
        "provider referral": f"/provider/referrals/{referral.pk}/",
        "unsent referral": f"/provider/referrals/{draft.pk}/",
    }


MATRIX = [
    ("fca", "case", 200),
    ("other_fca", "case", 404),
    ("provider_staff", "case", 403),
    ("other_provider", "case", 403),
    ("provider_staff", "provider referral", 200),
    ("other_provider", "provider referral", 404),
    ("fca", "provider referral", 403),
    ("provider_staff", "unsent referral", 404),
]


@pytest.mark.parametrize(("who", "page", "status"), MATRIX)
def test_access_matrix(client: Client, cast, who: str, page: str, status: int) -> None:
    sign_in(client, cast[who])
    assert client.get(_urls(cast)[page]).status_code == status


POSTS = [
    ("other_fca", "/referrals/cases/{case}/submit/"),
    ("other_fca", "/referrals/cases/{case}/to-court/"),
    ("other_fca", "/referrals/cases/{case}/referrals/{referral}/withdraw/"),
    ("other_provider", "/provider/referrals/{referral}/accept/"),
    ("other_provider", "/provider/referrals/{referral}/decline/"),
    ("provider_staff", "/provider/referrals/{draft}/accept/"),
]


@pytest.mark.parametrize(("who", "path"), POSTS)
def test_nobody_changes_what_is_not_theirs(client: Client, cast, who: str, path: str) -> None:
    sign_in(client, cast[who])
    url = path.format(case=cast["case"].pk, referral=cast["referral"].pk, draft=cast["draft"].pk)
    before = Referral.objects.order_by("pk").values_list("status", flat=True)
    assert client.post(url, {"reason": "x"}).status_code == 404
    assert list(Referral.objects.order_by("pk").values_list("status", flat=True)) == list(before)


def test_the_provider_list_shows_only_their_organisations_referrals(client: Client, cast) -> None:
    sign_in(client, cast["other_provider"])
    page = client.get("/provider/").content.decode()
    assert cast["referral"].reference not in page
    client.logout()
    sign_in(client, cast["provider_staff"])
    page = client.get("/provider/").content.decode()
    assert cast["referral"].reference in page
    assert cast["draft"].reference not in page


def test_the_fca_list_shows_only_their_own_cases(client: Client, cast) -> None:
    sign_in(client, cast["other_fca"])
    assert cast["case"].reference not in client.get("/referrals/").content.decode()


def test_the_fca_list_shows_each_parents_status_on_its_own_line_and_says_whose(
    fca, fca_client
) -> None:
    make_case(fca)
    text = fca_client.get("/referrals/").content.decode()
    cell = re.search(r'<ul class="govuk-list[^"]*">(.*?)</ul>', text, re.S)

    assert cell is not None
    items = re.findall(r"<li>(.*?)</li>", cell.group(1), re.S)
    assert len(items) == 2
    assert "First parent" in items[0]
    assert "Second parent" in items[1]
    assert all("govuk-tag" in item for item in items)


def test_curators_keep_programmes_and_offerings_in_the_admin_but_never_referrals(
    client: Client, curator, offering
) -> None:
    sign_in(client, curator)
    assert client.get("/admin/referrals/programme/").status_code == 200
    assert client.get(f"/admin/referrals/offering/{offering.pk}/change/").status_code == 200
    assert client.get("/admin/referrals/referral/").status_code == 404
    assert client.get("/admin/referrals/case/").status_code == 404


def test_a_submitted_referral_whose_task_was_lost_can_be_tried_again(fca, fca_client) -> None:
    from referrals import services

    case = make_case(fca)
    services.case_submit(actor=fca, case_id=case.pk)
    a, _b = parents(case)
    page = fca_client.get(f"/referrals/cases/{case.pk}/").content.decode()
    assert "Look for a place again" in page
    # Just submitted, the FCA is told the search is under way, not that it failed.
    assert "We are looking for a place for this parent now" in page
    assert "No suitable place was found" not in page
    assert fca_client.post(f"/referrals/cases/{case.pk}/referrals/{a.pk}/retry/").status_code == 302


def test_the_provider_is_told_to_arrange_separate_safe_attendance(
    fca, provider_client, offering
) -> None:
    cohort(offering)
    cohort(offering, days=8)
    _a, b = sent(fca, a={"safety_flag": True})
    page = provider_client.get(f"/provider/referrals/{b.pk}/").content.decode()
    assert "Arrange separate, safe attendance for this parent" in page


def test_the_lists_take_a_fixed_number_of_queries(
    fca, fca_client, offering, django_assert_max_num_queries
) -> None:
    for days in range(1, 9):
        cohort(offering, days=days)
    for _ in range(4):
        sent(fca)
    with django_assert_max_num_queries(12):
        assert fca_client.get("/referrals/").status_code == 200


def test_the_provider_list_takes_a_fixed_number_of_queries(
    fca, provider_client, offering, django_assert_max_num_queries
) -> None:
    for days in range(1, 9):
        cohort(offering, days=days)
    for _ in range(4):
        sent(fca)
    with django_assert_max_num_queries(12):
        assert provider_client.get("/provider/").status_code == 200
