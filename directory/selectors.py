"""Reads of the directory: search, one service, postcodes, the taxonomy. All in PostgreSQL."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.postgres.search import (
    SearchQuery,
    SearchRank,
    SearchVector,
    TrigramWordSimilarity,
)
from django.db.models import (
    Case,
    Exists,
    F,
    FloatField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import ACos, Coalesce, Cos, Greatest, Least, Radians, Sin

from directory.models import (
    Category,
    Location,
    Organisation,
    Postcode,
    Service,
    ServiceAtLocation,
)
from directory.postcodes import parse_postcode
from directory.taxonomy import JOINT_OPTIONS

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


def haversine_miles(lat: float, lng: float, prefix: str = "") -> Any:
    """Great-circle distance in miles from (lat, lng) to a row's latitude/longitude columns
    (a related row's with `prefix`, e.g. "venue__")."""
    lat_r, lng_r = math.radians(lat), math.radians(lng)
    latitude, longitude = F(f"{prefix}latitude"), F(f"{prefix}longitude")
    cosine = Value(math.sin(lat_r)) * Sin(Radians(latitude)) + Value(math.cos(lat_r)) * Cos(
        Radians(latitude)
    ) * Cos(Radians(longitude) - Value(lng_r))
    # Rounding can push the cosine a hair past 1 for the same point; acos would then fail.
    return ACos(Greatest(Value(-1.0), Least(Value(1.0), cosine))) * Value(EARTH_RADIUS_MILES)


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


def _text_filter(text: str, *, near_a_point: bool) -> tuple[Q, SearchQuery]:
    """Services whose words match, or that sit in a category whose name matches.

    With no place given, the words drive the search: the two sets are unioned in a subquery
    rather than OR-ed row by row, so PostgreSQL reads the GIN index on `search_vector` instead
    of testing every service. Near a place, the location index finds the few services nearby
    and each is tested row by row: building the whole set of services that match a common
    word would cost in proportion to the directory's size (bench/search.py).
    """
    query = SearchQuery(websearch_words(text), search_type="websearch", config=TEXT_CONFIG)
    matching_categories = (
        Category.objects.annotate(category_vector=SearchVector("name", config=TEXT_CONFIG))
        .filter(category_vector=query)
        .values("pk")
    )
    if near_a_point:
        in_matching_category = ServiceAtCategory.objects.filter(
            Q(category__in=matching_categories) | Q(category__parent__in=matching_categories),
            service=OuterRef("pk"),
        )
        return Q(search_vector=query) | Q(Exists(in_matching_category)), query
    # order_by(): the model's default ordering would make PostgreSQL sort each half by name.
    by_words = Service.objects.filter(search_vector=query).order_by().values("pk")
    by_category = ServiceAtCategory.objects.filter(
        Q(category__in=matching_categories) | Q(category__parent__in=matching_categories)
    ).values("service_id")
    return Q(pk__in=by_words.union(by_category)), query  # type: ignore[arg-type]


def _words_match_anything(query: SearchQuery) -> bool:
    matching_categories = Category.objects.annotate(
        category_vector=SearchVector("name", config=TEXT_CONFIG)
    ).filter(category_vector=query)
    return (
        Service.objects.listed().filter(search_vector=query).exists()
        or matching_categories.exists()
    )


def _trigram_filter(text: str) -> Q:
    # `%>`: the query is word-similar to some word of the name (pg_trgm GIN index).
    by_name = Service.objects.filter(name__trigram_word_similar=text).order_by().values("pk")
    by_category = ServiceAtCategory.objects.filter(
        Q(category__name__trigram_word_similar=text)
        | Q(category__parent__name__trigram_word_similar=text)
    ).values("service_id")
    return Q(pk__in=by_name.union(by_category))  # type: ignore[arg-type]


def search_services(query: ServiceQuery) -> QuerySet[Service]:
    """Published services matching the query, with `distance_miles` and nearest first.

    Rules (issue 3): words use English stemming, name weighted above summary and description,
    and a category's name matches its services; when no service matches the words, trigram
    similarity on names finds typos ("mediaton"). A parent category includes its children.
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

    rank: SearchRank | TrigramWordSimilarity | None = None
    text = query.text.strip()
    if text:
        near = query.point is not None and query.radius_miles is not None
        text_q, search_query = _text_filter(text, near_a_point=near)
        # The typo fallback is for words that match nothing in the directory at all; asked
        # of the whole directory, this reads the GIN index and stops at the first match.
        if _words_match_anything(search_query):
            services = services.filter(text_q)
            rank = SearchRank(F("search_vector"), search_query)
        else:
            services = services.filter(_trigram_filter(text))
            rank = TrigramWordSimilarity(text, "name")

    if query.point is None:
        services = services.annotate(distance_miles=Value(None, output_field=FloatField()))
        order: list[Any] = ["name"]
    else:
        lat, lng = query.point
        nearest = (
            Location.objects.filter(service_at_locations__service=OuterRef("pk"))
            .annotate(miles=haversine_miles(lat, lng))
            .order_by("miles")
            .values("miles")[:1]
        )
        services = services.annotate(
            distance_miles=Case(
                When(_area_wide(), then=Value(None, output_field=FloatField())),
                default=Subquery(nearest, output_field=FloatField()),
                output_field=FloatField(),
            )
        )
        if query.radius_miles is not None:
            # The box is indexed (location_lat_lng_idx): only nearby locations are measured.
            nearby = ServiceAtLocation.objects.filter(
                bounding_box(lat, lng, query.radius_miles, prefix="location__")
            ).values("service_id")
            # A union, not an OR, so both halves are read through their indexes.
            candidates = Service.objects.filter(_area_wide()).order_by().values("pk").union(nearby)  # type: ignore[arg-type]
            services = services.filter(pk__in=candidates).filter(
                _area_wide() | Q(distance_miles__lte=query.radius_miles)
            )
        # A service that only covers so many miles around its base does not serve you beyond.
        services = services.filter(
            _area_wide()
            | Q(area_radius_miles__isnull=True)
            | Q(distance_miles__lte=F("area_radius_miles"))
        )
        order = [F("distance_miles").asc(nulls_last=True), "name"]

    if rank is not None:
        services = services.annotate(rank=rank)
        order = [*order[:-1], "-rank", "name"] if query.point else ["-rank", "name"]
    return services.select_related("organisation").order_by(*order)


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
