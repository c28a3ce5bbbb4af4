"""Draft, scheduled and published: what the public sees, and when (issue 12 item 1)."""

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from alliance.models import AuditEvent
from resources import services
from resources.models import Article
from tests.resources.factories import DraftGuideFactory, GuideFactory, NewsFactory

pytestmark = pytest.mark.django_db


def test_a_draft_guide_is_not_shown_to_the_public(client: Client) -> None:
    DraftGuideFactory(slug="draft-guide", title="Draft guide")

    assert client.get("/resources/draft-guide/").status_code == 404
    assert "Draft guide" not in client.get("/resources/").content.decode()


def test_publishing_a_draft_shows_it_and_records_who_did_it(client: Client, editor) -> None:  # type: ignore[no-untyped-def]
    guide = DraftGuideFactory(slug="now-live", title="Now live")

    services.article_publish(article=guide, actor=editor)

    assert client.get("/resources/now-live/").status_code == 200
    assert "Now live" in client.get("/resources/").content.decode()
    event = AuditEvent.objects.get(action="resources.article.publish")
    assert event.actor == editor
    assert event.object_id == str(guide.pk)


def test_a_scheduled_post_appears_by_itself_once_due(client: Client, editor) -> None:  # type: ignore[no-untyped-def]
    post = NewsFactory(slug="next-week", title="Next week's news", status=Article.Status.DRAFT)
    due = timezone.now() + timedelta(days=7)

    services.article_publish(article=post, actor=editor, at=due)

    post.refresh_from_db()
    assert post.state() == "scheduled"
    assert AuditEvent.objects.filter(action="resources.article.schedule").count() == 1
    assert client.get("/news/next-week/").status_code == 404
    assert "Next week" not in client.get("/news/").content.decode()
    assert "Next week" not in client.get("/news/feed/").content.decode()
    with time_machine.travel(due + timedelta(minutes=1)):
        assert post.state() == "published"
        assert client.get("/news/next-week/").status_code == 200
        assert "Next week" in client.get("/news/").content.decode()
        assert "Next week" in client.get("/news/feed/").content.decode()


def test_publishing_keeps_a_future_time_the_editor_set_in_the_form(editor) -> None:  # type: ignore[no-untyped-def]
    later = timezone.now() + timedelta(days=3)
    guide = DraftGuideFactory(publish_at=later)

    services.article_publish(article=guide, actor=editor)

    guide.refresh_from_db()
    assert guide.publish_at == later
    assert guide.state() == "scheduled"


def test_publishing_with_a_past_time_in_the_form_publishes_now(editor) -> None:  # type: ignore[no-untyped-def]
    guide = DraftGuideFactory(publish_at=timezone.now() - timedelta(days=30))

    before = timezone.now()
    services.article_publish(article=guide, actor=editor)

    guide.refresh_from_db()
    assert guide.publish_at >= before
    assert guide.state() == "published"


def test_unpublishing_takes_a_guide_off_the_site(client: Client, editor) -> None:  # type: ignore[no-untyped-def]
    guide = GuideFactory(slug="going")

    services.article_unpublish(article=guide, actor=editor)

    assert client.get("/resources/going/").status_code == 404
    assert guide.state() == "draft"
    assert AuditEvent.objects.filter(action="resources.article.unpublish").count() == 1


def test_unpublishing_a_scheduled_post_unschedules_it(client: Client, editor) -> None:  # type: ignore[no-untyped-def]
    due = timezone.now() + timedelta(days=1)
    post = NewsFactory(slug="cancelled", publish_at=due)

    services.article_unpublish(article=post, actor=editor)

    with time_machine.travel(due + timedelta(days=1)):
        assert client.get("/news/cancelled/").status_code == 404


def test_a_naive_publishing_time_is_refused(editor) -> None:  # type: ignore[no-untyped-def]
    guide = DraftGuideFactory()

    with pytest.raises(services.ResourcesError):
        services.article_publish(
            article=guide, actor=editor, at=timezone.now().replace(tzinfo=None)
        )

    guide.refresh_from_db()
    assert guide.status == Article.Status.DRAFT


def test_an_overdue_review_is_reported_only_once_the_date_has_passed() -> None:
    today = timezone.localdate()
    assert Article(review_by=today - timedelta(days=1)).review_overdue()
    assert not Article(review_by=today).review_overdue()
    assert not Article(review_by=None).review_overdue()
