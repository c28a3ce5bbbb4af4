"""The Open Referral UK page: `total_items`, `total_pages`, `page_number`, `size`, … `contents`."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response

from alliance.params import ParamError, parse_int
from directory.api.errors import BadParameter

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 100


class OpenReferralPagination(PageNumberPagination):
    """`page` (from 1) and `per_page` (at most 100), strictly parsed.

    A machine client sending nonsense is told so (400 with the reason), while a number past
    the end is brought into range, as ORUK clients walking pages expect: a page after the last
    shows the last, a `per_page` over 100 gives 100. A page costs a count and the page's query.
    """

    page_size = DEFAULT_PAGE_SIZE
    max_page_size = MAX_PAGE_SIZE
    page_query_param = "page"
    page_size_query_param = "per_page"
    page_query_description = "The page wanted, from 1; past the last page shows the last."
    page_size_query_description = (
        f"Rows a page, 1 to {MAX_PAGE_SIZE} (default {DEFAULT_PAGE_SIZE})."
    )
    template = None

    def get_page_size(self, request: Request) -> int:
        size = _parse(request, self.page_size_query_param, DEFAULT_PAGE_SIZE)
        return min(size, MAX_PAGE_SIZE)

    def get_page_number(self, request: Request, paginator: Paginator) -> int:
        number = _parse(request, self.page_query_param, 1)
        return min(number, paginator.num_pages)

    def get_paginated_response(self, data: Any) -> Response:
        page = self.page
        return Response(
            {
                "total_items": page.paginator.count,
                "total_pages": page.paginator.num_pages,
                "page_number": page.number,
                "size": len(data),
                "first_page": not page.has_previous(),
                "last_page": not page.has_next(),
                "empty": not data,
                "contents": data,
            }
        )

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        integer, boolean = {"type": "integer"}, {"type": "boolean"}
        return {
            "type": "object",
            "required": [
                "total_items",
                "total_pages",
                "page_number",
                "size",
                "first_page",
                "last_page",
                "empty",
                "contents",
            ],
            "properties": {
                "total_items": integer,
                "total_pages": integer,
                "page_number": integer,
                "size": integer,
                "first_page": boolean,
                "last_page": boolean,
                "empty": boolean,
                "contents": schema,
            },
        }


def _parse(request: Request, name: str, default: int) -> int:
    try:
        value = parse_int(request.query_params.get(name), name=name, default=default, min_value=1)
    except ParamError as error:
        raise BadParameter(error.message) from None
    return default if value is None else value
