"""The audit of referral data: recorded per referral, never editable, readable by curators."""

import pytest
from django.db import DatabaseError, transaction
from django.test import Client

from alliance.models import AuditEvent, Role, User
from referrals.audit import Access, audit_trail_for_referral, referral_access_record
from tests.conftest import make_staff, sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(db: None) -> User:
    user = make_staff("root@example.org", Role.CURATOR, is_staff=True)
    user.is_superuser = True
    user.save(update_fields=["is_superuser"])
    return user


def test_a_list_page_records_one_view_per_referral_it_showed(fca: User) -> None:
    assert referral_access_record(actor=fca, referral_ids=[7, 8, 7], what=Access.VIEWED) == 2
    assert set(audit_trail_for_referral(referral_id=7).values_list("action", "actor")) == {
        ("referral.viewed", fca.pk)
    }
    assert audit_trail_for_referral(referral_id=8).count() == 1


def test_nobody_is_recorded_without_a_signed_in_person() -> None:
    assert referral_access_record(actor=None, referral_ids=[1], what=Access.VIEWED) == 0
    assert not AuditEvent.objects.exists()


def test_the_database_refuses_to_change_an_audit_event(fca: User) -> None:
    referral_access_record(actor=fca, referral_ids=[1], what=Access.EXPORTED)
    event = AuditEvent.objects.get()
    event.action = "referral.viewed"
    with pytest.raises(DatabaseError, match="never changed or deleted"), transaction.atomic():
        event.save(update_fields=["action"])
    with pytest.raises(DatabaseError, match="never changed or deleted"), transaction.atomic():
        AuditEvent.objects.update(object_id="2")
    assert AuditEvent.objects.get().action == "referral.exported"


def test_the_database_refuses_to_delete_an_audit_event(fca: User) -> None:
    referral_access_record(actor=fca, referral_ids=[1], what=Access.VIEWED)
    with pytest.raises(DatabaseError, match="never changed or deleted"), transaction.atomic():
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.count() == 1


def test_deleting_a_staff_account_keeps_its_audit_events(fca: User) -> None:
    referral_access_record(actor=fca, referral_ids=[1], what=Access.VIEWED)
    fca.delete()
    event = AuditEvent.objects.get()
    assert event.actor_id is None
    assert event.action == "referral.viewed"


def test_not_even_a_superuser_can_change_or_delete_audit_events_in_the_admin(
    client: Client, superuser: User, fca: User
) -> None:
    referral_access_record(actor=fca, referral_ids=[1], what=Access.VIEWED)
    event = AuditEvent.objects.get()
    sign_in(client, superuser)
    change = f"/admin/alliance/auditevent/{event.pk}/change/"
    assert client.get(change).status_code == 200  # view only
    client.post(change, {"action": "referral.changed", "object_id": "9"})
    assert client.get(f"/admin/alliance/auditevent/{event.pk}/delete/").status_code == 403
    assert client.get("/admin/alliance/auditevent/add/").status_code == 403
    listing = client.post(
        "/admin/alliance/auditevent/",
        {"action": "delete_selected", "_selected_action": [event.pk], "post": "yes"},
    )
    assert listing.status_code in (200, 302)
    event.refresh_from_db()
    assert (event.action, event.object_id) == ("referral.viewed", "1")


@pytest.mark.parametrize(
    ("who", "expected"), [("anonymous", 302), ("fca", 403), ("provider_staff", 403)]
)
def test_only_curators_open_the_audit_trail(
    client: Client, request: pytest.FixtureRequest, who: str, expected: int
) -> None:
    if who != "anonymous":
        sign_in(client, request.getfixturevalue(who))
    for path in ("/referrals/audit/", "/referrals/audit/referral/1/", "/referrals/audit/user/1/"):
        assert client.get(path).status_code == expected, path


def test_a_curator_reads_the_trail_per_referral_and_per_person(
    client: Client, curator: User, fca: User, provider_staff: User
) -> None:
    referral_access_record(actor=fca, referral_ids=[11], what=Access.VIEWED)
    referral_access_record(actor=provider_staff, referral_ids=[11], what=Access.CHANGED)
    referral_access_record(actor=fca, referral_ids=[12], what=Access.EXPORTED)
    sign_in(client, curator)

    per_referral = client.get("/referrals/audit/referral/11/")
    per_person = client.get(f"/referrals/audit/user/{fca.pk}/")

    assert per_referral.status_code == 200
    assert [(e.actor_id, e.action) for e in per_referral.context["page_obj"]] == [
        (provider_staff.pk, "referral.changed"),
        (fca.pk, "referral.viewed"),
    ]
    assert [(e.object_id, e.action) for e in per_person.context["page_obj"]] == [
        ("12", "referral.exported"),
        ("11", "referral.viewed"),
    ]


@pytest.mark.parametrize(
    "path",
    [
        "/referrals/audit/referral/999/",
        "/referrals/audit/user/999999/",
        "/referrals/audit/user/99999999999999999999999/",
    ],
)
def test_an_unknown_referral_or_person_is_not_found(
    client: Client, curator: User, path: str
) -> None:
    sign_in(client, curator)
    assert client.get(path).status_code == 404


@pytest.mark.parametrize("page", ["0", "-1", "x", "²", "9" * 40, "\x00"])
def test_a_bad_page_number_shows_the_first_page(client: Client, curator: User, page: str) -> None:
    sign_in(client, curator)
    assert client.get("/referrals/audit/", {"page": page}).status_code == 200


def test_every_page_that_shows_a_referral_records_who_read_it_and_changes_are_recorded(
    client: Client, fca: User, provider_staff: User, curator: User
) -> None:
    from referrals.models import Referral
    from tests.referrals.support import cohort, postcodes, provider, sent

    postcodes()
    offering = provider(staff=provider_staff)
    cohort(offering, days=10)
    cohort(offering, days=12)
    a, b = sent(fca)

    sign_in(client, fca)
    client.get("/referrals/")
    client.get(f"/referrals/cases/{a.case_id}/")
    client.logout()
    sign_in(client, provider_staff)
    client.get("/provider/")
    client.get(f"/provider/referrals/{a.pk}/")
    client.post(f"/provider/referrals/{a.pk}/accept/")
    assert Referral.objects.get(pk=a.pk).status == "accepted"

    trail = [
        (e.actor_id, e.action)
        for e in audit_trail_for_referral(referral_id=a.pk).order_by("at", "pk")
        if e.actor_id is not None
    ]
    viewed = Access.VIEWED.value
    assert trail[-5:] == [
        (fca.pk, viewed),  # the FCA's list of cases
        (fca.pk, viewed),  # the case page
        (provider_staff.pk, viewed),  # the provider's list
        (provider_staff.pk, viewed),  # the referral page
        (provider_staff.pk, "referral.accept"),  # the change, recorded by the service
    ]
    assert audit_trail_for_referral(referral_id=b.pk).filter(actor=fca, action=viewed).count() == 2


@pytest.mark.parametrize("reference", ["NOSUCH", "<script>", "x" * 5000, "\x00", "²"])
def test_an_unknown_or_hostile_reference_shows_the_error_summary(
    client: Client, curator: User, reference: str
) -> None:
    sign_in(client, curator)
    response = client.get("/referrals/audit/", {"reference": reference})
    assert response.status_code == 200
    assert b"govuk-error-summary" in response.content
    assert b"<script>" not in response.content


def test_a_curator_finds_a_referral_trail_by_its_reference(
    client: Client, curator: User, fca: User
) -> None:
    from tests.referrals.support import make_case

    referral = make_case(fca).referrals.order_by("parent").first()
    assert referral is not None
    referral_access_record(actor=fca, referral_ids=[referral.pk], what=Access.VIEWED)
    sign_in(client, curator)
    response = client.get("/referrals/audit/", {"reference": referral.reference.lower()})
    assert response["Location"] == f"/referrals/audit/referral/{referral.pk}/"
    page = client.get(response["Location"])
    assert referral.reference in page.content.decode()
