"""Read-only endpoints of the Open Referral UK API: thin viewsets over directory/selectors.py.

Every answer, errors included, carries `Access-Control-Allow-Origin: *` (a browser client must
be able to read why it was refused, as the ORUK compliance rules ask) and is throttled per
client address (settings: `PROXY_COUNT` says which address is the client's).
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db.models import QuerySet
from django.urls import reverse
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.renderers import OpenApiJsonRenderer
from drf_spectacular.utils import OpenApiParameter, extend_schema
from drf_spectacular.views import SpectacularAPIView
from rest_framework import viewsets
from rest_framework.exceptions import NotFound
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from alliance.params import ParamError, parse_id, parse_text
from directory import selectors
from directory.api import filters, serializers
from directory.api.pagination import OpenReferralPagination
from directory.models import Category, Organisation, Service, ServiceAtLocation

ENDPOINTS = ("services", "service_at_locations", "organizations", "taxonomies", "taxonomy_terms")


class PublicApiThrottle(AnonRateThrottle):
    rate = "120/minute"


class OpenReferralMixin:
    """What every API view shares: throttle, paging, filters, CORS on every answer."""

    throttle_classes = [PublicApiThrottle]
    pagination_class = OpenReferralPagination
    filter_backends = [DjangoFilterBackend]

    def finalize_response(
        self, request: Request, response: Response, *args: Any, **kwargs: Any
    ) -> Response:
        response = super().finalize_response(request, response, *args, **kwargs)  # type: ignore[misc]
        response["Access-Control-Allow-Origin"] = "*"
        return response


def path_id(raw: str, what: str) -> int:
    """An id from the path: not a whole number is simply not found (never a 500)."""
    try:
        pk = parse_id(raw, name="id")
    except ParamError:
        pk = None
    if pk is None:
        raise NotFound(f"No {what} has this id: ids are whole numbers.")
    return pk


class ServiceViewSet(OpenReferralMixin, viewsets.ReadOnlyModelViewSet):
    """Published and temporarily closed services, fully nested."""

    serializer_class = serializers.ServiceSerializer
    filterset_class = filters.ServiceFilter

    def get_queryset(self) -> QuerySet[Service]:
        return selectors.api_services()

    def get_object(self) -> Service:
        service = self.get_queryset().filter(pk=path_id(self.kwargs["pk"], "service")).first()
        if service is None:
            raise NotFound("No published service has this id.")
        return service


class ServiceAtLocationViewSet(OpenReferralMixin, viewsets.ReadOnlyModelViewSet):
    """Where each public service is delivered; one of them nests its whole service."""

    filterset_class = filters.ServiceAtLocationFilter

    def get_queryset(self) -> QuerySet[ServiceAtLocation]:
        return selectors.api_service_at_locations()

    def get_serializer_class(self) -> type[BaseSerializer[Any]]:
        if self.action == "retrieve":
            return serializers.ServiceAtLocationDetailSerializer
        return serializers.ServiceAtLocationSerializer

    def get_object(self) -> ServiceAtLocation:
        found = selectors.api_service_at_location(path_id(self.kwargs["pk"], "service at location"))
        if found is None:
            raise NotFound("No service at location of a published service has this id.")
        return found


class OrganizationViewSet(OpenReferralMixin, viewsets.ReadOnlyModelViewSet):
    """Organisations running at least one public service, with those services."""

    serializer_class = serializers.OrganizationSerializer

    def get_queryset(self) -> QuerySet[Organisation]:
        return selectors.api_organisations()

    def get_object(self) -> Organisation:
        pk = path_id(self.kwargs["pk"], "organization")
        organisation = self.get_queryset().filter(pk=pk).first()
        if organisation is None:
            raise NotFound("No organization with a published service has this id.")
        return organisation


class TaxonomyTermViewSet(OpenReferralMixin, viewsets.ReadOnlyModelViewSet):
    """The alliance's categories as taxonomy terms; a term's id is its slug."""

    serializer_class = serializers.TaxonomyTermSerializer
    filterset_class = filters.TaxonomyTermFilter

    def get_queryset(self) -> QuerySet[Category]:
        return selectors.api_taxonomy_terms()

    def get_object(self) -> Category:
        try:
            slug = parse_text(self.kwargs["pk"], name="id", max_length=filters.TERM_LENGTH)
        except ParamError:
            slug = ""
        term = self.get_queryset().filter(slug=slug).first() if slug else None
        if term is None:
            raise NotFound("No taxonomy term has this id.")
        return term


class TaxonomyViewSet(OpenReferralMixin, viewsets.GenericViewSet):
    """The one vocabulary, the alliance's categories (id `alliance`)."""

    serializer_class = serializers.TaxonomySerializer
    filter_backends: list[type] = []

    @extend_schema(responses=serializers.TaxonomySerializer(many=True))
    def list(self, request: Request) -> Response:
        page = self.paginate_queryset([serializers.the_taxonomy()])  # type: ignore[arg-type]
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(parameters=[OpenApiParameter("id", str, OpenApiParameter.PATH)])
    def retrieve(self, request: Request, pk: str) -> Response:
        if pk != serializers.TAXONOMY_ID:
            raise NotFound(f"The only taxonomy here is {serializers.TAXONOMY_ID!r}.")
        return Response(self.get_serializer(serializers.the_taxonomy()).data)


class ApiInfoView(OpenReferralMixin, APIView):
    """GET /api/v1/: what this API is (ORUK "API info") and the endpoints it serves."""

    @extend_schema(responses=serializers.ApiInfoSerializer)
    def get(self, request: Request) -> Response:
        base = request.build_absolute_uri(reverse("api:root")).rstrip("/")
        info = {
            "version": serializers.HSDS_VERSION,
            "profile": serializers.ORUK_PROFILE_URL,
            "openapi_url": f"{base}/openapi.json",
            "description": f"Services listed by the {settings.ALLIANCE_NAME} "
            f"({settings.ALLIANCE_AREA}), as Open Referral UK.",
            "publisher": {
                "name": settings.ALLIANCE_NAME,
                "email": settings.ALLIANCE_CONTACT_EMAIL,
                "website": settings.SITE_URL,
            },
            "endpoints": [{"name": name, "link": f"{base}/{name}"} for name in ENDPOINTS],
        }
        return Response(serializers.ApiInfoSerializer(info).data)


class OpenApiView(OpenReferralMixin, SpectacularAPIView):
    """GET /api/v1/openapi.json: the OpenAPI 3 document, generated from these views."""

    renderer_classes = [OpenApiJsonRenderer]
    # The document changes only with the code: built once a process, not on every request
    # (about 80 ms each, which a client could otherwise ask for 120 times a minute).
    document: ClassVar[Any] = None

    def finalize_response(
        self, request: Request, response: Response, *args: Any, **kwargs: Any
    ) -> Response:
        if getattr(response, "exception", False):
            # An error is the API's plain JSON `{"detail": …}`, not an OpenAPI document.
            request.accepted_renderer, request.accepted_media_type = (
                JSONRenderer(),
                "application/json",
            )
        return super().finalize_response(request, response, *args, **kwargs)

    @extend_schema(exclude=True)
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        view = type(self)
        if view.document is None:
            # Built from the code alone: no `lang` or `version` from the first request's
            # query string may shape the copy every later client receives.
            generator = self.generator_class(urlconf=self.urlconf, patterns=self.patterns)
            view.document = generator.get_schema(request=request, public=True)
        return Response(view.document)


@extend_schema(exclude=True)
class NotFoundView(OpenReferralMixin, APIView):
    """Anything else under /api/: a JSON 404, whatever the method, not the site's HTML page."""

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        raise NotFound("No such endpoint: GET /api/v1/ lists them.")
