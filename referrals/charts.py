"""Server-rendered SVG charts with the same figures as an accessible table, and the small-count
rule that keeps anyone from being identified.

Pure: no ORM, no request. No third-party script and no CDN: the SVG is built here, escaped by
Django's `format_html`, and drawn with presentation attributes only (the CSP allows no inline
styles). Each chart is an `<svg role="img">` named by its `<title>` and described by its
`<desc>`; every bar or point carries the same text the table shows, so the two cannot differ.

The small-count rule (ONS and NHS Digital practice for published statistics): a count of 1 to
4 is shown as "fewer than 5" and not drawn; a rate is not shown when its denominator is under 5
or its numerator is 1 to 4; a median time is not shown when fewer than 5 referrals make it. A
zero is shown: it identifies nobody.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

SMALL_COUNT = 5
FEWER_THAN = "fewer than 5"
NO_DATA = "no data"

# GOV.UK colour palette: each meets 3:1 against white for graphical objects (WCAG 1.4.11).
COLOURS = ("#1d70b8", "#d4351c", "#00703c", "#4c2c92", "#f47738", "#5694ca")
TEXT = "#0b0c0c"
GRID = "#b1b4b6"

WIDTH = 640
HEIGHT = 300
LEFT, RIGHT, TOP, BOTTOM = 48, 16, 16, 56


@dataclass(frozen=True)
class Point:
    """One figure: the number to draw (None: not drawn) and the words the table shows."""

    value: float | None
    text: str

    @property
    def suppressed(self) -> bool:
        return self.text == FEWER_THAN


def count_point(n: int) -> Point:
    """A count, shown unless it is 1 to 4."""
    if 0 < n < SMALL_COUNT:
        return Point(None, FEWER_THAN)
    return Point(float(n), str(n))


def rate_point(numerator: int, denominator: int) -> Point:
    """A percentage, hidden when either side is small enough to point at a family."""
    if denominator == 0:
        return Point(None, NO_DATA)
    if denominator < SMALL_COUNT or 0 < numerator < SMALL_COUNT:
        return Point(None, FEWER_THAN)
    rate = round(100 * numerator / denominator, 1)
    return Point(rate, f"{rate:g}%")


def median_point(values: Sequence[float], unit: str = "days") -> Point:
    """The median of some durations, shown only when at least 5 referrals make it."""
    if not values:
        return Point(None, NO_DATA)
    if len(values) < SMALL_COUNT:
        return Point(None, FEWER_THAN)
    median = round(float(statistics.median(values)), 1)
    return Point(median, f"{median:g} {unit}")


@dataclass(frozen=True)
class Series:
    name: str
    points: tuple[Point, ...]


@dataclass(frozen=True)
class Chart:
    """A bar or line chart over categories (routes, months...), one or more series."""

    slug: str
    title: str
    desc: str
    categories: tuple[str, ...]
    series: tuple[Series, ...]
    kind: str = "bar"  # or "line"
    unit: str = ""
    category_label: str = ""
    notes: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        if self.kind not in ("bar", "line"):
            raise ValueError(f"unknown chart kind {self.kind!r}")
        for series in self.series:
            if len(series.points) != len(self.categories):
                raise ValueError(f"series {series.name!r} does not match the categories")

    @property
    def has_suppressed(self) -> bool:
        return any(p.suppressed for s in self.series for p in s.points)

    def rows(self) -> list[tuple[str, list[str]]]:
        """The table: one row per category, one cell per series (the chart's own words)."""
        return [
            (category, [s.points[i].text for s in self.series])
            for i, category in enumerate(self.categories)
        ]

    def svg(self) -> SafeString:
        return render_svg(self)


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1.0
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10000):
        if value <= step * 4:
            return float(step * 4)
    return float(value)


def _fmt(number: float) -> str:
    return f"{number:.1f}".rstrip("0").rstrip(".")


def render_svg(chart: Chart) -> SafeString:
    """The chart as one accessible SVG element (role img, title, desc)."""
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM
    drawn = [p.value for s in chart.series for p in s.points if p.value is not None]
    top = _nice_max(max(drawn, default=0.0))

    def y(value: float) -> float:
        return TOP + plot_h - plot_h * value / top

    parts: list[SafeString] = []
    # Grid lines and the value axis.
    for i in range(5):
        value = top * i / 4
        parts.append(
            format_html(
                '<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="{}" stroke-width="1"/>'
                '<text x="{}" y="{}" text-anchor="end" font-size="12" fill="{}">{}</text>',
                LEFT,
                WIDTH - RIGHT,
                _fmt(y(value)),
                _fmt(y(value)),
                GRID,
                LEFT - 6,
                _fmt(y(value) + 4),
                TEXT,
                _fmt(value),
            )
        )
    n = max(len(chart.categories), 1)
    band = plot_w / n
    for i, category in enumerate(chart.categories):
        parts.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="middle" font-size="12" fill="{}">{}</text>',
                _fmt(LEFT + band * (i + 0.5)),
                HEIGHT - BOTTOM + 16,
                TEXT,
                category,
            )
        )
    if chart.kind == "bar":
        parts.extend(_bars(chart, band, y))
    else:
        parts.extend(_lines(chart, band, y))
    parts.extend(_legend(chart))
    title_id = f"chart-{chart.slug}-title"
    desc_id = f"chart-{chart.slug}-desc"
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="app-chart" viewBox="0 0 {} {}" '
        'width="100%" role="img" aria-labelledby="{} {}" data-chart="{}">'
        '<title id="{}">{}</title><desc id="{}">{}</desc>{}</svg>',
        WIDTH,
        HEIGHT,
        title_id,
        desc_id,
        chart.slug,
        title_id,
        chart.title,
        desc_id,
        chart.desc,
        mark_safe("".join(parts)),  # noqa: S308 - every part was built by format_html
    )


def _mark(series: Series, category: str, point: Point) -> SafeString:
    # The same words as the table's cell, so a chart and its table cannot disagree.
    return format_html(
        'data-series="{}" data-category="{}" data-text="{}"><title>{}, {}: {}</title>',
        series.name,
        category,
        point.text,
        category,
        series.name,
        point.text,
    )


def _bars(chart: Chart, band: float, y) -> list[SafeString]:  # type: ignore[no-untyped-def]
    out: list[SafeString] = []
    k = max(len(chart.series), 1)
    bar_w = band * 0.8 / k
    base = y(0)
    for j, series in enumerate(chart.series):
        colour = COLOURS[j % len(COLOURS)]
        for i, point in enumerate(series.points):
            x = LEFT + band * i + band * 0.1 + bar_w * j
            category = chart.categories[i]
            if point.value is None:
                # Not drawn: a small mark at the axis and the words say why.
                out.append(
                    format_html(
                        '<g class="app-chart__gap" {}<text x="{}" y="{}" text-anchor="middle" '
                        'font-size="10" fill="{}">{}</text></g>',
                        _mark(series, category, point),
                        _fmt(x + bar_w / 2),
                        _fmt(base - 4),
                        TEXT,
                        "<5" if point.suppressed else "-",
                    )
                )
                continue
            top = y(point.value)
            out.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="{}" fill="{}" data-value="{}" '
                    "{}</rect>",
                    _fmt(x),
                    _fmt(top),
                    _fmt(bar_w),
                    _fmt(base - top),
                    colour,
                    _fmt(point.value),
                    _mark(series, category, point),
                )
            )
    return out


def _lines(chart: Chart, band: float, y) -> list[SafeString]:  # type: ignore[no-untyped-def]
    out: list[SafeString] = []
    for j, series in enumerate(chart.series):
        colour = COLOURS[j % len(COLOURS)]
        # A hidden or missing point breaks the line rather than joining across it.
        runs: list[list[str]] = [[]]
        for i, point in enumerate(series.points):
            x = LEFT + band * (i + 0.5)
            category = chart.categories[i]
            if point.value is None:
                runs.append([])
                out.append(
                    format_html(
                        '<g class="app-chart__gap" {}<text x="{}" y="{}" text-anchor="middle" '
                        'font-size="10" fill="{}">{}</text></g>',
                        _mark(series, category, point),
                        _fmt(x),
                        _fmt(y(0) - 4),
                        TEXT,
                        "<5" if point.suppressed else "-",
                    )
                )
                continue
            runs[-1].append(f"{_fmt(x)},{_fmt(y(point.value))}")
            out.append(
                format_html(
                    '<circle cx="{}" cy="{}" r="4" fill="{}" data-value="{}" {}</circle>',
                    _fmt(x),
                    _fmt(y(point.value)),
                    colour,
                    _fmt(point.value),
                    _mark(series, category, point),
                )
            )
        for run in runs:
            if len(run) > 1:
                out.insert(
                    0,
                    format_html(
                        '<polyline points="{}" fill="none" stroke="{}" stroke-width="2"/>',
                        " ".join(run),
                        colour,
                    ),
                )
    return out


def _legend(chart: Chart) -> list[SafeString]:
    if len(chart.series) < 2:
        return []
    y = HEIGHT - 18
    step = (WIDTH - LEFT - RIGHT) / len(chart.series)
    return [
        format_html(
            '<rect x="{}" y="{}" width="12" height="12" fill="{}"/>'
            '<text x="{}" y="{}" font-size="12" fill="{}">{}</text>',
            _fmt(LEFT + step * j),
            y - 10,
            COLOURS[j % len(COLOURS)],
            _fmt(LEFT + step * j + 16),
            y,
            TEXT,
            series.name,
        )
        for j, series in enumerate(chart.series)
    ]


def table_html(chart: Chart) -> SafeString:
    """The same figures as a GOV.UK table (for templates that do not use the include)."""
    head = format_html_join(
        "", '<th scope="col" class="govuk-table__header">{}</th>', ((s.name,) for s in chart.series)
    )
    body = format_html_join(
        "",
        '<tr class="govuk-table__row"><th scope="row" class="govuk-table__header">{}</th>{}</tr>',
        (
            (
                category,
                format_html_join(
                    "", '<td class="govuk-table__cell">{}</td>', ((c,) for c in cells)
                ),
            )
            for category, cells in chart.rows()
        ),
    )
    return format_html(
        '<table class="govuk-table" data-chart-table="{}"><caption class="govuk-table__caption '
        'govuk-table__caption--s">{}</caption><thead class="govuk-table__head">'
        '<tr class="govuk-table__row"><th scope="col" class="govuk-table__header">{}</th>{}</tr>'
        '</thead><tbody class="govuk-table__body">{}</tbody></table>',
        chart.slug,
        chart.title,
        chart.category_label or "Group",
        head,
        body,
    )
