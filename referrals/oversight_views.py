"""Oversight pages: the audit trail per referral and per staff member (curators), and the
alliance dashboard of anonymous figures (curators and FCAs).

Read-only, except that a CSV export is recorded. A referral or user that does not exist
answers 404.
"""

import csv
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from alliance.access import staff_required
from alliance.models import Role, User
from alliance.params import ParamError, parse_int
from alliance.services import audit_record
from referrals import audit, dashboard
from referrals.models import Programme, Referral

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
    return Referral.objects.filter(pk=referral_id).exists()


# The alliance dashboard ----------------------------------------------------------------------


class DashboardFilterForm(forms.Form):
    """The dashboard's filters: a programme (or all) and how many months back."""

    programme = forms.ChoiceField(label="Programme", required=False)
    months = forms.TypedChoiceField(
        label="Period",
        coerce=int,
        required=False,
        empty_value=None,
        choices=[(n, f"The last {n} months") for n in dashboard.PERIODS],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        programmes = Programme.objects.order_by("name").values_list("code", "name")
        self.fields["programme"].choices = [("", "All programmes"), *programmes]  # type: ignore[attr-defined]

    def filters(self) -> dashboard.Filters:
        if not self.is_valid():
            return dashboard.Filters()
        return dashboard.Filters(
            programme=self.cleaned_data["programme"] or "",
            months=self.cleaned_data["months"] or dashboard.DEFAULT_PERIOD,
        )


def _dashboard_form(request: HttpRequest) -> DashboardFilterForm:
    data = {key: request.GET.get(key, "")[:50] for key in ("programme", "months")}
    return DashboardFilterForm(data if any(data.values()) else None)


@staff_required(Role.CURATOR, Role.FCA)
def dashboard_page(request: HttpRequest) -> HttpResponse:
    form = _dashboard_form(request)
    board = dashboard.dashboard_build(filters=form.filters())
    query = urlencode({"programme": board.filters.programme, "months": board.filters.months})
    return render(
        request,
        "referrals/oversight/dashboard.html",
        {"form": form, "board": board, "csv_query": query},
    )


@staff_required(Role.CURATOR, Role.FCA)
def dashboard_csv(request: HttpRequest) -> HttpResponse:
    form = _dashboard_form(request)
    board = dashboard.dashboard_build(filters=form.filters())
    audit_record(
        actor=request.user,  # type: ignore[arg-type]
        action="referrals.dashboard_exported",
        detail={"programme": board.filters.programme, "months": board.filters.months},
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="referral-figures.csv"'
    writer = csv.writer(response)
    writer.writerow(dashboard.CSV_HEADER)
    writer.writerows(dashboard.dashboard_csv_rows(board))
    return response
