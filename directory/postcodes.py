"""Pure postcode rules: normalising what a parent types. No ORM, no I/O."""

import re
from dataclasses import dataclass

# The shapes of a UK postcode's outward code (district) and inward code (Royal Mail PAF).
_OUTWARD = r"[A-Z]{1,2}[0-9][A-Z0-9]?"
_INWARD = r"[0-9][A-Z]{2}"
_FULL_RE = re.compile(rf"^({_OUTWARD})({_INWARD})$")
_DISTRICT_RE = re.compile(rf"^{_OUTWARD}$")


@dataclass(frozen=True)
class ParsedPostcode:
    """A well-formed postcode: `code` is "LE1 6ZG" or "LE1"; `district` is always "LE1"."""

    code: str
    district: str

    @property
    def is_district(self) -> bool:
        return self.code == self.district


def parse_postcode(raw: str) -> ParsedPostcode | None:
    """Normalise "le1 6zg", "LE16ZG" or "le1" to a ParsedPostcode; None if it is not one.

    Rule: spaces and case do not matter; the inward code is always the last three characters.
    """
    compact = re.sub(r"\s+", "", raw or "").upper()
    if len(compact) > 8:
        return None
    match = _FULL_RE.match(compact)
    if match:
        return ParsedPostcode(code=f"{match[1]} {match[2]}", district=match[1])
    if _DISTRICT_RE.match(compact):
        return ParsedPostcode(code=compact, district=compact)
    return None


def postcode_district(raw: str) -> str:
    """The district ("LE2") of a postcode, for showing where a confidential place is."""
    parsed = parse_postcode(raw)
    if parsed is not None:
        return parsed.district
    # Not a valid postcode: show the first word at most, never the whole string.
    return (raw or "").strip().upper().split(" ")[0][:4]
