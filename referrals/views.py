"""Programme referrals' pages: the FCA area, the provider area (two factors) and a parent's own
page (a signed link). GET renders; POST calls one service and shows its one domain error."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from alliance.access import staff_required
from alliance.models import Role, User
from referrals import audit, forms, selectors, services
from referrals.links import reference_from_token
from referrals.models import Case, CourtDecision, Referral, Route, Status


def _posted(request: HttpRequest) -> Any:
    # An empty POST is still a POST: it must show the error summary, not a blank form.
    return request.POST if request.method == "POST" else None


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


# The FCA area -----------------------------------------------------------------------------


@staff_required(Role.FCA)
def fca_home(request: HttpRequest) -> HttpResponse:
    cases = list(selectors.cases_for_fca(_user(request))[:200])
    ids = [r.pk for case in cases for r in case.referrals.all()]
    audit.referral_access_record(actor=_user(request), referral_ids=ids, what=audit.Access.VIEWED)
    return render(request, "referrals/fca_home.html", {"cases": cases})


@staff_required(Role.FCA)
def case_new(request: HttpRequest) -> HttpResponse:
    form = forms.CaseForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        case = services.case_create(
            actor=_user(request),
            programme=form.cleaned_data["programme"],
            case=form.case_data(),
            parents=form.parents(),
        )
        return redirect("referrals:case", case_id=case.pk)
    return render(request, "referrals/case_new.html", {"form": form})


def _case_page(
    request: HttpRequest, case: Case, *, error: str = "", decision_form: Any = None
) -> HttpResponse:
    referrals = list(
        case.referrals.select_related("offering__organisation", "cohort").prefetch_related("events")
    )
    result = services.case_gate(case)
    audit.referral_access_record(
        actor=_user(request), referral_ids=[r.pk for r in referrals], what=audit.Access.VIEWED
    )
    context = {
        "case": case,
        "referrals": referrals,
        "gate": result,
        "can_submit": result.allowed and any(r.status == Status.DRAFT for r in referrals),
        "can_route_to_court": case.route == Route.FCA_DIRECT
        and result.offer_request_to_court
        and all(r.status == Status.DRAFT for r in referrals),
        "awaiting_court": case.route == Route.REQUEST_TO_COURT
        and case.court_decision == CourtDecision.PENDING,
        "decision_form": decision_form or forms.CourtDecisionForm(),
        "error": error,
        "withdrawable": services.TRANSITIONS["withdraw"].sources,
    }
    return render(request, "referrals/case_detail.html", context, status=200)


@staff_required(Role.FCA)
def case_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    return _case_page(request, selectors.case_for_fca(_user(request), case_id))


@require_POST
@staff_required(Role.FCA)
def case_submit(request: HttpRequest, case_id: int) -> HttpResponse:
    case = selectors.case_for_fca(_user(request), case_id)
    try:
        services.case_submit(actor=_user(request), case_id=case.pk)
    except services.ReferralError as exc:
        return _case_page(request, case, error=str(exc))
    return redirect("referrals:case", case_id=case.pk)


@require_POST
@staff_required(Role.FCA)
def case_to_court(request: HttpRequest, case_id: int) -> HttpResponse:
    case = selectors.case_for_fca(_user(request), case_id)
    try:
        services.case_route_to_court(actor=_user(request), case_id=case.pk)
    except services.ReferralError as exc:
        return _case_page(request, case, error=str(exc))
    return redirect("referrals:case", case_id=case.pk)


@require_POST
@staff_required(Role.FCA)
def case_court_decision(request: HttpRequest, case_id: int) -> HttpResponse:
    case = selectors.case_for_fca(_user(request), case_id)
    form = forms.CourtDecisionForm(request.POST)
    if not form.is_valid():
        return _case_page(request, case, decision_form=form)
    try:
        services.case_court_decision_record(
            actor=_user(request),
            case_id=case.pk,
            decision=CourtDecision(form.cleaned_data["decision"]),
        )
    except services.ReferralError as exc:
        return _case_page(request, case, error=str(exc))
    return redirect("referrals:case", case_id=case.pk)


@require_POST
@staff_required(Role.FCA)
def case_referral_action(
    request: HttpRequest, case_id: int, referral_id: int, action: str
) -> HttpResponse:
    case = selectors.case_for_fca(_user(request), case_id)
    referral = case.referrals.filter(pk=referral_id).first()
    if referral is None or action not in {"withdraw", "retry"}:
        raise Http404
    try:
        if action == "withdraw":
            services.referral_withdraw(actor=_user(request), referral_id=referral.pk)
        else:
            services.referral_retry_allocation(actor=_user(request), referral_id=referral.pk)
    except services.ReferralError as exc:
        return _case_page(request, case, error=str(exc))
    return redirect("referrals:case", case_id=case.pk)


# The provider area ------------------------------------------------------------------------


@staff_required(Role.PROVIDER)
def provider_home(request: HttpRequest) -> HttpResponse:
    referrals = list(selectors.referrals_for_provider(_user(request))[:200])
    audit.referral_access_record(
        actor=_user(request), referral_ids=[r.pk for r in referrals], what=audit.Access.VIEWED
    )
    return render(request, "referrals/provider_home.html", {"referrals": referrals})


PROVIDER_ACTIONS = {"accept", "decline", "book", "attendance", "complete", "return"}


def _provider_page(
    request: HttpRequest, referral: Referral, *, error: str = "", **bound: Any
) -> HttpResponse:
    user = _user(request)
    cohorts = selectors.cohorts_to_book(user, referral)
    allowed = set(services.allowed_actions(referral.status))
    audit.referral_access_record(actor=user, referral_ids=[referral.pk], what=audit.Access.VIEWED)
    context = {
        "referral": referral,
        "allowed": allowed,
        "error": error,
        "decline_form": bound.get("decline") or forms.ReasonForm(submit=_("Decline")),
        "return_form": bound.get("return")
        or forms.ReasonForm(submit=_("Return as unsuitable"), prefix="return"),
        "book_form": bound.get("book")
        or forms.BookForm(
            cohorts=cohorts, held=referral.cohort_id, initial={"cohort": referral.cohort_id}
        ),
        "attendance_form": bound.get("attendance") or forms.AttendanceForm(),
        "court_ordered": referral.case.route == Route.COURT_ORDER
        or referral.case.court_decision == CourtDecision.ORDERED,
        "separate_attendance": bool(services.case_gate(referral.case).warnings)
        or referral.safety_flag,
    }
    return render(request, "referrals/provider_referral.html", context)


@staff_required(Role.PROVIDER)
def provider_referral(request: HttpRequest, referral_id: int) -> HttpResponse:
    return _provider_page(request, selectors.referral_for_provider(_user(request), referral_id))


@require_POST
@staff_required(Role.PROVIDER)
def provider_action(request: HttpRequest, referral_id: int, action: str) -> HttpResponse:
    user = _user(request)
    referral = selectors.referral_for_provider(user, referral_id)
    if action not in PROVIDER_ACTIONS:
        raise Http404
    try:
        if action == "accept":
            services.referral_accept(actor=user, referral_id=referral.pk)
        elif action == "complete":
            services.referral_complete(actor=user, referral_id=referral.pk)
        elif action in {"decline", "return"}:
            prefix = "return" if action == "return" else None
            form: Any = forms.ReasonForm(request.POST, prefix=prefix)
            if not form.is_valid():
                return _provider_page(request, referral, **{action: form})
            reason = form.cleaned_data["reason"]
            if action == "decline":
                services.referral_decline(actor=user, referral_id=referral.pk, reason=reason)
            else:
                services.referral_return_unsuitable(
                    actor=user, referral_id=referral.pk, reason=reason
                )
        elif action == "book":
            form = forms.BookForm(
                request.POST,
                cohorts=selectors.cohorts_to_book(user, referral),
                held=referral.cohort_id,
            )
            if not form.is_valid():
                return _provider_page(request, referral, book=form)
            services.referral_book(
                actor=user, referral_id=referral.pk, cohort_id=form.cleaned_data["cohort"]
            )
        else:
            form = forms.AttendanceForm(request.POST)
            if not form.is_valid():
                return _provider_page(request, referral, attendance=form)
            services.referral_attendance_record(
                actor=user,
                referral_id=referral.pk,
                attended=form.cleaned_data["attended"] == "yes",
            )
    except services.ReferralError as exc:
        referral = selectors.referral_for_provider(user, referral_id)
        return _provider_page(request, referral, error=str(exc))
    return redirect("referrals:provider-referral", referral_id=referral.pk)


@staff_required(Role.PROVIDER)
def provider_cohorts(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    offerings = list(selectors.offerings_for_provider(user))
    form = forms.CohortForm(_posted(request), offerings=offerings)
    error = ""
    if request.method == "POST" and form.is_valid():
        try:
            services.cohort_create(
                actor=user,
                offering=form.offerings[form.cleaned_data["offering"]],
                starts_at=form.cleaned_data["starts_at"],
                mode=form.cleaned_data["mode"],
                capacity=form.cleaned_data["capacity"],
            )
        except services.ReferralError as exc:
            error = str(exc)
        else:
            return redirect("referrals:provider-cohorts")
    cohorts = list(selectors.cohorts_for_provider(user)[:200])
    return render(
        request,
        "referrals/provider_cohorts.html",
        {"form": form, "cohorts": cohorts, "offerings": offerings, "error": error},
    )


# A parent's own page ----------------------------------------------------------------------


@never_cache
def parent_page(request: HttpRequest, token: str) -> HttpResponse:
    """Only this parent's referral: its status, programme, what next, the provider's contact.

    Never the other parent, the case or the FCA's notes. A bad or expired link is a 404.
    """
    reference = reference_from_token(token)
    referral = selectors.referral_for_parent(reference) if reference else None
    if referral is None:
        raise Http404
    form = forms.AvailabilityForm(_posted(request))
    error, saved = "", False
    if request.method == "POST" and form.is_valid():
        try:
            services.referral_availability_give(
                referral_id=referral.pk, availability=form.cleaned_data["availability"]
            )
        except services.ReferralError as exc:
            error = str(exc)
        else:
            saved = True
            form = forms.AvailabilityForm()
    response = render(
        request,
        "referrals/parent.html",
        {"referral": referral, "form": form, "error": error, "saved": saved},
    )
    # The link is the key: never send it on to another site.
    response["Referrer-Policy"] = "no-referrer"
    return response
