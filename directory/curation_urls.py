"""The contact page and the curators' staff pages (docs/curation.md)."""

from django.urls import path

from directory import curation_views

app_name = "curation"

urlpatterns = [
    path("contact/", curation_views.contact, name="contact"),
    path("contact/message/", curation_views.contact_message, name="contact-message"),
    path("staff/curation/", curation_views.queue, name="queue"),
    path(
        "staff/curation/suggestions/<int:pk>/", curation_views.suggestion_detail, name="suggestion"
    ),
    path("staff/curation/problems/<int:pk>/", curation_views.problem_detail, name="problem"),
    path("staff/curation/edits/<int:pk>/", curation_views.edit_detail, name="edit"),
    path("staff/curation/messages/<int:pk>/", curation_views.message_detail, name="message"),
    path("staff/curation/preview/<slug:slug>/", curation_views.preview, name="preview"),
]
