"""The guides search box (read from the query string) and the editors' admin forms."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from alliance.params import MAX_TEXT_LENGTH, StrictCharField, StrictIntegerField
from directory.taxonomy import CategoryCode
from resources.models import Article, Audience, Event, PageSlug


class GuideSearchForm(forms.Form):
    q = StrictCharField(label=_("Search the guides"), max_length=MAX_TEXT_LENGTH, required=False)


class PageForm(forms.Form):
    page = StrictIntegerField(label=_("Page"), min_value=1, max_value=10_000, required=False)


def _checkboxes(label: Any, choices: Any) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=label, choices=choices, widget=forms.CheckboxSelectMultiple, required=False
    )


class ArticleAdminForm(forms.ModelForm):
    """Audience and categories as checkboxes; every text field bounded and single-line."""

    audience = _checkboxes(_("Audience"), Audience.choices)
    categories = _checkboxes(_("Related directory categories"), CategoryCode.choices)

    class Meta:
        model = Article
        fields = [
            "kind",
            "title",
            "slug",
            "language",
            "summary",
            "body",
            "topic",
            "audience",
            "categories",
            "publish_at",
            "review_by",
        ]
        widgets = {"body": forms.Textarea(attrs={"rows": 30})}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind, slug = data.get("kind"), data.get("slug")
        if kind == Article.Kind.PAGE and slug and slug not in PageSlug.values:
            # Each of the alliance's pages has its own address; any other slug has none.
            self.add_error("slug", _("A page's slug is one of: %s.") % ", ".join(PageSlug.values))
        if kind != Article.Kind.GUIDE and data.get("topic"):
            self.add_error("topic", _("Only guides have a topic."))
        return data


class EventAdminForm(forms.ModelForm):
    booking_url = forms.URLField(
        label=_("booking link"), required=False, assume_scheme="https", max_length=500
    )

    class Meta:
        model = Event
        fields = ["title", "summary", "starts_at", "ends_at", "place", "online", "booking_url"]
