"""Guides and news shown on other apps' pages, so those apps never import `resources`.

The home page shows the latest news and some guides; the directory's "no results" page
suggests guides matching the words searched for. Each is one `{% include %}` of a template
that loads these tags (DESIGN.md: `directory` uses neither `referrals` nor `resources`).
"""

from __future__ import annotations

from django import template

from alliance.params import ParamError, parse_text
from resources import selectors
from resources.models import Article

register = template.Library()

HOME_NEWS = 3
HOME_GUIDES = 6


@register.simple_tag
def latest_news(count: int = HOME_NEWS) -> list[Article]:
    """The newest live news posts."""
    return list(selectors.news()[:count])


@register.simple_tag
def featured_guides(count: int = HOME_GUIDES) -> list[Article]:
    """Some live guides for the home page: one from each topic first, in topic order."""
    picked: list[Article] = []
    for _topic, topic_guides in selectors.topics_with_guides():
        if topic_guides:
            picked.append(topic_guides[0])
    return picked[:count]


@register.simple_tag
def suggested_guides(words: object, count: int = selectors.SUGGESTED_GUIDES) -> list[Article]:
    """Live guides with any of the words (for a search that found no services)."""
    try:
        text = parse_text(str(words or ""), name="Words")
    except ParamError:
        return []
    if not text:
        return []
    return list(selectors.search_guides(text, any_word=True)[:count])
