from django.urls import path, re_path

from directory import api

app_name = "api"

urlpatterns = [
    path("", api.api_root, name="root"),
    path("services", api.services_list, name="services"),
    path("services/<str:pk>", api.service_detail, name="service"),
    path("service_at_locations", api.service_at_locations_list, name="service-at-locations"),
    path(
        "service_at_locations/<str:pk>",
        api.service_at_location_detail,
        name="service-at-location",
    ),
    path("organizations", api.organizations_list, name="organizations"),
    path("organizations/<str:pk>", api.organization_detail, name="organization"),
    path("taxonomies", api.taxonomies_list, name="taxonomies"),
    path("taxonomies/<str:pk>", api.taxonomy_detail, name="taxonomy"),
    path("taxonomy_terms", api.taxonomy_terms_list, name="taxonomy-terms"),
    path("taxonomy_terms/<str:pk>", api.taxonomy_term_detail, name="taxonomy-term"),
    re_path(r"^(?P<path>.*)$", api.not_found, name="not-found"),
]
