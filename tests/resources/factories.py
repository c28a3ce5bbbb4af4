"""One factory per lifecycle state of an article: draft, published, scheduled."""

from __future__ import annotations

from datetime import timedelta

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from resources.models import Article, Event, Topic


class TopicFactory(DjangoModelFactory):
    class Meta:
        model = Topic
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Topic {n}")
    slug = factory.Sequence(lambda n: f"topic-{n}")


class DraftGuideFactory(DjangoModelFactory):
    class Meta:
        model = Article

    kind = Article.Kind.GUIDE
    title = factory.Sequence(lambda n: f"Guide {n}")
    slug = factory.Sequence(lambda n: f"guide-{n}")
    summary = "What you can do next."
    body = "## What it is\n\nA plain guide."
    status = Article.Status.DRAFT
    audience = factory.LazyFunction(lambda: ["parents"])


class GuideFactory(DraftGuideFactory):
    """A published guide, due since yesterday."""

    status = Article.Status.PUBLISHED
    publish_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))


class ScheduledGuideFactory(GuideFactory):
    publish_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=2))


class NewsFactory(GuideFactory):
    kind = Article.Kind.NEWS
    title = factory.Sequence(lambda n: f"News {n}")
    slug = factory.Sequence(lambda n: f"news-{n}")


class PageFactory(GuideFactory):
    kind = Article.Kind.PAGE


class EventFactory(DjangoModelFactory):
    class Meta:
        model = Event

    title = factory.Sequence(lambda n: f"Training {n}")
    summary = "For practitioners."
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=10))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=2))
    place = "City Hall"
    booking_url = "https://example.org/book"
