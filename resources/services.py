"""Every change to guides, news, pages and events: checked, written and audited in one go.

Publishing is a state, not a task: `article_publish` marks an article published from a time
(now, or a future time that schedules it), and the public selectors show only articles whose
time has come. So a scheduled post appears on time with no worker or beat running.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from alliance.models import User
from alliance.services import audit_record
from resources.models import Article, Event, Topic


class ResourcesError(Exception):
    """A change that cannot be made; the message says why in plain words."""


def _audit(actor: User | None, action: str, article: Article, **detail: object) -> None:
    audit_record(
        actor=actor,
        action=f"resources.article.{action}",
        object_type="resources.article",
        object_id=article.pk,
        detail={"kind": article.kind, "slug": article.slug, "language": article.language, **detail},
    )


@transaction.atomic
def article_save(*, article: Article, actor: User | None, changed: Iterable[str] = ()) -> Article:
    """Save an editor's edit of an article's words and settings (never its status)."""
    created = article.pk is None
    if article.status == Article.Status.PUBLISHED and article.publish_at is None:
        # An editor who empties "publish at" on a live article means "as it is", not
        # "take it down": the public reads need a time (unpublishing is its own action).
        article.publish_at = timezone.now()
    article.full_clean()
    article.save()
    _audit(actor, "create" if created else "change", article, fields=sorted(changed))
    return article


@transaction.atomic
def article_publish(*, article: Article, actor: User | None, at: datetime | None = None) -> Article:
    """Publish an article now, or schedule it for `at` (or its own future `publish_at`).

    A scheduled article is published but not yet due; the public lists filter by time.
    """
    now = timezone.now()
    if at is None:
        at = article.publish_at if article.publish_at and article.publish_at > now else now
    if timezone.is_naive(at):
        raise ResourcesError("A publishing time needs a time zone.")
    locked = Article.objects.select_for_update().get(pk=article.pk)
    locked.status = Article.Status.PUBLISHED
    locked.publish_at = at
    locked.save(update_fields=["status", "publish_at", "updated_at"])
    _audit(actor, "schedule" if at > now else "publish", locked, at=at.isoformat())
    article.status, article.publish_at = locked.status, locked.publish_at
    return locked


@transaction.atomic
def article_unpublish(*, article: Article, actor: User | None) -> Article:
    """Take an article off the site (back to a draft); a scheduled one is unscheduled."""
    locked = Article.objects.select_for_update().get(pk=article.pk)
    if locked.status == Article.Status.DRAFT:
        return locked
    locked.status = Article.Status.DRAFT
    locked.save(update_fields=["status", "updated_at"])
    _audit(actor, "unpublish", locked)
    article.status = locked.status
    return locked


@transaction.atomic
def article_upsert(
    *,
    actor: User | None,
    kind: str,
    slug: str,
    language: str,
    fields: dict[str, object],
    publish_at: datetime | None,
) -> tuple[Article, bool]:
    """Create or update an article from a file (the demo seed): the file wins.

    Returns the article and whether anything changed, so a second load writes nothing.
    """
    article = (
        Article.objects.select_for_update().filter(kind=kind, slug=slug, language=language).first()
    )
    created = article is None
    if article is None:
        article = Article(kind=kind, slug=slug, language=language)
    changed = [name for name, value in fields.items() if getattr(article, name) != value]
    for name in changed:
        setattr(article, name, fields[name])
    if created or changed:
        article_save(article=article, actor=actor, changed=changed)
    if article.status != Article.Status.PUBLISHED:
        article_publish(article=article, actor=actor, at=publish_at or timezone.now())
        changed.append("status")
    elif publish_at is not None and article.publish_at != publish_at:
        article_publish(article=article, actor=actor, at=publish_at)
        changed.append("publish_at")
    return article, created or bool(changed)


@transaction.atomic
def topic_ensure(*, name: str, slug: str, position: int) -> Topic:
    """The topic with this slug, created if missing (its name is the editors' after that)."""
    topic, _ = Topic.objects.get_or_create(slug=slug, defaults={"name": name, "position": position})
    return topic


@transaction.atomic
def event_upsert(*, actor: User | None, fields: dict[str, object]) -> tuple[Event, bool]:
    """Create or update an event keyed by its title and start; returns whether it changed."""
    event = (
        Event.objects.select_for_update()
        .filter(title=str(fields["title"]), starts_at=fields["starts_at"])  # type: ignore[misc]
        .first()
    )
    created = event is None
    if event is None:
        event = Event()
    changed = [name for name, value in fields.items() if getattr(event, name) != value]
    if not (created or changed):
        return event, False
    for name in changed:
        setattr(event, name, fields[name])
    event.full_clean()
    event.save()
    audit_record(
        actor=actor,
        action="resources.event.create" if created else "resources.event.change",
        object_type="resources.event",
        object_id=event.pk,
        detail={"fields": sorted(changed)},
    )
    return event, True


@transaction.atomic
def event_save(*, event: Event, actor: User | None, changed: Iterable[str] = ()) -> Event:
    """Save an editor's edit of an event."""
    created = event.pk is None
    event.full_clean()
    event.save()
    audit_record(
        actor=actor,
        action="resources.event.create" if created else "resources.event.change",
        object_type="resources.event",
        object_id=event.pk,
        detail={"fields": sorted(changed)},
    )
    return event
