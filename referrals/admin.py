"""Programmes and who offers them are data a curator keeps in /admin/ (issue 9 item 1).

Cases, referrals and their states are not in the admin: only `referrals.services` changes a
referral, and personal data is seen in the FCA and provider areas, where reads are scoped.
"""

from django.contrib import admin

from directory.admin import CuratorAdmin, CuratorPermissions
from referrals.models import Cohort, Offering, Programme


@admin.register(Programme)
class ProgrammeAdmin(CuratorAdmin):
    list_display = ["code", "name", "nation", "active_from", "active_to"]


class CohortInline(CuratorPermissions, admin.TabularInline):
    model = Cohort
    extra = 0
    fields = ["starts_at", "mode", "venue", "capacity", "places_taken"]
    readonly_fields = ["places_taken"]


@admin.register(Offering)
class OfferingAdmin(CuratorAdmin):
    list_display = ["programme", "organisation", "coverage", "active"]
    list_filter = ["programme", "active", "coverage"]
    autocomplete_fields = ["organisation"]
    raw_id_fields = ["venue"]
    inlines = [CohortInline]
