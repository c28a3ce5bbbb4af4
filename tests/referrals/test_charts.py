"""The dashboard's charts: accessible SVG, the same figures as their tables, small counts hidden."""

import xml.etree.ElementTree as ET

import pytest

from referrals.charts import (
    FEWER_THAN,
    Chart,
    Series,
    count_point,
    median_point,
    rate_point,
    table_html,
)

SVG = "{http://www.w3.org/2000/svg}"


def _parse(markup: str) -> ET.Element:
    # Our own output, built in this test: not untrusted input.
    return ET.fromstring(markup)  # noqa: S314


def _chart(kind: str = "bar") -> Chart:
    return Chart(
        slug="by-route",
        title="Referrals by route",
        desc="How many referrals each route made, by month.",
        categories=("2026-09", "2026-10", "2026-11"),
        series=(
            Series("Court-ordered", (count_point(12), count_point(3), count_point(0))),
            Series("FCA direct", (count_point(7), count_point(5), count_point(40))),
        ),
        kind=kind,
        category_label="Month",
    )


@pytest.mark.parametrize(
    ("n", "text", "drawn"),
    [(0, "0", True), (1, FEWER_THAN, False), (4, FEWER_THAN, False), (5, "5", True)],
)
def test_counts_of_one_to_four_are_shown_as_fewer_than_five_and_not_drawn(
    n: int, text: str, drawn: bool
) -> None:
    point = count_point(n)
    assert point.text == text
    assert (point.value is not None) is drawn


@pytest.mark.parametrize(
    ("numerator", "denominator", "text"),
    [
        (0, 0, "no data"),
        (3, 4, FEWER_THAN),  # a small denominator
        (2, 40, FEWER_THAN),  # a small numerator points at two families
        (0, 40, "0%"),
        (30, 40, "75%"),
        (10, 30, "33.3%"),
    ],
)
def test_rates_hide_when_either_side_is_small(numerator: int, denominator: int, text: str) -> None:
    assert rate_point(numerator, denominator).text == text


def test_a_median_needs_five_referrals() -> None:
    assert median_point([1, 2, 3, 4]).text == FEWER_THAN
    assert median_point([1, 2, 3, 4, 10]).text == "3 days"
    assert median_point([]).text == "no data"


@pytest.mark.parametrize("kind", ["bar", "line"])
def test_the_svg_is_named_and_described_for_assistive_technology(kind: str) -> None:
    root = _parse(str(_chart(kind).svg()))
    assert root.get("role") == "img"
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title is not None
    assert desc is not None
    assert title.text == "Referrals by route"
    assert desc.text == "How many referrals each route made, by month."
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"


@pytest.mark.parametrize("kind", ["bar", "line"])
def test_every_mark_in_the_chart_says_what_its_table_cell_says(kind: str) -> None:
    chart = _chart(kind)
    root = _parse(str(chart.svg()))
    marks = {
        (el.get("data-category"), el.get("data-series")): el.get("data-text")
        for el in root.iter()
        if el.get("data-series")
    }
    table = _parse(str(table_html(chart)))
    names = [th.text for th in table.find("thead").iter("th")][1:]  # type: ignore[union-attr]
    cells = {}
    for row in table.find("tbody"):  # type: ignore[union-attr]
        category = row.find("th").text  # type: ignore[union-attr]
        for name, td in zip(names, row.findall("td"), strict=True):
            cells[(category, name)] = td.text
    assert marks == cells
    assert cells[("2026-10", "Court-ordered")] == FEWER_THAN


def test_a_suppressed_count_draws_no_bar_so_its_height_cannot_be_measured() -> None:
    root = _parse(str(_chart("bar").svg()))
    rects = [el for el in root.iter(f"{SVG}rect") if el.get("data-series")]
    hidden = [el for el in rects if el.get("data-text") == FEWER_THAN]
    assert hidden == []
    drawn = {(el.get("data-category"), el.get("data-series")) for el in rects}
    assert ("2026-10", "Court-ordered") not in drawn
    assert ("2026-11", "FCA direct") in drawn


def test_a_taller_figure_draws_a_taller_bar() -> None:
    root = _parse(str(_chart("bar").svg()))
    heights = {
        el.get("data-category"): float(el.get("height"))  # type: ignore[arg-type]
        for el in root.iter(f"{SVG}rect")
        if el.get("data-series") == "FCA direct"
    }
    assert heights["2026-11"] > heights["2026-09"] > heights["2026-10"] > 0


def test_a_line_breaks_at_a_hidden_point_rather_than_joining_across_it() -> None:
    chart = Chart(
        slug="t",
        title="t",
        desc="d",
        categories=("a", "b", "c", "d"),
        series=(Series("s", (count_point(9), count_point(2), count_point(8), count_point(7))),),
        kind="line",
    )
    root = _parse(str(chart.svg()))
    lines = [el.get("points") for el in root.iter(f"{SVG}polyline")]
    assert len(lines) == 1  # only c-d is joined; a alone is a dot
    assert len(lines[0].split()) == 2  # type: ignore[union-attr]


def test_names_are_escaped_in_the_svg_and_the_table() -> None:
    hostile = '<script>alert("x")</script>'
    chart = Chart(
        slug="x",
        title=hostile,
        desc=hostile,
        categories=(hostile,),
        series=(Series(hostile, (count_point(6),)),),
    )
    for html in (str(chart.svg()), str(table_html(chart))):
        assert "<script>" not in html
        _parse(html)  # still well-formed


def test_a_series_must_match_the_categories() -> None:
    with pytest.raises(ValueError, match="categories"):
        Chart(slug="x", title="t", desc="d", categories=("a",), series=(Series("s", ()),))
