"""Open Referral UK (HSDS 3) shaped JSON of the published directory (public data only).

Only published and temporarily closed services, and what is reachable from them (their
organisations, service-at-locations and locations), are ever shown; drafts and archived
services never. Confidential locations go through the same masking as the HTML
(directory/masking.py). Field names follow HSDS 3 and the ORUK profile; docs/api.md.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Sequence
from typing import Any

from django.conf import settings
from django.db.models import Exists, F, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from rest_framework import serializers
from rest_framework.decorators import api_view, throttle_classes
from rest_framework.exceptions import APIException, NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle

from directory.masking import public_location
from directory.models import Category, Location, Organisation, Service, ServiceAtLocation
from directory.selectors import (
    ServiceAtCategory,
    bounding_box,
    category_ids_with_descendants,
    haversine_miles,
    postcode_lookup,
)

HSDS_VERSION = "3.0"
ORUK_PROFILE_URL = "https://github.com/OpenReferralUK/uk-profile"
DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 100
METRES_PER_MILE = 1609.344
# Further than this is not "near" in a local directory; it also bounds the indexed box search.
MAX_PROXIMITY_METRES = 200_000
STATUS = {
    Service.Status.PUBLISHED: "active",
    Service.Status.TEMPORARILY_CLOSED: "temporarily closed",
}
# The alliance has one vocabulary: its categories (two levels, parent and child).
TAXONOMY_ID = "alliance"
TRUE_FALSE = {"true": True, "1": True, "false": False, "0": False}


class PublicApiThrottle(AnonRateThrottle):
    rate = "120/minute"


class BadParameter(APIException):
    status_code = 400
    default_detail = "A query parameter is not valid."
    default_code = "bad_parameter"


def oruk_endpoint(view: Callable[..., Response]) -> Callable[..., HttpResponse]:
    """A public GET endpoint: throttled, errors as JSON `{"detail": …}`, any origin may read.

    The CORS header is added outside DRF's view so that 404, 400, 405 and 429 answers carry it
    too: a browser client must be able to read why it was refused (ORUK compliance rules).
    """
    drf_view = api_view(["GET"])(throttle_classes([PublicApiThrottle])(view))

    @functools.wraps(drf_view)
    def endpoint(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response: HttpResponse = drf_view(request, *args, **kwargs)
        response["Access-Control-Allow-Origin"] = "*"
        return response

    return endpoint


# Representations ---------------------------------------------------------------------------


def _search_url() -> str:
    return f"{settings.SITE_URL}{reverse('directory:search')}"


def _oruk_status(service: Service) -> str:
    return STATUS.get(Service.Status(service.status), "inactive")


class LocationSerializer(serializers.Serializer):
    def to_representation(self, instance: Location) -> dict[str, Any]:
        place = public_location(instance)
        return {
            "id": str(place.id),
            "name": place.name,
            "latitude": place.latitude,
            "longitude": place.longitude,
            "accessibility": [{"description": place.accessibility_notes}]
            if place.accessibility_notes
            else [],
            "physical_addresses": [
                {
                    "address_1": place.address_1,
                    "address_2": place.address_2,
                    "city": place.town,
                    "postal_code": place.postcode,
                    "country": "GB",
                }
            ],
        }


class TaxonomyTermSerializer(serializers.Serializer):
    """A category as an HSDS taxonomy_term; needs `parent` selected (no query per term)."""

    def to_representation(self, instance: Category) -> dict[str, Any]:
        parent = instance.parent.slug if instance.parent else None
        search = _search_url()
        return {
            "id": instance.slug,
            "code": instance.slug,
            "name": instance.name,
            "description": instance.description,
            "parent_id": parent,
            "taxonomy_id": TAXONOMY_ID,
            "language": "en",
            "term_uri": f"{search}?category={instance.slug}",
            # The ORUK v1 names, kept for the clients written against them.
            "vocabulary": TAXONOMY_ID,
            "parent": parent,
        }


class ServiceSummarySerializer(serializers.Serializer):
    """A service's one-to-one fields, as nested in a service_at_location or an organization."""

    def to_representation(self, instance: Service) -> dict[str, Any]:
        return {
            "id": str(instance.pk),
            "name": instance.name,
            "description": instance.description or instance.summary,
            "status": _oruk_status(instance),
            "organization_id": str(instance.organisation_id),
            "url": instance.website,
        }


class ServiceSerializer(serializers.Serializer):
    def to_representation(self, instance: Service) -> dict[str, Any]:
        return {
            "id": str(instance.pk),
            "organization_id": str(instance.organisation_id),
            "name": instance.name,
            "description": instance.description or instance.summary,
            "url": instance.website,
            "email": instance.email,
            "status": _oruk_status(instance),
            "fees": "" if instance.is_free else instance.cost,
            "cost_options": [{"amount": 0, "option": "Free"}] if instance.is_free else [],
            "assured_date": instance.last_verified_at.date().isoformat()
            if instance.last_verified_at
            else None,
            "attending_type": instance.delivery_modes,
            "attending_access": instance.access_methods,
            "eligibilitys": [
                {
                    "eligibility": instance.eligibility,
                    "minimum_age": instance.min_age,
                    "maximum_age": instance.max_age,
                }
            ],
            "languages": [{"code": code} for code in instance.languages],
            "organization": {
                "id": str(instance.organisation_id),
                "name": instance.organisation.name,
            },
            "contacts": [{"phone": instance.phone}] if instance.phone else [],
            "service_areas": [{"extent_type": instance.area_covered}],
            "service_at_locations": [
                {
                    "id": str(sal.pk),
                    "service_id": str(instance.pk),
                    "location_id": str(sal.location_id),
                    "location": LocationSerializer(sal.location).data,
                }
                for sal in instance.service_at_locations.all()
            ],
            "taxonomy_terms": TaxonomyTermSerializer(instance.categories.all(), many=True).data,
        }


class ServiceAtLocationSerializer(serializers.Serializer):
    """Needs `service` and `location` selected; `full` nests the whole service instead."""

    def to_representation(self, instance: ServiceAtLocation) -> dict[str, Any]:
        nested = ServiceSerializer if self.context.get("full") else ServiceSummarySerializer
        return {
            "id": str(instance.pk),
            "service_id": str(instance.service_id),
            "location_id": str(instance.location_id),
            "description": "",
            "service": nested(instance.service).data,
            "location": LocationSerializer(instance.location).data,
        }


class OrganizationSerializer(serializers.Serializer):
    """Needs `public_services` prefetched: only its published and temporarily closed ones."""

    def to_representation(self, instance: Organisation) -> dict[str, Any]:
        return {
            "id": str(instance.pk),
            "name": instance.name,
            "description": instance.description,
            "email": instance.email,
            "website": instance.website,
            "phones": [{"number": instance.phone}] if instance.phone else [],
            "services": ServiceSummarySerializer(
                instance.public_services,  # type: ignore[attr-defined]
                many=True,
            ).data,
        }


def _taxonomy() -> dict[str, Any]:
    return {
        "id": TAXONOMY_ID,
        "name": f"{settings.ALLIANCE_NAME} categories",
        "description": f"The categories of services listed by the {settings.ALLIANCE_NAME}.",
        "uri": _search_url(),
        "version": "1",
    }


# Querysets: everything public starts from a public service ---------------------------------


def _public_services() -> QuerySet[Service]:
    return Service.objects.filter(status__in=list(STATUS))


def _services() -> QuerySet[Service]:
    return (
        _public_services()
        .select_related("organisation")
        .prefetch_related(
            Prefetch(
                "service_at_locations",
                queryset=ServiceAtLocation.objects.select_related("location").order_by(
                    "location__name", "pk"
                ),
            ),
            Prefetch("categories", queryset=Category.objects.select_related("parent")),
        )
        .order_by("name", "pk")
    )


def _service_at_locations() -> QuerySet[ServiceAtLocation]:
    return (
        ServiceAtLocation.objects.filter(service__status__in=list(STATUS))
        .select_related("service", "location")
        .order_by("service__name", "location__name", "pk")
    )


def _organisations() -> QuerySet[Organisation]:
    return (
        Organisation.objects.filter(
            Exists(_public_services().filter(organisation_id=OuterRef("pk")))
        )
        .prefetch_related(
            Prefetch(
                "services",
                queryset=_public_services().order_by("name", "pk"),
                to_attr="public_services",
            )
        )
        .order_by("name", "pk")
    )


def _taxonomy_terms() -> QuerySet[Category]:
    # The vocabulary itself is public (it is the search page's category list); it has no
    # draft state of its own, so every term is shown. Tree order: each parent, then its children.
    return Category.objects.select_related("parent").order_by(
        Coalesce("parent__position", "position"),
        Coalesce("parent__name", "name"),
        F("parent_id").asc(nulls_first=True),
        "position",
        "name",
        "pk",
    )


# Query parameters ---------------------------------------------------------------------------


def _positive_int(name: str, raw: str | None, default: int, maximum: int) -> int:
    """A paging parameter: a machine client sending nonsense is told so (400), while a number
    past the end is brought into range, as ORUK clients walking pages expect."""
    if raw is None or raw == "":
        return default
    if not raw.isdigit() or int(raw) < 1:
        raise BadParameter(f"{name} must be a whole number, 1 or more.")
    return min(int(raw), maximum)


def _id_param(request: Request, name: str) -> int | None:
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return None
    if not raw.isdigit():
        raise BadParameter(f"{name} must be a whole number, the id of a record.")
    return int(raw)


def _bool_param(request: Request, name: str) -> bool | None:
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return None
    if raw.lower() not in TRUE_FALSE:
        raise BadParameter(f"{name} must be true or false.")
    return TRUE_FALSE[raw.lower()]


def _path_id(pk: str, what: str) -> int:
    if not pk.isdigit():
        raise NotFound(f"No {what} has the id {pk!r}: ids are whole numbers.")
    return int(pk)


def _filter_services(request: Request, rows: QuerySet[Any], prefix: str = "") -> QuerySet[Any]:
    """The ORUK service filters shared by /services and /service_at_locations."""
    organisation = _id_param(request, "organization_id")
    if organisation is not None:
        rows = rows.filter(**{f"{prefix}organisation_id": organisation})
    taxonomy = request.query_params.get("taxonomy_id")
    if taxonomy and taxonomy != TAXONOMY_ID:
        return rows.none()
    term = request.query_params.get("taxonomy_term_id")
    if term:
        # A parent term also finds its children's services, like the search page.
        tagged = ServiceAtCategory.objects.filter(
            service_id=OuterRef(f"{prefix}pk"),
            category_id__in=category_ids_with_descendants([term]),
        )
        rows = rows.filter(Exists(tagged))
    return rows


def _near_postcode(
    request: Request, rows: QuerySet[ServiceAtLocation]
) -> QuerySet[ServiceAtLocation]:
    """ORUK `postcode` (nearest first) and `proximity` (metres from the postcode's centroid)."""
    raw_postcode = request.query_params.get("postcode", "").strip()
    raw_proximity = request.query_params.get("proximity", "").strip()
    if not raw_postcode:
        if raw_proximity:
            raise BadParameter("proximity needs a postcode to measure from.")
        return rows
    found = postcode_lookup(raw_postcode)
    if found is None:
        raise BadParameter("postcode is not a UK postcode or district that we know.")
    # Confidential locations are stored rounded (Location.save), so neither the filter nor the
    # order can tell anyone more than the rounded point already published.
    distance = Subquery(
        Location.objects.filter(pk=OuterRef("location_id"))
        .annotate(miles=haversine_miles(found.latitude, found.longitude))
        .values("miles")[:1]
    )
    rows = rows.annotate(distance_miles=distance)
    if raw_proximity:
        try:
            metres = float(raw_proximity)
        except ValueError:
            metres = -1.0
        if not 0 < metres <= MAX_PROXIMITY_METRES or math.isnan(metres):
            raise BadParameter(
                f"proximity must be a distance in metres, above 0 and at most "
                f"{MAX_PROXIMITY_METRES}."
            )
        miles = metres / METRES_PER_MILE
        rows = rows.filter(
            bounding_box(found.latitude, found.longitude, miles, prefix="location__"),
            distance_miles__lte=miles,
        )
    return rows.order_by("distance_miles", "service__name", "pk")


# Responses ----------------------------------------------------------------------------------


def _page(
    request: Request,
    rows: QuerySet[Any] | Sequence[Any],
    serialize: Callable[[Any], Any],
) -> Response:
    """One page of `rows` in the ORUK paging envelope: a count query and a page query."""
    size = _positive_int(
        "per_page", request.query_params.get("per_page"), DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE
    )
    total = rows.count() if isinstance(rows, QuerySet) else len(rows)
    pages = max(math.ceil(total / size), 1)
    page = _positive_int("page", request.query_params.get("page"), 1, pages)
    contents = serialize(rows[(page - 1) * size : page * size])
    return Response(
        {
            "total_items": total,
            "total_pages": pages,
            "page_number": page,
            "size": len(contents),
            "first_page": page == 1,
            "last_page": page == pages,
            "empty": not contents,
            "contents": contents,
        }
    )


def _many(serializer: type[serializers.Serializer], **context: Any) -> Callable[..., Any]:
    return lambda rows: serializer(rows, many=True, context=context).data


# Endpoints ----------------------------------------------------------------------------------


@oruk_endpoint
def api_root(request: Request) -> Response:
    """GET /api/v1/: what this API is (ORUK "API info") and the endpoints it serves."""
    base = request.build_absolute_uri(reverse("api:root")).rstrip("/")
    return Response(
        {
            "version": HSDS_VERSION,
            "profile": ORUK_PROFILE_URL,
            "description": f"Services listed by the {settings.ALLIANCE_NAME} "
            f"({settings.ALLIANCE_AREA}), as Open Referral UK.",
            "publisher": {
                "name": settings.ALLIANCE_NAME,
                "email": settings.ALLIANCE_CONTACT_EMAIL,
                "website": settings.SITE_URL,
            },
            "endpoints": [
                {"name": name, "link": f"{base}/{name}"}
                for name in (
                    "services",
                    "service_at_locations",
                    "organizations",
                    "taxonomies",
                    "taxonomy_terms",
                )
            ],
        }
    )


@oruk_endpoint
def services_list(request: Request) -> Response:
    """GET /api/v1/services: one page of published services, ORUK paging fields."""
    return _page(request, _filter_services(request, _services()), _many(ServiceSerializer))


@oruk_endpoint
def service_detail(request: Request, pk: str) -> Response:
    """GET /api/v1/services/<id>: one published or temporarily closed service."""
    service = _services().filter(pk=_path_id(pk, "service")).first()
    if service is None:
        raise NotFound("No published service has this id.")
    return Response(ServiceSerializer(service).data)


@oruk_endpoint
def service_at_locations_list(request: Request) -> Response:
    """GET /api/v1/service_at_locations: where each public service is delivered."""
    rows = _near_postcode(request, _filter_services(request, _service_at_locations(), "service__"))
    return _page(request, rows, _many(ServiceAtLocationSerializer))


@oruk_endpoint
def service_at_location_detail(request: Request, pk: str) -> Response:
    """GET /api/v1/service_at_locations/<id>: one, with its service fully nested."""
    # The service is prefetched, not joined: a joined one would skip its own prefetches.
    sal = (
        ServiceAtLocation.objects.filter(
            pk=_path_id(pk, "service at location"), service__status__in=list(STATUS)
        )
        .select_related("location")
        .prefetch_related(Prefetch("service", queryset=_services()))
        .first()
    )
    if sal is None:
        raise NotFound("No service at location of a published service has this id.")
    return Response(ServiceAtLocationSerializer(sal, context={"full": True}).data)


@oruk_endpoint
def organizations_list(request: Request) -> Response:
    """GET /api/v1/organizations: organisations running at least one public service."""
    return _page(request, _organisations(), _many(OrganizationSerializer))


@oruk_endpoint
def organization_detail(request: Request, pk: str) -> Response:
    """GET /api/v1/organizations/<id>: one organisation that runs a public service."""
    organisation = _organisations().filter(pk=_path_id(pk, "organization")).first()
    if organisation is None:
        raise NotFound("No organization with a published service has this id.")
    return Response(OrganizationSerializer(organisation).data)


@oruk_endpoint
def taxonomies_list(request: Request) -> Response:
    """GET /api/v1/taxonomies: the one vocabulary, the alliance's categories."""
    return _page(request, [_taxonomy()], list)


@oruk_endpoint
def taxonomy_detail(request: Request, pk: str) -> Response:
    """GET /api/v1/taxonomies/<id>: the alliance's vocabulary."""
    if pk != TAXONOMY_ID:
        raise NotFound(f"The only taxonomy here is {TAXONOMY_ID!r}.")
    return Response(_taxonomy())


@oruk_endpoint
def taxonomy_terms_list(request: Request) -> Response:
    """GET /api/v1/taxonomy_terms: the categories, parents with `parent_id` null."""
    rows = _taxonomy_terms()
    taxonomy = request.query_params.get("taxonomy_id")
    if taxonomy and taxonomy != TAXONOMY_ID:
        rows = rows.none()
    parent = request.query_params.get("parent_id")
    if parent:
        rows = rows.filter(parent__slug=parent)
    if _bool_param(request, "top_only"):
        rows = rows.filter(parent__isnull=True)
    return _page(request, rows, _many(TaxonomyTermSerializer))


@oruk_endpoint
def taxonomy_term_detail(request: Request, pk: str) -> Response:
    """GET /api/v1/taxonomy_terms/<id>: one category; its id is its slug."""
    term = _taxonomy_terms().filter(slug=pk).first()
    if term is None:
        raise NotFound("No taxonomy term has this id.")
    return Response(TaxonomyTermSerializer(term).data)


@oruk_endpoint
def not_found(request: Request, path: str = "") -> Response:
    """Anything else under /api/v1/: a JSON 404, not the site's HTML page."""
    raise NotFound("No such endpoint: GET /api/v1/ lists them.")
