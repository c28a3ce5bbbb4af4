from django.urls import path

from referrals import oversight_views, views
from referrals.signposting.urls import urlpatterns as signposting_urlpatterns

app_name = "referrals"

urlpatterns = [
    path("referrals/", views.fca_home, name="fca-home"),
    path("provider/", views.provider_home, name="provider-home"),
    path("referrals/audit/", oversight_views.audit_index, name="audit"),
    path(
        "referrals/audit/referral/<int:referral_id>/",
        oversight_views.audit_referral,
        name="audit-referral",
    ),
    path("referrals/audit/user/<int:user_id>/", oversight_views.audit_user, name="audit-user"),
    *signposting_urlpatterns,
]
