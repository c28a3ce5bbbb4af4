"""One strict parser for every number, id and piece of text a visitor sends. Pure: no I/O.

Python's own checks are kind to input in ways a stranger's URL must not be: `str.isdigit()`
says yes to "²" and "١٢", then `int("²")` fails and `int("١٢")` quietly reads 12; `int()` also
takes " 5", "1_000" and a number of any length, which a bigint column then refuses; and
PostgreSQL raises an error for a NUL byte in text. Each of those answered 500 (issue 8, item 2).

So every parameter goes through one of the `parse_*` functions below: ASCII digits only, a
bounded length checked before any conversion, bounds on the value, no control characters in
text. Each raises `ParamError`, whose `message` names the parameter and says what is wanted in
plain words, ready for an API's `{"detail": …}` or a form's error summary. The form fields at
the end wrap the same functions for Django forms and django-filter filter sets.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

# Nine digits: every count, page, age or distance the portal takes fits, and so does an int.
MAX_NUMBER = 999_999_999
# Primary keys are bigints; eighteen digits stay below the largest one.
MAX_ID = 999_999_999_999_999_999
MAX_TEXT_LENGTH = 200
TRUE_WORDS = frozenset({"true", "1"})
FALSE_WORDS = frozenset({"false", "0"})
# Unicode categories refused in text: control characters (NUL, escape, newline…) and lone
# surrogates, which cannot be stored or encoded.
REFUSED_CATEGORIES = frozenset({"Cc", "Cs"})
_DECIMAL = re.compile(r"[0-9]{1,9}(?:\.[0-9]{1,6})?")


class ParamError(ValueError):
    """A parameter that cannot be accepted; `message` says why, naming the parameter."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def is_ascii_digits(text: str) -> bool:
    """True for a non-empty run of 0-9 and nothing else (never "²", "1_000" or Arabic digits)."""
    return bool(text) and text.isascii() and text.isdigit()


def is_plain_decimal(text: str) -> bool:
    """True for "5", "2.5" or "1500": ASCII digits and one point; no sign, exponent or "nan"."""
    return text.isascii() and _DECIMAL.fullmatch(text) is not None


def without_control_characters(text: str) -> str:
    """The text with every control character and lone surrogate taken out."""
    return "".join(ch for ch in text if unicodedata.category(ch) not in REFUSED_CATEGORIES)


def has_control_characters(text: str) -> bool:
    """True when the text holds a control character (NUL, escape, newline…) or a surrogate."""
    return any(unicodedata.category(ch) in REFUSED_CATEGORIES for ch in text)


def parse_int(
    raw: str | None,
    *,
    name: str,
    default: int | None = None,
    min_value: int = 0,
    max_value: int = MAX_NUMBER,
) -> int | None:
    """A whole number from `min_value` to `max_value`; `default` when absent or empty."""
    if raw is None or raw == "":
        return default
    if max_value >= MAX_NUMBER:
        message = f"{name} must be a whole number, {min_value} or more."
    else:
        message = f"{name} must be a whole number from {min_value} to {max_value}."
    if not is_ascii_digits(raw):
        raise ParamError(message)
    # The length is checked before int(): a long number is refused without converting it.
    if len(raw) > len(str(max_value)):
        raise ParamError(f"{name} must be a whole number from {min_value} to {max_value}.")
    value = int(raw)
    if value < min_value:
        raise ParamError(message)
    if value > max_value:
        raise ParamError(f"{name} must be a whole number from {min_value} to {max_value}.")
    return value


def parse_id(raw: str | None, *, name: str) -> int | None:
    """The id of a record: a whole number of 1 or more that fits a bigint; None when absent."""
    try:
        return parse_int(raw, name=name, min_value=1, max_value=MAX_ID)
    except ParamError:
        raise ParamError(f"{name} must be a whole number, the id of a record.") from None


def parse_number(
    raw: str | None,
    *,
    name: str,
    min_value: float,
    max_value: float,
    exclusive_minimum: bool = False,
    message: str | None = None,
) -> float | None:
    """A plain decimal ("1500", "2.5"): ASCII digits and one point, no sign, no exponent."""
    if raw is None or raw == "":
        return None
    above = "above" if exclusive_minimum else "at least"
    message = message or f"{name} must be a number {above} {min_value:g} and at most {max_value:g}."
    if not is_plain_decimal(raw):
        raise ParamError(message)
    value = float(raw)
    too_small = value <= min_value if exclusive_minimum else value < min_value
    if too_small or value > max_value:
        raise ParamError(message)
    return value


def parse_bool(raw: str | None, *, name: str, default: bool | None = None) -> bool | None:
    """`true`/`1` or `false`/`0`, in any case; `default` when absent or empty."""
    if raw is None or raw == "":
        return default
    word = raw.lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ParamError(f"{name} must be true or false.")


def parse_text(raw: str | None, *, name: str, max_length: int = MAX_TEXT_LENGTH) -> str:
    """Words or a code, trimmed: bounded in length, no control characters; "" when absent."""
    if raw is None:
        return ""
    if has_control_characters(raw):
        raise ParamError(f"{name} must not contain control characters.")
    text = raw.strip()
    if len(text) > max_length:
        raise ParamError(f"{name} must be at most {max_length} characters long.")
    return text


# Form fields: the same rules for Django forms and django-filter filter sets -------------------


class _StrictField(forms.Field):
    """Calls a parse function and turns its ParamError into the form's error for the field.

    The message names the field by `param_name`, else its label: give one of them the words a
    person would use ("Age", "Page"), or the query parameter's name in an API.
    """

    def __init__(self, *, param_name: str | None = None, **kwargs: Any) -> None:
        self.param_name = param_name
        super().__init__(**kwargs)

    @property
    def name_in_messages(self) -> str:
        return str(self.param_name or self.label or "This field")

    def to_python(self, value: Any) -> Any:
        if value in self.empty_values:
            return None
        try:
            return self.parse(str(value))
        except ParamError as error:
            raise ValidationError(error.message, code="invalid") from None

    def parse(self, raw: str) -> Any:
        raise NotImplementedError


class StrictIntegerField(_StrictField):
    """A whole number in a form: ASCII digits only, bounded. Leading and trailing spaces are
    forgiven (people type them); anything else `parse_int` refuses is an error."""

    widget = forms.TextInput(attrs={"inputmode": "numeric"})

    def __init__(self, *, min_value: int = 0, max_value: int = MAX_NUMBER, **kwargs: Any) -> None:
        self.min_value, self.max_value = min_value, max_value
        super().__init__(**kwargs)

    def parse(self, raw: str) -> int | None:
        return parse_int(
            raw.strip(" "),
            name=self.name_in_messages,
            min_value=self.min_value,
            max_value=self.max_value,
        )


class StrictIdField(_StrictField):
    """The id of a record (a whole number of 1 or more), as `parse_id`."""

    def parse(self, raw: str) -> int | None:
        return parse_id(raw, name=self.name_in_messages)


class StrictNumberField(_StrictField):
    """A plain decimal, as `parse_number`."""

    def __init__(
        self,
        *,
        min_value: float,
        max_value: float,
        exclusive_minimum: bool = False,
        message: str | None = None,
        **kwargs: Any,
    ) -> None:
        self.min_value, self.max_value = min_value, max_value
        self.exclusive_minimum, self.message = exclusive_minimum, message
        super().__init__(**kwargs)

    def parse(self, raw: str) -> float | None:
        return parse_number(
            raw,
            name=self.name_in_messages,
            min_value=self.min_value,
            max_value=self.max_value,
            exclusive_minimum=self.exclusive_minimum,
            message=self.message,
        )


class StrictBooleanField(_StrictField):
    """`true`/`false`/`1`/`0` typed into a URL, as `parse_bool` (None when absent)."""

    def parse(self, raw: str) -> bool | None:
        return parse_bool(raw, name=self.name_in_messages)


class StrictCharField(_StrictField):
    """Words or a code, as `parse_text`: trimmed, bounded, no control characters."""

    def __init__(self, *, max_length: int = MAX_TEXT_LENGTH, **kwargs: Any) -> None:
        self.max_length = max_length
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> str:
        if value in self.empty_values:
            return ""
        try:
            return parse_text(str(value), name=self.name_in_messages, max_length=self.max_length)
        except ParamError as error:
            raise ValidationError(error.message, code="invalid") from None

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        attrs = super().widget_attrs(widget)
        if not widget.is_hidden:
            attrs["maxlength"] = str(self.max_length)
        return attrs


def parse_next_path(raw: str | None, *, host: str, https: bool = False) -> str:
    """A "next" address a page may send someone back to: a path on this site, else "".

    Only "/…" paths: an absolute URL, "//elsewhere" or a bare word would leave the site or be
    read by Django's redirect() as the name of a view ("0" answered 500, issue 8 item 2).
    """
    from django.utils.http import url_has_allowed_host_and_scheme

    target = raw or ""
    if has_control_characters(target) or len(target) > 2000:
        return ""
    if not target.startswith("/") or target.startswith("//"):
        return ""
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={host}, require_https=https):
        return ""
    return target
