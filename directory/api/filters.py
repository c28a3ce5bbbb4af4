"""The ORUK query parameters of each list, as django-filter filter sets.

Every value is cleaned by the strict fields of alliance/params.py (ASCII digits only, bounded,
no control characters): anything else is a 400 whose reason names the parameter
(errors.py turns the form's errors into one `detail` sentence). Unknown parameters are
ignored, as ORUK asks.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema_field

from alliance.params import StrictBooleanField, StrictCharField, StrictIdField, StrictNumberField
from directory.api.serializers import TAXONOMY_ID
from directory.models import Category
from directory.selectors import (
    PostcodeMatch,
    api_in_taxonomy_term,
    api_near_postcode,
    postcode_lookup,
)

# A slug is at most 80 characters (Category.slug); a postcode with spaces well under 16.
TERM_LENGTH = 80
POSTCODE_LENGTH = 16
# Further than this is not "near" in a local directory; it also bounds the indexed box search.
MAX_PROXIMITY_METRES = 200_000
PROXIMITY_MESSAGE = (
    f"proximity must be a distance in metres, above 0 and at most {MAX_PROXIMITY_METRES}."
)


class StrictFilter(django_filters.Filter):
    """A filter whose field is one of alliance/params.py's; documented with its help text."""

    openapi_type: dict[str, Any] = {"type": "string"}

    def __init__(self, *args: Any, help_text: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # drf-spectacular reads the parameter's type and description from this annotation.
        extend_schema_field({**self.openapi_type, "description": help_text})(self)


class IdFilter(StrictFilter):
    """The id of a record, a whole number (ORUK sends ids as strings)."""

    field_class = StrictIdField


class TextFilter(StrictFilter):
    field_class = StrictCharField


class BooleanFilter(StrictFilter):
    field_class = StrictBooleanField
    openapi_type = {"type": "boolean"}


class NumberFilter(StrictFilter):
    field_class = StrictNumberField
    openapi_type = {"type": "number"}


def _only_our_taxonomy(rows: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
    # One vocabulary here: asking for another finds nothing, as ORUK asks (not an error).
    return rows.none() if value and value != TAXONOMY_ID else rows


class ServiceFilter(django_filters.FilterSet):
    """/services: by organisation and by taxonomy term (a parent term brings its children)."""

    organization_id = IdFilter(
        field_name="organisation_id",
        label="organization_id",
        help_text="Services of this organization (its id).",
    )
    taxonomy_id = TextFilter(
        method=_only_our_taxonomy,
        label="taxonomy_id",
        max_length=TERM_LENGTH,
        help_text=f"Services with a term of this taxonomy; the only one is {TAXONOMY_ID!r}.",
    )
    taxonomy_term_id = TextFilter(
        method="filter_term",
        label="taxonomy_term_id",
        max_length=TERM_LENGTH,
        help_text="Services with this term, or one of its children.",
    )

    # The path from a row to its service's id, for the term filter's subquery.
    service_path = "pk"

    def filter_term(self, rows: QuerySet[Any], name: str, term: str) -> QuerySet[Any]:
        return api_in_taxonomy_term(rows, term, service=self.service_path) if term else rows


class NearPostcodeForm(forms.Form):
    """`proximity` needs `postcode`; `postcode` must be one we know (the one lookup query)."""

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        postcode, metres = data.get("postcode"), data.get("proximity")
        if metres is not None and not postcode:
            raise forms.ValidationError("proximity needs a postcode to measure from.")
        if postcode:
            found = postcode_lookup(postcode)
            if found is None:
                raise forms.ValidationError(
                    "postcode is not a UK postcode or district that we know."
                )
            data["postcode"] = found
        return data


class ServiceAtLocationFilter(ServiceFilter):
    """/service_at_locations: the service filters, plus nearest first from a postcode."""

    organization_id = IdFilter(
        field_name="service__organisation_id",
        label="organization_id",
        help_text="Services of this organization (its id).",
    )
    postcode = TextFilter(
        method="filter_near",
        label="postcode",
        max_length=POSTCODE_LENGTH,
        help_text="A UK postcode or postcode district: nearest first.",
    )
    proximity = NumberFilter(
        method="filter_within",
        label="proximity",
        min_value=0,
        max_value=MAX_PROXIMITY_METRES,
        exclusive_minimum=True,
        message=PROXIMITY_MESSAGE,
        help_text="Only those within this many metres of the postcode (needs postcode).",
    )

    service_path = "service_id"

    class Meta:
        form = NearPostcodeForm

    def filter_near(self, rows: QuerySet[Any], name: str, found: PostcodeMatch) -> QuerySet[Any]:
        metres = self.form.cleaned_data.get("proximity")
        return api_near_postcode(rows, found, metres)

    def filter_within(self, rows: QuerySet[Any], name: str, metres: float) -> QuerySet[Any]:
        return rows  # applied with the postcode, by filter_near


def _top_only(rows: QuerySet[Category], name: str, value: bool) -> QuerySet[Category]:
    return rows.filter(parent__isnull=True) if value else rows


class TaxonomyTermFilter(django_filters.FilterSet):
    """/taxonomy_terms: by taxonomy, by parent term, or only the top level."""

    taxonomy_id = TextFilter(
        method=_only_our_taxonomy,
        label="taxonomy_id",
        max_length=TERM_LENGTH,
        help_text=f"Terms of this taxonomy; the only one is {TAXONOMY_ID!r}.",
    )
    parent_id = TextFilter(
        field_name="parent__slug",
        label="parent_id",
        max_length=TERM_LENGTH,
        help_text="Children of this term.",
    )
    top_only = BooleanFilter(
        method=_top_only,
        label="top_only",
        help_text="true: only the top-level terms.",
    )
