"""Reads of the directory: search, one service, postcodes, the taxonomy. All in PostgreSQL."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.conf import settings
from django.contrib.postgres.aggregates import ArrayAgg
from django.contrib.postgres.search import (
    SearchQuery,
    SearchRank,
    SearchVector,
    TrigramWordSimilarity,
)
from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    Exists,
    F,
    FloatField,
    Func,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from directory.models import (
    Category,
    Location,
    Organisation,
    Postcode,
    SearchPhrase,
    Service,
    ServiceAtLocation,
)
from directory.postcodes import parse_postcode
from directory.search_rules import Phrase, WordsPlan, plan_words, websearch_any
from directory.taxonomy import JOINT_OPTIONS, CategoryCode

EARTH_RADIUS_MILES = 3958.8
MILES_PER_DEGREE_LATITUDE = 69.05
TEXT_CONFIG = "english"
ServiceAtCategory = Service.categories.through


@dataclass(frozen=True)
class ServiceQuery:
    """What a parent asked for. Every field is already valid: the form cleans them."""

    text: str = ""
    point: tuple[float, float] | None = None
    radius_miles: float | None = None
    categories: tuple[str, ...] = ()
    # Stable codes (directory/taxonomy.py), for callers whose rules must survive a rename.
    category_codes: tuple[str, ...] = ()
    age: int | None = None
    free_only: bool = False
    modes: tuple[str, ...] = ()
    language: str = ""
    safe_where_abuse_only: bool = False


@dataclass(frozen=True)
class PostcodeMatch:
    """A postcode found in the table. `postcode` is what was asked, normalised ("LE1 6ZG");
    `is_district` is True when the point is the district's centroid, not the postcode's."""

    postcode: str
    latitude: float
    longitude: float
    is_district: bool

    @property
    def point(self) -> tuple[float, float]:
        return (self.latitude, self.longitude)


def postcode_lookup(raw: str) -> PostcodeMatch | None:
    """Find a postcode's centroid: the full postcode, else its district; None if neither.

    One query whatever the input: a full postcode and its district are fetched together.
    """
    parsed = parse_postcode(raw)
    if parsed is None:
        return None
    rows = {p.code: p for p in Postcode.objects.filter(code__in={parsed.code, parsed.district})}
    found = rows.get(parsed.code) or rows.get(parsed.district)
    if found is None:
        return None
    return PostcodeMatch(
        postcode=parsed.code,
        latitude=found.latitude,
        longitude=found.longitude,
        is_district=found.is_district,
    )


def in_alliance_area(found: PostcodeMatch) -> bool:
    """Whether a postcode is in the alliance's area: its district or postcode area is listed in
    ALLIANCE_AREA_DISTRICTS, or it is within ALLIANCE_AREA_RADIUS_MILES of the area's centre.
    Pure arithmetic on the match, no query."""
    parsed = parse_postcode(found.postcode)
    district = parsed.district if parsed else found.postcode
    area = re.match(r"[A-Z]+", district)
    listed = {d.strip().upper() for d in settings.ALLIANCE_AREA_DISTRICTS if d.strip()}
    if district in listed or (area is not None and area.group() in listed):
        return True
    lat, lng = settings.ALLIANCE_MAP_CENTRE
    return miles_between((lat, lng), found.point) <= settings.ALLIANCE_AREA_RADIUS_MILES


def miles_between(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance in miles between two (latitude, longitude) points."""
    lat1, lng1, lat2, lng2 = map(math.radians, (*a, *b))
    cosine = math.sin(lat1) * math.sin(lat2) + math.cos(lat1) * math.cos(lat2) * math.cos(
        lng2 - lng1
    )
    return math.acos(max(-1.0, min(1.0, cosine))) * EARTH_RADIUS_MILES


def category_tree() -> list[Category]:
    """Top-level categories with `children_list` set, in display order (one query)."""
    categories = list(Category.objects.order_by("position", "name"))
    by_parent: dict[int | None, list[Category]] = {}
    for category in categories:
        by_parent.setdefault(category.parent_id, []).append(category)
    for category in categories:
        category.children_list = by_parent.get(category.pk, [])  # type: ignore[attr-defined]
    return by_parent.get(None, [])


def category_ids_with_descendants(slugs: Iterable[str]) -> QuerySet[Category, Any]:
    # Two levels deep is the taxonomy's shape (DESIGN.md); a chosen parent brings its children.
    wanted = list(slugs)
    return Category.objects.filter(Q(slug__in=wanted) | Q(parent__slug__in=wanted)).values("pk")


def category_ids_with_descendants_by_code(codes: Iterable[str]) -> QuerySet[Category, Any]:
    """Like `category_ids_with_descendants`, keyed on the stable codes the rules use."""
    wanted = list(codes)
    return Category.objects.filter(Q(code__in=wanted) | Q(parent__code__in=wanted)).values("pk")


def _is_joint_option(category: Category) -> bool:
    if category.code:
        return category.code in JOINT_OPTIONS
    parent = category.parent if category.parent_id is not None else None
    return parent is not None and parent.code in JOINT_OPTIONS


def joint_option_categories(categories: Iterable[Category]) -> list[Category]:
    """Those of the given categories that are joint options (see taxonomy.JOINT_OPTIONS)."""
    return [c for c in categories if _is_joint_option(c)]


def joint_option_service_ids() -> QuerySet[Any, Any]:
    """Services in a joint-option category (or an uncoded child of one: a curator's new
    "Online mediation" under mediation is a joint option too)."""
    joint = Q(category__code__in=JOINT_OPTIONS) | Q(
        category__code__isnull=True, category__parent__code__in=JOINT_OPTIONS
    )
    return ServiceAtCategory.objects.filter(joint).values("service_id")


def people_who_harm_service_ids() -> QuerySet[Any, Any]:
    """Services in the programmes-for-people-who-harm category (or an uncoded child of it)."""
    code = CategoryCode.PEOPLE_WHO_HARM
    harm = Q(category__code=code) | Q(category__code__isnull=True, category__parent__code=code)
    return ServiceAtCategory.objects.filter(harm).values("service_id")


def _asks_for_people_who_harm(category_ids: tuple[int, ...]) -> bool:
    """Whether the search's phrases ask for programmes for people who harm ("my anger")."""
    if not category_ids:
        return False
    code = CategoryCode.PEOPLE_WHO_HARM
    return Category.objects.filter(
        Q(code=code) | Q(code__isnull=True, parent__code=code), pk__in=category_ids
    ).exists()


class HaversineMiles(Func):
    """Great-circle distance in miles from a fixed point to a row's latitude and longitude.

    One SQL expression compiled in one step: built from Django's Sin/Cos/Value nodes it cost
    a search page several milliseconds of query compiling (bench/search.py, profiled).
    """

    output_field = FloatField()

    def __init__(self, latitude: Any, longitude: Any, lat: float, lng: float) -> None:
        super().__init__(latitude, longitude)
        self.lat_r, self.lng_r = math.radians(lat), math.radians(lng)

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list[Any]]:  # type: ignore[override]
        lat_sql, lat_params = compiler.compile(self.source_expressions[0])
        lng_sql, lng_params = compiler.compile(self.source_expressions[1])
        # Rounding can push the cosine a hair past 1 for the same point; acos would then fail.
        sql = (
            f"(acos(greatest(-1.0, least(1.0, %s * sin(radians({lat_sql})) + %s * "
            f"cos(radians({lat_sql})) * cos(radians({lng_sql}) - %s)))) * {EARTH_RADIUS_MILES})"
        )
        params = [
            math.sin(self.lat_r),
            *lat_params,
            math.cos(self.lat_r),
            *lat_params,
            *lng_params,
            self.lng_r,
        ]
        return sql, params


def haversine_miles(lat: float, lng: float, prefix: str = "") -> Any:
    """Great-circle distance in miles from (lat, lng) to a row's latitude/longitude columns
    (a related row's with `prefix`, e.g. "venue__")."""
    return HaversineMiles(F(f"{prefix}latitude"), F(f"{prefix}longitude"), lat, lng)


def haversine_miles_of(prefix: str, lat: float, lng: float) -> Any:
    """Like `haversine_miles`, for the latitude/longitude reached through `prefix`."""
    return HaversineMiles(F(f"{prefix}latitude"), F(f"{prefix}longitude"), lat, lng)


def bounding_box(lat: float, lng: float, miles: float, prefix: str = "") -> Q:
    """A latitude/longitude box around the point that contains the radius circle (indexed)."""
    dlat = miles / MILES_PER_DEGREE_LATITUDE
    dlng = miles / (MILES_PER_DEGREE_LATITUDE * max(math.cos(math.radians(lat)), 0.01))
    return Q(
        **{
            f"{prefix}latitude__range": (lat - dlat, lat + dlat),
            f"{prefix}longitude__range": (lng - dlng, lng + dlng),
        }
    )


def _area_wide() -> Q:
    return ~Q(area_covered=Service.AreaCovered.RADIUS) | ~Q(
        delivery_modes__contains=[Service.DeliveryMode.IN_PERSON]
    )


# Words, phrases and "-word" exclusions in a search; more than this and the rest are ignored.
MAX_SEARCH_TERMS = 16
_TERM = re.compile(r'(-?)(?:"([^"]*)"?|(\S+))')
_NOT_WORD = re.compile(r"[^\w']+")


def websearch_words(text: str) -> str:
    """The words of a search, rebuilt so `websearch_to_tsquery` can always parse them.

    PostgreSQL's web-search syntax nests one NOT per "-" (and per "-(" or "-!"), and 33 of
    them overflow its parser ("tsquery stack too small"): a page error from 33 dashes (issue 8
    item 2). Each term keeps its letters and digits, at most one leading "-" to exclude it, and
    a quoted phrase stays a phrase; punctuation goes, and only the first MAX_SEARCH_TERMS count.
    """
    terms: list[str] = []
    for match in _TERM.finditer(text):
        negate, phrase, word = match.groups()
        if phrase is not None:
            inner = " ".join(_NOT_WORD.sub(" ", phrase).split())
            term = f'"{inner}"' if inner else ""
        else:
            term = " ".join(_NOT_WORD.sub(" ", word).split())
        if not term:
            continue
        terms.append(f"-{term}" if negate and " " not in term.strip('"') else term)
        if len(terms) == MAX_SEARCH_TERMS:
            break
    return " ".join(terms)


# A strict match (every word, or a phrase's meaning) with fewer results than this is filled
# up with the relaxed match (any meaningful word): a results page.
FILL_BELOW = 10


def search_phrase_table() -> list[Phrase]:
    """The curators' phrase table, read on every search so a change works at once (one query)."""
    rows = SearchPhrase.objects.annotate(
        category_list=ArrayAgg("categories__id", filter=Q(categories__isnull=False), default=[])
    ).values_list("phrase", "terms", "category_list", "suggests_danger")
    return [
        Phrase(
            phrase=phrase,
            terms=Phrase.split_terms(terms),
            category_ids=tuple(category_list),
            suggests_danger=danger,
        )
        for phrase, terms, category_list, danger in rows
    ]


@dataclass(frozen=True)
class WordsQuery:
    """The full-text queries and category sets built from a search's words."""

    plan: WordsPlan
    strict: SearchQuery | None
    relaxed: SearchQuery | None
    by_name: SearchQuery | None  # matches category names

    @property
    def category_ids(self) -> tuple[int, ...]:
        return self.plan.category_ids


def _any_of(words: Iterable[str]) -> SearchQuery | None:
    text = websearch_any(words)
    return SearchQuery(text, search_type="websearch", config=TEXT_CONFIG) if text else None


def words_query(text: str, table: list[Phrase]) -> WordsQuery:
    """Strict: every leftover word, and for each phrase found its words or its terms.
    Relaxed: any meaningful word or term."""
    plan = plan_words(text, table)
    strict: SearchQuery | None = None
    if plan.phrases:
        leftover = websearch_words(" ".join(plan.leftover))
        if leftover:
            strict = SearchQuery(leftover, search_type="websearch", config=TEXT_CONFIG)
        for phrase in plan.phrases:
            meaning = SearchQuery(phrase.phrase, search_type="phrase", config=TEXT_CONFIG)
            terms = _any_of(phrase.terms)
            meaning = meaning | terms if terms is not None else meaning
            strict = meaning if strict is None else strict & meaning
    else:
        words = websearch_words(text)
        if words:
            strict = SearchQuery(words, search_type="websearch", config=TEXT_CONFIG)
    relaxed = _any_of(plan.relaxed_words())
    by_name = (
        SearchQuery(websearch_words(text), search_type="websearch", config=TEXT_CONFIG)
        if websearch_words(text)
        else None
    )
    return WordsQuery(plan=plan, strict=strict, relaxed=relaxed, by_name=by_name)


def _strict_parts(words: WordsQuery, *, danger: bool) -> tuple[SearchQuery | None, Q | None]:
    """The strict match's two halves: the words' query, and which service-category rows count
    (a category whose name matches the words, a phrase's categories, and, when the words
    suggest danger, domestic abuse support; a parent category brings its children)."""
    wanted: list[Any] = []
    if words.by_name is not None:
        wanted.append(
            Category.objects.annotate(category_vector=SearchVector("name", config=TEXT_CONFIG))
            .filter(category_vector=words.by_name)
            .values("pk")
        )
    if words.category_ids:
        wanted.append(list(words.category_ids))
    if danger:
        wanted.append(Category.objects.filter(code=CategoryCode.DOMESTIC_ABUSE).values("pk"))
    in_category: Q | None = None
    for ids in wanted:
        part = Q(category__in=ids) | Q(category__parent__in=ids)
        in_category = part if in_category is None else in_category | part
    return words.strict, in_category


def _ids(search_query: SearchQuery | None, in_category: Q | None) -> QuerySet[Any, Any] | None:
    """The ids of services matching either half, as a union read through the indexes (the GIN
    index on `search_vector`; the small service-category table), never a scan of services."""
    sets: list[QuerySet[Any, Any]] = []
    if search_query is not None:
        # order_by(): the model's default ordering would make PostgreSQL sort each half.
        sets.append(Service.objects.filter(search_vector=search_query).order_by().values("pk"))
    if in_category is not None:
        sets.append(ServiceAtCategory.objects.filter(in_category).values("service_id"))
    if not sets:
        return None
    return sets[0].union(*sets[1:]) if len(sets) > 1 else sets[0]


def _row_filter(search_query: SearchQuery | None, in_category: Q | None) -> Q | None:
    """The same test row by row: near a place, the location index finds the few services
    nearby and each is tested; building the whole set of services that match a common word
    would cost in proportion to the directory's size (bench/search.py)."""
    parts: list[Q] = []
    if search_query is not None:
        parts.append(Q(search_vector=search_query))
    if in_category is not None:
        parts.append(
            Q(Exists(ServiceAtCategory.objects.filter(in_category, service=OuterRef("pk"))))
        )
    if not parts:
        return None
    return parts[0] | parts[1] if len(parts) > 1 else parts[0]


def _match_filter(
    search_query: SearchQuery | None, in_category: Q | None, *, near: bool
) -> Q | None:
    if near:
        return _row_filter(search_query, in_category)
    ids = _ids(search_query, in_category)
    return None if ids is None else Q(pk__in=ids)


def _trigram_filter(text: str) -> Q:
    # `%>`: the query is word-similar to some word of the name (pg_trgm GIN index).
    by_name = Service.objects.filter(name__trigram_word_similar=text).order_by().values("pk")
    by_category = ServiceAtCategory.objects.filter(
        Q(category__name__trigram_word_similar=text)
        | Q(category__parent__name__trigram_word_similar=text)
    ).values("service_id")
    return Q(pk__in=by_name.union(by_category))  # type: ignore[arg-type]


class Matched(StrEnum):
    """How the words were matched, for the results page to say."""

    NONE = "none"  # no words
    ALL = "all"  # every word, or a phrase's meaning
    SOME = "some"  # fewer than a page matched strictly: filled with any-word matches
    SIMILAR = "similar"  # nothing matched: names spelled like the words (typos)


@dataclass
class SearchResult:
    services: QuerySet[Service]
    matched: Matched = Matched.NONE
    suggests_danger: bool = False
    phrases: tuple[str, ...] = ()


def _probe(
    base: QuerySet[Service],
    strict_words: SearchQuery | None,
    in_category: Q | None,
    relaxed_words: SearchQuery | None,
) -> tuple[int, bool]:
    """How many services match strictly (up to FILL_BELOW), and whether any match relaxed.

    One query of the whole directory with the page's filters. Each half of the strict match
    takes its first FILL_BELOW rows on its own and the union counts them, so a common word
    stops after a few rows instead of gathering all its matches first (bench/search.py,
    100,000 services); a rare one is read through its index. The count is exact below
    FILL_BELOW and at least FILL_BELOW otherwise.
    """
    halves: list[QuerySet[Any, Any]] = []
    if strict_words is not None:
        halves.append(base.filter(search_vector=strict_words).order_by().values("pk")[:FILL_BELOW])
    if in_category is not None:
        tagged = ServiceAtCategory.objects.filter(in_category, service=OuterRef("pk"))
        halves.append(base.filter(Exists(tagged)).order_by().values("pk")[:FILL_BELOW])
    parts: list[tuple[str, tuple[Any, ...]]] = []
    if halves:
        union = halves[0].union(*halves[1:]) if len(halves) > 1 else halves[0]
        sql, params = union.query.sql_with_params()
        parts.append((f"(SELECT count(*) FROM ({sql}) s)", tuple(params)))  # noqa: S608
    else:
        parts.append(("0", ()))
    if relaxed_words is not None:
        sql, params = (
            base.filter(search_vector=relaxed_words).order_by().values("pk")[:1]
        ).query.sql_with_params()
        parts.append((f"EXISTS({sql})", tuple(params)))
    else:
        parts.append(("false", ()))
    if not halves and relaxed_words is None:
        return 0, False
    # Django's own compiled SQL; every value is a parameter.
    statement = "SELECT " + ", ".join(sql for sql, _ in parts)
    with connection.cursor() as cursor:
        cursor.execute(statement, tuple(p for _, params in parts for p in params))
        count, any_relaxed = cursor.fetchone()
    return int(count), bool(any_relaxed)


def search_services(query: ServiceQuery) -> QuerySet[Service]:
    """Published services matching the query, nearest or best first (see `search`)."""
    return search(query).services


def search(query: ServiceQuery) -> SearchResult:
    """Published services matching the query, with `distance_miles`, and how it matched.

    Rules (issues 3 and 14): words use English stemming, name weighted above summary and
    description; the curators' phrase table turns everyday words into the directory's
    ("lawyer" finds legal advice, by its words and its category), and a category's name matches
    its services. When fewer than a page match strictly, services matching any meaningful word
    fill the page after them, ranked by how many words match and where; when nothing matches
    at all, trigram similarity on names finds typos ("mediaton"). Words that suggest danger
    put domestic abuse specialists first and joint options (mediation…) last. Stale listings
    come after fresh ones of equal fit. A parent category includes its children.
    Area-wide, national, online-only and phone-only services have no distance
    (`distance_miles` is None: "available across the area") and are never cut by the radius.
    A service covering a radius around its locations is left out beyond that radius.
    """
    services = Service.objects.listed()
    if query.categories:
        services = services.filter(
            pk__in=ServiceAtCategory.objects.filter(
                category__in=category_ids_with_descendants(query.categories)
            ).values("service_id")
        )
    if query.category_codes:
        services = services.filter(
            pk__in=ServiceAtCategory.objects.filter(
                category__in=category_ids_with_descendants_by_code(query.category_codes)
            ).values("service_id")
        )
    if query.age is not None:
        services = services.filter(
            Q(min_age__isnull=True) | Q(min_age__lte=query.age),
            Q(max_age__isnull=True) | Q(max_age__gte=query.age),
        )
    if query.free_only:
        services = services.filter(is_free=True)
    if query.modes:
        services = services.filter(delivery_modes__overlap=list(query.modes))
    if query.language:
        services = services.filter(languages__contains=[query.language])
    if query.safe_where_abuse_only:
        # The flag alone is not trusted: a joint option is never offered to a parent at risk,
        # even if someone ticked "safe" on it or it also sits in a safe category.
        services = services.filter(safe_where_abuse=True).exclude(pk__in=joint_option_service_ids())

    # Whether the words match "few" is asked of the whole directory with these filters, not of
    # the place: one index read of the words that stops at FILL_BELOW, instead of building the
    # place's candidates twice more (bench/search.py). A strict match found only far away
    # still shows strict results here, and the no-results advice says to search further.
    probe_base = services
    if query.point is None:
        services = services.annotate(distance_miles=Value(None, output_field=FloatField()))
    else:
        lat, lng = query.point
        nearest = (
            Location.objects.filter(service_at_locations__service=OuterRef("pk"))
            .annotate(miles=haversine_miles(lat, lng))
            .order_by("miles")
            .values("miles")[:1]
        )
        if query.radius_miles is not None:
            # The box is indexed (location_lat_lng_idx): only nearby locations are measured, and
            # each once. A service is in range when some location is within the radius and
            # within its own area radius: the same as its nearest one being so, without
            # computing the nearest distance again per row (bench/search.py: that correlated
            # subquery, evaluated per filter, was most of a postcode search's SQL time).
            miles = haversine_miles_of("location__", lat, lng)
            nearby = (
                ServiceAtLocation.objects.filter(
                    bounding_box(lat, lng, query.radius_miles, prefix="location__")
                )
                .annotate(miles=miles)
                .filter(
                    Q(miles__lte=query.radius_miles),
                    Q(service__area_radius_miles__isnull=True)
                    | Q(miles__lte=F("service__area_radius_miles")),
                )
                .values("service_id")
            )
            # A union, not an OR, so both halves are read through their indexes.
            candidates = Service.objects.filter(_area_wide()).order_by().values("pk").union(nearby)  # type: ignore[arg-type]
            services = services.filter(pk__in=candidates)
        services = services.annotate(
            distance_miles=Case(
                When(_area_wide(), then=Value(None, output_field=FloatField())),
                default=Subquery(nearest, output_field=FloatField()),
                output_field=FloatField(),
            )
        )
        if query.radius_miles is None:
            # A service that only covers so many miles around its base does not serve you beyond.
            services = services.filter(
                _area_wide()
                | Q(area_radius_miles__isnull=True)
                | Q(distance_miles__lte=F("area_radius_miles"))
            )

    result = SearchResult(services=services)
    rank: Any = None
    first: list[Any] = []
    text = query.text.strip()
    if text:
        words = words_query(text, search_phrase_table())
        danger = words.plan.suggests_danger
        result.suggests_danger = danger
        result.phrases = tuple(p.phrase for p in words.plan.phrases)
        near = query.point is not None and query.radius_miles is not None
        strict_words, in_category = _strict_parts(words, danger=danger)
        strict_q = _match_filter(strict_words, in_category, near=near)
        count, any_relaxed = _probe(probe_base, strict_words, in_category, words.relaxed)
        ranking = words.relaxed or words.strict
        if strict_q is not None and (count >= FILL_BELOW or (count and not any_relaxed)):
            services = services.filter(strict_q)
            result.matched = Matched.ALL
        elif any_relaxed and words.relaxed is not None:
            # The page says "some of your words" only if a relaxed match is on it (strict_fit).
            fits = strict_q if strict_q is not None else Q(pk__isnull=True)
            either = _match_filter(
                words.relaxed if strict_words is None else strict_words | words.relaxed,
                in_category,
                near=near,
            )
            services = services.filter(either).annotate(
                strict_fit=Case(
                    When(fits, then=Value(True)),
                    default=Value(False),
                    output_field=BooleanField(),
                )
            )
            first.append(F("strict_fit").desc())
            result.matched = Matched.SOME
        else:
            services = services.filter(_trigram_filter(text))
            rank = TrigramWordSimilarity(text, "name")
            result.matched = Matched.SIMILAR
        if rank is None and ranking is not None:
            rank = SearchRank(F("search_vector"), ranking)
        if danger:
            services = services.annotate(
                joint_option=Exists(joint_option_service_ids().filter(service_id=OuterRef("pk")))
            )
            first = [F("domestic_abuse_specialist").desc(), F("joint_option").asc(), *first]
            if not _asks_for_people_who_harm(words.plan.category_ids):
                # "He checks my phone": the person harmed is searching, so programmes for
                # people who harm (specialists too) come after the help for them.
                services = services.annotate(
                    for_people_who_harm=Exists(
                        people_who_harm_service_ids().filter(service_id=OuterRef("pk"))
                    )
                )
                first.insert(0, F("for_people_who_harm").asc())

    # A stale listing (its review went unanswered) comes after fresh ones of equal fit.
    first.append(F("stale_since").asc(nulls_first=True))
    if rank is not None:
        services = services.annotate(rank=rank)
    if query.point is None:
        order: list[Any] = [*first, "-rank", "name"] if rank is not None else [*first, "name"]
    else:
        by_distance = F("distance_miles").asc(nulls_last=True)
        order = [*first, by_distance, *(["-rank"] if rank is not None else []), "name"]
    result.services = services.select_related("organisation").order_by(*order)
    return result


def with_locations(services: QuerySet[Service]) -> QuerySet[Service]:
    """Prefetch each service's locations (one more query) for showing where it is."""
    return services.prefetch_related(
        Prefetch("locations", queryset=Location.objects.order_by("name"))
    )


def service_for_page(slug: str) -> Service | None:
    """A published or temporarily closed service with everything its page shows."""
    return (
        Service.objects.visible()
        .filter(slug=slug)
        .select_related("organisation")
        .prefetch_related(
            Prefetch("locations", queryset=Location.objects.order_by("name")),
            "schedules",
            "contacts",
            Prefetch("categories", queryset=Category.objects.select_related("parent")),
        )
        .first()
    )


def services_by_ids(ids: list[int]) -> list[Service]:
    """Visible services in the order given (My list), skipping any since withdrawn."""
    found = {
        s.pk: s
        for s in with_locations(
            Service.objects.visible().filter(pk__in=ids).select_related("organisation")
        )
    }
    return [found[i] for i in ids if i in found]


# Open data: what the Open Referral UK API (directory/api/) reads ----------------------------
# Everything it serves starts from a visible service (published or temporarily closed): drafts
# and archived services, and the organisations and places only they use, never appear.

METRES_PER_MILE = 1609.344


def api_services() -> QuerySet[Service]:
    """Visible services with everything a served service nests, in name order.

    A page costs five queries whatever its size: the services with their organisations, then
    their places, taxonomy terms, opening times and contacts.
    """
    return (
        Service.objects.visible()
        .select_related("organisation")
        .prefetch_related(
            Prefetch(
                "service_at_locations",
                queryset=ServiceAtLocation.objects.select_related("location").order_by(
                    "location__name", "pk"
                ),
            ),
            Prefetch("categories", queryset=Category.objects.select_related("parent")),
            "schedules",
            "contacts",
        )
        .order_by("name", "pk")
    )


def api_service_at_locations() -> QuerySet[ServiceAtLocation]:
    """Where each visible service is delivered, with the service and the place (one query)."""
    return (
        ServiceAtLocation.objects.filter(service__in=Service.objects.visible())
        .select_related("service", "location")
        .order_by("service__name", "location__name", "pk")
    )


def api_service_at_location(pk: int) -> ServiceAtLocation | None:
    """One service-at-location of a visible service, its service with all it nests."""
    # The service is prefetched, not joined: a joined one would skip its own prefetches.
    return (
        ServiceAtLocation.objects.filter(pk=pk, service__in=Service.objects.visible())
        .select_related("location")
        .prefetch_related(Prefetch("service", queryset=api_services()))
        .first()
    )


def api_organisations() -> QuerySet[Organisation]:
    """Organisations running at least one visible service, `public_services` prefetched."""
    visible = Service.objects.visible()
    return (
        Organisation.objects.filter(Exists(visible.filter(organisation_id=OuterRef("pk"))))
        .prefetch_related(
            Prefetch("services", queryset=visible.order_by("name", "pk"), to_attr="public_services")
        )
        .order_by("name", "pk")
    )


def api_taxonomy_terms() -> QuerySet[Category]:
    """Every category, as the search page lists them: each parent, then its children."""
    # The vocabulary has no draft state of its own: it is the search page's category list.
    return Category.objects.select_related("parent").order_by(
        Coalesce("parent__position", "position"),
        Coalesce("parent__name", "name"),
        F("parent_id").asc(nulls_first=True),
        "position",
        "name",
        "pk",
    )


def api_in_taxonomy_term(rows: QuerySet[Any], term: str, *, service: str = "pk") -> QuerySet[Any]:
    """Rows whose service (reached by the `service` path) has the term, or a child of it.

    A parent term also finds its children's services, as a category does on the search page.
    """
    tagged = ServiceAtCategory.objects.filter(
        service_id=OuterRef(service), category_id__in=category_ids_with_descendants([term])
    )
    return rows.filter(Exists(tagged))


def api_near_postcode(
    rows: QuerySet[ServiceAtLocation], found: PostcodeMatch, metres: float | None
) -> QuerySet[ServiceAtLocation]:
    """Service-at-locations nearest `found` first; within `metres` of it when given.

    Confidential locations are stored rounded (Location.save), so neither the filter nor the
    order can tell anyone more than the rounded point already published.
    """
    distance = Subquery(
        Location.objects.filter(pk=OuterRef("location_id"))
        .annotate(miles=haversine_miles(found.latitude, found.longitude))
        .values("miles")[:1]
    )
    rows = rows.annotate(distance_miles=distance)
    if metres is not None:
        miles = metres / METRES_PER_MILE
        rows = rows.filter(
            bounding_box(found.latitude, found.longitude, miles, prefix="location__"),
            distance_miles__lte=miles,
        )
    return rows.order_by("distance_miles", "service__name", "pk")
