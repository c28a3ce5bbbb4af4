"""The alliance dashboard: who may see it, its figures, small counts hidden, table = chart."""

import csv
import datetime as dt
import io
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from alliance.models import AuditEvent
from referrals.charts import FEWER_THAN
from referrals.dashboard import Filters, dashboard_build, period_months
from referrals.models import Referral, Route, Status
from tests.conftest import sign_in
from tests.referrals.support import PERSONAL, court_ordered, direct_complete, make_case

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")
TODAY = dt.datetime(2026, 11, 20, 12, tzinfo=LONDON)


@pytest.fixture(autouse=True)
def _today():  # type: ignore[no-untyped-def]
    with time_machine.travel(TODAY, tick=False):
        yield


def referrals(fca, count: int, *, route: str = Route.COURT_ORDER, **state) -> list[Referral]:  # type: ignore[no-untyped-def]
    """`count` submitted referrals (count/2 cases), then moved to `state` for the figures."""
    details = court_ordered() if route == Route.COURT_ORDER else direct_complete()
    made: list[Referral] = []
    for _ in range((count + 1) // 2):
        made += list(make_case(fca, case=details).referrals.order_by("parent"))
    made = made[:count]
    if len(made) < count + count % 2:
        Referral.objects.filter(case__in=[r.case_id for r in made]).exclude(
            pk__in=[r.pk for r in made]
        ).delete()
    Referral.objects.filter(pk__in=[r.pk for r in made]).update(**state)
    return made


def at(month: int, day: int, hour: int = 10) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, tzinfo=LONDON)


class Figures(HTMLParser):
    """What the page's charts draw and what its tables say, by chart."""

    def __init__(self) -> None:
        super().__init__()
        self.marks: dict[str, dict[tuple[str, str], str]] = {}
        self.tables: dict[str, dict[tuple[str, str], str]] = {}
        self._chart = self._table = ""
        self._heads: list[str] = []
        self._row: list[str] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "svg" and a.get("data-chart"):
            self._chart = a["data-chart"] or ""
            self.marks[self._chart] = {}
        elif self._chart and a.get("data-series"):
            key = (a["data-category"] or "", a["data-series"] or "")
            self.marks[self._chart][key] = a["data-text"] or ""
        elif tag == "table" and a.get("data-chart-table"):
            self._table = a["data-chart-table"] or ""
            self.tables[self._table] = {}
            self._heads = []
        elif self._table and tag in ("th", "td"):
            self._cell = []
        elif self._table and tag == "tr":
            self._row = []

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "svg":
            self._chart = ""
        elif self._table and tag in ("th", "td") and self._cell is not None:
            self._row.append("".join(self._cell).strip())
            self._cell = None
        elif self._table and tag == "tr":
            if not self._heads:
                self._heads = self._row
            else:
                for name, value in zip(self._heads[1:], self._row[1:], strict=True):
                    self.tables[self._table][(self._row[0], name)] = value
        elif tag == "table":
            self._table = ""


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("anonymous", 302),
        ("provider_staff", 403),
        ("editor", 403),
        ("fca", 200),
        ("curator", 200),
    ],
)
def test_curators_and_fcas_see_the_dashboard_and_nobody_else(
    client: Client, request: pytest.FixtureRequest, who: str, expected: int
) -> None:
    if who != "anonymous":
        sign_in(client, request.getfixturevalue(who))
    assert client.get("/referrals/dashboard/").status_code == expected
    assert client.get("/referrals/dashboard/figures.csv").status_code == expected


def test_it_counts_referrals_by_route_and_month_and_hides_small_counts(fca) -> None:  # type: ignore[no-untyped-def]
    referrals(fca, 6, status=Status.SUBMITTED, submitted_at=at(10, 5))
    referrals(fca, 3, status=Status.SUBMITTED, submitted_at=at(11, 2))
    referrals(fca, 8, route=Route.FCA_DIRECT, status=Status.SUBMITTED, submitted_at=at(11, 3))

    chart = dashboard_build(filters=Filters(months=3)).charts[0]

    table = dict(chart.rows())
    assert list(table) == ["Sep 2026", "Oct 2026", "Nov 2026"]
    court, direct, request = (s.name for s in chart.series)
    assert table["Oct 2026"] == ["6", "0", "0"]
    assert table["Nov 2026"] == [FEWER_THAN, "8", "0"]
    assert (court, direct) == ("Court-ordered", "FCA direct referral before the first hearing")
    assert request == "FCA request to the court"


def test_it_gives_median_times_and_rates(fca) -> None:  # type: ignore[no-untyped-def]
    submitted = at(11, 2)
    referrals(
        fca,
        6,
        status=Status.COMPLETED,
        submitted_at=submitted,
        allocated_at=submitted + dt.timedelta(days=1),
        accepted_at=submitted + dt.timedelta(days=2),
        booked_at=submitted + dt.timedelta(days=4),
    )
    referrals(
        fca,
        5,
        status=Status.DID_NOT_ATTEND,
        submitted_at=submitted,
        allocated_at=submitted + dt.timedelta(days=3),
        accepted_at=submitted + dt.timedelta(days=3),
        booked_at=submitted + dt.timedelta(days=8),
    )
    referrals(fca, 5, status=Status.DECLINED, submitted_at=submitted,
              allocated_at=submitted + dt.timedelta(days=1))  # fmt: skip

    board = dashboard_build(filters=Filters(months=3))
    times, rates = dict(board.charts[1].rows()), dict(board.charts[2].rows())

    assert times["Nov 2026"] == ["1 days", "4 days"]  # medians of 16 and of 11 referrals
    assert times["Oct 2026"] == ["no data", "no data"]
    # Accepted 11 of 16 answered; completed 6 of 11 booked; did not attend 5 of 11.
    assert rates["Court-ordered"] == ["68.8%", "54.5%", "45.5%"]
    assert rates["FCA direct referral before the first hearing"] == ["no data"] * 3


def test_unallocated_and_overdue_timers_are_counted_as_of_today(fca) -> None:  # type: ignore[no-untyped-def]
    referrals(fca, 5, status=Status.UNALLOCATED, submitted_at=at(11, 2))
    referrals(fca, 2, status=Status.SENT, submitted_at=at(11, 2), sent_at=at(11, 2))

    waiting = dict(dashboard_build(filters=Filters()).charts[3].rows())

    assert waiting["Unallocated now"] == ["5"]
    assert waiting["Provider has not replied (2 working days)"] == [FEWER_THAN]
    assert waiting["Parent not booked (10 working days)"] == [FEWER_THAN]
    assert waiting["Follow-up call due (6 to 8 weeks)"] == ["0"]


def test_the_programme_filter_narrows_every_figure(fca) -> None:  # type: ignore[no-untyped-def]
    referrals(fca, 6, status=Status.UNALLOCATED, submitted_at=at(11, 2))
    board = dashboard_build(filters=Filters(programme="WT4C"))
    assert dict(board.charts[3].rows())["Unallocated now"] == ["0"]
    assert dict(board.charts[0].rows())["Nov 2026"] == ["0", "0", "0"]


def test_every_chart_on_the_page_draws_what_its_table_says(client: Client, curator, fca) -> None:  # type: ignore[no-untyped-def]
    referrals(fca, 7, status=Status.BOOKED, submitted_at=at(10, 5), allocated_at=at(10, 6),
              accepted_at=at(10, 7), booked_at=at(10, 9))  # fmt: skip
    referrals(fca, 2, status=Status.UNALLOCATED, submitted_at=at(11, 2))
    sign_in(client, curator)

    page = Figures()
    page.feed(client.get("/referrals/dashboard/").content.decode())

    assert set(page.marks) == {"by-route", "times", "rates", "waiting"}
    assert page.marks == page.tables
    assert page.tables["by-route"][("Nov 2026", "Court-ordered")] == FEWER_THAN


@pytest.mark.parametrize(
    "query",
    [
        {"programme": "<script>alert(1)</script>"},
        {"programme": "x" * 5000},
        {"months": "7"},
        {"months": "-1"},
        {"months": "9" * 40},
        {"months": "\x00"},
        {"programme": "PTFC", "months": "²"},
    ],
)
def test_bad_filters_show_the_error_summary_and_default_figures(
    client: Client, curator, query: dict[str, str]
) -> None:  # type: ignore[no-untyped-def]
    sign_in(client, curator)
    response = client.get("/referrals/dashboard/", query)
    assert response.status_code == 200
    html = response.content.decode()
    assert "govuk-error-summary" in html
    assert "<script>alert" not in html
    assert client.get("/referrals/dashboard/figures.csv", query).status_code == 200


def test_the_csv_has_anonymous_figures_only_small_counts_hidden_and_is_recorded(
    client: Client, curator, fca
) -> None:  # type: ignore[no-untyped-def]
    referrals(fca, 6, status=Status.SUBMITTED, submitted_at=at(10, 5))
    referrals(fca, 2, status=Status.DECLINED, submitted_at=at(10, 5))
    sign_in(client, curator)

    response = client.get("/referrals/dashboard/figures.csv", {"months": "3"})

    assert response["Content-Type"].startswith("text/csv")
    body = response.content.decode()
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0][:5] == ["programme", "route", "month", "outcome", "referrals"]
    assert ["PTFC", "court_order", "2026-10", "submitted", "6", "", ""] in rows
    assert ["PTFC", "court_order", "2026-10", "declined", FEWER_THAN, "", ""] in rows
    for text in [*PERSONAL, "LE26P01234"]:
        assert text not in body
    assert AuditEvent.objects.filter(actor=curator, action="referrals.dashboard_exported").exists()


def test_the_period_is_whole_calendar_months_ending_this_month() -> None:
    assert period_months(timezone.localdate(), 3) == ["2026-09", "2026-10", "2026-11"]
    assert period_months(dt.date(2026, 1, 31), 2) == ["2025-12", "2026-01"]
