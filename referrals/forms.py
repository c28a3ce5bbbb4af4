"""Input shape for the FCA, provider and parent pages of programme referrals."""

from __future__ import annotations

import datetime as dt
from typing import Any

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import HTML, Field, Fieldset, Layout, Size, Submit
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alliance.params import StrictCharField, has_control_characters
from directory.languages import LANGUAGE_CHOICES
from directory.postcodes import parse_postcode
from referrals.models import Cohort, CourtDecision, Mode, Offering, Programme, Route

EMAIL_MAX_LENGTH = 254
DATE_FORMATS = ["%d/%m/%Y", "%d %m %Y", "%Y-%m-%d"]


class DateField(forms.DateField):
    """A date typed as 14/12/2026; years far from now are mistakes, not dates."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("input_formats", DATE_FORMATS)
        kwargs.setdefault("help_text", _("For example, 14/12/2026"))
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> dt.date | None:
        if isinstance(value, str) and (len(value) > 20 or has_control_characters(value)):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        day = super().to_python(value)
        if day is not None and not 2000 <= day.year <= 2100:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return day


def _date(label: Any, *, required: bool = False) -> DateField:
    return DateField(
        label=label,
        required=required,
        error_messages={
            "required": _("Enter the %(what)s") % {"what": label.lower()},
            "invalid": _("Enter the %(what)s as a real date, like 14/12/2026")
            % {"what": label.lower()},
        },
    )


def _text(
    label: Any,
    *,
    required: bool = True,
    max_length: int = 200,
    required_message: Any = None,
    **kwargs: Any,
) -> Any:
    return StrictCharField(
        label=label,
        required=required,
        max_length=max_length,
        error_messages={
            "required": required_message or _("Enter the %(what)s") % {"what": label.lower()}
        },
        **kwargs,
    )


class Radios(forms.RadioSelect):
    """Radios whose label id is the first option's, so the error summary links to it.

    crispy-forms-gds numbers the radios from 1 (`id_<name>_1`, its radio_item.html)."""

    def id_for_label(self, id_: str, index: str | None = None) -> str:  # type: ignore[override]
        if not id_:
            return id_
        return f"{id_}_1" if index is None else f"{id_}_{index}"


PARENT_WORDS = {"a": _("First parent"), "b": _("Second parent")}


def _parent_fields(prefix: str) -> dict[str, forms.Field]:
    who = PARENT_WORDS[prefix]
    return {
        f"{prefix}_name": _text(
            _("Full name"),
            max_length=200,
            required_message=_("Enter the %(who)s's full name") % {"who": who.lower()},
        ),
        f"{prefix}_email": forms.EmailField(
            label=_("Email address"),
            max_length=EMAIL_MAX_LENGTH,
            error_messages={
                "required": _("Enter the %(who)s's email address") % {"who": who.lower()},
                "invalid": _("Enter an email address like name@example.org"),
                "max_length": _("Enter an email address of 254 characters or fewer"),
            },
        ),
        f"{prefix}_phone": _text(_("Phone"), required=False, max_length=40),
        f"{prefix}_postcode": _text(
            _("Postcode"),
            max_length=10,
            required_message=_("Enter the %(who)s's postcode") % {"who": who.lower()},
        ),
        f"{prefix}_preferred_language": forms.ChoiceField(
            label=_("Preferred language"),
            choices=LANGUAGE_CHOICES,
            initial="en",
            error_messages={"invalid_choice": _("Choose a language from the list")},
        ),
        f"{prefix}_interpreter_needed": forms.BooleanField(
            label=_("Needs an interpreter"), required=False
        ),
        f"{prefix}_access_needs": _text(
            _("Access needs"), required=False, max_length=1000, widget=forms.Textarea
        ),
        f"{prefix}_address_confidential": forms.BooleanField(
            label=_("Their address is confidential (for example, a refuge or a C8)"),
            required=False,
        ),
        f"{prefix}_safety_flag": forms.BooleanField(
            label=_("There is a safety concern about or for this parent"), required=False
        ),
    }


PARENT_KEYS = [
    "name",
    "email",
    "phone",
    "postcode",
    "preferred_language",
    "interpreter_needed",
    "access_needs",
    "address_confidential",
    "safety_flag",
]
GATE_KEYS = [
    "enquiries_completed_on",
    "police_checks_done",
    "local_authority_checks_done",
    "both_parents_spoken_to",
    "domestic_abuse_indicated",
    "child_safeguarding_indicated",
    "fca_attests",
]


class CaseForm(forms.Form):
    """A case, the route and the safeguarding answers, and each parent on their own."""

    programme = forms.ModelChoiceField(
        label=_("Programme"),
        queryset=Programme.objects.none(),
        empty_label=None,
        error_messages={"invalid_choice": _("Choose a programme running now")},
    )
    court = _text(_("Court"))
    case_number = _text(_("Case number"), max_length=40)
    first_hearing_on = _date(_("First hearing date"), required=True)
    route = forms.ChoiceField(
        label=_("How is this referral made?"),
        choices=Route.choices,
        widget=Radios,
        error_messages={
            "required": _("Choose how this referral is made"),
            "invalid_choice": _("Choose how this referral is made"),
        },
    )
    order_date = _date(_("Order date"))
    issuing_court = _text(_("Issuing court"), required=False)
    enquiries_completed_on = _date(_("Safeguarding enquiries completed on"))
    police_checks_done = forms.BooleanField(label=_("Police checks are done"), required=False)
    local_authority_checks_done = forms.BooleanField(
        label=_("Local authority checks are done"), required=False
    )
    both_parents_spoken_to = forms.BooleanField(
        label=_("I have spoken to both parents"), required=False
    )
    domestic_abuse_indicated = forms.BooleanField(
        label=_("Domestic abuse is indicated"), required=False
    )
    child_safeguarding_indicated = forms.BooleanField(
        label=_("A child safeguarding concern is indicated"), required=False
    )
    fca_attests = forms.BooleanField(
        label=_("I confirm a referral is safe and appropriate for this family"), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        field = self.fields["programme"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101 - declared above
        field.queryset = Programme.objects.filter(active_from__lte=today).exclude(
            active_to__lt=today
        )
        for prefix in ("a", "b"):
            self.fields.update(_parent_fields(prefix))
        self.helper = FormHelper()
        self.helper.form_tag = False
        parent_sets = [
            Fieldset(
                *[Field(f"{prefix}_{key}") for key in PARENT_KEYS],
                legend=PARENT_WORDS[prefix],
                legend_size=Size.MEDIUM,
            )
            for prefix in ("a", "b")
        ]
        self.helper.layout = Layout(
            Fieldset(
                "programme",
                "court",
                "case_number",
                "first_hearing_on",
                "route",
                "order_date",
                "issuing_court",
                legend=_("The case"),
                legend_size=Size.MEDIUM,
            ),
            Fieldset(
                HTML(
                    '<p class="govuk-body">'
                    + str(
                        _(
                            "A direct referral before the first hearing needs every check done "
                            "and no indicator. A court order goes ahead whatever is recorded "
                            "here, and the provider is told to arrange safe attendance."
                        )
                    )
                    + "</p>"
                ),
                *GATE_KEYS,
                legend=_("Safeguarding"),
                legend_size=Size.MEDIUM,
            ),
            *parent_sets,
            Submit("submit", _("Save the case")),
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("route") == Route.COURT_ORDER:
            if not data.get("order_date") and "order_date" not in self.errors:
                self.add_error("order_date", _("Enter the order date"))
            if not data.get("issuing_court") and "issuing_court" not in self.errors:
                self.add_error("issuing_court", _("Enter the issuing court"))
        for prefix in ("a", "b"):
            name = f"{prefix}_postcode"
            raw = data.get(name)
            if raw:
                parsed = parse_postcode(raw)
                if parsed is None or parsed.is_district:
                    self.add_error(name, _("Enter a full postcode, like LE1 6ZG"))
                else:
                    data[name] = parsed.code
        a_email, b_email = data.get("a_email"), data.get("b_email")
        if a_email and b_email and a_email.lower() == b_email.lower():
            self.add_error("b_email", _("Each parent needs their own email address"))
        return data

    def case_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        keys = ["court", "case_number", "first_hearing_on", "route", "order_date"]
        return {key: data[key] for key in [*keys, "issuing_court", *GATE_KEYS]}

    def parents(self) -> list[dict[str, Any]]:
        data = self.cleaned_data
        return [{key: data[f"{p}_{key}"] for key in PARENT_KEYS} for p in ("a", "b")]


class CourtDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("What did the court decide?"),
        choices=[
            (CourtDecision.ORDERED.value, _("The court ordered the programme")),
            (CourtDecision.DECLINED.value, _("The court decided it is not appropriate")),
        ],
        widget=Radios,
        error_messages={
            "required": _("Choose what the court decided"),
            "invalid_choice": _("Choose what the court decided"),
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.add_input(Submit("submit", _("Record the decision")))


class ReasonForm(forms.Form):
    """A short reason (declining, returning, withdrawing): at most 500 characters."""

    reason = StrictCharField(
        label=_("Reason"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Enter a reason")},
    )

    def __init__(self, *args: Any, submit: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.add_input(Submit("submit", submit or _("Continue")))


class BookForm(forms.Form):
    cohort = forms.TypedChoiceField(
        label=_("Cohort"),
        coerce=int,
        widget=Radios,
        error_messages={
            "required": _("Choose a cohort"),
            "invalid_choice": _("Choose one of the cohorts listed"),
        },
    )

    def __init__(
        self, *args: Any, cohorts: list[Cohort], held: int | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cohort"].choices = [  # type: ignore[attr-defined]
            (
                c.pk,
                f"{timezone.localtime(c.starts_at):%a %d %b %Y, %H:%M}, {c.get_mode_display()}"
                + (
                    # "0 of 5 places left" read as full for the place this parent already holds.
                    " ({})".format(_("this parent's place is held here"))
                    if c.pk == held
                    else f" ({c.places_left} of {c.capacity} places left)"
                ),
            )
            for c in cohorts
        ]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.add_input(Submit("submit", _("Book this place")))


class AttendanceForm(forms.Form):
    attended = forms.ChoiceField(
        label=_("Did the parent attend the workshop?"),
        choices=[("yes", _("Yes, they attended")), ("no", _("No, they did not attend"))],
        widget=Radios,
        error_messages={
            "required": _("Choose whether the parent attended"),
            "invalid_choice": _("Choose whether the parent attended"),
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.add_input(Submit("submit", _("Record attendance")))


class CohortForm(forms.Form):
    offering = forms.TypedChoiceField(
        label=_("Programme"),
        coerce=int,
        error_messages={
            "required": _("Choose a programme"),
            "invalid_choice": _("Choose one of your programmes"),
        },
    )
    starts_on = _date(_("Date"), required=True)
    starts_time = forms.TimeField(
        label=_("Start time"),
        help_text=_("For example, 18:30"),
        input_formats=["%H:%M"],
        error_messages={
            "required": _("Enter the start time"),
            "invalid": _("Enter the start time like 18:30"),
        },
    )
    mode = forms.ChoiceField(
        label=_("How is it held?"),
        choices=Mode.choices,
        widget=Radios,
        error_messages={
            "required": _("Choose how it is held"),
            "invalid_choice": _("Choose how it is held"),
        },
    )
    capacity = forms.TypedChoiceField(
        label=_("Places"),
        help_text=_("Groups are about 5 parents, at most 6."),
        coerce=int,
        choices=[(n, str(n)) for n in range(1, 7)],
        initial=5,
        error_messages={"invalid_choice": _("Choose from 1 to 6 places")},
    )

    def __init__(self, *args: Any, offerings: list[Offering], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.offerings = {o.pk: o for o in offerings}
        self.fields["offering"].choices = [  # type: ignore[attr-defined]
            (o.pk, str(o.programme.name)) for o in offerings
        ]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.add_input(Submit("submit", _("Add the cohort")))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        day, time = data.get("starts_on"), data.get("starts_time")
        if day and time:
            starts = timezone.make_aware(dt.datetime.combine(day, time))
            if starts <= timezone.now():
                self.add_error("starts_on", _("Enter a date in the future"))
            data["starts_at"] = starts
        offering = self.offerings.get(data.get("offering", 0))
        if offering and data.get("mode") and data["mode"] not in offering.modes:
            self.add_error("mode", _("This programme is not offered that way"))
        return data


class AvailabilityForm(forms.Form):
    availability = StrictCharField(
        label=_("When can you attend?"),
        help_text=_(
            "For example, weekday evenings or Saturday mornings. Only the provider sees this."
        ),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Tell the provider when you can attend")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.add_input(Submit("submit", _("Send to the provider")))
