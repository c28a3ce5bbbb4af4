"""The search's relevance test set (data/search-relevance.toml), run against the directory.

A read only: each query runs through `selectors.search` with no postcode, and passes when at
least `NEEDED` of its top `TOP` results fit (see the data file). Used by the test suite with
the demo directory and by `manage.py search_relevance` on any directory.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from directory.models import Service
from directory.selectors import ServiceQuery, search

RELEVANCE_FILE = Path(__file__).resolve().parent / "data" / "search-relevance.toml"
TOP = 3
NEEDED = 2
THRESHOLD = 0.9


@dataclass(frozen=True)
class Outcome:
    q: str
    passed: bool
    top: tuple[str, ...]  # "name [fits]" or "name"
    danger_expected: bool
    danger_found: bool


def load_queries(path: Path = RELEVANCE_FILE) -> list[dict[str, Any]]:
    with path.open("rb") as file:
        return list(tomllib.load(file)["queries"])


def _fits(service: Service, codes: set[str], slugs: set[str]) -> bool:
    if service.slug in slugs:
        return True
    for category in service.categories.all():
        if category.code in codes or (category.parent and category.parent.code in codes):
            return True
    return False


def evaluate(queries: list[dict[str, Any]] | None = None) -> list[Outcome]:
    outcomes = []
    for entry in queries if queries is not None else load_queries():
        codes = set(entry.get("categories", []))
        slugs = set(entry.get("services", []))
        found = search(ServiceQuery(text=entry["q"]))
        top = list(
            found.services.prefetch_related("categories__parent")[:TOP]  # type: ignore[misc]
        )
        fitting = [_fits(s, codes, slugs) for s in top]
        danger_expected = bool(entry.get("danger", False))
        passed = sum(fitting) >= NEEDED and (found.suggests_danger or not danger_expected)
        outcomes.append(
            Outcome(
                q=entry["q"],
                passed=passed,
                top=tuple(
                    f"{s.name} [fits]" if f else s.name for s, f in zip(top, fitting, strict=True)
                ),
                danger_expected=danger_expected,
                danger_found=found.suggests_danger,
            )
        )
    return outcomes


def score(outcomes: list[Outcome]) -> float:
    return sum(o.passed for o in outcomes) / len(outcomes) if outcomes else 0.0
