"""`{{ service|last_checked_months }}`: whole months since a listing was last checked."""

from __future__ import annotations

from datetime import datetime

from django import template
from django.utils import timezone

register = template.Library()


@register.filter
def last_checked_months(service: object) -> int | None:
    """Whole months since `last_verified_at` (or since it was made, if never checked)."""
    since: datetime | None = getattr(service, "last_verified_at", None) or getattr(
        service, "created_at", None
    )
    if since is None:
        return None
    now = timezone.now()
    months = (now.year - since.year) * 12 + now.month - since.month
    if now.day < since.day:
        months -= 1
    return max(months, 0)
