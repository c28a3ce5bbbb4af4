"""Guides, news and the alliance's pages: thin views over resources.selectors."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from alliance.params import ParamError, parse_int
from directory.taxonomy import JOINT_OPTIONS
from resources import selectors
from resources.content import markdown_to_html
from resources.forms import GuideSearchForm
from resources.models import ARTICLE_LANGUAGES, DEFAULT_LANGUAGE, Article, PageSlug

NEWS_PER_PAGE = 10
_LANGUAGE_CODES = frozenset(code for code, _ in ARTICLE_LANGUAGES)


def article_context(article: Article, *, preview: bool = False) -> dict[str, object]:
    """What the article template needs: the safe body, language versions, local services."""
    versions = [] if preview else selectors.language_versions(article)
    return {
        "article": article,
        "body": markdown_to_html(article.body),
        "versions": versions if len(versions) > 1 else [],
        "related_services": selectors.related_services(article.categories),
        # Mediation and the like are not safe for everyone (DESIGN.md rule 5): say so by them.
        "joint_options": bool(JOINT_OPTIONS.intersection(article.categories)),
        "preview": preview,
    }


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """The guides by topic, or the guides matching the words searched for."""
    form = GuideSearchForm(request.GET)
    words = form.cleaned_data["q"] if form.is_valid() else ""
    context: dict[str, object] = {"form": form, "words": words}
    if words:
        context["results"] = list(selectors.search_guides(words)[:50])
    else:
        context["topics"] = selectors.topics_with_guides()
    return render(request, "resources/index.html", context)


@require_GET
def guide_language(request: HttpRequest, slug: str, language: str) -> HttpResponse:
    """A guide's version in another language; the English one has the plain address."""
    if language == DEFAULT_LANGUAGE:
        return redirect("resources:guide", slug=slug, permanent=True)
    return guide(request, slug, language)


@require_GET
def guide(request: HttpRequest, slug: str, language: str = DEFAULT_LANGUAGE) -> HttpResponse:
    if language not in _LANGUAGE_CODES:
        raise Http404
    article = selectors.article_for_page(kind=Article.Kind.GUIDE, slug=slug, language=language)
    if article is None:
        raise Http404
    return render(request, "resources/guide.html", article_context(article))


@require_GET
def news_list(request: HttpRequest) -> HttpResponse:
    try:
        number = parse_int(request.GET.get("page"), name="Page", default=1, min_value=1)
    except ParamError:
        number = 1
    paginator = Paginator(selectors.news(), NEWS_PER_PAGE)
    page = paginator.get_page(number)
    return render(request, "resources/news_list.html", {"page": page, "paginator": paginator})


@require_GET
def news_item(request: HttpRequest, slug: str) -> HttpResponse:
    article = selectors.article_for_page(kind=Article.Kind.NEWS, slug=slug)
    if article is None:
        raise Http404
    return render(request, "resources/news_item.html", article_context(article))


def _page_context(slug: PageSlug) -> dict[str, object]:
    """The page's words if an editor has published them; the directory's part shows anyway,
    so the menu's links never lead to a missing page."""
    article = selectors.article_for_page(kind=Article.Kind.PAGE, slug=slug)
    if article is None:
        return {"article": None, "title": slug.label, "related_services": []}
    return {**article_context(article), "title": article.title}


@require_GET
def about(request: HttpRequest) -> HttpResponse:
    context = _page_context(PageSlug.ABOUT)
    context["partners"] = selectors.partner_organisations()
    return render(request, "resources/about.html", context)


@require_GET
def standards(request: HttpRequest) -> HttpResponse:
    context = _page_context(PageSlug.STANDARDS)
    context["standards"] = selectors.services_meeting_standards()
    return render(request, "resources/standards.html", context)


@require_GET
def practitioners(request: HttpRequest) -> HttpResponse:
    context = _page_context(PageSlug.PRACTITIONERS)
    context["events"] = list(selectors.upcoming_events()[:20])
    context["tools"] = list(selectors.practitioner_tools())
    return render(request, "resources/practitioners.html", context)
