"""System checks: the directory holds what the safety rules need (DESIGN.md rule 9)."""

from __future__ import annotations

from typing import Any

from django.core.checks import Error, Tags, register
from django.db import DatabaseError

from directory.taxonomy import CategoryCode


def missing_category_codes() -> list[str]:
    """Codes of core categories that no row carries; an empty list when all are present."""
    from directory.models import Category

    present = set(Category.objects.filter(code__isnull=False).values_list("code", flat=True))
    return [code.value for code in CategoryCode if code.value not in present]


@register(Tags.database)
def check_core_categories(app_configs: Any = None, databases: Any = None, **kwargs: Any) -> list:
    """directory.E001: a category the get-help rules key on has been deleted."""
    if not databases:
        return []
    try:
        missing = missing_category_codes()
    except DatabaseError:
        # Not migrated yet: migrate creates them (post_migrate), nothing to report.
        return []
    if not missing:
        return []
    return [
        Error(
            "Categories the safety rules need are missing: " + ", ".join(missing) + ".",
            hint=(
                "Run `manage.py migrate` (it recreates them), then re-attach the services that "
                "belonged to them. Until then mediation and other joint options may not be "
                "recognised as such."
            ),
            id="directory.E001",
        )
    ]
