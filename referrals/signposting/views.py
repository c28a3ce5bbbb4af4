"""The get-help check's pages: anonymous, session-only, never touching referral records.

Answers live only in the session (`steps.py`); every view that reads them is never_cache so
a shared computer's back button cannot show them.
"""

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from alliance.sessions import needs_session
from referrals.signposting.forms import NEED_HINTS, StepForm
from referrals.signposting.links import results_leads
from referrals.signposting.rules import Worry, outcome
from referrals.signposting.selectors import get_help_services
from referrals.signposting.steps import STEPS, STEPS_BY_SLUG, Step, Triage, next_step, previous_step


def get_help_start(request: HttpRequest) -> HttpResponse:
    """The interruption page: how the exit control works, before the first question."""
    return render(request, "referrals/get_help/start.html", {"first_step": STEPS[0]})


@never_cache
@require_http_methods(["GET", "POST"])
@needs_session
def get_help_step(request: HttpRequest, slug: str) -> HttpResponse:
    step = STEPS_BY_SLUG.get(slug)
    if step is None:
        raise Http404
    triage = Triage(request.session)
    if triage.in_danger and step.slug != "danger":
        return redirect("referrals:get-help-emergency")
    if not triage.may_show(step.slug):
        first = triage.first_unanswered()
        return redirect("referrals:get-help-step", slug=first.slug if first else STEPS[0].slug)
    changing = request.GET.get("change") == "1"
    if request.method == "POST":
        form = step.form_class(request.POST)
        if form.is_valid():
            triage.save(step.slug, form.to_session())
            triage = Triage(request.session)
            if triage.in_danger:
                return redirect("referrals:get-help-emergency")
            if changing and triage.complete:
                return redirect("referrals:get-help-check")
            following = next_step(step.slug)
            if following is None:
                return redirect("referrals:get-help-check")
            return redirect("referrals:get-help-step", slug=following.slug)
    else:
        stored = triage.stored(step.slug)
        initial = step.form_class.initial_from(stored) if stored is not None else None
        form = step.form_class(initial=initial)
    previous = previous_step(step.slug)
    if changing:
        back_url = reverse("referrals:get-help-check")
    elif previous is None:
        back_url = reverse("referrals:get-help")
    else:
        back_url = reverse("referrals:get-help-step", args=[previous.slug])
    return render(
        request,
        f"referrals/get_help/{step.slug}.html",
        {
            "form": form,
            "step": step,
            "back_url": back_url,
            "changing": changing,
            "options": _options(form, step),
            "attrs": TEXT_ATTRS.get(step.slug, {}),
        },
    )


TEXT_ATTRS = {
    "postcode": {"autocomplete": "off", "spellcheck": "false"},  # a shared computer
    "ages": {"spellcheck": "false"},
}


def _options(form: StepForm, step: Step) -> list[dict[str, Any]]:
    """The radios' or checkboxes' items, with per-item hints and the exclusive "none"."""
    field = form[form.field_name]
    choices = getattr(field.field, "choices", None)
    if not choices:
        return []
    value = field.value()
    chosen = {str(v) for v in (value if isinstance(value, list) else [value]) if v is not None}
    hints = NEED_HINTS if step.slug == "needs" else {}
    exclusive = Worry.NONE.value if step.slug == "safety" else None
    return [
        {
            "id": f"{field.auto_id}_{index}",
            "value": choice,
            "label": label,
            "hint": hints.get(choice),
            "checked": str(choice) in chosen,
            "exclusive": choice == exclusive,
        }
        for index, (choice, label) in enumerate(choices)
    ]


def _unfinished(triage: Triage) -> HttpResponse | None:
    """Where to send a parent who has not finished: the emergency page, or the first gap."""
    if triage.in_danger:
        return redirect("referrals:get-help-emergency")
    first = triage.first_unanswered()
    if first is not None:
        return redirect("referrals:get-help-step", slug=first.slug)
    return None


@never_cache
@needs_session
def get_help_check(request: HttpRequest) -> HttpResponse:
    """Check your answers, each with a link to change it."""
    triage = Triage(request.session)
    if (detour := _unfinished(triage)) is not None:
        return detour
    rows = []
    for step in STEPS:
        form = step.form_class(initial=step.form_class.initial_from(triage.stored(step.slug)))
        field = form[form.field_name]
        value = field.value()
        if isinstance(value, list):
            labels = dict(field.field.choices)  # type: ignore[attr-defined]
            shown = [str(labels.get(v, "")) for v in value]
        elif hasattr(field.field, "choices"):
            shown = [str(dict(field.field.choices).get(value, ""))]  # type: ignore[attr-defined]
        else:
            shown = [value] if value else []
        rows.append({"step": step, "question": field.label, "values": shown})
    return render(
        request,
        "referrals/get_help/check.html",
        {"rows": rows, "back_url": reverse("referrals:get-help-step", args=[STEPS[-1].slug])},
    )


@never_cache
@needs_session
def get_help_results(request: HttpRequest) -> HttpResponse:
    """The parent's personal list: helplines, explanations and services per the rules."""
    triage = Triage(request.session)
    if (detour := _unfinished(triage)) is not None:
        return detour
    answers = triage.answers()
    result = outcome(answers)
    groups, postcode_found = get_help_services(outcome=result, answers=answers)
    return render(
        request,
        "referrals/get_help/results.html",
        {
            "outcome": result,
            "groups": groups,
            "postcode_given": bool(answers.postcode),
            "postcode_found": postcode_found,
            "sections": {section.value for section in result.sections},
            "leads": results_leads(result, answers),
            "back_url": reverse("referrals:get-help-check"),
        },
    )


@never_cache
def get_help_emergency(request: HttpRequest) -> HttpResponse:
    """999 and the silent-call guidance, and nothing else (domain.md 7.2)."""
    return render(
        request,
        "referrals/get_help/emergency.html",
        {"back_url": reverse("referrals:get-help-step", args=["danger"])},
    )


@never_cache
@require_http_methods(["GET", "POST"])
@needs_session
def get_help_start_again(request: HttpRequest) -> HttpResponse:
    """Ask first, then forget the answers on POST only (a prefetch or crawler clears nothing).

    The saved list is the directory's and stays.
    """
    if request.method == "POST":
        Triage(request.session).clear()
        return redirect("referrals:get-help")
    back = request.META.get("HTTP_REFERER", "")
    back_url = (
        back
        if url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}) and back
        else reverse("referrals:get-help-check")
    )
    return render(request, "referrals/get_help/start_again.html", {"back_url": back_url})
