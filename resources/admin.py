"""Editors write guides, news, the alliance's pages and events in /admin/; nothing else.

Permission is by role (like the directory's curators): an editor sees only these models, and
the directory's admin refuses editors. An article's status is never a form field: the list's
actions publish, schedule or unpublish through `resources.services`, which audit each change.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from alliance.models import Role
from resources import services
from resources.forms import ArticleAdminForm, EventAdminForm
from resources.models import Article, Event, Topic
from resources.views import article_context


def _is_editor(request: HttpRequest) -> bool:
    user = request.user
    return bool(
        user.is_active
        and user.is_staff
        and (user.is_superuser or getattr(user, "role", "") == Role.EDITOR)
    )


class EditorAdmin(admin.ModelAdmin):
    """Editors (by role) may see, add and change; only superusers delete."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return _is_editor(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_editor(request)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_editor(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_editor(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_superuser)


class ReviewFilter(admin.SimpleListFilter):
    title = _("review")
    parameter_name = "review"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("overdue", _("Review overdue")), ("none", _("No review date"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Article]) -> QuerySet[Article]:
        if self.value() == "overdue":
            return queryset.filter(review_by__lt=timezone.localdate())
        if self.value() == "none":
            return queryset.filter(review_by__isnull=True)
        return queryset


class StateFilter(admin.SimpleListFilter):
    title = _("state")
    parameter_name = "state"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("draft", _("Draft")), ("scheduled", _("Scheduled")), ("published", _("Published"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Article]) -> QuerySet[Article]:
        now = timezone.now()
        if self.value() == "draft":
            return queryset.filter(status=Article.Status.DRAFT)
        if self.value() == "scheduled":
            return queryset.filter(status=Article.Status.PUBLISHED, publish_at__gt=now)
        if self.value() == "published":
            return queryset.filter(status=Article.Status.PUBLISHED, publish_at__lte=now)
        return queryset


@admin.register(Article)
class ArticleAdmin(EditorAdmin):
    form = ArticleAdminForm
    list_display = ["title", "kind", "language", "state_label", "publish_at", "review_label"]
    list_filter = ["kind", StateFilter, ReviewFilter, "language", "topic"]
    search_fields = ["title", "summary", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    actions = ["publish", "unpublish"]
    readonly_fields = ["state_label", "preview_link"]
    fieldsets = [
        (None, {"fields": ["kind", "title", "slug", "language", "summary", "body"]}),
        (_("Where it shows"), {"fields": ["topic", "audience", "categories"]}),
        (
            _("Publishing"),
            {"fields": ["state_label", "publish_at", "review_by", "preview_link"]},
        ),
    ]

    def view_on_site(self, obj: Article) -> str | None:  # type: ignore[override]
        # Drafts and scheduled articles have no public page yet: the preview link shows them.
        return obj.get_absolute_url() if obj.state() == "published" else None

    @admin.display(description=_("state"))
    def state_label(self, obj: Article) -> str:
        return str(obj.state()).capitalize() if obj.pk else str(_("Draft"))

    @admin.display(description=_("review by"), ordering="review_by")
    def review_label(self, obj: Article) -> str:
        if obj.review_by is None:
            return "—"
        if obj.review_overdue():
            return format_html("<strong>{} ({})</strong>", obj.review_by, _("overdue"))
        return str(obj.review_by)

    @admin.display(description=_("preview"))
    def preview_link(self, obj: Article) -> str:
        if not obj.pk:
            return str(_("Save first, then preview."))
        url = reverse("admin:resources_article_preview", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Preview as the public will see it"))

    def get_urls(self) -> list[URLPattern]:
        preview = path(
            "<int:pk>/preview/",
            self.admin_site.admin_view(self.preview_view),
            name="resources_article_preview",
        )
        return [preview, *super().get_urls()]

    def preview_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        """A draft (or any version) as the public page will show it, for editors only."""
        if not self.has_view_permission(request):
            raise Http404
        article = Article.objects.select_related("topic").filter(pk=pk).first()
        if article is None:
            raise Http404
        template = {
            Article.Kind.GUIDE: "resources/guide.html",
            Article.Kind.NEWS: "resources/news_item.html",
        }.get(article.kind, "resources/page_preview.html")  # type: ignore[call-overload]
        context = {**article_context(article, preview=True), "title": article.title}
        return render(request, template, context)

    def save_model(self, request: HttpRequest, obj: Article, form: Any, change: bool) -> None:
        services.article_save(article=obj, actor=request.user, changed=form.changed_data)  # type: ignore[arg-type]

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        if request.method == "GET" and _is_editor(request):
            overdue = Article.objects.filter(review_by__lt=timezone.localdate()).count()
            if overdue:
                messages.warning(
                    request,
                    ngettext(
                        "%(n)d article is overdue for review: filter by “Review overdue”.",
                        "%(n)d articles are overdue for review: filter by “Review overdue”.",
                        overdue,
                    )
                    % {"n": overdue},
                )
        return super().changelist_view(request, extra_context)

    @admin.action(description=_("Publish (or schedule for its “publish at” time)"))
    def publish(self, request: HttpRequest, queryset: QuerySet[Article]) -> None:
        for article in queryset:
            services.article_publish(article=article, actor=request.user)  # type: ignore[arg-type]
        self.message_user(
            request,
            ngettext(
                "%(n)d article published or scheduled.",
                "%(n)d articles published or scheduled.",
                queryset.count(),
            )
            % {"n": queryset.count()},
            messages.SUCCESS,
        )

    @admin.action(description=_("Unpublish (back to draft)"))
    def unpublish(self, request: HttpRequest, queryset: QuerySet[Article]) -> None:
        for article in queryset:
            services.article_unpublish(article=article, actor=request.user)  # type: ignore[arg-type]
        self.message_user(
            request,
            ngettext(
                "%(n)d article is now a draft.", "%(n)d articles are now drafts.", queryset.count()
            )
            % {"n": queryset.count()},
            messages.SUCCESS,
        )


@admin.register(Topic)
class TopicAdmin(EditorAdmin):
    list_display = ["name", "position"]
    prepopulated_fields = {"slug": ["name"]}
    fields = ["name", "slug", "description", "position"]


@admin.register(Event)
class EventAdmin(EditorAdmin):
    form = EventAdminForm
    list_display = ["title", "starts_at", "place", "online"]
    date_hierarchy = "starts_at"
    search_fields = ["title", "place"]

    def save_model(self, request: HttpRequest, obj: Event, form: Any, change: bool) -> None:
        services.event_save(event=obj, actor=request.user, changed=form.changed_data)  # type: ignore[arg-type]
