"""The demo's guides, news, pages and events for `seed_demo`: files under `resources/seed/`.

    seed/guides/<slug>.md            seed/news/<yyyy-mm-dd>-<slug>.md
    seed/pages/<slug>.md (about, standards, practitioners)     seed/events.toml

Each Markdown file opens with TOML front matter between two `+++` lines. The files are data
only: they are written through `resources.services` like an editor's change (so each is
audited), keyed by kind, slug and language, so a second load changes nothing; where an article
was edited since, the file wins (as the directory's demo does). A missing folder or file is
simply nothing to load. A mistake in a file stops the load with the file's name and why.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.management.base import CommandError
from django.utils.text import slugify

from directory.taxonomy import CategoryCode
from resources import services
from resources.models import (
    ARTICLE_LANGUAGES,
    BODY_MAX_LENGTH,
    SLUG_MAX_LENGTH,
    SUMMARY_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    Article,
    Audience,
    Event,
    PageSlug,
    Topic,
)

SEED_DIR = Path(__file__).resolve().parent / "seed"
# The guides page's topics, in order (the editors own their names after the first load).
TOPICS = (
    "Agreeing arrangements",
    "Going to court",
    "Safety",
    "Children",
    "Money",
    "Looking after yourself",
    "Young people",
)
# News dated in a file is published at nine in the morning, local time, that day.
NEWS_HOUR = time(9, 0)
_LANGUAGES = {code for code, _ in ARTICLE_LANGUAGES}
_AUDIENCES = {code for code, _ in Audience.choices}
_CATEGORIES = {code for code, _ in CategoryCode.choices}
_KEYS = frozenset(
    {"title", "summary", "topic", "audience", "categories", "review_by", "published", "language"}
)
_EVENT_KEYS = frozenset(
    {"title", "starts_at", "ends_at", "place", "online", "booking_url", "summary", "audience"}
)


class SeedError(ValueError):
    """A seed file that cannot be loaded; the message names the file and the problem."""


@dataclass(frozen=True)
class SeedArticle:
    kind: str
    slug: str
    language: str
    fields: dict[str, Any]
    topic: str | None
    published: date | None


def split_front_matter(text: str, *, name: str) -> tuple[dict[str, Any], str]:
    """The TOML between the first two `+++` lines, and the Markdown after them."""
    lines = text.lstrip("\ufeff").splitlines(keepends=True)
    if not lines or lines[0].strip() != "+++":
        raise SeedError(f"{name}: the first line must be +++ (TOML front matter).")
    for index, line in enumerate(lines[1:], start=1):
        if line.strip() == "+++":
            try:
                meta = tomllib.loads("".join(lines[1:index]))
            except tomllib.TOMLDecodeError as exc:
                raise SeedError(f"{name}: the front matter is not valid TOML: {exc}") from exc
            return meta, "".join(lines[index + 1 :]).strip() + "\n"
    raise SeedError(f"{name}: the front matter has no closing +++ line.")


def _text(meta: dict[str, Any], key: str, name: str, limit: int, *, required: bool = True) -> str:
    value = meta.get(key, "")
    if not isinstance(value, str) or (required and not value.strip()):
        raise SeedError(f"{name}: {key} must be some text.")
    if len(value) > limit:
        raise SeedError(f"{name}: {key} is longer than {limit} characters.")
    return value.strip()


def _codes(meta: dict[str, Any], key: str, name: str, allowed: set[str]) -> list[str]:
    value = meta.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise SeedError(f"{name}: {key} must be a list of words.")
    unknown = sorted(set(value) - allowed)
    if unknown:
        raise SeedError(f"{name}: {key} has codes this portal does not know: {unknown}.")
    return list(dict.fromkeys(value))


def _date(meta: dict[str, Any], key: str, name: str) -> date | None:
    value = meta.get(key)
    if value is None:
        return None
    if isinstance(value, datetime) or not isinstance(value, date):
        raise SeedError(f"{name}: {key} must be a date like 2026-05-01.")
    return value


def parse_article(path: Path, *, kind: str) -> SeedArticle:
    """One guide, news post or page file, checked: every limit an editor's form has."""
    name = f"{path.parent.name}/{path.name}"
    meta, body = split_front_matter(path.read_text(encoding="utf-8"), name=name)
    unknown = sorted(set(meta) - _KEYS)
    if unknown:
        raise SeedError(f"{name}: front matter keys this loader does not know: {unknown}.")
    slug = path.stem
    published = _date(meta, "published", name)
    if kind == Article.Kind.NEWS:
        day, _, rest = slug[:10], slug[10:11], slug[11:]
        try:
            file_day = date.fromisoformat(day)
        except ValueError:
            raise SeedError(f"{name}: a news file is named <yyyy-mm-dd>-<slug>.md.") from None
        slug, published = rest, published or file_day
    elif published is not None:
        raise SeedError(f"{name}: only news has a published date.")
    if slug != slugify(slug) or not slug or len(slug) > SLUG_MAX_LENGTH:
        raise SeedError(f"{name}: the file name must be a slug (a-z, 0-9 and -).")
    if kind == Article.Kind.PAGE and slug not in PageSlug.values:
        raise SeedError(f"{name}: pages are {sorted(PageSlug.values)}.")
    language = meta.get("language", "en")
    if language not in _LANGUAGES:
        raise SeedError(f"{name}: language {language!r} is not one this portal knows.")
    if len(body) > BODY_MAX_LENGTH:
        raise SeedError(f"{name}: the body is longer than {BODY_MAX_LENGTH} characters.")
    topic = meta.get("topic")
    if kind == Article.Kind.GUIDE:
        if topic not in TOPICS:
            raise SeedError(f"{name}: topic must be one of {list(TOPICS)}.")
    elif topic is not None:
        raise SeedError(f"{name}: only guides have a topic.")
    fields = {
        "title": _text(meta, "title", name, TITLE_MAX_LENGTH),
        "summary": _text(meta, "summary", name, SUMMARY_MAX_LENGTH),
        "body": body,
        "audience": _codes(meta, "audience", name, _AUDIENCES),
        "categories": _codes(meta, "categories", name, _CATEGORIES),
        "review_by": _date(meta, "review_by", name),
    }
    return SeedArticle(kind, slug, language, fields, topic, published)


def _aware(value: Any, key: str, name: str) -> datetime:
    if not isinstance(value, datetime) or value.tzinfo is None:
        raise SeedError(f"{name}: {key} must be a date and time with an offset.")
    return value


def parse_events(path: Path) -> list[dict[str, Any]]:
    """The `[[event]]` tables of events.toml, checked."""
    name = path.name
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise SeedError(f"{name}: not valid TOML: {exc}") from exc
    unknown = sorted(set(data) - {"event"})
    if unknown:
        raise SeedError(f"{name}: tables this loader does not know: {unknown}.")
    events = []
    for number, spec in enumerate(data.get("event", []), start=1):
        label = f"{name} event {number}"
        keys = _EVENT_KEYS
        if set(spec) - keys:
            raise SeedError(f"{label}: keys this loader does not know: {sorted(set(spec) - keys)}.")
        audience = spec.get("audience", Audience.PRACTITIONERS)
        if audience not in _AUDIENCES:
            raise SeedError(f"{label}: audience {audience!r} is not known.")
        events.append(
            {
                "title": _text(spec, "title", label, TITLE_MAX_LENGTH),
                "summary": _text(spec, "summary", label, SUMMARY_MAX_LENGTH, required=False),
                "starts_at": _aware(spec.get("starts_at"), "starts_at", label),
                "ends_at": _aware(spec.get("ends_at"), "ends_at", label),
                "place": _text(spec, "place", label, 200, required=False),
                "online": bool(spec.get("online", False)),
                "booking_url": _text(spec, "booking_url", label, 500, required=False),
                "audience": audience,
            }
        )
    return events


def load(directory: Path = SEED_DIR) -> dict[str, int]:
    """Load every seed file under `directory`; returns how many of each were changed."""
    topics: dict[str, Topic] = {}
    for position, topic_name in enumerate(TOPICS):
        topics[topic_name] = services.topic_ensure(
            name=topic_name, slug=slugify(topic_name), position=position
        )
    changed = {"guides": 0, "news": 0, "pages": 0, "events": 0}
    zone = ZoneInfo(settings.TIME_ZONE)
    for folder, kind in (
        ("guides", Article.Kind.GUIDE),
        ("news", Article.Kind.NEWS),
        ("pages", Article.Kind.PAGE),
    ):
        for path in sorted((directory / folder).glob("*.md")):
            seed = parse_article(path, kind=kind)
            fields = dict(seed.fields)
            fields["topic"] = topics[seed.topic] if seed.topic else None
            publish_at = (
                datetime.combine(seed.published, NEWS_HOUR, tzinfo=zone) if seed.published else None
            )
            try:
                _, was_changed = services.article_upsert(
                    actor=None,
                    kind=seed.kind,
                    slug=seed.slug,
                    language=seed.language,
                    fields=fields,
                    publish_at=publish_at,
                )
            except Exception as exc:  # a model check the parser missed: name the file
                raise SeedError(f"{folder}/{path.name}: {exc}") from exc
            changed[folder] += was_changed
    events_file = directory / "events.toml"
    if events_file.exists():
        for fields in parse_events(events_file):
            try:
                _, was_changed = services.event_upsert(actor=None, fields=fields)
            except Exception as exc:
                raise SeedError(f"events.toml {fields['title']!r}: {exc}") from exc
            changed["events"] += was_changed
    return changed


def seed(stdout: Any) -> None:
    """Load `resources/seed/` (nothing there: nothing to do); running it twice changes nothing."""
    try:
        changed = load(SEED_DIR)
    except SeedError as exc:
        raise CommandError(str(exc)) from exc
    live = Article.objects.live()
    stdout.write(
        f"Resources: {live.filter(kind=Article.Kind.GUIDE).count()} guides, "
        f"{live.filter(kind=Article.Kind.NEWS).count()} news posts, "
        f"{live.filter(kind=Article.Kind.PAGE).count()} pages, {Event.objects.count()} events "
        f"({sum(changed.values())} changed by this load)."
    )
