from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class AllianceConfig(AppConfig):
    name = "alliance"
    verbose_name = "Alliance"
    default = True

    def ready(self) -> None:
        # Registers the deploy checks: no session store that writes to disk, no DEMO_MODE.
        from alliance import session_store  # noqa: F401


class AllianceAdminConfig(admin_apps.AdminConfig):
    default = False
    default_site = "alliance.admin_site.AllianceAdminSite"
