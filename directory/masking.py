"""How a location may be shown in public: the one place the confidential-location rule lives.

DESIGN.md privacy rule 7: refuges and other confidential locations never publish an exact
address: postcode district only, coordinates rounded. HTML, emails and JSON all use this.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from directory.models import CONFIDENTIAL_COORDINATE_PLACES, Location
from directory.postcodes import postcode_district

PUBLIC_COORDINATE_PLACES = 5


@dataclass(frozen=True)
class PublicLocation:
    id: int
    name: str
    address_1: str
    address_2: str
    town: str
    postcode: str
    latitude: float
    longitude: float
    confidential: bool
    accessibility_notes: str

    @property
    def address_lines(self) -> list[str]:
        return [line for line in (self.address_1, self.address_2, self.town, self.postcode) if line]


def public_location(location: Location) -> PublicLocation:
    """The location as anyone may see it; a confidential one keeps only its district."""
    if location.confidential:
        return PublicLocation(
            id=location.pk,
            name=_("Confidential location"),
            address_1="",
            address_2="",
            town="",
            postcode=postcode_district(location.postcode),
            latitude=round(location.latitude, CONFIDENTIAL_COORDINATE_PLACES),
            longitude=round(location.longitude, CONFIDENTIAL_COORDINATE_PLACES),
            confidential=True,
            accessibility_notes="",
        )
    return PublicLocation(
        id=location.pk,
        name=location.name,
        address_1=location.address_1,
        address_2=location.address_2,
        town=location.town,
        postcode=location.postcode,
        latitude=round(location.latitude, PUBLIC_COORDINATE_PLACES),
        longitude=round(location.longitude, PUBLIC_COORDINATE_PLACES),
        confidential=False,
        accessibility_notes=location.accessibility_notes,
    )
