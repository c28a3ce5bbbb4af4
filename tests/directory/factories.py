"""One factory per lifecycle state of a directory listing (Faker en_GB)."""

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from directory.models import Category, Location, Organisation, Postcode, Service

factory.Faker._DEFAULT_LOCALE = "en_GB"

# Leicester's clock tower, and points a known distance away along the same meridian.
CENTRE = (52.6366, -1.1352)
MILE_IN_LATITUDE = 1 / 69.05


def north_of_centre(miles: float) -> tuple[float, float]:
    return (CENTRE[0] + miles * MILE_IN_LATITUDE, CENTRE[1])


class CategoryFactory(DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"category-{n}")
    name = factory.LazyAttribute(lambda o: o.slug.replace("-", " ").capitalize())


class OrganisationFactory(DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Faker("company")
    slug = factory.Sequence(lambda n: f"organisation-{n}")


class PostcodeFactory(DjangoModelFactory):
    """A postcode at the given point; the shipped UK districts (loaded by migrate) are moved."""

    class Meta:
        model = Postcode

    @classmethod
    def _create(cls, model_class, *args, **kwargs):  # type: ignore[no-untyped-def]
        code = kwargs.pop("code")
        found, _ = model_class.objects.update_or_create(code=code, defaults=kwargs)
        return found

    code = "LE1"
    is_district = factory.LazyAttribute(lambda o: " " not in o.code)
    latitude = CENTRE[0]
    longitude = CENTRE[1]


class LocationFactory(DjangoModelFactory):
    class Meta:
        model = Location

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Faker("street_name")
    address_1 = factory.Faker("street_address")
    town = "Leicester"
    postcode = "LE1 6ZG"
    latitude = CENTRE[0]
    longitude = CENTRE[1]


class PublishedServiceFactory(DjangoModelFactory):
    """A published, in-person service within a radius of its one location."""

    class Meta:
        model = Service
        skip_postgeneration_save = True

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Local service {n}")
    slug = factory.Sequence(lambda n: f"local-service-{n}")
    summary = "Support for parents living apart."
    description = "We help families."
    status = Service.Status.PUBLISHED
    delivery_modes = factory.LazyFunction(lambda: [Service.DeliveryMode.IN_PERSON])
    languages = factory.LazyFunction(lambda: ["en"])
    area_covered = Service.AreaCovered.RADIUS

    @factory.post_generation
    def categories(self, create: bool, extracted: list[Category] | None, **kwargs: object) -> None:
        if create and extracted:
            self.categories.set(extracted)

    @factory.post_generation
    def at(self, create: bool, extracted: tuple[float, float] | None, **kwargs: object) -> None:
        """`at=(lat, lng)` puts the service at one location there."""
        if create and extracted:
            location = LocationFactory(
                organisation=self.organisation, latitude=extracted[0], longitude=extracted[1]
            )
            self.locations.add(location)


class AreaWideServiceFactory(PublishedServiceFactory):
    area_covered = Service.AreaCovered.ALLIANCE_AREA
    delivery_modes = factory.LazyFunction(
        lambda: [Service.DeliveryMode.ONLINE, Service.DeliveryMode.PHONE]
    )


class NationalHelplineFactory(PublishedServiceFactory):
    area_covered = Service.AreaCovered.NATIONAL
    delivery_modes = factory.LazyFunction(lambda: [Service.DeliveryMode.PHONE])
    is_free = True


class DraftServiceFactory(PublishedServiceFactory):
    status = Service.Status.DRAFT


class TemporarilyClosedServiceFactory(PublishedServiceFactory):
    status = Service.Status.TEMPORARILY_CLOSED


class ArchivedServiceFactory(PublishedServiceFactory):
    status = Service.Status.ARCHIVED


class ReadyDraftServiceFactory(DraftServiceFactory):
    """A draft that passes the publishing checks: area-wide, in a category, checked."""

    area_covered = Service.AreaCovered.ALLIANCE_AREA
    last_verified_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def categories(self, create: bool, extracted: list[Category] | None, **kwargs: object) -> None:
        if create:
            self.categories.set(extracted or [CategoryFactory()])
