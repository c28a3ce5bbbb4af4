"""Guides, news and the alliance's own pages (one `Article` model), their topics, and events.

An article is a draft or published; a published one whose `publish_at` is still in the future
is *scheduled*: the public selectors filter by time, so it appears once due with no task to run.
Language versions of one article share its kind and slug and differ in `language`.
Related directory categories are stored as the taxonomy's stable codes (directory/taxonomy.py),
never names, so a curator renaming a category does not cut a guide off from its services.
"""

from __future__ import annotations

from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alliance.params import has_control_characters
from directory.languages import LANGUAGE_CHOICES
from directory.taxonomy import CategoryCode
from resources.content import MAX_MARKDOWN_LENGTH

# Bounded so a paste cannot make a page (or the admin) unusable; well above a long guide
# (the longest demo guide is about 12,000 characters).
BODY_MAX_LENGTH = 40_000
if BODY_MAX_LENGTH > MAX_MARKDOWN_LENGTH:  # pragma: no cover - a mistake in this file
    raise ImproperlyConfigured("A body the form accepts must be one content.py can render.")
TITLE_MAX_LENGTH = 120
SUMMARY_MAX_LENGTH = 300
SLUG_MAX_LENGTH = 80
# Written right to left: the page sets dir="rtl" on these versions.
RTL_LANGUAGES = frozenset({"ar", "fa", "ku", "ur"})
# Sign language has no written version.
ARTICLE_LANGUAGES = [(code, label) for code, label in LANGUAGE_CHOICES if code != "bsl"]
DEFAULT_LANGUAGE = "en"


def validate_single_line(value: str) -> None:
    """No control characters (NUL, newline, escape…): PostgreSQL refuses NUL in text."""
    if has_control_characters(value):
        raise ValidationError(_("Remove line breaks and other control characters."))


def validate_body_text(value: str) -> None:
    """Line breaks and tabs are Markdown; other control characters (NUL…) are refused."""
    if has_control_characters(value.replace("\n", "").replace("\r", "").replace("\t", "")):
        raise ValidationError(_("Remove control characters (such as NUL) from the text."))


class Audience(models.TextChoices):
    PARENTS = "parents", _("Parents and carers")
    YOUNG_PEOPLE = "young_people", _("Young people")
    PRACTITIONERS = "practitioners", _("Practitioners")


class Topic(models.Model):
    """A group of guides on the guides page, such as "Going to court"."""

    name = models.CharField(_("name"), max_length=80, validators=[validate_single_line])
    slug = models.SlugField(_("slug"), max_length=SLUG_MAX_LENGTH, unique=True)
    description = models.CharField(
        _("description"),
        max_length=SUMMARY_MAX_LENGTH,
        blank=True,
        validators=[validate_single_line],
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("topic")

    def __str__(self) -> str:
        return self.name


class ArticleQuerySet(models.QuerySet["Article"]):
    def live(self, *, now: object = None) -> ArticleQuerySet:
        """Published and due: what the public may read (scheduled ones appear once due)."""
        return self.filter(status=Article.Status.PUBLISHED, publish_at__lte=now or timezone.now())


class Article(models.Model):
    """A guide, a news post or one of the alliance's pages, written in Markdown."""

    class Kind(models.TextChoices):
        GUIDE = "guide", _("Guide")
        NEWS = "news", _("News")
        PAGE = "page", _("Page")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.GUIDE)
    slug = models.SlugField(
        _("slug"),
        max_length=SLUG_MAX_LENGTH,
        help_text=_("The last part of the page's address. Versions in other languages share it."),
    )
    language = models.CharField(
        _("language"), max_length=5, choices=ARTICLE_LANGUAGES, default=DEFAULT_LANGUAGE
    )
    title = models.CharField(
        _("title"), max_length=TITLE_MAX_LENGTH, validators=[validate_single_line]
    )
    summary = models.CharField(
        _("summary"),
        max_length=SUMMARY_MAX_LENGTH,
        validators=[validate_single_line],
        help_text=_("One sentence, shown in lists and search results."),
    )
    body = models.TextField(
        _("body"),
        max_length=BODY_MAX_LENGTH,
        validators=[MaxLengthValidator(BODY_MAX_LENGTH), validate_body_text],
        help_text=_(
            "Markdown: ## for a heading, - for a list, [words](https://…) for a link. "
            "Scripts, styles, frames and images are removed."
        ),
    )
    topic = models.ForeignKey(
        Topic,
        verbose_name=_("topic"),
        null=True,
        blank=True,
        related_name="articles",
        on_delete=models.PROTECT,
    )
    audience = ArrayField(
        models.CharField(max_length=20, choices=Audience.choices),
        verbose_name=_("audience"),
        default=list,
        blank=True,
        size=len(Audience.choices),
    )
    categories = ArrayField(
        models.CharField(max_length=40, choices=CategoryCode.choices),
        verbose_name=_("related directory categories"),
        default=list,
        blank=True,
        size=len(CategoryCode.choices),
        help_text=_("The guide lists local services in these categories."),
    )
    # Not a form field: changed only through resources.services (publish, unpublish).
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT, editable=False
    )
    publish_at = models.DateTimeField(
        _("publish at"),
        null=True,
        blank=True,
        help_text=_(
            "Leave empty to publish straight away. A time in the future schedules it: "
            "it appears by itself at that time."
        ),
    )
    review_by = models.DateField(
        _("review by"), null=True, blank=True, help_text=_("When an editor should check it again.")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "title"]
        verbose_name = _("article")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "slug", "language"], name="resources_article_slug_per_language"
            )
        ]
        indexes = [models.Index(fields=["kind", "status", "publish_at"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        if self.kind == self.Kind.NEWS:
            return reverse("resources:news-item", args=[self.slug])
        if self.kind == self.Kind.PAGE:
            return reverse(PAGE_URL_NAMES.get(self.slug, "resources:index"))
        if self.language != DEFAULT_LANGUAGE:
            return reverse("resources:guide-language", args=[self.slug, self.language])
        return reverse("resources:guide", args=[self.slug])

    @property
    def is_rtl(self) -> bool:
        return self.language in RTL_LANGUAGES

    def state(self, now: object = None) -> str:
        """draft, scheduled or published (a published article not yet due is scheduled)."""
        if self.status != self.Status.PUBLISHED:
            return "draft"
        if self.publish_at is not None and self.publish_at > (now or timezone.now()):  # type: ignore[operator]
            return "scheduled"
        return "published"

    def review_overdue(self, today: object = None) -> bool:
        return self.review_by is not None and self.review_by < (today or timezone.localdate())  # type: ignore[operator]


class PageSlug(models.TextChoices):
    ABOUT = "about", _("About the alliance")
    STANDARDS = "standards", _("Standards")
    PRACTITIONERS = "practitioners", _("For practitioners")


# The alliance's pages each have their own address (DESIGN.md's stable public contract).
PAGE_URL_NAMES: dict[str, str] = {
    PageSlug.ABOUT: "resources:about",
    PageSlug.STANDARDS: "resources:standards",
    PageSlug.PRACTITIONERS: "resources:practitioners",
}


class Event(models.Model):
    """A training session or event for practitioners: when, where (or online), how to book."""

    title = models.CharField(
        _("title"), max_length=TITLE_MAX_LENGTH, validators=[validate_single_line]
    )
    summary = models.CharField(
        _("summary"), max_length=SUMMARY_MAX_LENGTH, blank=True, validators=[validate_single_line]
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    place = models.CharField(
        _("place"), max_length=200, blank=True, validators=[validate_single_line]
    )
    online = models.BooleanField(_("online"), default=False)
    booking_url = models.URLField(_("booking link"), max_length=500, blank=True)
    audience = models.CharField(
        _("audience"), max_length=20, choices=Audience.choices, default=Audience.PRACTITIONERS
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_at", "title"]
        verbose_name = _("event")
        constraints = [
            models.UniqueConstraint(fields=["title", "starts_at"], name="resources_event_once"),
            models.CheckConstraint(
                condition=models.Q(ends_at__gte=models.F("starts_at")),
                name="resources_event_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.starts_at and self.ends_at and self.ends_at < self.starts_at:
            raise ValidationError({"ends_at": _("The end must be after the start.")})
        if not self.online and not self.place:
            raise ValidationError({"place": _("Give a place, or tick online.")})


# The parenting plan's models live in resources/plan/ (issue 13).
from resources.plan.models import *  # noqa: E402, F403
