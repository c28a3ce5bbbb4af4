"""Markdown written by editors, turned into safe HTML for guides and the alliance's pages.

Editors write Markdown (markdown); the HTML it makes is cleaned by an allowlist (nh3, the
ammonia sanitiser) so nothing an editor pastes can add a script, a style, an iframe, an event
handler or a `javascript:` link, whatever the Markdown parser lets through. GOV.UK Frontend's
typography classes are set on the allowed tags, so guides look like the rest of the portal.
"""

from __future__ import annotations

import markdown  # type: ignore[import-untyped]
import nh3
from django.utils.safestring import SafeString, mark_safe

# A guide's title is its page's only h1: headings in the body start at h2.
ALLOWED_TAGS = frozenset(
    {
        "p",
        "h2",
        "h3",
        "h4",
        "ul",
        "ol",
        "li",
        "a",
        "strong",
        "em",
        "blockquote",
        "br",
        "hr",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "code",
    }
)
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"scope"}}
URL_SCHEMES = frozenset({"https", "http", "mailto", "tel"})
GOVUK_CLASSES = {
    "p": {"class": "govuk-body"},
    "h2": {"class": "govuk-heading-l"},
    "h3": {"class": "govuk-heading-m"},
    "h4": {"class": "govuk-heading-s"},
    "ul": {"class": "govuk-list govuk-list--bullet"},
    "ol": {"class": "govuk-list govuk-list--number"},
    "a": {"class": "govuk-link"},
    "table": {"class": "govuk-table"},
    "tr": {"class": "govuk-table__row"},
    "th": {"class": "govuk-table__header"},
    "td": {"class": "govuk-table__cell"},
    "blockquote": {"class": "govuk-inset-text"},
    "hr": {"class": "govuk-section-break govuk-section-break--l govuk-section-break--visible"},
}
# Bounded so one huge paste cannot tie up a worker (issue 8: bounded input everywhere).
MAX_MARKDOWN_LENGTH = 100_000


def markdown_to_html(text: str) -> SafeString:
    """Editor's Markdown → HTML that is safe to put in a page as it is."""
    if len(text) > MAX_MARKDOWN_LENGTH:
        raise ValueError(f"Markdown longer than {MAX_MARKDOWN_LENGTH} characters.")
    raw = markdown.markdown(text, extensions=["tables", "sane_lists"], output_format="html")
    clean = nh3.clean(
        raw,
        tags=set(ALLOWED_TAGS),
        clean_content_tags={"script", "style", "iframe", "object", "embed", "template"},
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        link_rel="noopener noreferrer",
        set_tag_attribute_values=GOVUK_CLASSES,
    )
    return mark_safe(clean)  # noqa: S308  (nh3 has just removed everything unsafe)
