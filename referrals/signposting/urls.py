"""The get-help check's URLs, named in the `referrals` namespace (stable public paths)."""

from django.urls import path

from referrals.signposting import views

urlpatterns = [
    path("get-help/", views.get_help_start, name="get-help"),
    path("get-help/check-your-answers/", views.get_help_check, name="get-help-check"),
    path("get-help/your-results/", views.get_help_results, name="get-help-results"),
    path("get-help/emergency/", views.get_help_emergency, name="get-help-emergency"),
    path("get-help/start-again/", views.get_help_start_again, name="get-help-start-again"),
    path("get-help/<slug:slug>/", views.get_help_step, name="get-help-step"),
]
