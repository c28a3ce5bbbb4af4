"""The parenting plan's pages: GET renders, POST calls one service (STYLE.md).

A parent is signed in only by spending a link from their email; the session then holds their
participant id, so `/exit/` (which flushes the session) also signs them out. Every page is
never_cache: a shared computer's back button must not show a plan.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST
from django_ratelimit.core import is_ratelimited

from alliance.helplines import HELPLINES
from alliance.sessions import needs_session
from resources.plan import selectors, services
from resources.plan.forms import (
    SAFETY_FORMS,
    InviteForm,
    ItemActionForm,
    ItemForm,
    JoinForm,
    ReviewDateForm,
    SignInForm,
    StartForm,
    section_from,
)
from resources.plan.models import PlanLink, PlanParticipant
from resources.plan.rules import SECTIONS, Action, Gate, Section, gate, safety_answers

GATE_KEY = "parenting_plan_gate"
LINK_KEY = "parenting_plan_link"
GUIDE_PATH = "/resources/making-a-parenting-plan/"
SAFETY_HELPLINES = ("emergency", "domestic_abuse", "mens_advice", "nspcc", "respect")

View = Callable[..., HttpResponse]


def _helplines() -> list[Any]:
    return [HELPLINES[key] for key in SAFETY_HELPLINES if key in HELPLINES]


def _render(request: HttpRequest, template: str, context: dict[str, Any], status: int = 200):  # type: ignore[no-untyped-def]
    context.setdefault("guide_path", GUIDE_PATH)
    return render(request, f"resources/plan/{template}", context, status=status)


def signed_in(view: View) -> View:
    """Only for a parent signed in to a plan they are still on; others go to sign in."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        participant = selectors.participant_for_session(request.session)
        if participant is None:
            request.session.pop(selectors.SESSION_KEY, None)
            return redirect("plan:sign-in")
        return view(request, participant, *args, **kwargs)

    return never_cache(needs_session(wrapped))


# Before signing in -------------------------------------------------------------------------


@never_cache
def start(request: HttpRequest) -> HttpResponse:
    """What the plan is, how the exit control works, then the safety questions."""
    return _render(request, "start.html", {})


def _safety_forms(data: Any = None) -> list[tuple[str, Any, list[dict[str, Any]], str]]:
    built = []
    for prefix, form_class in SAFETY_FORMS:
        form = form_class(data, prefix=prefix)
        kind = "checkboxes" if prefix == "safety" else "radios"
        built.append((prefix, form, _options(form), kind))
    return built


def _options(form: Any) -> list[dict[str, Any]]:
    field = form["answer"]
    value = field.value()
    chosen = {str(v) for v in (value if isinstance(value, list) else [value]) if v is not None}
    return [
        {
            "id": f"{field.auto_id}_{index}",
            "value": choice,
            "label": label,
            "checked": str(choice) in chosen,
            "exclusive": choice == "none" and form.prefix == "safety",
        }
        for index, (choice, label) in enumerate(field.field.choices)
    ]


def _gate_from(forms: list[tuple[str, Any, Any, str]]) -> Gate | None:
    if not all(form.is_valid() for _p, form, _o, _k in forms):
        return None
    by_prefix = {prefix: form.cleaned_data["answer"] for prefix, form, _o, _k in forms}
    return gate(
        safety_answers(
            danger=by_prefix["danger"], worries=by_prefix["safety"], own_behaviour=by_prefix["own"]
        )
    )


class _Merged:
    """The three question forms seen as one by the error summary include."""

    def __init__(self, forms: list[Any], extra: Any = None) -> None:
        self.forms = [*forms, *([extra] if extra is not None else [])]

    @property
    def errors(self) -> bool:
        return any(form.errors for form in self.forms)

    def non_field_errors(self) -> list[str]:
        return []

    def __iter__(self):  # type: ignore[no-untyped-def]
        for form in self.forms:
            yield from form

    @property
    def visible_fields(self) -> list[Any]:
        return [field for form in self.forms for field in form.visible_fields()]


@never_cache
@require_http_methods(["GET", "POST"])
@needs_session
def safety(request: HttpRequest) -> HttpResponse:
    """The get-help check's safety questions; the same rules decide which plan is offered."""
    forms = _safety_forms(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        decided = _gate_from(forms)
        if decided is Gate.EMERGENCY:
            request.session[GATE_KEY] = decided.value
            return render(
                request,
                "referrals/get_help/emergency.html",
                {"back_url": reverse("plan:safety")},
            )
        if decided is not None:
            # Only the decision is kept, never the answers (DESIGN.md rule 3).
            request.session[GATE_KEY] = decided.value
            return redirect("plan:new")
    return _render(
        request,
        "safety.html",
        {"questions": forms, "form": _Merged([f for _p, f, _o, _k in forms])},
        status=400 if request.method == "POST" else 200,
    )


def _gate_in(request: HttpRequest) -> Gate | None:
    try:
        return Gate(str(request.session.get(GATE_KEY, "")))
    except ValueError:
        return None


def _rate_limited(request: HttpRequest, group: str, email: str | None) -> bool:
    """A few links an hour per address and per visitor: no flooding someone's inbox."""
    by_visitor = is_ratelimited(
        request,
        group=f"plan.{group}.ip",
        key="ip",
        rate=f"{settings.PLAN_LINKS_PER_HOUR_PER_VISITOR}/h",
        increment=True,
    )
    if email is None:
        return by_visitor
    digest = hashlib.sha256(email.encode()).hexdigest()
    by_email = is_ratelimited(
        request,
        group="plan.email",
        key=lambda _group, _request: digest,
        rate=f"{settings.PLAN_LINKS_PER_HOUR_PER_EMAIL}/h",
        increment=True,
    )
    return by_visitor or by_email


def _too_many(request: HttpRequest) -> HttpResponse:
    return _render(request, "too_many.html", {}, status=429)


@never_cache
@require_http_methods(["GET", "POST"])
@needs_session
def new(request: HttpRequest) -> HttpResponse:
    """Start a plan with a name and an email; a private one when a risk was signalled."""
    decided = _gate_in(request)
    if decided is None:
        return redirect("plan:safety")
    if decided is Gate.EMERGENCY:
        return redirect("plan:safety")
    private = decided is Gate.PRIVATE_ONLY
    form = StartForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        email = form.cleaned_data["email"]
        if _rate_limited(request, "start", email):
            return _too_many(request)
        services.plan_start(email=email, name=form.cleaned_data["name"], private=private)
        return redirect("plan:check-email")
    context: dict[str, Any] = {"form": form, "private": private}
    if private:
        context["helplines"] = _helplines()
    return _render(request, "new.html", context, status=400 if form.is_bound else 200)


@never_cache
def check_email(request: HttpRequest) -> HttpResponse:
    """The same words whether or not the address has a plan (no enumeration)."""
    return _render(request, "check_email.html", {"minutes": settings.PLAN_SIGN_IN_LINK_MINUTES})


@never_cache
@require_http_methods(["GET", "POST"])
def sign_in(request: HttpRequest) -> HttpResponse:
    """Ask for a sign-in link: the page says the same whatever the address."""
    form = SignInForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        email = form.cleaned_data["email"]
        if _rate_limited(request, "sign_in", email):
            return _too_many(request)
        services.plan_sign_in_links_send(email=email)
        return redirect("plan:check-email")
    return _render(request, "sign_in.html", {"form": form}, status=400 if form.is_bound else 200)


@never_cache
@require_http_methods(["GET"])
@needs_session
def link(request: HttpRequest, token: str) -> HttpResponse:
    """Open a link from an email: keep its token in the session and take it out of the address.

    Reads only: mail scanners open links before people do, so opening must not spend it.
    """
    if services.link_find(token=token) is None:
        return _render(request, "link_invalid.html", {}, status=404)
    request.session[LINK_KEY] = token
    return redirect("plan:open")


@never_cache
@require_http_methods(["GET", "POST"])
@needs_session
def open_link(request: HttpRequest) -> HttpResponse:
    """Spend the link: a button for a sign-in; the safety questions and a name for an invite."""
    token = request.session.get(LINK_KEY, "")
    found = services.link_find(token=token if isinstance(token, str) else "")
    if found is None:
        return _render(request, "link_invalid.html", {}, status=404)
    joining = found.purpose == PlanLink.Purpose.INVITE and found.participant.joined_at is None
    posted = request.method == "POST"
    if not joining:
        if posted:
            return _sign_in_with(request, token)
        return _render(request, "open.html", {})
    forms = _safety_forms(request.POST if posted else None)
    join_form = JoinForm(request.POST if posted else None)
    if posted:
        decided = _gate_from(forms)
        if decided is Gate.EMERGENCY:
            return render(
                request, "referrals/get_help/emergency.html", {"back_url": reverse("plan:open")}
            )
        if decided is Gate.PRIVATE_ONLY:
            # Not joined, and the inviter is told nothing: the invitation simply stays open.
            request.session[GATE_KEY] = decided.value
            request.session.pop(LINK_KEY, None)
            return _render(request, "not_shared.html", {"helplines": _helplines()})
        if decided is Gate.JOINT_ALLOWED and join_form.is_valid():
            return _sign_in_with(request, token, name=join_form.cleaned_data["name"])
    return _render(
        request,
        "join.html",
        {
            "questions": forms,
            "join_form": join_form,
            "form": _Merged([f for _p, f, _o, _k in forms], join_form),
        },
        status=400 if posted else 200,
    )


def _sign_in_with(request: HttpRequest, token: str, name: str = "") -> HttpResponse:
    try:
        participant = services.link_use(token=token, name=name)
    except services.PlanError:
        return _render(request, "link_invalid.html", {}, status=404)
    # A new session key on sign-in: a key planted before cannot be used to read the plan.
    request.session.cycle_key()
    request.session.pop(LINK_KEY, None)
    request.session[selectors.SESSION_KEY] = participant.pk
    return redirect("plan:plan")


@never_cache
@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    request.session.flush()
    return redirect("plan:signed-out")


@never_cache
def signed_out(request: HttpRequest) -> HttpResponse:
    return _render(request, "signed_out.html", {})


# Signed in -----------------------------------------------------------------------------------


def _plan_context(participant: PlanParticipant) -> dict[str, Any]:
    plan = participant.plan
    shared = services.is_shared(plan)
    other = selectors.other_parent(participant)
    return {
        "me": participant,
        "plan": plan,
        "shared": shared,
        "ended": plan.ended_at is not None,
        "other": other,
        "other_joined": other is not None and other.joined_at is not None,
        "helplines": _helplines() if plan.private else [],
    }


@signed_in
def plan(request: HttpRequest, participant: PlanParticipant) -> HttpResponse:
    """The plan: each section with how many items are agreed, the other parent, the review."""
    context = _plan_context(participant)
    context["sections"] = selectors.plan_sections(
        participant=participant, shared=context["shared"], agreed_only=context["ended"]
    )
    return _render(request, "plan.html", context)


@signed_in
@require_http_methods(["GET", "POST"])
def section(request: HttpRequest, participant: PlanParticipant, slug: str) -> HttpResponse:
    chosen = section_from(slug)
    if chosen is None:
        raise Http404
    context = _plan_context(participant)
    if context["ended"]:
        return redirect("plan:plan")
    form = ItemForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            services.item_propose(
                participant=participant, section=chosen, text=form.cleaned_data["text"]
            )
        except services.PlanError as error:
            form.add_error(None, _(error.message))
        else:
            messages.success(request, _("Your suggestion has been added."))
            return redirect("plan:section", slug=chosen.value)
    views = selectors.plan_sections(participant=participant, shared=context["shared"])
    context.update(
        {
            "section": next(v for v in views if v.section is chosen),
            "form": form,
            "info": SECTIONS[chosen],
        }
    )
    return _render(request, "section.html", context, status=400 if form.is_bound else 200)


@signed_in
@require_http_methods(["GET", "POST"])
def item(request: HttpRequest, participant: PlanParticipant, item_id: int) -> HttpResponse:
    found = selectors.plan_item(participant=participant, item_id=item_id)
    if found is None:
        raise Http404
    context = _plan_context(participant)
    if context["ended"]:
        return redirect("plan:plan")
    views = selectors.plan_sections(participant=participant, shared=context["shared"])
    item_view = next(i for v in views for i in v.items if i.item.pk == found.pk)
    form = ItemActionForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        action = Action(form.cleaned_data["action"])
        if action not in item_view.actions:
            form.add_error("action", _("Choose one of the options shown"))
        else:
            try:
                services.item_act(
                    participant=participant,
                    item_id=found.pk,
                    action=action,
                    text=form.cleaned_data["text"],
                )
            except services.PlanError as error:
                form.add_error(None, _(error.message))
            else:
                messages.success(request, _("Saved. The other parent will see it."))
                return redirect("plan:section", slug=found.section)
    context.update(
        {
            "entry": item_view,
            "form": form,
            "info": SECTIONS[Section(found.section)],
            "section_slug": found.section,
            "choices": _action_choices(item_view.actions, form),
        }
    )
    return _render(request, "item.html", context, status=400 if form.is_bound else 200)


ACTION_LABELS = {
    Action.AGREE: _("I agree"),
    Action.COUNTER: _("Suggest something different"),
    Action.REVISE: _("Change my suggestion"),
    Action.NOT_AGREE: _("I do not agree"),
    Action.NEEDS_HELP: _("We need help with this, for example from a mediator"),
}


def _action_choices(actions: frozenset[Action], form: ItemActionForm) -> list[dict[str, Any]]:
    chosen = form["action"].value()
    ordered = [a for a in ACTION_LABELS if a in actions]
    return [
        {
            "id": f"id_action_{index}",
            "value": action.value,
            "label": ACTION_LABELS[action],
            "checked": chosen == action.value,
            "with_text": action in {Action.COUNTER, Action.REVISE},
        }
        for index, action in enumerate(ordered)
    ]


@signed_in
@require_http_methods(["GET", "POST"])
def invite(request: HttpRequest, participant: PlanParticipant) -> HttpResponse:
    context = _plan_context(participant)
    plan_ = participant.plan
    if plan_.private or context["ended"] or participant.role != PlanParticipant.Role.STARTER:
        raise Http404
    form = InviteForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        if _rate_limited(request, "invite", None):
            return _too_many(request)
        try:
            services.invite_send(participant=participant, email=form.cleaned_data["email"])
        except services.PlanError as error:
            form.add_error("email", _(error.message))
        else:
            messages.success(request, _("We have sent the invitation."))
            return redirect("plan:plan")
    context["form"] = form
    context["days"] = settings.PLAN_INVITE_LINK_DAYS
    return _render(request, "invite.html", context, status=400 if form.is_bound else 200)


@signed_in
@require_POST
def invite_cancel(request: HttpRequest, participant: PlanParticipant) -> HttpResponse:
    try:
        services.invite_withdraw(participant=participant)
    except services.PlanError as error:
        messages.error(request, _(error.message))
    else:
        messages.success(request, _("The invitation has been cancelled."))
    return redirect("plan:plan")


@signed_in
@require_http_methods(["GET", "POST"])
def review(request: HttpRequest, participant: PlanParticipant) -> HttpResponse:
    context = _plan_context(participant)
    if context["ended"]:
        return redirect("plan:plan")
    review_on = participant.plan.review_on
    initial = (
        {"day": review_on.day, "month": review_on.month, "year": review_on.year}
        if review_on
        else None
    )
    form = ReviewDateForm(request.POST if request.method == "POST" else None, initial=initial)
    if form.is_bound and form.is_valid():
        services.review_date_set(participant=participant, review_on=form.cleaned_data["review_on"])
        messages.success(request, _("The review date has been saved."))
        return redirect("plan:plan")
    context["form"] = form
    return _render(request, "review.html", context, status=400 if form.is_bound else 200)


def _summary_context(participant: PlanParticipant) -> dict[str, Any]:
    context = _plan_context(participant)
    context["sections"] = [
        view
        for view in selectors.plan_sections(
            participant=participant, shared=context["shared"], agreed_only=context["ended"]
        )
        if view.items
    ]
    context["names"] = [
        name
        for name in (participant.name, context["other"].name if context["other_joined"] else "")
        if name
    ]
    return context


@signed_in
def summary(request: HttpRequest, participant: PlanParticipant) -> HttpResponse:
    """Summary of progress: agreed and not yet agreed, per section, for a mediator or court."""
    return _render(request, "summary.html", _summary_context(participant))


@signed_in
def summary_pdf(request: HttpRequest, participant: PlanParticipant) -> HttpResponse:
    """The same summary as a PDF (WeasyPrint): no contact details, as the page."""
    from resources.plan.pdf import summary_pdf_bytes

    pdf = summary_pdf_bytes(_summary_context(participant))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="parenting-plan-summary.pdf"'
    return response


@signed_in
def for_children(request: HttpRequest, participant: PlanParticipant) -> HttpResponse:
    """What has been agreed, in words for children (domain.md 4.2: share it with the child)."""
    context = _plan_context(participant)
    context["sections"] = [
        view
        for view in selectors.plan_sections(participant=participant, shared=False)
        if view.agreed
    ]
    return _render(request, "for_children.html", context)


@signed_in
@require_http_methods(["GET", "POST"])
def leave(request: HttpRequest, participant: PlanParticipant) -> HttpResponse:
    context = _plan_context(participant)
    if request.method == "POST":
        services.plan_leave(participant=participant)
        request.session.flush()
        return redirect("plan:left")
    return _render(request, "leave.html", context)


@never_cache
def left(request: HttpRequest) -> HttpResponse:
    return _render(request, "left.html", {})
