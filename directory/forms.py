"""Input shape for the directory's public pages."""

from __future__ import annotations

import re
import secrets
from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from alliance.params import (
    MAX_NUMBER,
    is_ascii_digits,
    is_plain_decimal,
    without_control_characters,
)
from directory.languages import LANGUAGE_CHOICES
from directory.models import Category, Service
from directory.postcodes import parse_postcode
from directory.selectors import PostcodeMatch, ServiceQuery, postcode_lookup

MAX_QUERY_CHARS = 200
MAX_RADIUS_MILES = 200
MAX_AGE = 25
_FALSE = {"", "0", "false", "no", "off"}


class PlainIntegerField(forms.IntegerField):
    """An IntegerField that takes ASCII digits only (alliance/params.py), with its own messages.

    Python's int() reads an Arabic-Indic five as 5 and takes a number of any length; this
    field refuses both with its "invalid" message and leaves the range checks to Django.
    """

    def to_python(self, value: Any) -> int | None:
        raw = str(value).strip() if value not in self.empty_values else ""
        digits = raw.removeprefix("-")
        if raw and (not is_ascii_digits(digits) or len(digits) > len(str(MAX_NUMBER))):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(raw)


class PlainNumberField(forms.FloatField):
    """A FloatField that takes "5" or "2.5" only: no exponent, "nan", "inf" or other digits."""

    def to_python(self, value: Any) -> float | None:  # type: ignore[override]
        raw = str(value).strip() if value not in self.empty_values else ""
        if raw and not is_plain_decimal(raw.removeprefix("-")):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(raw)


class CheckboxesWidget(forms.CheckboxSelectMultiple):
    """Checkboxes whose error-summary link goes to the first box (`id_<name>`)."""

    def id_for_label(self, id_: str, index: str | None = None) -> str:
        return id_


class SearchForm(forms.Form):
    """The directory search, read from the query string (DESIGN.md's stable parameters).

    A field that does not validate gets a message and is left out of the search; the rest
    of the search still runs.
    """

    q = forms.CharField(label=_("What are you looking for?"), required=False, strip=True)
    postcode = forms.CharField(
        label=_("Postcode"),
        required=False,
        help_text=_("For example, LE1 6ZG or just LE1"),
    )
    radius = PlainNumberField(
        label=_("Distance in miles"),
        required=False,
        min_value=0.1,
        max_value=MAX_RADIUS_MILES,
        error_messages={
            "invalid": _("Enter the distance as a number of miles, like 5"),
            "min_value": _("Enter a distance of more than 0 miles"),
            "max_value": _("Enter a distance of %(limit_value)s miles or less"),
        },
    )
    category = forms.MultipleChoiceField(
        label=_("Type of help"),
        required=False,
        widget=CheckboxesWidget,
        error_messages={"invalid_choice": _("Choose a type of help from the list")},
    )
    age = PlainIntegerField(
        label=_("Child's age"),
        required=False,
        min_value=0,
        max_value=MAX_AGE,
        help_text=_("Shows services for a child of this age"),
        error_messages={
            "invalid": _("Enter the child's age in years, like 8"),
            "min_value": _("Enter an age of 0 or more"),
            "max_value": _("Enter an age of %(limit_value)s or less"),
        },
    )
    free = forms.BooleanField(label=_("Free services only"), required=False)
    mode = forms.MultipleChoiceField(
        label=_("How it is delivered"),
        required=False,
        choices=Service.DeliveryMode.choices,
        widget=CheckboxesWidget,
        error_messages={"invalid_choice": _("Choose in person, online or by phone")},
    )
    language = forms.ChoiceField(
        label=_("Language"),
        required=False,
        choices=[("", _("Any language")), *LANGUAGE_CHOICES],
        error_messages={"invalid_choice": _("Choose a language from the list")},
    )

    def __init__(self, *args: Any, categories: list[Category], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A private copy, so the page shows the cleaned words and postcode it searched for.
        self.data = self.data.copy()  # type: ignore[attr-defined]
        self.postcode_match: PostcodeMatch | None = None
        choices: list[tuple[str, str]] = []
        for parent in categories:
            choices.append((parent.slug, parent.name))
            choices.extend(
                (child.slug, child.name)
                for child in getattr(parent, "children_list", [])  # from category_tree()
            )
        self.fields["category"].choices = choices  # type: ignore[attr-defined]

    def clean_q(self) -> str:
        # A 2,000-character query is cut, not refused: the first words are what matter.
        # Control characters (PostgreSQL refuses NUL outright) are dropped from what is typed.
        text = without_control_characters(self.cleaned_data.get("q") or "")
        text = " ".join(text.split())[:MAX_QUERY_CHARS]
        self.data["q"] = text  # type: ignore[index]
        return text

    def clean_postcode(self) -> str:
        raw = without_control_characters(self.cleaned_data.get("postcode") or "").strip()[:20]
        if not raw:
            return ""
        parsed = parse_postcode(raw)
        if parsed is None:
            raise forms.ValidationError(_("Enter a real postcode, like LE1 6ZG"), code="invalid")
        self.postcode_match = postcode_lookup(parsed.code)
        if self.postcode_match is None:
            raise forms.ValidationError(
                _(
                    "We could not find %(postcode)s. Check it, or enter just the first part, "
                    "like LE1"
                ),
                code="unknown",
                params={"postcode": parsed.code},
            )
        self.data["postcode"] = parsed.code  # type: ignore[index]
        return parsed.code

    def clean_free(self) -> bool:
        raw = self.data.get("free", "")
        return str(raw).strip().lower() not in _FALSE

    def to_query(self) -> ServiceQuery:
        """The search to run: only the fields that validated."""
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        point = self.postcode_match.point if self.postcode_match else None
        radius = None
        if point:
            # A postcode alone searches the alliance's area around it: nobody travels further
            # for mediation, and the bounding box keeps the search on its index (bench/search.py).
            radius = data.get("radius") or settings.ALLIANCE_AREA_RADIUS_MILES
            if not self.errors.get("radius"):
                # The distance box shows the distance searched, as the heading says it.
                self.data["radius"] = f"{radius:g}"  # type: ignore[index]
        return ServiceQuery(
            text=data.get("q") or "",
            point=point,
            radius_miles=radius,
            categories=tuple(data.get("category") or ()),
            age=data.get("age"),
            free_only=bool(data.get("free")),
            modes=tuple(data.get("mode") or ()),
            language=data.get("language") or "",
        )

    @property
    def has_filters(self) -> bool:
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        return any(
            data.get(name) not in (None, "", [], False)
            for name in ("category", "age", "free", "mode", "language")
        )


class MyListEmailForm(forms.Form):
    """Send my list to an email address that is used once and then wiped."""

    email = forms.EmailField(
        label=_("Email address"),
        max_length=254,
        error_messages={
            "required": _("Enter an email address"),
            "invalid": _("Enter an email address in the correct format, like name@example.com"),
        },
    )
    token = forms.CharField(widget=forms.HiddenInput, max_length=64, required=False)

    @staticmethod
    def new_token() -> str:
        return secrets.token_urlsafe(16)

    def clean_token(self) -> str:
        token = self.cleaned_data.get("token") or ""
        if not re.fullmatch(r"[A-Za-z0-9_-]{8,64}", token):
            return self.new_token()
        return token
