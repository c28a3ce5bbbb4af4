"""Search semantics: words, typos, distance, categories and the filters."""

import pytest

from directory.models import Service
from directory.selectors import ServiceQuery, search_services
from tests.directory.factories import (
    CENTRE,
    AreaWideServiceFactory,
    CategoryFactory,
    DraftServiceFactory,
    NationalHelplineFactory,
    PublishedServiceFactory,
    TemporarilyClosedServiceFactory,
    north_of_centre,
)

pytestmark = pytest.mark.django_db


def names(query: ServiceQuery) -> list[str]:
    return [s.name for s in search_services(query)]


def test_it_finds_words_by_their_stem() -> None:
    PublishedServiceFactory(name="Family mediation", summary="A mediator helps you agree.")
    PublishedServiceFactory(name="Money advice", summary="Debts and benefits.")

    assert names(ServiceQuery(text="mediators")) == ["Family mediation"]
    assert names(ServiceQuery(text="mediating")) == ["Family mediation"]


def test_it_ranks_a_match_in_the_name_above_one_in_the_description() -> None:
    PublishedServiceFactory(name="Advice line", description="We also explain mediation.")
    PublishedServiceFactory(name="Mediation service", description="Sessions for parents.")

    assert names(ServiceQuery(text="mediation")) == ["Mediation service", "Advice line"]


def test_it_still_finds_mediation_when_it_is_typed_mediaton() -> None:
    PublishedServiceFactory(name="Family mediation")
    PublishedServiceFactory(name="Child contact centre")

    assert names(ServiceQuery(text="mediaton")) == ["Family mediation"]


def test_it_uses_the_typo_fallback_only_when_the_words_match_nothing() -> None:
    PublishedServiceFactory(name="Family mediation")
    PublishedServiceFactory(name="Meditation for parents")

    assert names(ServiceQuery(text="mediation")) == ["Family mediation"]


def test_words_matching_a_category_name_find_its_services() -> None:
    centres = CategoryFactory(slug="child-contact-centres", name="Child contact centres")
    supported = CategoryFactory(slug="supported-contact", name="Supported", parent=centres)
    PublishedServiceFactory(name="Saturday sessions at the church hall", categories=[supported])

    assert names(ServiceQuery(text="contact centre")) == ["Saturday sessions at the church hall"]


def test_a_parent_category_includes_services_in_its_children() -> None:
    abuse = CategoryFactory(slug="domestic-abuse-support")
    survivors = CategoryFactory(slug="support-for-survivors", parent=abuse)
    PublishedServiceFactory(name="Refuge", categories=[survivors])
    PublishedServiceFactory(name="Outreach", categories=[abuse])
    PublishedServiceFactory(name="Mediation", categories=[CategoryFactory(slug="mediation")])

    assert names(ServiceQuery(categories=("domestic-abuse-support",))) == ["Outreach", "Refuge"]
    assert names(ServiceQuery(categories=("support-for-survivors",))) == ["Refuge"]


def test_it_lists_only_published_services() -> None:
    PublishedServiceFactory(name="Open")
    DraftServiceFactory(name="Draft")
    TemporarilyClosedServiceFactory(name="Closed for now")

    assert names(ServiceQuery()) == ["Open"]


def test_with_a_point_it_lists_nearest_first_with_miles() -> None:
    PublishedServiceFactory(name="Three miles", at=north_of_centre(3))
    PublishedServiceFactory(name="One mile", at=north_of_centre(1))
    PublishedServiceFactory(name="Ten miles", at=north_of_centre(10))

    results = list(search_services(ServiceQuery(point=CENTRE)))

    assert [s.name for s in results] == ["One mile", "Three miles", "Ten miles"]
    assert [round(s.distance_miles, 1) for s in results] == [1.0, 3.0, 10.0]


def test_the_radius_bounds_the_distances() -> None:
    PublishedServiceFactory(name="Near", at=north_of_centre(2))
    PublishedServiceFactory(name="Far", at=north_of_centre(12))

    results = list(search_services(ServiceQuery(point=CENTRE, radius_miles=5)))

    assert [s.name for s in results] == ["Near"]
    assert all(s.distance_miles <= 5 for s in results)


def test_a_service_is_measured_from_its_nearest_location() -> None:
    service = PublishedServiceFactory(name="Two places", at=north_of_centre(8))
    near = PublishedServiceFactory(at=north_of_centre(2)).locations.get()
    service.locations.add(near)

    (result,) = [s for s in search_services(ServiceQuery(point=CENTRE)) if s.pk == service.pk]

    assert round(result.distance_miles, 1) == 2.0


def test_area_wide_and_national_services_have_no_distance_and_ignore_the_radius() -> None:
    PublishedServiceFactory(name="Near", at=north_of_centre(1))
    AreaWideServiceFactory(name="Online across the area")
    NationalHelplineFactory(name="National helpline")
    PublishedServiceFactory(
        name="Phone only, listed at an office far away",
        delivery_modes=[Service.DeliveryMode.PHONE],
        at=north_of_centre(40),
    )

    results = list(search_services(ServiceQuery(point=CENTRE, radius_miles=3)))

    assert [s.name for s in results] == [
        "Near",
        "National helpline",
        "Online across the area",
        "Phone only, listed at an office far away",
    ]
    assert [s.distance_miles is None for s in results] == [False, True, True, True]


def test_a_service_covering_a_radius_is_not_offered_beyond_it() -> None:
    PublishedServiceFactory(name="Covers 5 miles", area_radius_miles=5, at=north_of_centre(8))
    PublishedServiceFactory(name="Covers 10 miles", area_radius_miles=10, at=north_of_centre(8))

    assert names(ServiceQuery(point=CENTRE)) == ["Covers 10 miles"]


@pytest.mark.parametrize(
    ("age", "expected"),
    [(3, ["Any age", "Under fives"]), (10, ["Any age", "Children 8 to 12"]), (30, ["Any age"])],
)
def test_the_age_filter_keeps_services_whose_range_includes_it(
    age: int, expected: list[str]
) -> None:
    PublishedServiceFactory(name="Any age")
    PublishedServiceFactory(name="Under fives", min_age=0, max_age=5)
    PublishedServiceFactory(name="Children 8 to 12", min_age=8, max_age=12)

    assert names(ServiceQuery(age=age)) == expected


def test_free_mode_and_language_filters() -> None:
    PublishedServiceFactory(
        name="Free, online, Polish", is_free=True, languages=["en", "pl"], delivery_modes=["online"]
    )
    PublishedServiceFactory(name="Paid, in person", is_free=False)

    assert names(ServiceQuery(free_only=True)) == ["Free, online, Polish"]
    assert names(ServiceQuery(modes=("online", "phone"))) == ["Free, online, Polish"]
    assert names(ServiceQuery(language="pl")) == ["Free, online, Polish"]
    assert names(ServiceQuery(modes=("in_person",))) == ["Paid, in person"]


def test_the_safe_where_abuse_filter_removes_joint_services() -> None:
    PublishedServiceFactory(name="Mediation", safe_where_abuse=False)
    PublishedServiceFactory(name="Outreach", safe_where_abuse=True)

    assert names(ServiceQuery(safe_where_abuse_only=True)) == ["Outreach"]
