"""The one strict parser for numbers, ids and text from URLs and forms (alliance/params.py)."""

from collections.abc import Callable
from typing import TypeVar

import pytest
from django import forms
from hypothesis import given
from hypothesis import strategies as st

from alliance.params import (
    MAX_ID,
    MAX_NUMBER,
    ParamError,
    StrictBooleanField,
    StrictCharField,
    StrictIdField,
    StrictIntegerField,
    StrictNumberField,
    parse_bool,
    parse_id,
    parse_int,
    parse_next_path,
    parse_number,
    parse_text,
)

T = TypeVar("T")

# Each of these passes str.isdigit() or int() (or both), and each answered 500 somewhere.
NOT_ASCII_WHOLE_NUMBERS = [
    "²",  # superscript two: isdigit() is True, int() fails
    "1²",
    "\u0661\u0662",  # Arabic-Indic twelve: int() reads 12
    "\u0663",
    "\uff11",  # full-width one
    "\U0001d7d7",  # mathematical bold nine
    "1_000",  # int() allows underscores
    " 5",  # int() allows spaces
    "5\n",
    "+5",
    "-1",
    "0x10",
    "1e3",
    "1.0",
    "five",
    "5\x00",
    "\x00",
]


@pytest.mark.parametrize("raw", NOT_ASCII_WHOLE_NUMBERS)
def test_only_ascii_digits_make_a_whole_number(raw: str) -> None:
    with pytest.raises(ParamError) as refused:
        parse_int(raw, name="page", min_value=1)

    assert refused.value.message == "page must be a whole number, 1 or more."


@pytest.mark.parametrize(
    ("raw", "expected"), [("1", 1), ("007", 7), ("42", 42), ("999999999", MAX_NUMBER)]
)
def test_ascii_digits_are_read_as_the_number_they_write(raw: str, expected: int) -> None:
    assert parse_int(raw, name="page") == expected


@pytest.mark.parametrize("raw", [None, ""])
def test_an_absent_number_is_its_default(raw: str | None) -> None:
    assert parse_int(raw, name="page", default=1) == 1
    assert parse_id(raw, name="organization_id") is None
    assert parse_bool(raw, name="top_only") is None
    assert parse_number(raw, name="proximity", min_value=0, max_value=10) is None
    assert parse_text(None, name="q") == ""


@pytest.mark.parametrize(
    "raw",
    ["1000000000", "0000000001", "9" * 5000, "1" * 100_000],
    ids=["ten digits", "ten with zeros", "5000 nines", "100000 ones"],
)
def test_a_number_longer_than_its_bound_is_refused_before_it_is_converted(raw: str) -> None:
    # int("1" * 5000) would raise Python's own ValueError about its digit limit; a long string
    # of digits is refused by length, with the same plain message whatever its size.
    with pytest.raises(ParamError) as refused:
        parse_int(raw, name="page", min_value=1)

    assert refused.value.message == "page must be a whole number from 1 to 999999999."


def test_bounds_are_checked_and_named_in_the_message() -> None:
    with pytest.raises(ParamError) as too_young:
        parse_int("0", name="Age", min_value=1, max_value=25)
    with pytest.raises(ParamError) as too_old:
        parse_int("26", name="Age", min_value=1, max_value=25)

    assert (
        too_young.value.message
        == too_old.value.message
        == ("Age must be a whole number from 1 to 25.")
    )
    assert parse_int("25", name="Age", min_value=1, max_value=25) == 25


def test_an_id_is_a_whole_number_of_one_or_more_that_fits_a_bigint() -> None:
    assert parse_id("12", name="organization_id") == 12
    assert parse_id(str(MAX_ID), name="organization_id") == MAX_ID
    for raw in ("0", "-1", "1²", "abc", str(MAX_ID + 1), "9" * 19, "1\x00"):
        with pytest.raises(ParamError) as refused:
            parse_id(raw, name="organization_id")
        assert (
            refused.value.message == "organization_id must be a whole number, the id of a record."
        )


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("true", True), ("TRUE", True), ("1", True), ("false", False), ("False", False), ("0", False)],
)
def test_a_boolean_is_true_false_one_or_zero(raw: str, expected: bool) -> None:
    assert parse_bool(raw, name="top_only") is expected


@pytest.mark.parametrize("raw", ["yes", "maybe", "t", "¹", "true\x00", "\uff34\uff32\uff35\uff25"])
def test_anything_else_is_not_a_boolean(raw: str) -> None:
    with pytest.raises(ParamError) as refused:
        parse_bool(raw, name="top_only")

    assert refused.value.message == "top_only must be true or false."


@pytest.mark.parametrize(("raw", "expected"), [("8000", 8000.0), ("2.5", 2.5), ("0.001", 0.001)])
def test_a_plain_decimal_is_a_number(raw: str, expected: float) -> None:
    assert parse_number(raw, name="proximity", min_value=0, max_value=10_000) == expected


@pytest.mark.parametrize(
    "raw",
    ["0", "-5", "1e3", "1e400", "nan", "inf", "10001", "\u0663", "1,000", ".5", "5.", "1.2.3"],
)
def test_anything_else_is_not_a_number_in_range(raw: str) -> None:
    with pytest.raises(ParamError) as refused:
        parse_number(raw, name="proximity", min_value=0, max_value=10_000, exclusive_minimum=True)

    assert refused.value.message == "proximity must be a number above 0 and at most 10000."


def test_text_is_trimmed_and_may_be_any_language() -> None:
    assert parse_text("  mediation ", name="q") == "mediation"
    assert parse_text("وساطة عائلية", name="q") == "وساطة عائلية"
    assert parse_text("a" * 200, name="q") == "a" * 200


@pytest.mark.parametrize(
    "raw", ["a\x00b", "\x00", "line\nbreak", "tab\there", "\x1b[31m", "\ud800"]
)
def test_text_with_a_control_character_or_surrogate_is_refused(raw: str) -> None:
    with pytest.raises(ParamError) as refused:
        parse_text(raw, name="q")

    assert refused.value.message == "q must not contain control characters."


def test_text_longer_than_its_bound_is_refused() -> None:
    with pytest.raises(ParamError) as refused:
        parse_text("a" * 81, name="parent_id", max_length=80)

    assert refused.value.message == "parent_id must be at most 80 characters long."


def outcome(parse: Callable[[], T]) -> tuple[T | None, str | None]:
    """What a parse function made of its input: a value, or the message it refused it with."""
    try:
        return parse(), None
    except ParamError as error:
        return None, error.message


@given(st.text())
def test_any_text_is_either_a_number_in_bounds_or_a_plain_refusal(raw: str) -> None:
    value, refusal = outcome(lambda: parse_int(raw, name="page", min_value=1, max_value=1000))

    if refusal is None:
        assert value is None or (1 <= value <= 1000 and str(value) == raw.lstrip("0"))
    else:
        assert refusal.startswith("page must be a whole number")


@given(st.one_of(st.text(), st.integers(min_value=-(10**30), max_value=10**30).map(str)))
def test_any_text_is_either_an_id_or_a_plain_refusal(raw: str) -> None:
    value, refusal = outcome(lambda: parse_id(raw, name="id"))

    if refusal is None:
        assert value is None or 1 <= value <= MAX_ID
    else:
        assert refusal == "id must be a whole number, the id of a record."


@given(st.text())
def test_any_text_is_either_clean_text_or_a_plain_refusal(raw: str) -> None:
    text, refusal = outcome(lambda: parse_text(raw, name="q", max_length=50))

    if refusal is None:
        assert text is not None
        assert len(text) <= 50
        assert "\x00" not in text
    else:
        assert refusal.startswith("q must")


# The same rules inside a Django form --------------------------------------------------------


class SearchForm(forms.Form):
    age = StrictIntegerField(label="Age", min_value=0, max_value=25, required=False)
    organisation = StrictIdField(param_name="organization_id", required=False)
    distance = StrictNumberField(label="Distance", min_value=0, max_value=50, required=False)
    free = StrictBooleanField(label="Free", required=False)
    words = StrictCharField(label="Search words", max_length=20, required=False)


def test_a_form_cleans_good_input_with_the_same_rules() -> None:
    form = SearchForm(
        {"age": " 7 ", "organisation": "12", "distance": "2.5", "free": "true", "words": " café "}
    )

    assert form.is_valid(), form.errors
    assert form.cleaned_data == {
        "age": 7,
        "organisation": 12,
        "distance": 2.5,
        "free": True,
        "words": "café",
    }


def test_a_form_gives_each_bad_field_a_plain_message_naming_it() -> None:
    form = SearchForm(
        {"age": "²", "organisation": "x", "distance": "1e9", "free": "maybe", "words": "a\x00"}
    )

    assert not form.is_valid()
    assert form.errors == {
        "age": ["Age must be a whole number from 0 to 25."],
        "organisation": ["organization_id must be a whole number, the id of a record."],
        "distance": ["Distance must be a number at least 0 and at most 50."],
        "free": ["Free must be true or false."],
        "words": ["Search words must not contain control characters."],
    }


def test_an_empty_form_field_is_none_or_empty_text() -> None:
    form = SearchForm({"age": "", "organisation": "", "words": ""})

    assert form.is_valid()
    assert form.cleaned_data == {
        "age": None,
        "organisation": None,
        "distance": None,
        "free": None,
        "words": "",
    }


def test_a_text_field_tells_the_browser_its_length_and_a_number_field_its_keyboard() -> None:
    html = str(SearchForm()["words"]) + str(SearchForm()["age"])

    assert 'maxlength="20"' in html
    assert 'inputmode="numeric"' in html


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("/services/?q=mediation", "/services/?q=mediation"),
        ("0", ""),
        ("alliance:staff-home", ""),
        ("services", ""),
        ("//evil.example/", ""),
        ("https://evil.example/", ""),
        ("/\x00", ""),
        (None, ""),
    ],
)
def test_a_next_address_is_a_path_on_this_site_or_nothing(raw: str | None, expected: str) -> None:
    assert parse_next_path(raw, host="testserver") == expected
