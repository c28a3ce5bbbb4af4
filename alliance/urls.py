from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from alliance import views

alliance_patterns = [
    path("", views.home, name="home"),
    path("exit/", views.exit_page, name="exit"),
    path(
        "leaving-this-site-quickly/", views.page("pages/exit-explained.html"), name="exit-explained"
    ),
    path("staying-safe-online/", views.page("pages/staying-safe-online.html"), name="safety"),
    path("accessibility/", views.page("pages/accessibility.html"), name="accessibility"),
    path("privacy/", views.page("pages/privacy.html"), name="privacy"),
    path("cookies/", views.page("pages/cookies.html"), name="cookies"),
    path("healthz", views.healthz, name="healthz"),
    path("robots.txt", views.robots_txt, name="robots"),
    path("accounts/login/", views.SignInView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(next_page="/"), name="logout"),
    path("accounts/two-factor/", views.two_factor, name="two-factor"),
    path("accounts/recovery-codes/", views.recovery_codes, name="recovery-codes"),
    path("accounts/set-up/", views.setup, name="setup"),
    path("accounts/set-up/<slug:token>/", views.setup_link, name="setup-link"),
    path("staff/", views.staff_home, name="staff-home"),
]

urlpatterns = [
    path("", include((alliance_patterns, "alliance"))),
    path("services/", include("directory.urls")),
    path("", include("directory.curation_urls")),
    path("api/", include("directory.api_urls")),
    path("", include("referrals.urls")),
    path("", include("resources.urls")),
    path("parenting-plan/", include("resources.plan.urls")),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    urlpatterns.append(path("__debug__/404/", views.page("404.html")))

# Our own pages for a failure: a 503 with help when the session store is down (alliance/errors.py).
handler500 = "alliance.errors.server_error"
