from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import ngettext

from alliance.forms import StaffCreationForm
from alliance.models import AuditEvent, OutboundMessage, User
from alliance.services import staff_is_set_up, staff_setup_link_send


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "role", "is_active", "last_login"]
    list_filter = ["role", "is_active", "is_staff"]
    search_fields = ["email", "first_name", "last_name"]
    actions = ["send_setup_link"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Person", {"fields": ["first_name", "last_name"]}),
        ("Access", {"fields": ["role", "is_active", "is_staff", "is_superuser", "groups"]}),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    # No password here: a password a curator chose (or that leaked on the way) must never be
    # enough to enrol an authenticator. The new member gets a single-use set-up link instead.
    add_form = StaffCreationForm
    add_form_template = None
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "role", "is_staff"]})]

    def save_model(self, request: HttpRequest, obj: User, form, change: bool) -> None:  # type: ignore[no-untyped-def]
        super().save_model(request, obj, form, change)
        if not change:
            staff_setup_link_send(user=obj, actor=request.user)  # type: ignore[arg-type]
            self.message_user(request, self._link_sent_message(1))

    @admin.action(description="Email a new set-up link (accounts not yet set up)")
    def send_setup_link(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        sent = skipped = 0
        for user in queryset:
            if staff_is_set_up(user=user) or not user.is_active:
                skipped += 1
                continue
            staff_setup_link_send(user=user, actor=request.user)  # type: ignore[arg-type]
            sent += 1
        if sent:
            self.message_user(request, self._link_sent_message(sent))
        if skipped:
            self.message_user(
                request,
                ngettext(
                    "%(n)d account was skipped: it is already set up or not active. To reset an "
                    "authenticator, delete its TOTP device first.",
                    "%(n)d accounts were skipped: they are already set up or not active. To "
                    "reset an authenticator, delete its TOTP device first.",
                    skipped,
                )
                % {"n": skipped},
                messages.WARNING,
            )

    @staticmethod
    def _link_sent_message(count: int) -> str:
        return ngettext(
            "A set-up link has been emailed. It works once, for %(hours)d hours.",
            "%(count)d set-up links have been emailed. Each works once, for %(hours)d hours.",
            count,
        ) % {"count": count, "hours": settings.STAFF_SETUP_LINK_HOURS}


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ["at", "actor", "action", "object_type", "object_id"]
    list_filter = ["action", "object_type"]
    search_fields = ["object_id", "actor__email"]
    date_hierarchy = "at"


@admin.register(OutboundMessage)
class OutboundMessageAdmin(ReadOnlyAdmin):
    list_display = ["idempotency_key", "status", "attempts", "created_at", "sent_at"]
    list_filter = ["status"]
    # The recipient and body are personal data: not listed, not searchable.
    fields = readonly_fields = (
        "idempotency_key",
        "status",
        "attempts",
        "last_error",
        "created_at",
        "sent_at",
    )
