from django.urls import path

from referrals import views
from referrals.signposting.urls import urlpatterns as signposting_urlpatterns

app_name = "referrals"

urlpatterns = [
    path("referrals/", views.fca_home, name="fca-home"),
    path("provider/", views.provider_home, name="provider-home"),
    *signposting_urlpatterns,
]
