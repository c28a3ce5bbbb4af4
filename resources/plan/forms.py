"""Input shape for the parenting plan. The safety questions are the get-help check's own forms.

Every text is bounded and refuses control characters (alliance/params.py); anything shared
with the other parent also refuses what looks like an email address, phone number or postcode
(`rules.contact_detail_in`).
"""

from __future__ import annotations

import unicodedata
from datetime import date, timedelta
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alliance.params import REFUSED_CATEGORIES, StrictCharField, StrictIntegerField
from referrals.signposting.forms import DangerForm, OwnBehaviourForm, Radios, SafetyForm
from resources.plan.models import MAX_ITEM_LENGTH, MAX_NAME_LENGTH
from resources.plan.rules import Action, Section, contact_detail_in

# The get-help check's questions, each with a prefix so the three share one page.
SAFETY_FORMS: tuple[tuple[str, type[forms.Form]], ...] = (
    ("danger", DangerForm),
    ("safety", SafetyForm),
    ("own", OwnBehaviourForm),
)

EMAIL_ERRORS = {
    "required": _("Enter your email address"),
    "invalid": _("Enter an email address in the correct format, like name@example.com"),
    "max_length": _("Enter an email address in the correct format, like name@example.com"),
}


class EmailField(forms.EmailField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 254)
        kwargs.setdefault("error_messages", EMAIL_ERRORS)
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> str:
        text = super().to_python(value) or ""
        if any(unicodedata.category(ch) in REFUSED_CATEGORIES for ch in text):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return text.lower()


class NameField(StrictCharField):
    """The name the other parent sees. Not a contact detail, and not left empty."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_length=MAX_NAME_LENGTH, **kwargs)

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value and (contact_detail_in(value) or "@" in value):
            raise forms.ValidationError(
                _("Enter a name only, not an email address, phone number or postcode"),
                code="contact",
            )


NAME_HELP = _(
    "The other parent will see this name if you share the plan. It can be your first name, "
    "or 'Mum' or 'Dad'. Do not enter contact details."
)


class StartForm(forms.Form):
    name = NameField(
        label=_("What name should the plan show for you?"),
        help_text=NAME_HELP,
        param_name=_("Your name"),
        error_messages={"required": _("Enter the name the plan should show for you")},
    )
    email = EmailField(
        label=_("Your email address"),
        help_text=_("We send you a link to open your plan. We never show it to anyone."),
    )


class SignInForm(forms.Form):
    email = EmailField(label=_("Your email address"))


class JoinForm(forms.Form):
    name = NameField(
        label=_("What name should the plan show for you?"),
        help_text=NAME_HELP,
        param_name=_("Your name"),
        error_messages={"required": _("Enter the name the plan should show for you")},
    )


class InviteForm(forms.Form):
    email = EmailField(
        label=_("The other parent's email address"),
        help_text=_(
            "We send them a link to join. The email does not include your name or contact "
            "details, and we never show them your email address."
        ),
        error_messages={**EMAIL_ERRORS, "required": _("Enter the other parent's email address")},
    )


def clean_plan_text(raw: str, *, required_message: Any) -> str:
    """Trimmed, bounded words that may have line breaks but no other control characters."""
    text = raw.replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        raise forms.ValidationError(required_message, code="required")
    if len(text) > MAX_ITEM_LENGTH:
        raise forms.ValidationError(
            _("Write %(max)d characters or fewer") % {"max": MAX_ITEM_LENGTH}, code="max_length"
        )
    if any(unicodedata.category(ch) in REFUSED_CATEGORIES for ch in text.replace("\n", "")):
        raise forms.ValidationError(_("Remove the unusual characters from your text"))
    if contact_detail_in(text):
        raise forms.ValidationError(
            _(
                "Remove the email address, phone number or postcode: the other parent can see "
                "everything you write here"
            ),
            code="contact",
        )
    return text


class ItemForm(forms.Form):
    """A new suggestion in one section (the section comes from the address)."""

    # Bounded before cleaning: a huge paste is refused without being read into a regex.
    text = forms.CharField(
        label=_("Your suggestion"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=MAX_ITEM_LENGTH * 2,
        strip=False,
        required=False,
        error_messages={"max_length": _("Write %(limit_value)d characters or fewer")},
    )

    def clean_text(self) -> str:
        return clean_plan_text(
            self.cleaned_data.get("text", ""), required_message=_("Enter your suggestion")
        )


class ItemActionForm(forms.Form):
    """What a parent does to an item; new wording for a counter or a change."""

    action = forms.ChoiceField(
        label=_("What do you want to do?"),
        choices=[(a.value, a.value) for a in Action if a is not Action.PROPOSE],
        widget=Radios,
        error_messages={
            "required": _("Choose what you want to do"),
            "invalid_choice": _("Choose what you want to do"),
        },
    )
    text = forms.CharField(
        label=_("Your suggestion"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=MAX_ITEM_LENGTH * 2,
        strip=False,
        required=False,
        error_messages={"max_length": _("Write %(limit_value)d characters or fewer")},
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        action = cleaned.get("action")
        if action in {Action.COUNTER.value, Action.REVISE.value}:
            try:
                cleaned["text"] = clean_plan_text(
                    cleaned.get("text", ""), required_message=_("Enter your suggestion")
                )
            except forms.ValidationError as error:
                self.add_error("text", error)
        else:
            cleaned["text"] = ""
        return cleaned


class ReviewDateForm(forms.Form):
    """GOV.UK date input: day, month, year. All three empty clears the date."""

    day = StrictIntegerField(label=_("Day"), required=False, min_value=1, max_value=31)
    month = StrictIntegerField(label=_("Month"), required=False, min_value=1, max_value=12)
    year = StrictIntegerField(label=_("Year"), required=False, min_value=2000, max_value=2200)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.errors:
            self.errors.clear()
            raise forms.ValidationError(_("Enter a real date, like 27 3 2027"))
        parts = [cleaned.get("day"), cleaned.get("month"), cleaned.get("year")]
        if all(part is None for part in parts):
            cleaned["review_on"] = None
            return cleaned
        if any(part is None for part in parts):
            raise forms.ValidationError(_("Enter the day, month and year, like 27 3 2027"))
        try:
            review_on = date(int(parts[2]), int(parts[1]), int(parts[0]))  # type: ignore[arg-type]
        except ValueError:
            raise forms.ValidationError(_("Enter a real date, like 27 3 2027")) from None
        today = timezone.localdate()
        if review_on <= today:
            raise forms.ValidationError(_("The review date must be in the future"))
        if review_on > today + timedelta(days=5 * 365):
            raise forms.ValidationError(_("The review date must be within the next 5 years"))
        cleaned["review_on"] = review_on
        return cleaned


def section_from(slug: str) -> Section | None:
    try:
        return Section(slug)
    except ValueError:
        return None
