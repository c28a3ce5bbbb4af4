"""Curation in /admin/: filters, search, status and verification actions, and history.

A listing's status is never a form field: the actions change it through
`directory.services.services_set_status`, which writes the audit event.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db import models, transaction
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponseBase
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from alliance.models import Role
from directory import services
from directory.languages import LANGUAGE_CHOICES
from directory.models import (
    Category,
    Contact,
    Location,
    Organisation,
    OrganisationMembership,
    Postcode,
    Schedule,
    SearchPhrase,
    Service,
    ServiceAtLocation,
)
from directory.selectors import joint_option_categories

# A listing not checked for this long is flagged to curators (ALISS reviews at 6 weeks to
# 6 months; we take the outer bound until the review-reminder work lands).
REVIEW_AFTER_DAYS = 183


def _is_curator(request: HttpRequest) -> bool:
    user = request.user
    return bool(
        user.is_active
        and user.is_staff
        and (user.is_superuser or getattr(user, "role", "") == Role.CURATOR)
    )


class CuratorPermissions:
    """Curators (by role, not per-model permissions) may see, add and change."""

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_curator(request)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_curator(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_curator(request)


class CuratorAdmin(CuratorPermissions, admin.ModelAdmin):
    """Curators manage the directory; only superusers delete (curators archive instead)."""

    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def has_module_permission(self, request: HttpRequest) -> bool:
        return _is_curator(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_superuser)


class CuratorHistoryAdmin(SimpleHistoryAdmin, CuratorAdmin):
    pass


class CuratorInline(CuratorPermissions, admin.TabularInline):
    """Opening times, contacts and places of a service: curators may also remove these."""

    extra = 0

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_curator(request)


def _checkboxes(label: Any, choices: Any) -> forms.MultipleChoiceField:
    """An optional array field shown as checkboxes."""
    return forms.MultipleChoiceField(
        label=label, choices=choices, widget=forms.CheckboxSelectMultiple, required=False
    )


class ServiceAdminForm(forms.ModelForm):
    """Array fields as checkboxes rather than comma-separated text.

    There is no status field: a listing is published, closed, archived or returned to draft
    only by the list's actions, through `services_set_status`, which records who did it.
    """

    website = forms.URLField(label=_("website"), required=False, assume_scheme="https")

    delivery_modes = _checkboxes(_("How it is delivered"), Service.DeliveryMode.choices)
    languages = _checkboxes(_("Languages"), LANGUAGE_CHOICES)
    access_methods = _checkboxes(_("How to get a place"), Service.AccessMethod.choices)
    accreditations = _checkboxes(_("Accreditation"), Service.Accreditation.choices)

    class Meta:
        model = Service
        fields = [
            "organisation",
            "name",
            "slug",
            "categories",
            "summary",
            "description",
            "keywords",
            "eligibility",
            "min_age",
            "max_age",
            "languages",
            "accessibility_notes",
            "safe_where_abuse",
            "domestic_abuse_specialist",
            "delivery_modes",
            "area_covered",
            "area_radius_miles",
            "is_free",
            "cost",
            "access_methods",
            "how_to_access",
            "accreditations",
            "phone",
            "email",
            "website",
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("area_covered") == Service.AreaCovered.RADIUS:
            if data.get("area_radius_miles") is not None and data["area_radius_miles"] <= 0:
                self.add_error("area_radius_miles", _("Enter a radius of more than 0 miles."))
        else:
            data["area_radius_miles"] = None
        if data.get("safe_where_abuse") and data.get("categories"):
            joint = joint_option_categories(data["categories"])
            if joint:
                self.add_error(
                    "safe_where_abuse",
                    _(
                        "A service in %(categories)s is for parents together, so it cannot be "
                        "marked safe where there is domestic abuse."
                    )
                    % {"categories": ", ".join(c.name for c in joint)},
                )
        return data


class ReviewFilter(admin.SimpleListFilter):
    title = _("last checked")
    parameter_name = "checked"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("due", _("Due for a check")), ("never", _("Never checked"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Service]) -> QuerySet[Service]:
        if self.value() == "never":
            return queryset.filter(last_verified_at__isnull=True)
        if self.value() == "due":
            cutoff = timezone.now() - timedelta(days=REVIEW_AFTER_DAYS)
            return queryset.filter(last_verified_at__lt=cutoff) | queryset.filter(
                last_verified_at__isnull=True
            )
        return queryset


class ServiceAtLocationInline(CuratorInline):
    model = ServiceAtLocation
    autocomplete_fields = ["location"]
    verbose_name = _("location")
    verbose_name_plural = _("locations")


class ScheduleInline(CuratorInline):
    model = Schedule


class ContactInline(CuratorInline):
    model = Contact


@admin.register(Service)
class ServiceAdmin(CuratorHistoryAdmin):
    form = ServiceAdminForm
    list_display = [
        "name",
        "organisation",
        "status",
        "is_free",
        "safe_where_abuse",
        "domestic_abuse_specialist",
        "last_verified_at",
        "updated_at",
    ]
    list_filter = [
        "status",
        ReviewFilter,
        "categories",
        "area_covered",
        "is_free",
        "safe_where_abuse",
        "domestic_abuse_specialist",
    ]
    list_select_related = ["organisation"]
    search_fields = ["name", "slug", "summary", "keywords", "organisation__name"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["organisation"]
    filter_horizontal = ["categories"]
    readonly_fields = ["status", "last_verified_at", "verified_by", "created_at", "updated_at"]
    inlines = [ServiceAtLocationInline, ScheduleInline, ContactInline]
    actions = ["publish", "close_temporarily", "archive", "return_to_draft", "mark_checked"]
    history_list_display = ["status"]
    fieldsets = [
        (None, {"fields": ["organisation", "name", "slug", "status", "categories"]}),
        (_("What it is"), {"fields": ["summary", "description", "keywords"]}),
        (
            _("Who it is for"),
            {"fields": ["eligibility", "min_age", "max_age", "languages", "accessibility_notes"]},
        ),
        (
            _("Safety"),
            {"fields": ["safe_where_abuse", "domestic_abuse_specialist"]},
        ),
        (
            _("How to use it"),
            {
                "fields": [
                    "delivery_modes",
                    "area_covered",
                    "area_radius_miles",
                    "is_free",
                    "cost",
                    "access_methods",
                    "how_to_access",
                    "accreditations",
                ]
            },
        ),
        (_("Contact"), {"fields": ["phone", "email", "website"]}),
        (
            _("Checks"),
            {"fields": ["last_verified_at", "verified_by", "created_at", "updated_at"]},
        ),
    ]

    def view_on_site(self, obj: Service) -> str:  # type: ignore[override]
        # A draft has no public page yet: curators see the preview instead of a 404.
        if obj.is_visible:
            return obj.get_absolute_url()
        return reverse("curation:preview", args=[obj.slug])

    def save_model(self, request: HttpRequest, obj: Service, form: Any, change: bool) -> None:
        obj._history_user = request.user  # type: ignore[attr-defined]
        if not change:
            obj.status = Service.Status.DRAFT
            obj.save()
            return
        # The form's instance may be an old version (a revert from the history page), so the
        # fields the form does not edit are taken from the row as it is now, and only the
        # form's own fields are written: status and the checks change only through services.
        current = Service.objects.select_for_update().get(pk=obj.pk)
        obj.status = current.status
        obj.last_verified_at = current.last_verified_at
        obj.verified_by_id = current.verified_by_id
        obj.created_at = current.created_at
        columns = {field.name for field in Service._meta.concrete_fields}
        editable = [name for name in form.base_fields if name in columns]
        obj.save(update_fields=[*editable, "updated_at"])

    def history_form_view(
        self,
        request: HttpRequest,
        object_id: str,
        version_id: str,
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponseBase:
        # Reverting rewrites the listing as it is now; a deleted one has nothing to revert.
        # One transaction, as the change form has, so the row lock in save_model holds and
        # the listing and its categories are reverted together or not at all.
        with transaction.atomic():
            if request.method == "POST" and not Service.objects.filter(pk=object_id).exists():
                raise Http404
            return super().history_form_view(request, object_id, version_id, extra_context)

    def _set_status(self, request: HttpRequest, queryset: QuerySet[Service], status: str) -> None:
        try:
            changed = services.services_set_status(
                actor=request.user,  # type: ignore[arg-type]
                service_ids=queryset.values_list("pk", flat=True),
                status=status,
            )
        except services.DirectoryError as error:
            # The publishing checks (directory/rules.py): nothing changed, say why.
            self.message_user(request, str(error), level=messages.ERROR)
            return
        self.message_user(
            request,
            ngettext("%d service changed.", "%d services changed.", changed) % changed,
            messages.SUCCESS,
        )

    @admin.action(description=_("Publish the selected services"))
    def publish(self, request: HttpRequest, queryset: QuerySet[Service]) -> None:
        self._set_status(request, queryset, Service.Status.PUBLISHED)

    @admin.action(description=_("Mark the selected services temporarily closed"))
    def close_temporarily(self, request: HttpRequest, queryset: QuerySet[Service]) -> None:
        self._set_status(request, queryset, Service.Status.TEMPORARILY_CLOSED)

    @admin.action(description=_("Archive the selected services"))
    def archive(self, request: HttpRequest, queryset: QuerySet[Service]) -> None:
        self._set_status(request, queryset, Service.Status.ARCHIVED)

    @admin.action(description=_("Return the selected services to draft"))
    def return_to_draft(self, request: HttpRequest, queryset: QuerySet[Service]) -> None:
        self._set_status(request, queryset, Service.Status.DRAFT)

    @admin.action(description=_("Mark the selected services as checked today"))
    def mark_checked(self, request: HttpRequest, queryset: QuerySet[Service]) -> None:
        changed = services.services_mark_verified(
            actor=request.user,  # type: ignore[arg-type]
            service_ids=queryset.values_list("pk", flat=True),
        )
        self.message_user(
            request,
            ngettext("%d service marked as checked.", "%d services marked as checked.", changed)
            % changed,
            messages.SUCCESS,
        )


class OrganisationMembershipInline(admin.TabularInline):
    """Which staff accounts work for the organisation (provider staff see only its work)."""

    model = OrganisationMembership
    extra = 0
    autocomplete_fields = ["user"]
    fields = ["user", "created_at"]
    readonly_fields = ["created_at"]


@admin.register(Organisation)
class OrganisationAdmin(CuratorHistoryAdmin):
    list_display = ["name", "website", "phone", "updated_at"]
    inlines = [OrganisationMembershipInline]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Location)
class LocationAdmin(CuratorHistoryAdmin):
    list_display = ["name", "organisation", "town", "postcode", "confidential"]
    list_filter = ["confidential"]
    list_select_related = ["organisation"]
    search_fields = ["name", "postcode", "town", "organisation__name"]
    autocomplete_fields = ["organisation"]


@admin.register(Category)
class CategoryAdmin(CuratorAdmin):
    list_display = ["name", "slug", "code", "parent", "position"]
    list_filter = ["parent"]
    search_fields = ["name", "slug"]
    readonly_fields = ["code"]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # The safety rules key on these codes (directory/taxonomy.py): rename, never delete.
        if obj is not None and obj.code:
            return False
        return super().has_delete_permission(request, obj)

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        # Bulk delete would bypass the per-object refusal above.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    prepopulated_fields = {"slug": ["name"]}


@admin.register(Postcode)
class PostcodeAdmin(CuratorAdmin):
    list_display = ["code", "is_district", "latitude", "longitude"]
    list_filter = ["is_district"]
    search_fields = ["code"]
    show_full_result_count = False


@admin.register(SearchPhrase)
class SearchPhraseAdmin(CuratorAdmin):
    """The everyday words parents type; a change takes effect on the next search."""

    list_display = ["phrase", "terms", "suggests_danger", "updated_at"]
    list_filter = ["suggests_danger", "categories"]
    search_fields = ["phrase", "terms"]
    filter_horizontal = ["categories"]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # The curators' own vocabulary: no listing or history depends on a row.
        return _is_curator(request)
