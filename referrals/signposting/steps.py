"""The get-help check's steps and its answers in the session (never the database or logs).

DESIGN.md privacy rule 3: the answers live only in the session, which is in Redis; `/exit/`
flushes it and "start again" removes them. Nothing here logs or stores anything else.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.sessions.backends.base import SessionBase
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from referrals.signposting import forms
from referrals.signposting.rules import Answers, Danger, Mode, Need, OwnBehaviour, Worry

SESSION_KEY = "get_help"


@dataclass(frozen=True)
class Step:
    slug: str
    form_class: type[forms.StepForm]
    title: str | Promise  # the short name on the check-your-answers page


STEPS: tuple[Step, ...] = (
    Step("danger", forms.DangerForm, _("Anyone in danger right now")),
    Step("safety", forms.SafetyForm, _("Worried about safety")),
    Step("own-behaviour", forms.OwnBehaviourForm, _("Worried about your own behaviour")),
    Step("needs", forms.NeedsForm, _("Help with")),
    Step("ages", forms.AgesForm, _("Children's ages")),
    Step("postcode", forms.PostcodeForm, _("Postcode")),
    Step("modes", forms.ModesForm, _("How you would like help")),
)
STEPS_BY_SLUG = {step.slug: step for step in STEPS}


def _one(value: Any, kind: type[Any]) -> Any:
    try:
        return kind(value)
    except (ValueError, TypeError):
        return None


def _many(values: Any, kind: type[Any]) -> frozenset[Any] | None:
    if not isinstance(values, list):
        return None
    parsed = {_one(value, kind) for value in values}
    return None if None in parsed else frozenset(parsed)


def _ages(values: Any) -> tuple[int, ...] | None:
    if not isinstance(values, list) or not all(isinstance(v, int) and 0 <= v <= 17 for v in values):
        return None
    return tuple(values)


def _postcode(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    return value if value == "" else forms.normalise_postcode(value)


# How each step's stored value is read back. A value that does not parse (an old shape, or
# anything unexpected) makes the step unanswered, so the parent is simply asked again.
PARSERS = {
    "danger": lambda v: _one(v, Danger),
    "safety": lambda v: _many(v, Worry) or None,
    "own-behaviour": lambda v: _one(v, OwnBehaviour),
    "needs": lambda v: _many(v, Need) or None,
    "ages": _ages,
    "postcode": _postcode,
    "modes": lambda v: _many(v, Mode),
}


class Triage:
    """The answers so far, read from and written to one session key."""

    def __init__(self, session: SessionBase) -> None:
        self.session = session
        stored = session.get(SESSION_KEY)
        self.raw: dict[str, Any] = stored if isinstance(stored, dict) else {}
        self.parsed: dict[str, Any] = {}
        for slug, value in self.raw.items():
            parser = PARSERS.get(slug)
            parsed = parser(value) if parser else None
            if parsed is not None:
                self.parsed[slug] = parsed

    def answered(self, slug: str) -> bool:
        return slug in self.parsed

    def save(self, slug: str, value: Any) -> None:
        self.raw[slug] = value
        self.session[SESSION_KEY] = self.raw
        self.session.modified = True

    def clear(self) -> None:
        self.session.pop(SESSION_KEY, None)

    def stored(self, slug: str) -> Any:
        return self.raw.get(slug) if self.answered(slug) else None

    @property
    def in_danger(self) -> bool:
        return self.parsed.get("danger") is Danger.YES

    def first_unanswered(self) -> Step | None:
        for step in STEPS:
            if not self.answered(step.slug):
                return step
        return None

    def may_show(self, slug: str) -> bool:
        """A step may be shown once every step before it has an answer."""
        first = self.first_unanswered()
        if first is None:
            return True
        return STEPS.index(STEPS_BY_SLUG[slug]) <= STEPS.index(first)

    @property
    def complete(self) -> bool:
        return self.first_unanswered() is None

    def answers(self) -> Answers:
        parsed = self.parsed
        return Answers(
            danger=parsed.get("danger"),
            worries=parsed.get("safety", frozenset()),
            own_behaviour=parsed.get("own-behaviour"),
            needs=parsed.get("needs", frozenset()),
            ages=parsed.get("ages", ()),
            postcode=parsed.get("postcode", ""),
            modes=parsed.get("modes", frozenset()),
        )


def previous_step(slug: str) -> Step | None:
    index = STEPS.index(STEPS_BY_SLUG[slug])
    return STEPS[index - 1] if index else None


def next_step(slug: str) -> Step | None:
    index = STEPS.index(STEPS_BY_SLUG[slug])
    return STEPS[index + 1] if index + 1 < len(STEPS) else None
