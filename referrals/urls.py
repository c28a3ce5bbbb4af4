from django.urls import path

from referrals import oversight_views, views
from referrals.signposting.urls import urlpatterns as signposting_urlpatterns

app_name = "referrals"

urlpatterns = [
    # The FCA area (FCA role, two factors): their own cases only.
    path("referrals/", views.fca_home, name="fca-home"),
    path("referrals/cases/new/", views.case_new, name="case-new"),
    path("referrals/cases/<int:case_id>/", views.case_detail, name="case"),
    path("referrals/cases/<int:case_id>/submit/", views.case_submit, name="case-submit"),
    path("referrals/cases/<int:case_id>/to-court/", views.case_to_court, name="case-to-court"),
    path(
        "referrals/cases/<int:case_id>/court-decision/",
        views.case_court_decision,
        name="case-court-decision",
    ),
    path(
        "referrals/cases/<int:case_id>/referrals/<int:referral_id>/<slug:action>/",
        views.case_referral_action,
        name="case-referral-action",
    ),
    # A parent's own page: a signed, expiring link to their one referral; no account.
    path("referrals/parent/<str:token>/", views.parent_page, name="parent"),
    # The provider area (provider staff, two factors): their organisation's referrals only.
    path("provider/", views.provider_home, name="provider-home"),
    path(
        "provider/referrals/<int:referral_id>/", views.provider_referral, name="provider-referral"
    ),
    path(
        "provider/referrals/<int:referral_id>/<slug:action>/",
        views.provider_action,
        name="provider-action",
    ),
    path("provider/cohorts/", views.provider_cohorts, name="provider-cohorts"),
    # Oversight (issue 10): the dashboard (curators and FCAs), the audit trail (curators).
    path("referrals/dashboard/", oversight_views.dashboard_page, name="dashboard"),
    path("referrals/dashboard/figures.csv", oversight_views.dashboard_csv, name="dashboard-csv"),
    path("referrals/audit/", oversight_views.audit_index, name="audit"),
    path(
        "referrals/audit/referral/<int:referral_id>/",
        oversight_views.audit_referral,
        name="audit-referral",
    ),
    path("referrals/audit/user/<int:user_id>/", oversight_views.audit_user, name="audit-user"),
    *signposting_urlpatterns,
]
