"""What the public may read of guides, news, pages and events, and what they join up with.

Every public read starts from `Article.objects.live()`: published and due, so a draft or a
post scheduled for tomorrow is never shown (nor found by search, nor in the feed) today.
Local services come from the directory's own public querysets (`Service.objects.listed()`),
matched by the stable category codes (directory/taxonomy.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db.models import F, Prefetch, QuerySet
from django.utils import timezone

from directory.models import Location, Organisation, Service
from directory.selectors import (
    MAX_SEARCH_TERMS,
    TEXT_CONFIG,
    category_ids_with_descendants_by_code,
    websearch_words,
)
from resources.models import DEFAULT_LANGUAGE, Article, Event, Topic

RELATED_SERVICES = 6
SUGGESTED_GUIDES = 3
_WORD = re.compile(r"\w+")


def guides() -> QuerySet[Article]:
    """Live guides in English (other language versions hang off these), by topic then title."""
    return (
        Article.objects.live()
        .filter(kind=Article.Kind.GUIDE, language=DEFAULT_LANGUAGE)
        .select_related("topic")
        .order_by(F("topic__position").asc(nulls_last=True), "topic__name", "title")
    )


def topics_with_guides() -> list[tuple[Topic | None, list[Article]]]:
    """The guides page: each topic (in order) with its live guides; untopiced ones last."""
    grouped: dict[int | None, tuple[Topic | None, list[Article]]] = {}
    for guide in guides():
        grouped.setdefault(guide.topic_id, (guide.topic, []))[1].append(guide)
    return list(grouped.values())


def article_for_page(*, kind: str, slug: str, language: str = DEFAULT_LANGUAGE) -> Article | None:
    """One live article in one language."""
    return (
        Article.objects.live()
        .filter(kind=kind, slug=slug, language=language)
        .select_related("topic")
        .first()
    )


def language_versions(article: Article) -> list[Article]:
    """Every live version of the article (itself included), English first."""
    versions = list(
        Article.objects.live()
        .filter(kind=article.kind, slug=article.slug)
        .only("kind", "slug", "language", "title")
    )
    return sorted(versions, key=lambda a: (a.language != DEFAULT_LANGUAGE, a.language))


def related_services(codes: Iterable[str], *, limit: int = RELATED_SERVICES) -> list[Service]:
    """Listed local services in these categories (or their sub-categories), by name."""
    codes = list(codes)
    if not codes:
        return []
    return list(
        Service.objects.listed()
        .filter(categories__in=category_ids_with_descendants_by_code(codes))
        .distinct()
        .select_related("organisation")
        .prefetch_related(Prefetch("locations", queryset=Location.objects.order_by("name")))
        .order_by("name")[:limit]
    )


def _search_vector() -> Any:
    return (
        SearchVector("title", weight="A", config=TEXT_CONFIG)
        + SearchVector("summary", weight="B", config=TEXT_CONFIG)
        + SearchVector("body", weight="C", config=TEXT_CONFIG)
    )


def search_guides(words: str, *, any_word: bool = False) -> QuerySet[Article]:
    """Live English guides matching the words, best first.

    `any_word` matches guides with any of the words (the directory's "no results" page
    suggests guides for "mediation in Hinckley" although no guide mentions Hinckley).
    """
    if any_word:
        terms = [w for w in _WORD.findall(words) if w.lower() != "or"]
        text = " or ".join(terms[:MAX_SEARCH_TERMS])
    else:
        text = websearch_words(words)
    if not text.strip():
        return Article.objects.none()
    query = SearchQuery(text, search_type="websearch", config=TEXT_CONFIG)
    return (
        guides()
        .annotate(search=_search_vector())
        .filter(search=query)
        .annotate(rank=SearchRank(_search_vector(), query))
        .order_by("-rank", "title")
    )


def news() -> QuerySet[Article]:
    """Live news in English, newest first."""
    return (
        Article.objects.live()
        .filter(kind=Article.Kind.NEWS, language=DEFAULT_LANGUAGE)
        .order_by("-publish_at", "title")
    )


def practitioner_tools() -> QuerySet[Article]:
    """Live guides written for practitioners (early-intervention guides and the like)."""
    return guides().filter(audience__contains=["practitioners"])


def upcoming_events(*, now: Any = None) -> QuerySet[Event]:
    """Events that have not finished yet, soonest first."""
    return Event.objects.filter(ends_at__gte=now or timezone.now()).order_by("starts_at", "title")


def partner_organisations() -> list[Organisation]:
    """Organisations with a listed service, each with `listed_services` to link to."""
    listed = Service.objects.listed().order_by("name")
    return list(
        Organisation.objects.filter(services__in=listed)
        .distinct()
        .order_by("name")
        .prefetch_related(Prefetch("services", queryset=listed, to_attr="listed_services"))
    )


def services_meeting_standards() -> list[tuple[str, list[Service]]]:
    """Each accreditation the directory records, with the listed services that hold it."""
    services = list(
        Service.objects.listed()
        .exclude(accreditations=[])
        .select_related("organisation")
        .order_by("name")
    )
    result = []
    for code, label in Service.Accreditation.choices:
        holding = [s for s in services if code in s.accreditations]
        if holding:
            result.append((str(label), holding))
    return result
