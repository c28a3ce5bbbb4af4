from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django_otp.admin import OTPAdminSite


class AllianceAdminSite(OTPAdminSite):
    """The curation admin: staff with a verified second factor only, signed in at our page."""

    site_header = "Alliance curation"
    site_title = "Alliance curation"
    index_title = "Curation"

    def login(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        target = request.GET.get("next") or reverse("admin:index")
        if request.user.is_authenticated and request.user.is_verified():  # type: ignore[attr-defined]
            # Signed in with both factors but not curation staff: say so, don't loop.
            raise PermissionDenied
        if request.user.is_authenticated:
            return redirect(f"{reverse('alliance:two-factor')}?next={target}")
        return redirect(f"{reverse('alliance:login')}?next={target}")
