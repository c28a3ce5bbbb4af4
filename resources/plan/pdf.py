"""The summary of progress as a PDF, drawn by WeasyPrint from the same context as the page.

Its template is standalone (no links out, no exit control: a PDF is a document, not a page)
and loads nothing from the network: `url_fetcher` refuses every URL, so a stylesheet or an
image can never make the server fetch something on a parent's behalf.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.template.loader import render_to_string


def _no_fetch(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    raise ValueError("The plan PDF loads nothing from outside.")


def summary_document(context: dict[str, Any]) -> Any:
    """The laid-out summary (a WeasyPrint Document): pages, boxes and the text drawn on them."""
    from weasyprint import HTML  # imported here: it loads Pango, which only this page needs

    html = render_to_string("resources/plan/summary_pdf.html", context)
    return HTML(string=html, url_fetcher=_no_fetch).render()


def summary_pdf_bytes(context: dict[str, Any]) -> bytes:
    return bytes(summary_document(context).write_pdf())


def drawn_text(document: Any) -> Iterator[str]:
    """Every piece of text laid out on the document's pages: what the PDF shows."""

    def walk(box: Any) -> Iterator[str]:
        text = getattr(box, "text", None)
        if text:
            yield text
        for child in getattr(box, "children", None) or []:
            yield from walk(child)

    for page in document.pages:
        yield from walk(page._page_box)
