"""Programme referrals' pages: the FCA area and the provider area (two factors)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from alliance.access import staff_required
from alliance.models import Role


@staff_required(Role.FCA)
def fca_home(request: HttpRequest) -> HttpResponse:
    return render(request, "referrals/fca_home.html")


@staff_required(Role.PROVIDER)
def provider_home(request: HttpRequest) -> HttpResponse:
    return render(request, "referrals/provider_home.html")
