"""The get-help questions: one small form per page. The templates write the GOV.UK markup."""

import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from directory.postcodes import parse_postcode
from referrals.signposting.rules import Danger, Mode, Need, OwnBehaviour, Worry


class Radios(forms.RadioSelect):
    """Radios whose label id is the first option's, so the error summary links to it."""

    def id_for_label(self, id_: str, index: str | None = "0") -> str:  # type: ignore[override]
        return f"{id_}_{index or 0}" if id_ else id_

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        # Two values for one radio question can only be tampering: neither is trusted.
        if hasattr(data, "getlist") and len(data.getlist(name)) > 1:
            return "invalid"
        return super().value_from_datadict(data, files, name)


class Checkboxes(forms.CheckboxSelectMultiple):
    def id_for_label(self, id_: str, index: str | None = "0") -> str:  # type: ignore[override]
        return f"{id_}_{index or 0}" if id_ else id_


def _invalid(message: Any) -> dict[str, Any]:
    # A tampered value reads the same as a missing one: the parent is asked again.
    return {"required": message, "invalid_choice": message, "invalid_list": message}


class StepForm(forms.Form):
    """A question page's form; `to_session` and `from_session` keep only plain strings."""

    field_name = "answer"

    def to_session(self) -> Any:
        return self.cleaned_data[self.field_name]

    @classmethod
    def initial_from(cls, value: Any) -> dict[str, Any]:
        return {cls.field_name: value}


class DangerForm(StepForm):
    answer = forms.ChoiceField(
        label=_("Is anyone in danger right now?"),
        help_text=_(
            "For example, someone is hurting you or your children, threatening to, or you are "
            "scared of what will happen when they come home."
        ),
        choices=[(Danger.YES.value, _("Yes")), (Danger.NO.value, _("No"))],
        widget=Radios,
        error_messages=_invalid(_("Select yes if you or anyone else is in danger right now")),
    )


class SafetyForm(StepForm):
    answer = forms.MultipleChoiceField(
        label=_("Are you worried about your safety, or your children's safety?"),
        help_text=_("Select all that apply."),
        choices=[
            (Worry.ME.value, _("Yes, I am worried about my safety")),
            (Worry.CHILDREN.value, _("Yes, I am worried about my children's safety")),
            (Worry.NOT_SURE.value, _("I'm not sure")),
            (Worry.NONE.value, _("No, I am not worried about anyone's safety")),
        ],
        widget=Checkboxes,
        error_messages=_invalid(
            _("Select who you are worried about, or select that you are not worried")
        ),
    )

    def clean_answer(self) -> list[str]:
        answer: list[str] = self.cleaned_data["answer"]
        if Worry.NONE.value in answer and len(answer) > 1:
            raise forms.ValidationError(
                _("Select who you are worried about, or select that you are not worried, not both")
            )
        return answer


class OwnBehaviourForm(StepForm):
    answer = forms.ChoiceField(
        label=_(
            "Are you worried that your own behaviour could hurt or frighten your children "
            "or their other parent?"
        ),
        help_text=_(
            "For example, losing your temper, shouting, breaking things, hitting, or checking up "
            "on where they go and who they see."
        ),
        choices=[
            (OwnBehaviour.YES.value, _("Yes")),
            (OwnBehaviour.NOT_SURE.value, _("I'm not sure")),
            (OwnBehaviour.NO.value, _("No")),
        ],
        widget=Radios,
        error_messages=_invalid(_("Select yes, I'm not sure, or no")),
    )


NEED_HINTS = {
    Need.ARRANGEMENTS.value: _("Like where the children live and when they see each parent"),
    Need.COURT_CASE.value: _("You or the other parent has applied to the family court"),
}


class NeedsForm(StepForm):
    answer = forms.MultipleChoiceField(
        label=_("What would you like help with?"),
        help_text=_("Select all that apply."),
        choices=[
            (Need.ARRANGEMENTS.value, _("Agreeing arrangements for the children")),
            (Need.CHILDREN.value, _("How the children are feeling and coping")),
            (Need.EMOTIONAL.value, _("Support for me, like someone to talk to")),
            (Need.LEGAL.value, _("Legal advice")),
            (Need.MONEY_HOUSING.value, _("Money, debt or housing")),
            (Need.COURT_CASE.value, _("A court case about the children has started")),
            (Need.OTHER.value, _("Something else, or I'm not sure")),
        ],
        widget=Checkboxes,
        error_messages=_invalid(_("Select what you would like help with")),
    )


AGE_SPLIT = re.compile(r"[\s,;]+|\band\b", re.IGNORECASE)
MAX_CHILDREN = 12


class AgesForm(StepForm):
    answer = forms.CharField(
        label=_("How old are your children?"),
        help_text=_(
            "Enter each child's age in years, with a comma between them. For example, 3, 7. "
            "Enter 0 for a baby under 1. You can leave this empty."
        ),
        required=False,
        max_length=100,
        error_messages={"max_length": _("Enter ages as numbers, like 3, 7")},
    )

    def clean_answer(self) -> list[int]:
        parts = [part for part in AGE_SPLIT.split(self.cleaned_data["answer"]) if part]
        if not all(part.isascii() and part.isdigit() and int(part) <= 17 for part in parts):
            raise forms.ValidationError(_("Enter ages as numbers from 0 to 17, like 3, 7"))
        if len(parts) > MAX_CHILDREN:
            raise forms.ValidationError(_("Enter the ages of up to 12 children"))
        return sorted({int(part) for part in parts})

    @classmethod
    def initial_from(cls, value: Any) -> dict[str, Any]:
        return {cls.field_name: ", ".join(str(age) for age in value or ())}


def normalise_postcode(raw: str) -> str | None:
    """'sw1a1aa ' → 'SW1A 1AA'; None when it is not shaped like a UK postcode.

    The directory's rule, so the check and the search read a postcode the same way.
    """
    parsed = parse_postcode(raw)
    return parsed.code if parsed else None


class PostcodeForm(StepForm):
    answer = forms.CharField(
        label=_("What is your postcode?"),
        help_text=_(
            "We use it to show the nearest services first. You can enter only the first part, "
            "like SW1A, or leave this empty."
        ),
        required=False,
        max_length=10,
        error_messages={"max_length": _("Enter a real postcode, like SW1A 1AA")},
    )

    def clean_answer(self) -> str:
        raw = self.cleaned_data["answer"].strip()
        if not raw:
            return ""
        postcode = normalise_postcode(raw)
        if postcode is None:
            raise forms.ValidationError(
                _("Enter a real postcode, like SW1A 1AA, or leave it empty")
            )
        return postcode


class ModesForm(StepForm):
    answer = forms.MultipleChoiceField(
        label=_("How would you like to get help?"),
        help_text=_("Select all that suit you. If you do not select any, we will show all kinds."),
        choices=[
            (Mode.IN_PERSON.value, _("In person")),
            (Mode.ONLINE.value, _("Online, like a video call or a website")),
            (Mode.PHONE.value, _("By phone")),
        ],
        required=False,
        widget=Checkboxes,
        error_messages=_invalid(_("Select how you would like to get help")),
    )
