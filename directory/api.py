"""Open Referral UK shaped JSON of the published directory (public data only).

Confidential locations go through the same masking as the HTML (directory/masking.py).
"""

from __future__ import annotations

import math
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from rest_framework import serializers
from rest_framework.decorators import api_view, throttle_classes
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle

from directory.masking import public_location
from directory.models import Category, Location, Service

MAX_PAGE_SIZE = 100
STATUS = {
    Service.Status.PUBLISHED: "active",
    Service.Status.TEMPORARILY_CLOSED: "temporarily closed",
}


class PublicApiThrottle(AnonRateThrottle):
    rate = "120/minute"


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


class ServiceSerializer(serializers.Serializer):
    def to_representation(self, instance: Service) -> dict[str, Any]:
        return {
            "id": str(instance.pk),
            "name": instance.name,
            "description": instance.description or instance.summary,
            "url": instance.website,
            "email": instance.email,
            "status": STATUS.get(Service.Status(instance.status), "inactive"),
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
                    "id": f"{instance.pk}-{location.pk}",
                    "location": LocationSerializer(location).data,
                }
                for location in instance.locations.all()
            ],
            "taxonomy_terms": [
                {
                    "id": category.slug,
                    "name": category.name,
                    "parent": category.parent.slug if category.parent else None,
                    "vocabulary": "alliance",
                }
                for category in instance.categories.all()
            ],
        }


def _services() -> QuerySet[Service]:
    return (
        Service.objects.filter(status__in=list(STATUS))
        .select_related("organisation")
        .prefetch_related(
            Prefetch("locations", queryset=Location.objects.order_by("name")),
            Prefetch("categories", queryset=Category.objects.select_related("parent")),
        )
        .order_by("name", "pk")
    )


def _positive_int(raw: str | None, default: int, maximum: int) -> int:
    try:
        value = int(raw or default)
    except ValueError:
        return default
    return min(max(value, 1), maximum)


def _cors(response: Response) -> Response:
    # ORUK: public GET endpoints are readable from any origin, with no keys.
    response["Access-Control-Allow-Origin"] = "*"
    return response


@api_view(["GET"])
@throttle_classes([PublicApiThrottle])
def services_list(request: Request) -> Response:
    """GET /api/v1/services: one page of published services, ORUK paging fields."""
    size = _positive_int(request.query_params.get("per_page"), 50, MAX_PAGE_SIZE)
    services = _services()
    total = services.count()
    pages = max(math.ceil(total / size), 1)
    page = _positive_int(request.query_params.get("page"), 1, pages)
    contents = ServiceSerializer(services[(page - 1) * size : page * size], many=True).data
    return _cors(
        Response(
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
    )


@api_view(["GET"])
@throttle_classes([PublicApiThrottle])
def service_detail(request: Request, pk: str) -> Response:
    """GET /api/v1/services/<id>: one published or temporarily closed service."""
    if not pk.isdigit():
        raise Http404
    service = _services().filter(pk=int(pk)).first()
    if service is None:
        raise Http404
    return _cors(Response(ServiceSerializer(service).data))
