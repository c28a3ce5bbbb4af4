"""The demo directory: a data file loaded through the directory's services, idempotently."""

import io
import re
import tomllib
from typing import Any

import pytest
from django.core.management import call_command

from alliance.helplines import helpline
from alliance.models import AuditEvent, User
from directory import demo, services
from directory.models import (
    Category,
    Contact,
    Location,
    Organisation,
    Schedule,
    Service,
    ServiceAtLocation,
)
from referrals import demo as referrals_demo
from tests.directory.factories import CategoryFactory, OrganisationFactory

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def _demo_data() -> dict[str, Any]:
    with demo.DEMO_FILE.open("rb") as file:
        return tomllib.load(file)


def _counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (Organisation, Location, Service, ServiceAtLocation, Schedule, Contact)
    } | {
        "service history": Service.history.count(),
        "location history": Location.history.count(),
        "organisation history": Organisation.history.count(),
        "audit events": AuditEvent.objects.count(),
        "users": User.objects.count(),
    }


def test_seed_demo_twice_writes_nothing_the_second_time() -> None:
    call_command("seed_demo", stdout=io.StringIO())
    first = _counts()

    call_command("seed_demo", stdout=io.StringIO())

    assert _counts() == first
    data = _demo_data()
    # The directory's data file, plus the programme provider (and its venue) the referral
    # demo seeds: every organisation and place the demo made, and nothing else.
    referral_provider = Organisation.objects.get(slug=referrals_demo.PROVIDER_SLUG)
    assert set(Organisation.objects.values_list("slug", flat=True)) == {
        *data["organisations"],
        referral_provider.slug,
    }
    assert first["Organisation"] == len(data["organisations"]) + 1
    assert referral_provider.locations.count() == 1
    assert first["Location"] == len(data["locations"]) + 1
    assert first["Service"] == len(data["services"])


def test_the_demo_is_loaded_through_the_services_with_an_audit_trail() -> None:
    demo.seed(io.StringIO())
    data = _demo_data()

    published = [slug for slug, s in data["services"].items() if s["status"] == "published"]
    publish_events = AuditEvent.objects.filter(action="service.publish")
    assert publish_events.count() == len(published)
    assert AuditEvent.objects.filter(action="service.create").count() == len(data["services"])
    assert AuditEvent.objects.filter(action="location.create").count() == len(data["locations"])
    # Every service started as a draft and moved by services_set_status, as in the admin.
    service = Service.objects.get(slug=published[0])
    assert list(service.history.order_by("history_id").values_list("status", flat=True))[:1] == [
        "draft"
    ]
    assert service.status == "published"


def test_the_file_refers_to_organisations_places_and_categories_by_slug() -> None:
    demo.seed(io.StringIO())
    data = _demo_data()

    for slug, spec in data["services"].items():
        service = Service.objects.get(slug=slug)
        assert service.organisation.slug == spec["organisation"], slug
        assert sorted(service.categories.values_list("slug", flat=True)) == sorted(
            spec["categories"]
        ), slug
        assert service.locations.count() == len(spec.get("locations", [])), slug


def test_a_confidential_demo_location_is_stored_rounded_and_without_an_address() -> None:
    data = _demo_data()
    refuges = {k: v for k, v in data["locations"].items() if v.get("confidential")}
    # The file holds points more exact than 1 km; what is stored must not be.
    assert any(round(v["latitude"], 2) != v["latitude"] for v in refuges.values())

    demo.seed(io.StringIO())

    stored = Location.objects.filter(confidential=True)
    assert stored.count() == len(refuges) >= 2
    for location in stored:
        assert location.latitude == round(location.latitude, 2)
        assert location.longitude == round(location.longitude, 2)
        assert not location.address_1
        assert " " not in location.postcode
    for row in Location.history.filter(confidential=True):
        assert (row.latitude, row.longitude) == (round(row.latitude, 2), round(row.longitude, 2))


def test_the_demo_reloads_after_a_curator_renames_a_core_category() -> None:
    demo.seed(io.StringIO())
    mediation = Category.objects.get(code="mediation")
    mediation.slug = "family-mediation"
    mediation.save(update_fields=["slug"])
    services_before = mediation.services.count()

    demo.seed(io.StringIO())

    assert mediation.services.count() == services_before > 0
    assert not Category.objects.filter(slug="mediation").exists()


def test_no_joint_option_in_the_demo_is_safe_where_there_is_abuse() -> None:
    demo.seed(io.StringIO())

    mediation = Service.objects.filter(categories__code__in=["mediation", "miams"])
    assert mediation.exists()
    assert not mediation.filter(safe_where_abuse=True).exists()


def test_every_local_number_in_the_demo_is_one_ofcom_keeps_for_drama() -> None:
    # Invented services must never print a real person's number; the national lines are real.
    drama = re.compile(r"^(0116 496 0\d{3}|01632 960 ?\d{3})$")
    national = re.compile(r"^(0800|0808) |^116 123$")
    text = demo.DEMO_FILE.read_text(encoding="utf-8")

    numbers = re.findall(r'^phone = "([^"]+)"', text, flags=re.MULTILINE)

    assert numbers
    for number in numbers:
        assert drama.match(number) or national.match(number), number


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["services"]["samaritans"].update(organisation="nobody"), "no organisation"),
        (
            lambda d: d["services"]["samaritans"].update(categories=["astrology"]),
            "no category 'astrology'",
        ),
        (
            lambda d: d["services"]["samaritans"].update(opening_hours=["fortnightly"]),
            "no opening hours called 'fortnightly'",
        ),
        (lambda d: d["services"]["samaritans"].update(colour="blue"), "no field 'colour'"),
        (lambda d: d["services"]["samaritans"].update(min_age=12, max_age=3), "samaritans"),
        (lambda d: d["services"]["samaritans"].update(helpline="samaritans-typo"), "helpline"),
        (lambda d: d.update(servcies={}), "does not know"),
    ],
)
def test_a_mistake_in_the_demo_file_is_named_and_nothing_is_loaded(change, message: str) -> None:  # type: ignore[no-untyped-def]
    data = _demo_data()
    change(data)

    with pytest.raises(services.DirectoryError, match=message):
        services.demo_load(data=data)

    assert not Service.objects.exists()


def test_national_lines_take_their_number_from_the_one_helplines_table() -> None:
    demo.seed(io.StringIO())

    assert Service.objects.get(slug="national-domestic-abuse-helpline").phone == (
        helpline("domestic_abuse").number
    )
    assert Service.objects.get(slug="samaritans").phone == helpline("samaritans").number
    text = demo.DEMO_FILE.read_text(encoding="utf-8")
    assert helpline("domestic_abuse").number not in text


def test_a_service_in_a_joint_option_category_cannot_be_made_safe_where_there_is_abuse() -> None:
    with pytest.raises(services.DirectoryError, match="cannot be safe"):
        services.service_upsert(
            actor=None,
            slug="joint-sessions",
            organisation=OrganisationFactory(),
            categories=[Category.objects.get(code="mediation")],
            name="Joint sessions",
            summary="Both parents together.",
            safe_where_abuse=True,
        )

    assert not Service.objects.filter(slug="joint-sessions").exists()


def test_an_upsert_never_sets_a_status() -> None:
    with pytest.raises(services.DirectoryError, match="'status' cannot be set"):
        services.service_upsert(
            actor=None,
            slug="sneaky",
            organisation=OrganisationFactory(),
            categories=[CategoryFactory()],
            name="Sneaky",
            summary="Published without an audit event.",
            status="published",
        )


def test_an_upsert_that_changes_something_records_what_changed() -> None:
    organisation = services.organisation_upsert(actor=None, slug="acme", name="Acme")

    services.organisation_upsert(actor=None, slug="acme", name="Acme", phone="0116 496 0999")
    services.organisation_upsert(actor=None, slug="acme", name="Acme", phone="0116 496 0999")

    events = AuditEvent.objects.filter(object_id=str(organisation.pk)).order_by("pk")
    assert [(e.action, e.detail) for e in events] == [
        ("organisation.create", {}),
        ("organisation.update", {"fields": ["phone"]}),
    ]
    assert organisation.history.count() == 2
