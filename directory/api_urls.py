"""URLs of the Open Referral UK API (directory/api/), included under /api/ by alliance/urls.py.

Paths have no trailing slash, as in ORUK. Anything else under /api/ is a JSON 404.
"""

from django.urls import path, re_path

from directory.api import views

app_name = "api"

services = views.ServiceViewSet
service_at_locations = views.ServiceAtLocationViewSet
organizations = views.OrganizationViewSet
taxonomies = views.TaxonomyViewSet
taxonomy_terms = views.TaxonomyTermViewSet
LIST = {"get": "list"}
DETAIL = {"get": "retrieve"}

urlpatterns = [
    path("v1/", views.ApiInfoView.as_view(), name="root"),
    path("v1/openapi.json", views.OpenApiView.as_view(), name="openapi"),
    path("v1/services", services.as_view(LIST), name="services"),
    path("v1/services/<str:pk>", services.as_view(DETAIL), name="service"),
    path(
        "v1/service_at_locations",
        service_at_locations.as_view(LIST),
        name="service-at-locations",
    ),
    path(
        "v1/service_at_locations/<str:pk>",
        service_at_locations.as_view(DETAIL),
        name="service-at-location",
    ),
    path("v1/organizations", organizations.as_view(LIST), name="organizations"),
    path("v1/organizations/<str:pk>", organizations.as_view(DETAIL), name="organization"),
    path("v1/taxonomies", taxonomies.as_view(LIST), name="taxonomies"),
    path("v1/taxonomies/<str:pk>", taxonomies.as_view(DETAIL), name="taxonomy"),
    path("v1/taxonomy_terms", taxonomy_terms.as_view(LIST), name="taxonomy-terms"),
    path("v1/taxonomy_terms/<str:pk>", taxonomy_terms.as_view(DETAIL), name="taxonomy-term"),
    re_path(r"^(?P<path>.*)$", views.NotFoundView.as_view(), name="not-found"),
]
