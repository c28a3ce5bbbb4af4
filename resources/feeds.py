"""The alliance's news as an Atom feed (django.contrib.syndication)."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from resources import selectors
from resources.models import Article

FEED_ITEMS = 20


class NewsFeed(Feed):  # type: ignore[type-arg]
    feed_type = Atom1Feed

    def title(self) -> str:
        return f"{settings.ALLIANCE_SHORT_NAME}: latest news"

    def subtitle(self) -> str:
        return f"News from the {settings.ALLIANCE_NAME}."

    def link(self) -> str:
        return reverse("resources:news")

    def items(self) -> list[Article]:
        return list(selectors.news()[:FEED_ITEMS])

    def item_title(self, item: Article) -> str:
        return item.title

    def item_description(self, item: Article) -> str:
        # The summary only: the feed carries plain words, the page carries the article.
        return item.summary

    def item_link(self, item: Article) -> str:
        return item.get_absolute_url()

    def item_pubdate(self, item: Article) -> datetime | None:
        return item.publish_at

    def item_updateddate(self, item: Article) -> datetime:
        return max(item.updated_at, item.publish_at or item.updated_at)
