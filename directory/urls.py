from django.urls import path

from directory import views

app_name = "directory"

urlpatterns = [
    path("", views.search, name="search"),
    path("my-list/", views.my_list, name="my-list"),
    path("my-list/add/", views.my_list_add, name="my-list-add"),
    path("my-list/remove/", views.my_list_remove, name="my-list-remove"),
    path("my-list/print/", views.my_list_print, name="my-list-print"),
    path("my-list/email/", views.my_list_email, name="my-list-email"),
    path("<slug:slug>/", views.service_detail, name="service"),
    path("<slug:slug>/report-a-problem/", views.report_problem, name="report-problem"),
]
