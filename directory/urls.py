from django.urls import path

from directory import curation_views, views

app_name = "directory"

urlpatterns = [
    path("", views.search, name="search"),
    path("my-list/", views.my_list, name="my-list"),
    path("my-list/add/", views.my_list_add, name="my-list-add"),
    path("my-list/remove/", views.my_list_remove, name="my-list-remove"),
    path("my-list/print/", views.my_list_print, name="my-list-print"),
    path("my-list/email/", views.my_list_email, name="my-list-email"),
    # Curation (docs/curation.md); before "<slug>/", which would otherwise take these words.
    path("suggest/", curation_views.suggest_start, name="suggest"),
    path("suggest/similar/", curation_views.suggest_similar, name="suggest-similar"),
    path("suggest/check/", curation_views.suggest_check, name="suggest-check"),
    path("suggest/done/", curation_views.suggest_done, name="suggest-done"),
    path("suggest/<slug:step>/", curation_views.suggest_step, name="suggest-step"),
    path("review/<str:token>/", curation_views.review, name="review"),
    path("provider-edits/", curation_views.provider_edits, name="provider-edits"),
    path("provider-edits/<slug:slug>/", curation_views.provider_edit, name="provider-edit"),
    path("<slug:slug>/", views.service_detail, name="service"),
    path("<slug:slug>/report-a-problem/", views.report_problem, name="report-problem"),
]
