"""Pagination that counts the results in the same query that fetches the page."""

from __future__ import annotations

from typing import Any

from django.core.paginator import InvalidPage, Page, Paginator
from django.db.models import Count, Window

from alliance.params import ParamError, parse_int


class CountInPagePaginator(Paginator):
    """A Paginator whose page query carries `COUNT(*) OVER ()`.

    Django's Paginator runs the search twice: once to count, once for the page. The search's
    cost is in finding and ordering the matching services, so that halves the database work
    and saves compiling the query a second time (bench/search.py). Only a page past the end
    costs a separate count, to find the last page.
    """

    def page(self, number: Any) -> Page:
        number = self._valid_number(number)
        bottom = (number - 1) * self.per_page
        rows = list(
            self.object_list.annotate(  # type: ignore[attr-defined]
                total_results=Window(Count("pk"))
            )[bottom : bottom + self.per_page]
        )
        if rows:
            self.__dict__["count"] = rows[0].total_results
        elif number > 1:
            last = self.num_pages  # the plain count query, only for an out-of-range page
            if last < number:
                return self.page(last)
        else:
            self.__dict__["count"] = 0
        return self._get_page(rows, number, self)  # type: ignore[attr-defined]

    def get_page(self, number: Any) -> Page:
        """Like Paginator.get_page: anything odd shows the first page, never an error."""
        try:
            return self.page(number)
        except InvalidPage:
            return self.page(1)

    @staticmethod
    def _valid_number(number: Any) -> int:
        # The portal's one parser: ASCII digits, bounded before conversion, so "²" or a page
        # past a bigint's range (an OFFSET PostgreSQL refuses) is simply the first page.
        if isinstance(number, int):
            value: int | None = number
        else:
            try:
                value = parse_int(None if number is None else str(number), name="page")
            except ParamError as exc:
                raise InvalidPage(exc.message) from exc
        if value is None or value < 1:
            raise InvalidPage("less than 1")
        return value
