"""HSDS 3.0 records of the public directory, named as the Open Referral UK profile names them.

HSDS has no nulls: a value the directory does not hold (no email, no age limit, no parent
term) is left out of the record, never sent as null or as an empty address. Records derived
from one field of their parent (a service's phone, a location's address, a language) have an
id made from the parent's (`service-12`, `location-4`, `service-12-en`), so they are unique
and stay the same from one request to the next. Every location goes through
directory/masking.py first (DESIGN.md privacy rule 7).

Each serializer needs its rows read with what it nests (directory/selectors.py `api_*`), so a
page costs the same few queries however many rows it holds.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from directory.languages import LANGUAGE_CHOICES
from directory.masking import PublicLocation, public_location
from directory.models import (
    Category,
    Contact,
    Location,
    Organisation,
    Schedule,
    Service,
    ServiceAtLocation,
)

HSDS_VERSION = "3.0"
ORUK_PROFILE_URL = "https://github.com/OpenReferralUK/uk-profile"
# The alliance has one vocabulary: its categories (two levels, parent and child).
TAXONOMY_ID = "alliance"
STATUS = {
    Service.Status.PUBLISHED: "active",
    Service.Status.TEMPORARILY_CLOSED: "temporarily closed",
}
HSDS_STATUSES = ["active", "inactive", "defunct", "temporarily closed"]
# iCalendar day codes (RFC 5545), which HSDS schedules use, by Schedule.Weekday.
ICAL_DAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
LANGUAGE_NAMES = dict(LANGUAGE_CHOICES)
TIME_FORMAT = "%H:%M"


def search_url() -> str:
    return f"{settings.SITE_URL}{reverse('directory:search')}"


class Record(serializers.Serializer):
    """A read-only HSDS record: a field whose value is None is left out, not sent as null."""

    def to_representation(self, instance: Any) -> dict[str, Any]:
        data = super().to_representation(instance)
        return {key: value for key, value in data.items() if value is not None}


class OptionalCharField(serializers.CharField):
    """Text left out when blank: HSDS formats such as `email` and `uri` refuse ""."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def to_representation(self, value: Any) -> str | None:
        return str(value) or None


class IdField(serializers.CharField):
    """A record's id: its primary key as a string, as HSDS wants every id."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("source", "pk")
        super().__init__(**kwargs)


# Small records derived from a field of their parent ------------------------------------------


class PhoneSerializer(Record):
    id = serializers.CharField()
    number = serializers.CharField()


class LanguageSerializer(Record):
    id = serializers.CharField()
    name = serializers.CharField()
    code = serializers.CharField()


class CostOptionSerializer(Record):
    id = serializers.CharField()
    option = serializers.CharField()
    amount = serializers.IntegerField()
    currency = serializers.CharField()


class ServiceAreaSerializer(Record):
    id = serializers.CharField()
    name = serializers.CharField()
    description = OptionalCharField()


class EligibilitySerializer(Record):
    """The ORUK v1 `eligibilitys` record, kept for the clients written against it."""

    eligibility = serializers.CharField()
    minimum_age = serializers.IntegerField(required=False)
    maximum_age = serializers.IntegerField(required=False)


class AccessibilitySerializer(Record):
    id = serializers.CharField()
    description = serializers.CharField()


class AddressSerializer(Record):
    """An HSDS 3.0 address. We hold no county, so `state_province` is empty."""

    id = serializers.CharField()
    address_1 = serializers.CharField(allow_blank=True)
    address_2 = serializers.CharField(allow_blank=True)
    city = serializers.CharField(allow_blank=True)
    state_province = serializers.CharField(allow_blank=True)
    postal_code = serializers.CharField()
    country = serializers.CharField()
    address_type = serializers.CharField()


class PhysicalAddressSerializer(Record):
    """The ORUK v1 `physical_addresses` record, kept for the clients written against it."""

    address_1 = serializers.CharField(allow_blank=True)
    address_2 = serializers.CharField(allow_blank=True)
    city = serializers.CharField(allow_blank=True)
    postal_code = serializers.CharField()
    country = serializers.CharField()


def phones(owner: str, pk: int, number: str) -> list[Any]:
    if not number:
        return []
    return PhoneSerializer([{"id": f"{owner}-{pk}", "number": number}], many=True).data


# Places and terms ------------------------------------------------------------------------------


class LocationSerializer(Record):
    """A place, always as the public may see it: a confidential one keeps only its district."""

    id = serializers.CharField()
    location_type = serializers.SerializerMethodField()
    name = serializers.CharField()
    latitude = serializers.FloatField()
    longitude = serializers.FloatField()
    accessibility = serializers.SerializerMethodField()
    addresses = serializers.SerializerMethodField()
    physical_addresses = serializers.SerializerMethodField()

    def to_representation(self, instance: Location) -> dict[str, Any]:
        return super().to_representation(public_location(instance))

    @extend_schema_field({"type": "string", "enum": ["physical"]})
    def get_location_type(self, place: PublicLocation) -> str:
        return "physical"

    @extend_schema_field(AccessibilitySerializer(many=True))
    def get_accessibility(self, place: PublicLocation) -> list[Any]:
        if not place.accessibility_notes:
            return []
        rows = [{"id": f"location-{place.id}", "description": place.accessibility_notes}]
        return AccessibilitySerializer(rows, many=True).data

    def _address(self, place: PublicLocation) -> dict[str, str]:
        return {
            "address_1": place.address_1,
            "address_2": place.address_2,
            "city": place.town,
            "postal_code": place.postcode,
            "country": "GB",
        }

    @extend_schema_field(AddressSerializer(many=True))
    def get_addresses(self, place: PublicLocation) -> list[Any]:
        row = {
            **self._address(place),
            "id": f"location-{place.id}",
            "state_province": "",
            "address_type": "physical",
        }
        return AddressSerializer([row], many=True).data

    @extend_schema_field(PhysicalAddressSerializer(many=True))
    def get_physical_addresses(self, place: PublicLocation) -> list[Any]:
        return PhysicalAddressSerializer([self._address(place)], many=True).data


class TaxonomyTermSerializer(Record):
    """A category as an HSDS taxonomy term; needs `parent` selected (no query per term)."""

    id = serializers.CharField(source="slug")
    code = serializers.CharField(source="slug")
    name = serializers.CharField()
    description = serializers.CharField(allow_blank=True)
    parent_id = serializers.CharField(source="parent.slug", required=False)
    taxonomy_id = serializers.SerializerMethodField()
    language = serializers.SerializerMethodField()
    term_uri = serializers.SerializerMethodField()
    # The ORUK v1 names of taxonomy_id and parent_id, kept for the clients written against them.
    vocabulary = serializers.SerializerMethodField()
    parent = serializers.CharField(source="parent.slug", required=False)

    def get_taxonomy_id(self, term: Category) -> str:
        return TAXONOMY_ID

    def get_vocabulary(self, term: Category) -> str:
        return TAXONOMY_ID

    def get_language(self, term: Category) -> str:
        return "en"

    def get_term_uri(self, term: Category) -> str:
        return f"{search_url()}?category={term.slug}"


class AttributeSerializer(Record):
    """HSDS 3.0 links a taxonomy term to a service through an attribute."""

    id = serializers.SerializerMethodField()
    link_id = serializers.SerializerMethodField()
    link_entity = serializers.SerializerMethodField()
    taxonomy_term_id = serializers.CharField(source="slug")
    taxonomy_term = TaxonomyTermSerializer(source="*")

    def get_id(self, term: Category) -> str:
        return f"service-{self.context['service_id']}-category-{term.pk}"

    def get_link_id(self, term: Category) -> str:
        return str(self.context["service_id"])

    def get_link_entity(self, term: Category) -> str:
        return "service"


@dataclass(frozen=True)
class Taxonomy:
    id: str
    name: str
    description: str
    uri: str
    version: str


def the_taxonomy() -> Taxonomy:
    """The one vocabulary: the alliance's categories, named from its settings."""
    return Taxonomy(
        id=TAXONOMY_ID,
        name=f"{settings.ALLIANCE_NAME} categories",
        description=f"The categories of services listed by the {settings.ALLIANCE_NAME}.",
        uri=search_url(),
        version="1",
    )


class TaxonomySerializer(Record):
    id = serializers.CharField()
    name = serializers.CharField()
    description = serializers.CharField()
    uri = serializers.CharField()
    version = serializers.CharField()


# Services ---------------------------------------------------------------------------------------


@extend_schema_field({"type": "string", "enum": HSDS_STATUSES})
class StatusField(serializers.Field):
    """The HSDS status of a service: only visible services are served, so active or closed."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, value: str) -> str:
        return STATUS.get(Service.Status(value), "inactive")


class ServiceSummarySerializer(Record):
    """A service's one-to-one fields, as nested in a service_at_location or an organization."""

    id = IdField()
    name = serializers.CharField()
    description = serializers.SerializerMethodField()
    status = StatusField()
    organization_id = serializers.CharField(source="organisation_id")
    url = OptionalCharField(source="website")

    def get_description(self, service: Service) -> str:
        return service.description or service.summary


class OrganizationSummarySerializer(Record):
    id = IdField()
    name = serializers.CharField()
    description = serializers.CharField(allow_blank=True)


class ContactSerializer(Record):
    id = IdField()
    service_id = serializers.CharField()
    name = OptionalCharField()
    title = OptionalCharField()
    email = OptionalCharField()
    phones = serializers.SerializerMethodField()

    @extend_schema_field(PhoneSerializer(many=True))
    def get_phones(self, contact: Contact) -> list[Any]:
        return phones("contact", contact.pk, contact.phone)


class ScheduleSerializer(Record):
    """Weekly opening times in UK local time (so no fixed offset: it changes with the clocks)."""

    id = IdField()
    service_id = serializers.CharField()
    freq = serializers.SerializerMethodField()
    wkst = serializers.SerializerMethodField()
    byday = serializers.SerializerMethodField()
    opens_at = serializers.TimeField(format=TIME_FORMAT)
    closes_at = serializers.TimeField(format=TIME_FORMAT)
    description = serializers.SerializerMethodField()
    notes = OptionalCharField()

    @extend_schema_field({"type": "string", "enum": ["WEEKLY"]})
    def get_freq(self, schedule: Schedule) -> str:
        return "WEEKLY"

    @extend_schema_field({"type": "string", "enum": ["MO"]})
    def get_wkst(self, schedule: Schedule) -> str:
        return "MO"

    def get_byday(self, schedule: Schedule) -> str:
        return ICAL_DAYS[schedule.weekday]

    def get_description(self, schedule: Schedule) -> str:
        return str(schedule)


class ServiceAtLocationInServiceSerializer(Record):
    id = IdField()
    service_id = serializers.CharField()
    location_id = serializers.CharField()
    location = LocationSerializer()


class ServiceSerializer(ServiceSummarySerializer):
    """A whole service. Needs api_services()'s joins and prefetches."""

    email = OptionalCharField()
    fees = serializers.SerializerMethodField()
    fees_description = serializers.SerializerMethodField()
    cost_options = serializers.SerializerMethodField()
    application_process = OptionalCharField(source="how_to_access")
    assured_date = serializers.SerializerMethodField()
    last_modified = serializers.DateTimeField(source="updated_at")
    attending_type = serializers.ListField(child=serializers.CharField(), source="delivery_modes")
    attending_access = serializers.ListField(child=serializers.CharField(), source="access_methods")
    eligibility_description = OptionalCharField(source="eligibility")
    minimum_age = serializers.IntegerField(source="min_age", required=False)
    maximum_age = serializers.IntegerField(source="max_age", required=False)
    eligibilitys = serializers.SerializerMethodField()
    languages = serializers.SerializerMethodField()
    organization = OrganizationSummarySerializer(source="organisation")
    phones = serializers.SerializerMethodField()
    contacts = ContactSerializer(many=True)
    schedules = ScheduleSerializer(many=True)
    service_areas = serializers.SerializerMethodField()
    service_at_locations = ServiceAtLocationInServiceSerializer(many=True)
    taxonomy_terms = TaxonomyTermSerializer(many=True, source="categories")
    attributes = serializers.SerializerMethodField()

    def get_fees(self, service: Service) -> str:
        return "" if service.is_free else service.cost

    def get_fees_description(self, service: Service) -> str:
        return "Free" if service.is_free else service.cost

    @extend_schema_field(CostOptionSerializer(many=True))
    def get_cost_options(self, service: Service) -> list[Any]:
        if not service.is_free:
            return []
        free = {"id": f"service-{service.pk}", "option": "Free", "amount": 0, "currency": "GBP"}
        return CostOptionSerializer([free], many=True).data

    @extend_schema_field(OpenApiTypes.DATE)
    def get_assured_date(self, service: Service) -> str | None:
        # The date a curator last checked the listing, not its last edit (docs/api.md).
        checked = service.last_verified_at
        return timezone.localdate(checked).isoformat() if checked else None

    @extend_schema_field(EligibilitySerializer(many=True))
    def get_eligibilitys(self, service: Service) -> list[Any]:
        row = {
            "eligibility": service.eligibility,
            "minimum_age": service.min_age,
            "maximum_age": service.max_age,
        }
        return EligibilitySerializer([row], many=True).data

    @extend_schema_field(LanguageSerializer(many=True))
    def get_languages(self, service: Service) -> list[Any]:
        rows = [
            {
                "id": f"service-{service.pk}-{code}",
                "name": str(LANGUAGE_NAMES.get(code, code)),
                "code": code,
            }
            for code in service.languages
        ]
        return LanguageSerializer(rows, many=True).data

    @extend_schema_field(PhoneSerializer(many=True))
    def get_phones(self, service: Service) -> list[Any]:
        return phones("service", service.pk, service.phone)

    @extend_schema_field(ServiceAreaSerializer(many=True))
    def get_service_areas(self, service: Service) -> list[Any]:
        kind = Service.AreaCovered
        description = ""
        if service.area_covered == kind.ALLIANCE_AREA:
            description = settings.ALLIANCE_AREA
        elif service.area_covered == kind.RADIUS and service.area_radius_miles:
            description = f"Within {service.area_radius_miles:g} miles of its locations"
        row = {
            "id": f"service-{service.pk}",
            "name": str(kind(service.area_covered).label),
            "description": description,
        }
        return ServiceAreaSerializer([row], many=True).data

    @extend_schema_field(AttributeSerializer(many=True))
    def get_attributes(self, service: Service) -> list[Any]:
        context = {"service_id": service.pk}
        return AttributeSerializer(service.categories.all(), many=True, context=context).data


# Service at locations and organisations -----------------------------------------------------


class ServiceAtLocationSerializer(Record):
    """A service at a place, its service's one-to-one fields nested (the list's shape)."""

    id = IdField()
    service_id = serializers.CharField()
    location_id = serializers.CharField()
    description = serializers.SerializerMethodField()
    service = ServiceSummarySerializer()
    location = LocationSerializer()

    def get_description(self, row: ServiceAtLocation) -> str:
        return ""


class ServiceAtLocationDetailSerializer(ServiceAtLocationSerializer):
    """One service at a place, its whole service nested (ORUK's "fully nested" read)."""

    service = ServiceSerializer()


class OrganizationSerializer(Record):
    """Needs `public_services` prefetched (api_organisations): only its visible services."""

    id = IdField()
    name = serializers.CharField()
    description = serializers.CharField(allow_blank=True)
    email = OptionalCharField()
    website = OptionalCharField()
    phones = serializers.SerializerMethodField()
    services = ServiceSummarySerializer(many=True, source="public_services")

    @extend_schema_field(PhoneSerializer(many=True))
    def get_phones(self, organisation: Organisation) -> list[Any]:
        return phones("organization", organisation.pk, organisation.phone)


# The API info at the root ------------------------------------------------------------------


class PublisherSerializer(serializers.Serializer):
    name = serializers.CharField()
    email = serializers.CharField()
    website = serializers.CharField()


class EndpointSerializer(serializers.Serializer):
    name = serializers.CharField()
    link = serializers.CharField()


class ApiInfoSerializer(serializers.Serializer):
    """ORUK's "API info": which HSDS version and profile, where the OpenAPI document is."""

    version = serializers.CharField()
    profile = serializers.CharField()
    openapi_url = serializers.CharField()
    description = serializers.CharField()
    publisher = PublisherSerializer()
    endpoints = EndpointSerializer(many=True)
