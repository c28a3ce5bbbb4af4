"""Curators' oversight pages: the audit trail per referral and per staff member.

Read-only: nothing here writes. A referral or user that does not exist answers 404.
"""

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from alliance.access import staff_required
from alliance.models import Role, User
from alliance.params import ParamError, parse_int
from referrals import audit

PAGE_SIZE = 50


def _page(request: HttpRequest, events):  # type: ignore[no-untyped-def]
    try:
        number = parse_int(request.GET.get("page"), name="page", default=1, min_value=1)
    except ParamError:
        number = 1
    return Paginator(events, PAGE_SIZE).get_page(number)


@staff_required(Role.CURATOR)
def audit_index(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "referrals/oversight/audit_list.html",
        {
            "heading": "Audit trail: referrals",
            "page_obj": _page(request, audit.audit_recent_referral_events()),
            "labels": audit.ACCESS_LABELS,
        },
    )


@staff_required(Role.CURATOR)
def audit_referral(request: HttpRequest, referral_id: int) -> HttpResponse:
    events = audit.audit_trail_for_referral(referral_id=referral_id)
    if not _referral_exists(referral_id) and not events.exists():
        raise Http404
    return render(
        request,
        "referrals/oversight/audit_list.html",
        {
            "heading": f"Audit trail: referral {referral_id}",
            "page_obj": _page(request, events),
            "labels": audit.ACCESS_LABELS,
        },
    )


@staff_required(Role.CURATOR)
def audit_user(request: HttpRequest, user_id: int) -> HttpResponse:
    person = get_object_or_404(User, pk=user_id)
    return render(
        request,
        "referrals/oversight/audit_list.html",
        {
            "heading": f"Audit trail: {person.email}",
            "person": person,
            "page_obj": _page(request, audit.audit_trail_for_user(user_id=user_id)),
            "labels": audit.ACCESS_LABELS,
        },
    )


def _referral_exists(referral_id: int) -> bool:
    try:
        from referrals.models import Referral  # type: ignore[attr-defined]
    except ImportError:  # before the referral models are merged
        return False
    return bool(Referral.objects.filter(pk=referral_id).exists())
