"""What anyone may see of a location: a confidential one keeps only its district (DESIGN.md rule 7).

`directory/masking.py` is pure: these tests build unsaved locations, so they need no database
and run under `make mutants`, which mutates the module and expects every change to be noticed.
"""

import pytest

from directory.masking import public_location
from directory.models import Location

REFUGE = {
    "pk": 41,
    "name": "Riverside House",
    "address_1": "12 Canal Street",
    "address_2": "Flat 3",
    "town": "Leicester",
    "postcode": "LE2 7AB",
    "latitude": 52.627349,
    "longitude": -1.172281,
    "accessibility_notes": "Side door by the bins, ring twice",
}


def location(**overrides: object) -> Location:
    return Location(**{**REFUGE, **overrides})  # type: ignore[arg-type]


def test_a_confidential_location_shows_only_its_postcode_district() -> None:
    place = public_location(location(confidential=True))

    assert place.id == 41
    assert place.name == "Confidential location"
    assert place.address_1 == ""
    assert place.address_2 == ""
    assert place.town == ""
    assert place.postcode == "LE2"
    assert place.accessibility_notes == ""
    assert place.confidential is True
    assert place.address_lines == ["LE2"]


def test_a_confidential_location_is_rounded_to_about_a_kilometre() -> None:
    place = public_location(location(confidential=True))

    assert place.latitude == 52.63
    assert place.longitude == -1.17


def test_nothing_of_a_confidential_address_leaks_into_any_field() -> None:
    place = public_location(location(confidential=True))
    shown = " ".join(str(value) for value in vars(place).values())

    for secret in ("Riverside", "Canal", "Flat 3", "Leicester", "7AB", "bins", "52.627", "1.172"):
        assert secret not in shown


def test_a_public_location_is_shown_whole_to_five_places() -> None:
    place = public_location(location(confidential=False))

    assert place.id == 41
    assert place.name == "Riverside House"
    assert place.address_1 == "12 Canal Street"
    assert place.address_2 == "Flat 3"
    assert place.town == "Leicester"
    assert place.postcode == "LE2 7AB"
    assert place.latitude == 52.62735
    assert place.longitude == -1.17228
    assert place.confidential is False
    assert place.accessibility_notes == "Side door by the bins, ring twice"
    assert place.address_lines == ["12 Canal Street", "Flat 3", "Leicester", "LE2 7AB"]


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        ({"address_2": ""}, ["12 Canal Street", "Leicester", "LE2 7AB"]),
        ({"address_1": "", "town": ""}, ["Flat 3", "LE2 7AB"]),
    ],
)
def test_empty_address_lines_are_left_out(lines: dict, expected: list[str]) -> None:
    assert public_location(location(confidential=False, **lines)).address_lines == expected
