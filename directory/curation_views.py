"""HTTP glue for curation: the contact page, practitioner suggestions, problem reports, the
review link, provider edits and the curators' work queue. GET renders; POST calls one service."""

from __future__ import annotations

from typing import Any, cast

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods
from django_ratelimit.core import is_ratelimited

from alliance.access import staff_required
from alliance.models import Role, User
from alliance.sessions import needs_session
from directory import curation_selectors, curation_services
from directory.curation_forms import (
    SUGGESTION_STEPS,
    ContactMessageForm,
    MergeForm,
    ProblemReportForm,
    ProviderEditForm,
    ReasonForm,
    SuggestAboutForm,
    SuggestDuplicateForm,
)
from directory.models import (
    Category,
    ContactMessage,
    ProblemReport,
    ProviderEdit,
    Service,
    Suggestion,
)
from directory.services import DirectoryError

SESSION_KEY = "suggestion"
STEP_NAMES = [name for name, _form, _title in SUGGESTION_STEPS]


def _actor(request: HttpRequest) -> User:
    # staff_required has let only a signed-in, verified member of staff in.
    return cast(User, request.user)


def _limited(request: HttpRequest, group: str, *, key: Any = "ip", rate: str) -> bool:
    return is_ratelimited(request, group=group, key=key, rate=rate, increment=True)


def _visitor_limited(request: HttpRequest, group: str) -> bool:
    return _limited(request, group, rate=f"{settings.PUBLIC_FORMS_PER_HOUR}/h")


# Contact us --------------------------------------------------------------------------------


@require_GET
def contact(request: HttpRequest) -> HttpResponse:
    """Where to go: suggest a listing, report a problem, or write to the alliance."""
    return render(request, "curation/contact.html")


@never_cache
@require_http_methods(["GET", "POST"])
def contact_message(request: HttpRequest) -> HttpResponse:
    """A general message to the alliance, kept for curators; the inbox gets a reference."""
    form = ContactMessageForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if form.is_valid() and _visitor_limited(request, "curation.contact"):
            form.add_error(
                None, _("You have sent several messages in the last hour. Try again later.")
            )
            return render(request, "curation/contact_message.html", {"form": form}, status=429)
        if form.is_valid():
            if not form.is_bot:
                curation_services.contact_message_send(
                    name=form.cleaned_data["name"],
                    email=form.cleaned_data["email"],
                    message=form.cleaned_data["message"],
                )
            return render(request, "curation/contact_message_sent.html")
        return render(request, "curation/contact_message.html", {"form": form}, status=400)
    return render(request, "curation/contact_message.html", {"form": form})


# Suggestions -------------------------------------------------------------------------------


def _categories() -> list[Category]:
    return curation_services.category_choices()


def _step_form(name: str, data: Any = None, initial: Any = None) -> Any:
    form_class: Any = dict((n, f) for n, f, _t in SUGGESTION_STEPS)[name]
    if form_class is SuggestAboutForm:
        return form_class(data, initial=initial, categories=_categories())
    return form_class(data, initial=initial)


def _answers(request: HttpRequest) -> dict[str, Any]:
    answers = request.session.get(SESSION_KEY)
    return answers if isinstance(answers, dict) else {}


def _first_missing(answers: dict[str, Any]) -> str | None:
    return next((name for name in STEP_NAMES if not isinstance(answers.get(name), dict)), None)


@require_GET
def suggest_start(request: HttpRequest) -> HttpResponse:
    """The start page of a practitioner's suggestion."""
    return render(request, "curation/suggest_start.html")


@never_cache
@require_http_methods(["GET", "POST"])
@needs_session
def suggest_step(request: HttpRequest, step: str) -> HttpResponse:
    """One question page of the suggestion; answers are kept in the session until sent."""
    if step not in STEP_NAMES:
        raise Http404
    answers = _answers(request)
    index = STEP_NAMES.index(step)
    missing = _first_missing(answers)
    if missing is not None and STEP_NAMES.index(missing) < index:
        return redirect("directory:suggest-step", step=missing)
    if request.method == "POST":
        form = _step_form(step, request.POST)
        if form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if k != "nickname"}
            if getattr(form, "is_bot", False):
                data["bot"] = True
            answers[step] = data
            request.session[SESSION_KEY] = answers
            if index + 1 < len(STEP_NAMES):
                return redirect("directory:suggest-step", step=STEP_NAMES[index + 1])
            return redirect("directory:suggest-similar")
        status = 400
    else:
        form = _step_form(step, initial=answers.get(step))
        status = 200
    return render(
        request,
        "curation/suggest_step.html",
        {
            "form": form,
            "step": step,
            "title": SUGGESTION_STEPS[index][2],
            "number": index + 1,
            "steps": len(STEP_NAMES),
            "back": (("directory:suggest-step", STEP_NAMES[index - 1]) if index else ("", "")),
        },
        status=status,
    )


def _similar(answers: dict[str, Any]) -> list[Service]:
    service = answers["service"]
    return curation_selectors.similar_services(
        name=service["service_name"],
        organisation=service["organisation_name"],
        website=service.get("website") or "",
    )


@never_cache
@require_http_methods(["GET", "POST"])
@needs_session
def suggest_similar(request: HttpRequest) -> HttpResponse:
    """The duplicate check: "is it one of these?" (then it is a correction to that listing)."""
    answers = _answers(request)
    missing = _first_missing(answers)
    if missing is not None:
        return redirect("directory:suggest-step", step=missing)
    similar = _similar(answers)
    if not similar:
        answers["match"] = "none"
        request.session[SESSION_KEY] = answers
        return redirect("directory:suggest-check")
    form = SuggestDuplicateForm(
        request.POST if request.method == "POST" else None,
        similar=similar,
        initial={"match": answers.get("match")},
    )
    if request.method == "POST":
        if form.is_valid():
            answers["match"] = form.cleaned_data["match"]
            request.session[SESSION_KEY] = answers
            return redirect("directory:suggest-check")
        return render(
            request, "curation/suggest_similar.html", {"form": form, "similar": similar}, status=400
        )
    return render(request, "curation/suggest_similar.html", {"form": form, "similar": similar})


@never_cache
@require_http_methods(["GET", "POST"])
@needs_session
def suggest_check(request: HttpRequest) -> HttpResponse:
    """Check your answers, then send: stored, emailed a reference, shown the confirmation."""
    answers = _answers(request)
    missing = _first_missing(answers)
    if missing is not None:
        return redirect("directory:suggest-step", step=missing)
    if "match" not in answers:
        return redirect("directory:suggest-similar")
    match = answers["match"]
    correction_to = None
    if match != "none":
        correction_to = Service.objects.visible().filter(pk=int(match)).first()
    category = Category.objects.filter(pk=answers["about"].get("category")).first()
    context: dict[str, Any] = {
        "answers": answers,
        "correction_to": correction_to,
        "category": category,
    }
    if request.method == "GET":
        return render(request, "curation/suggest_check.html", context)
    email = answers["you"]["practitioner_email"].lower()
    if _visitor_limited(request, "curation.suggest") or _limited(
        request,
        "curation.suggest.address",
        key=lambda _group, _request: email,
        rate=f"{settings.SUGGESTIONS_PER_ADDRESS_PER_DAY}/d",
    ):
        context["limited"] = True
        return render(request, "curation/suggest_check.html", context, status=429)
    reference = "S-0"
    if not answers["you"].get("bot"):
        fields = {
            **answers["service"],
            **{k: v for k, v in answers["about"].items() if k != "category"},
            "category": category,
            **answers["why"],
            **{k: v for k, v in answers["you"].items() if k != "bot"},
        }
        suggestion = curation_services.suggestion_submit(fields=fields, correction_to=correction_to)
        reference = suggestion.reference
    del request.session[SESSION_KEY]
    request.session["suggestion_reference"] = reference
    return redirect("directory:suggest-done")


@never_cache
@require_GET
@needs_session
def suggest_done(request: HttpRequest) -> HttpResponse:
    """The confirmation page with the reference."""
    reference = request.session.get("suggestion_reference")
    if not reference:
        return redirect("directory:suggest")
    return render(request, "curation/suggest_done.html", {"reference": reference})


# Problem reports ---------------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
def report_problem(request: HttpRequest, service: Service) -> HttpResponse:
    """Report a problem with a listing: what is wrong, more detail, an optional email."""
    form = ProblemReportForm(request.POST if request.method == "POST" else None)
    context = {"form": form, "service": service}
    if request.method == "POST":
        if form.is_valid() and _visitor_limited(request, "curation.problem"):
            form.add_error(
                None, _("You have sent several reports in the last hour. Try again later.")
            )
            return render(request, "directory/report_problem.html", context, status=429)
        if form.is_valid():
            if not form.is_bot:
                curation_services.problem_report_submit(
                    service=service,
                    kind=form.cleaned_data["kind"],
                    details=form.cleaned_data["details"],
                    email=form.cleaned_data["email"],
                )
            return render(request, "directory/report_problem_sent.html", {"service": service})
        return render(request, "directory/report_problem.html", context, status=400)
    return render(request, "directory/report_problem.html", context)


# The review link ---------------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
def review(request: HttpRequest, token: str) -> HttpResponse:
    """ "These details are still correct": a GET shows the button (link scanners must not
    use the link up), the POST confirms. No sign-in; the signed token is single-use."""
    try:
        found = curation_services.review_find(token=token)
    except curation_services.ReviewLinkInvalid:
        return render(request, "curation/review_invalid.html", status=404)
    if request.method == "POST":
        try:
            service = curation_services.review_confirm(token=token)
        except curation_services.ReviewLinkInvalid:
            return render(request, "curation/review_invalid.html", status=404)
        return render(request, "curation/review_done.html", {"service": service})
    return render(request, "curation/review.html", {"service": found.service})


# Provider edits ----------------------------------------------------------------------------


@staff_required(Role.PROVIDER)
@require_GET
def provider_edits(request: HttpRequest) -> HttpResponse:
    """A provider's own organisations' listings, each with its changes waiting."""
    listings = curation_selectors.provider_services(user=_actor(request))
    pending = ProviderEdit.objects.filter(
        service__in=listings, status=ProviderEdit.Status.PENDING
    ).select_related("service")
    return render(
        request, "curation/provider_edits.html", {"listings": listings, "pending": pending}
    )


@staff_required(Role.PROVIDER)
@require_http_methods(["GET", "POST"])
def provider_edit(request: HttpRequest, slug: str) -> HttpResponse:
    """Propose changes to one of your organisation's listings; anyone else's is a 404."""
    service = curation_selectors.provider_service(user=_actor(request), slug=slug)
    if service is None:
        raise Http404
    form = ProviderEditForm(
        request.POST if request.method == "POST" else None,
        instance=Service.objects.get(pk=service.pk),
    )
    if request.method == "POST":
        if form.is_valid():
            edit = curation_services.provider_edit_propose(
                actor=_actor(request),
                service=service,
                proposed={k: form.cleaned_data[k] for k in form.fields},
            )
            if edit is None:
                messages.info(request, _("You did not change anything."))
            else:
                messages.success(
                    request, _("Thank you. A curator will check your changes before they show.")
                )
            return redirect("directory:provider-edits")
        return render(
            request, "curation/provider_edit.html", {"form": form, "service": service}, status=400
        )
    return render(request, "curation/provider_edit.html", {"form": form, "service": service})


# The curators' work queue ------------------------------------------------------------------

curator_required = staff_required(Role.CURATOR)


@curator_required
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    """Everything waiting for a curator, with counts, oldest first."""
    work = curation_selectors.curation_queue(now=timezone.now())
    return render(request, "curation/queue.html", {"work": work, "counts": work.counts()})


def _done(request: HttpRequest, text: str) -> HttpResponse:
    messages.success(request, text)
    return redirect("curation:queue")


@curator_required
@require_http_methods(["GET", "POST"])
def suggestion_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One suggestion: accept into a draft, reject with a reason, or merge as a duplicate."""
    suggestion = (
        Suggestion.objects.select_related("category", "correction_to").filter(pk=pk).first()
    )
    if suggestion is None:
        raise Http404
    action = request.POST.get("action")
    reject_form = ReasonForm(request.POST if action == "reject" else None)
    merge_form = MergeForm(
        request.POST if action == "merge" else None,
        initial={"service": suggestion.correction_to_id},
    )
    context = {
        "suggestion": suggestion,
        "reject_form": reject_form,
        "merge_form": merge_form,
        "similar": curation_selectors.similar_services(
            name=suggestion.service_name,
            organisation=suggestion.organisation_name,
            website=suggestion.website,
        ),
    }
    if request.method == "POST":
        try:
            if action == "accept":
                service = curation_services.suggestion_accept(
                    actor=_actor(request), suggestion_id=pk
                )
                messages.success(
                    request, _("Accepted: %(name)s is a draft.") % {"name": service.name}
                )
                return redirect("curation:preview", slug=service.slug)
            if action == "reject" and reject_form.is_valid():
                curation_services.suggestion_reject(
                    actor=_actor(request),
                    suggestion_id=pk,
                    reason=reject_form.cleaned_data["reason"],
                )
                return _done(request, _("Rejected. The practitioner has been told."))
            if action == "merge" and merge_form.is_valid():
                curation_services.suggestion_merge(
                    actor=_actor(request),
                    suggestion_id=pk,
                    service_id=merge_form.cleaned_data["service"].pk,
                )
                return _done(request, _("Merged. The practitioner has been told."))
        except DirectoryError as error:
            messages.error(request, str(error))
            return redirect("curation:suggestion", pk=pk)
        return render(request, "curation/suggestion.html", context, status=400)
    return render(request, "curation/suggestion.html", context)


@curator_required
@require_http_methods(["GET", "POST"])
def problem_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One problem report: confirm (the listing's contact is told), fixed, or dismiss."""
    report = ProblemReport.objects.select_related("service").filter(pk=pk).first()
    if report is None:
        raise Http404
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "confirm":
                curation_services.problem_report_confirm(actor=_actor(request), report_id=pk)
                return _done(request, _("Confirmed. The listing's contact has been told."))
            if action in ("fixed", "dismiss"):
                curation_services.problem_report_close(
                    actor=_actor(request),
                    report_id=pk,
                    fixed=action == "fixed",
                )
                return _done(request, _("Report closed."))
        except DirectoryError as error:
            messages.error(request, str(error))
        return redirect("curation:problem", pk=pk)
    return render(request, "curation/problem.html", {"report": report})


@curator_required
@require_http_methods(["GET", "POST"])
def edit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A provider's proposed change, field by field against the listing; approve or reject."""
    edit = ProviderEdit.objects.select_related("service", "proposed_by").filter(pk=pk).first()
    if edit is None:
        raise Http404
    action = request.POST.get("action")
    reject_form = ReasonForm(request.POST if action == "reject" else None)
    context = {
        "edit": edit,
        "diff": curation_selectors.provider_edit_diff(edit),
        "reject_form": reject_form,
    }
    if request.method == "POST":
        try:
            if action == "approve":
                curation_services.provider_edit_approve(actor=_actor(request), edit_id=pk)
                return _done(request, _("Approved. The listing has been changed."))
            if action == "reject" and reject_form.is_valid():
                curation_services.provider_edit_reject(
                    actor=_actor(request),
                    edit_id=pk,
                    reason=reject_form.cleaned_data["reason"],
                )
                return _done(request, _("Rejected. The listing is unchanged."))
        except DirectoryError as error:
            messages.error(request, str(error))
            return redirect("curation:edit", pk=pk)
        return render(request, "curation/edit.html", context, status=400)
    return render(request, "curation/edit.html", context)


@curator_required
@require_http_methods(["GET", "POST"])
def message_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A general message to the alliance; mark it dealt with."""
    item = ContactMessage.objects.filter(pk=pk).first()
    if item is None:
        raise Http404
    if request.method == "POST":
        try:
            curation_services.contact_message_handle(actor=_actor(request), message_id=pk)
        except DirectoryError as error:
            messages.error(request, str(error))
            return redirect("curation:message", pk=pk)
        return _done(request, _("Marked as dealt with."))
    return render(request, "curation/message.html", {"item": item})


@curator_required
@require_GET
def preview(request: HttpRequest, slug: str) -> HttpResponse:
    """A listing in any status as a parent would see it, with what stops it being published."""
    from directory.services import publish_problems

    service = (
        Service.objects.select_related("organisation")
        .prefetch_related("contacts", "schedules", "locations", "categories")
        .filter(slug=slug)
        .first()
    )
    if service is None:
        raise Http404
    return render(
        request,
        "directory/service.html",
        {"service": service, "preview": True, "publish_problems": publish_problems(service)},
    )
