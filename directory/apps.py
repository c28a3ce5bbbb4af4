from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _ensure_taxonomy(sender: AppConfig, **kwargs: Any) -> None:
    # Reference data every install needs, like Django's own permissions: created after each
    # migrate and after a test flush, never by a migration that would pin today's names.
    from directory.services import postcode_districts_ensure, search_phrases_ensure, taxonomy_ensure

    taxonomy_ensure()
    postcode_districts_ensure()
    search_phrases_ensure()


class DirectoryConfig(AppConfig):
    name = "directory"

    def ready(self) -> None:
        from directory import checks  # noqa: F401  (registers the system check)

        post_migrate.connect(_ensure_taxonomy, sender=self)
