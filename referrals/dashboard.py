"""The alliance dashboard's figures: anonymous counts, times and rates of programme referrals.

Reads only the anonymous columns (programme, route, status, step timestamps), which the
retention purge keeps, so the figures survive erasure and never need a name. Every figure goes
through the small-count rule in `referrals.charts` before anyone sees it, on the page and in
the CSV alike.

Definitions (docs/referrals-operations.md):
- a referral belongs to the month (alliance time zone) it was submitted; drafts do not count;
- time to allocation: submitted to allocated, for referrals that have a place; time to
  booking: submitted to booked; both as the median in days;
- acceptance: accepted / (accepted + declined) among those the provider has answered;
- completion and did-not-attend: completed, and did not attend, / booked (ever);
- unallocated now and the overdue timers are as of today, whatever the period.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from referrals.charts import NO_DATA, Chart, Point, Series, count_point, median_point, rate_point
from referrals.models import Referral, Route, Status
from referrals.timer_services import referral_overdue_counts
from referrals.timers import TIMER_LABELS, Timer

PERIODS = (3, 6, 12, 24)
DEFAULT_PERIOD = 12
FIELDS = (
    "case__programme__code",
    "case__route",
    "status",
    "submitted_at",
    "allocated_at",
    "booked_at",
    "accepted_at",
    "closed_at",
)


@dataclass(frozen=True)
class Filters:
    programme: str = ""  # a Programme code, or "" for every programme
    months: int = DEFAULT_PERIOD


@dataclass(frozen=True)
class Row:
    """One referral's anonymous figures."""

    programme: str
    route: str
    status: str
    month: str
    days_to_allocation: float | None
    days_to_booking: float | None
    accepted: bool
    booked: bool


def month_key(moment: dt.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m")


def month_label(key: str) -> str:
    return dt.date(int(key[:4]), int(key[5:]), 1).strftime("%b %Y")


def period_months(today: dt.date, months: int) -> list[str]:
    """The last `months` calendar months, oldest first, ending with today's."""
    index = today.year * 12 + today.month - 1
    return [f"{i // 12:04d}-{i % 12 + 1:02d}" for i in range(index - months + 1, index + 1)]


def _days(start: dt.datetime | None, end: dt.datetime | None) -> float | None:
    if start is None or end is None or end < start:
        return None
    return (end - start).total_seconds() / 86400


def _referrals(filters: Filters) -> Any:
    queryset = Referral.objects.exclude(submitted_at__isnull=True)
    if filters.programme:
        queryset = queryset.filter(case__programme__code=filters.programme)
    return queryset


def dashboard_rows(*, filters: Filters, today: dt.date) -> list[Row]:
    """Every submitted referral in the period as an anonymous row (one query)."""
    months = period_months(today, filters.months)
    since = dt.datetime(
        int(months[0][:4]), int(months[0][5:]), 1, tzinfo=timezone.get_current_timezone()
    )
    rows = []
    for values in _referrals(filters).filter(submitted_at__gte=since).values(*FIELDS):
        allocated = values["status"] != Status.UNALLOCATED and values["allocated_at"]
        rows.append(
            Row(
                programme=values["case__programme__code"],
                route=values["case__route"],
                status=values["status"],
                month=month_key(values["submitted_at"]),
                days_to_allocation=_days(values["submitted_at"], values["allocated_at"])
                if allocated
                else None,
                days_to_booking=_days(values["submitted_at"], values["booked_at"]),
                accepted=values["accepted_at"] is not None,
                booked=values["booked_at"] is not None,
            )
        )
    return rows


def _rates(rows: Iterable[Row]) -> tuple[Point, Point, Point]:
    rows = list(rows)
    accepted = sum(r.accepted for r in rows)
    declined = sum(r.status == Status.DECLINED for r in rows)
    booked = [r for r in rows if r.booked]
    completed = sum(r.status == Status.COMPLETED for r in booked)
    missed = sum(r.status == Status.DID_NOT_ATTEND for r in booked)
    return (
        rate_point(accepted, accepted + declined),
        rate_point(completed, len(booked)),
        rate_point(missed, len(booked)),
    )


@dataclass(frozen=True)
class Dashboard:
    filters: Filters
    charts: tuple[Chart, ...]
    rows: list[Row]


def dashboard_build(*, filters: Filters, today: dt.date | None = None) -> Dashboard:
    """The dashboard's four charts (each with its table) for these filters."""
    today = today or timezone.localdate()
    rows = dashboard_rows(filters=filters, today=today)
    months = period_months(today, filters.months)
    labels = tuple(month_label(m) for m in months)

    counts: dict[tuple[str, str], int] = defaultdict(int)
    allocation: dict[str, list[float]] = defaultdict(list)
    booking: dict[str, list[float]] = defaultdict(list)
    for row in rows:
        counts[(row.route, row.month)] += 1
        if row.days_to_allocation is not None:
            allocation[row.month].append(row.days_to_allocation)
        if row.days_to_booking is not None:
            booking[row.month].append(row.days_to_booking)

    by_route = Chart(
        slug="by-route",
        title="Referrals by route and month",
        desc="How many parents were referred each month, by route. Counts of 1 to 4 are "
        "shown as fewer than 5 and not drawn.",
        categories=labels,
        series=tuple(
            Series(str(route.label), tuple(count_point(counts[(route, m)]) for m in months))
            for route in Route
        ),
        category_label="Month",
    )
    times = Chart(
        slug="times",
        title="Median days to allocation and to booking",
        desc="For referrals submitted each month: the median number of days from submission "
        "to a place being allocated, and to the parent being booked into a session.",
        categories=labels,
        series=(
            Series("Days to allocation", tuple(median_point(allocation[m]) for m in months)),
            Series("Days to booking", tuple(median_point(booking[m]) for m in months)),
        ),
        kind="line",
        category_label="Month submitted",
    )
    groups = [(str(route.label), [r for r in rows if r.route == route]) for route in Route]
    groups.append(("All routes", rows))
    rate_points = [_rates(group) for _, group in groups]
    rates = Chart(
        slug="rates",
        title="Acceptance, completion and did-not-attend rates",
        desc="Acceptance: of referrals a provider answered, the share accepted. Completion and "
        "did not attend: of parents booked, the share who completed, and who did not attend.",
        categories=tuple(name for name, _ in groups),
        series=tuple(
            Series(name, tuple(points[i] for points in rate_points))
            for i, name in enumerate(("Accepted", "Completed", "Did not attend"))
        ),
        unit="%",
        category_label="Route",
    )
    live = _referrals(filters)
    unallocated = live.filter(status=Status.UNALLOCATED).count()
    overdue = referral_overdue_counts(
        today=today,
        referrals=live.select_related("case__programme", "cohort"),
    )
    waiting = Chart(
        slug="waiting",
        title="Waiting now: unallocated referrals and overdue timers",
        desc="Today: referrals with no suitable place yet, and referrals past each timer's "
        "deadline whose step has still not happened.",
        categories=("Unallocated now", *(TIMER_LABELS[t] for t in Timer)),
        series=(
            Series(
                "Referrals",
                (count_point(unallocated), *(count_point(overdue[t]) for t in Timer)),
            ),
        ),
        category_label="What is waiting",
    )
    return Dashboard(filters=filters, charts=(by_route, times, rates, waiting), rows=rows)


def _csv_median(values: list[float]) -> str:
    point = median_point(values, "")
    return "" if point.text == NO_DATA else point.text.strip()


CSV_HEADER = (
    "programme",
    "route",
    "month",
    "outcome",
    "referrals",
    "median_days_to_allocation",
    "median_days_to_booking",
)


def dashboard_csv_rows(dashboard: Dashboard) -> list[tuple[str, ...]]:
    """The anonymous figures by programme, route, month and outcome, small counts hidden."""
    groups: dict[tuple[str, str, str, str], list[Row]] = defaultdict(list)
    for row in dashboard.rows:
        groups[(row.programme, row.route, row.month, row.status)].append(row)
    out: list[tuple[str, ...]] = []
    for (programme, route, month, status), members in sorted(groups.items()):
        allocation = [r.days_to_allocation for r in members if r.days_to_allocation is not None]
        booking = [r.days_to_booking for r in members if r.days_to_booking is not None]
        out.append(
            (
                programme,
                route,
                month,
                status,
                count_point(len(members)).text,
                _csv_median(allocation),
                _csv_median(booking),
            )
        )
    return out
