from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class AllianceConfig(AppConfig):
    name = "alliance"
    verbose_name = "Alliance"
    default = True


class AllianceAdminConfig(admin_apps.AdminConfig):
    default = False
    default_site = "alliance.admin_site.AllianceAdminSite"
