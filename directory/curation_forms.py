"""Input shape for the curation forms: the suggestion steps, problem reports, the contact
message, provider edits and the curators' decisions. Every text is bounded and refuses
control characters; every message says what to do."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from alliance.params import has_control_characters
from directory.models import PROVIDER_EDITABLE_FIELDS, ProblemReport, Service

EMAIL_MAX = 254


class Radios(forms.RadioSelect):
    """Radios whose error-summary link goes to the first one (`id_<name>`)."""

    def id_for_label(self, id_: str, index: str | None = None) -> str:
        return id_ if index is None else f"{id_}_{index}"


class BoundedText(forms.CharField):
    """Trimmed words of at most `max_length` characters, with no control characters."""

    def __init__(
        self,
        *,
        label: Any,
        max_length: int,
        required: bool = True,
        textarea: bool = False,
        empty: Any = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(
            label=label,
            max_length=max_length,
            required=required,
            widget=forms.Textarea(attrs={"rows": 5}) if textarea else forms.TextInput,
            error_messages={
                "required": empty or _("Enter %(label)s") % {"label": str(label).lower()},
                "max_length": _("%(label)s must be %(limit)s characters or fewer")
                % {"label": label, "limit": max_length},
                "null_characters_not_allowed": _("Remove the special characters"),
            },
            **kwargs,
        )

    def clean(self, value: Any) -> str:
        text = super().clean(value)
        # Newlines and tabs are fine in a description; other control characters are not.
        if has_control_characters(text.replace("\n", "").replace("\r", "").replace("\t", "")):
            raise forms.ValidationError(_("Remove the special characters"), code="invalid")
        return text


def email_field(label: Any, *, required: bool = True) -> forms.EmailField:
    return forms.EmailField(
        label=label,
        max_length=EMAIL_MAX,
        required=required,
        error_messages={
            "required": _("Enter an email address"),
            "invalid": _("Enter an email address in the correct format, like name@example.com"),
            "max_length": _("Enter an email address of %(limit_value)d characters or fewer"),
        },
    )


class Honeypot(forms.Form):
    """A field people never see (it is in a `hidden` block); bots fill it in."""

    nickname = forms.CharField(required=False, max_length=200)

    @property
    def is_bot(self) -> bool:
        return bool(self.data.get("nickname"))


# Suggestion steps --------------------------------------------------------------------------


class SuggestServiceForm(forms.Form):
    organisation_name = BoundedText(
        label=_("Organisation name"),
        max_length=200,
        empty=_("Enter the name of the organisation"),
    )
    service_name = BoundedText(
        label=_("Service name"),
        max_length=200,
        empty=_("Enter the name of the service"),
        help_text=_("If the organisation has one service, use the organisation's name again."),
    )
    website = forms.URLField(
        label=_("Website (optional)"),
        required=False,
        max_length=300,
        assume_scheme="https",
        error_messages={
            "invalid": _("Enter a website address in the correct format, like www.example.org"),
            "max_length": _("Website must be 300 characters or fewer"),
        },
    )


class SuggestAboutForm(forms.Form):
    offers = BoundedText(
        label=_("What it offers"),
        max_length=2000,
        textarea=True,
        empty=_("Enter what the service offers"),
    )
    who_for = BoundedText(
        label=_("Who it is for (optional)"), max_length=2000, textarea=True, required=False
    )
    category = forms.TypedChoiceField(
        label=_("Type of help"),
        coerce=int,
        widget=Radios,
        error_messages={
            "required": _("Choose the type of help it gives"),
            "invalid_choice": _("Choose the type of help it gives"),
        },
    )
    area = BoundedText(
        label=_("Area it covers (optional)"),
        max_length=200,
        required=False,
        help_text=_("For example, Leicester city, all of Leicestershire, or the whole country"),
    )

    def __init__(self, *args: Any, categories: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [  # type: ignore[attr-defined]
            (c.pk, c.name) for c in categories
        ]


class SuggestWhyForm(forms.Form):
    reason = BoundedText(
        label=_("Why should it be part of the alliance?"),
        max_length=2000,
        textarea=True,
        empty=_("Enter why it should be part of the alliance"),
    )


class SuggestYouForm(Honeypot):
    practitioner_name = BoundedText(
        label=_("Your name"), max_length=120, empty=_("Enter your name")
    )
    practitioner_role = BoundedText(
        label=_("Your role"),
        max_length=120,
        empty=_("Enter your role"),
        help_text=_("For example, family support worker or mediator"),
    )
    practitioner_email = email_field(_("Your work email address"))
    practitioner_organisation = BoundedText(
        label=_("Your organisation"),
        max_length=200,
        empty=_("Enter your organisation"),
    )


class SuggestDuplicateForm(forms.Form):
    match = forms.ChoiceField(
        label=_("Is it one of these?"),
        widget=Radios,
        error_messages={
            "required": _("Choose a listing, or say it is none of these"),
            "invalid_choice": _("Choose a listing, or say it is none of these"),
        },
    )

    def __init__(self, *args: Any, similar: list[Service], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["match"].choices = [  # type: ignore[attr-defined]
            *((str(s.pk), f"{s.name} ({s.organisation.name})") for s in similar),
            ("none", _("No, none of these")),
        ]


SUGGESTION_STEPS: list[tuple[str, type[forms.Form], Any]] = [
    ("service", SuggestServiceForm, _("The organisation and service")),
    ("about", SuggestAboutForm, _("About the service")),
    ("why", SuggestWhyForm, _("Why it should be part of the alliance")),
    ("you", SuggestYouForm, _("About you")),
]


# Problem reports and messages --------------------------------------------------------------


class ProblemReportForm(Honeypot):
    kind = forms.ChoiceField(
        label=_("What is wrong?"),
        choices=ProblemReport.Kind.choices,
        widget=Radios,
        error_messages={
            "required": _("Choose what is wrong"),
            "invalid_choice": _("Choose what is wrong"),
        },
    )
    details = BoundedText(
        label=_("Tell us more (optional)"),
        max_length=1000,
        textarea=True,
        required=False,
        help_text=_("Do not include personal details about you or your family."),
    )
    email = email_field(_("Your email address (optional)"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") == ProblemReport.Kind.OTHER and not data.get("details"):
            self.add_error("details", _("Tell us what is wrong"))
        return data


class ContactMessageForm(Honeypot):
    name = BoundedText(label=_("Your name"), max_length=120, empty=_("Enter your name"))
    email = email_field(_("Your email address"))
    message = BoundedText(
        label=_("Your message"),
        max_length=2000,
        textarea=True,
        empty=_("Enter your message"),
        help_text=_("Do not include personal details about you or your family."),
    )


# Provider edits and curators' decisions ----------------------------------------------------


class ProviderEditForm(forms.ModelForm):
    """A provider's proposed values for the fields it may change (PROVIDER_EDITABLE_FIELDS)."""

    website = forms.URLField(
        label=_("Website"), required=False, max_length=200, assume_scheme="https"
    )

    class Meta:
        model = Service
        fields = list(PROVIDER_EDITABLE_FIELDS)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name, value in list(data.items()):
            if isinstance(value, str) and has_control_characters(
                value.replace("\n", "").replace("\r", "").replace("\t", "")
            ):
                self.add_error(name, _("Remove the special characters"))
        return data


class ReasonForm(forms.Form):
    reason = BoundedText(
        label=_("Reason"),
        max_length=1000,
        textarea=True,
        empty=_("Enter a reason"),
    )


class MergeForm(forms.Form):
    service = forms.ModelChoiceField(
        label=_("The listing it duplicates"),
        queryset=Service.objects.exclude(status=Service.Status.ARCHIVED),
        error_messages={
            "required": _("Choose the listing it duplicates"),
            "invalid_choice": _("Choose the listing it duplicates"),
        },
    )
