"""The relevance test set (directory/data/search-relevance.toml) on the demo directory."""

import io

import pytest
from django.core.management import call_command

from directory import demo
from directory.relevance import THRESHOLD, evaluate, load_queries, score

pytestmark = pytest.mark.django_db


def test_the_set_has_at_least_forty_real_world_queries() -> None:
    queries = load_queries()

    assert len(queries) >= 40
    assert sum(bool(q.get("danger")) for q in queries) >= 5


@pytest.mark.slow
def test_at_least_ninety_percent_of_queries_have_two_fitting_results_in_their_top_three() -> None:
    demo.seed(io.StringIO())

    outcomes = evaluate()

    failing = [(o.q, o.top) for o in outcomes if not o.passed]
    assert score(outcomes) >= THRESHOLD, failing


@pytest.mark.slow
def test_the_command_prints_the_failing_queries() -> None:
    demo.seed(io.StringIO())
    out = io.StringIO()

    call_command("search_relevance", "--all", stdout=out)

    assert "'he hits me'" in out.getvalue()
    assert "queries (" in out.getvalue()
