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
from django.shortcuts import get_object_or_404, redirect, render

from alliance.access import staff_required
from alliance.models import Role, User
from alliance.params import ParamError, parse_int, parse_text
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


def _with_references(page_obj: Any) -> None:
    # The random reference a curator knows, for each referral on the page (one query).
    page_obj.object_list = events = list(page_obj.object_list)
    ids = {e.object_id for e in events if e.object_type == audit.REFERRAL}
    pairs = Referral.objects.filter(pk__in=[int(i) for i in ids if i.isdigit()]).values_list(
        "pk", "reference"
    )
    references = {str(pk): reference for pk, reference in pairs}
    for event in events:
        event.reference = references.get(event.object_id, "")


def _trail(request: HttpRequest, heading: str, events: Any, **extra: Any) -> HttpResponse:
    page_obj = _page(request, events)
    _with_references(page_obj)
    return render(
        request,
        "referrals/oversight/audit_list.html",
        {
            "heading": heading,
            "page_obj": page_obj,
            "labels": audit.ACCESS_LABELS,
            **extra,
        },
    )


@staff_required(Role.CURATOR)
def audit_index(request: HttpRequest) -> HttpResponse:
    raw = request.GET.get("reference", "")
    not_found = ""
    if raw:
        try:
            reference = parse_text(raw, name="reference", max_length=20).strip().upper()
        except ParamError:
            reference = ""
        referral = Referral.objects.filter(reference=reference).only("pk").first()
        if referral is not None:
            return redirect("referrals:audit-referral", referral_id=referral.pk)
        not_found = "There is no referral with that reference. Check it and try again."
    return _trail(
        request,
        "Audit trail: referrals",
        audit.audit_recent_referral_events(),
        search=True,
        not_found=not_found,
    )


@staff_required(Role.CURATOR)
def audit_referral(request: HttpRequest, referral_id: int) -> HttpResponse:
    events = audit.audit_trail_for_referral(referral_id=referral_id)
    referral = Referral.objects.filter(pk=referral_id).only("reference").first()
    if referral is None and not events.exists():
        raise Http404
    name = referral.reference if referral is not None else str(referral_id)
    return _trail(request, f"Audit trail: referral {name}", events)


@staff_required(Role.CURATOR)
def audit_user(request: HttpRequest, user_id: int) -> HttpResponse:
    person = get_object_or_404(User, pk=user_id)
    return _trail(
        request,
        f"Audit trail: {person.email}",
        audit.audit_trail_for_user(user_id=user_id),
        person=person,
    )


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
