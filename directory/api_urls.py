from django.urls import path

from directory import api

app_name = "api"

urlpatterns = [
    path("services", api.services_list, name="services"),
    path("services/<str:pk>", api.service_detail, name="service"),
]
