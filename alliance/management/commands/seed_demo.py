from importlib import import_module

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from alliance.models import Role, User

DEMO_PASSWORD = "demo-only-password"  # noqa: S105 - printed for the embedded demo only
DEMO_ACCOUNTS = [
    ("curator@demo.invalid", Role.CURATOR, True),
    ("editor@demo.invalid", Role.EDITOR, True),
    ("fca@demo.invalid", Role.FCA, False),
    ("provider@demo.invalid", Role.PROVIDER, False),
]


class Command(BaseCommand):
    help = "Create idempotent demo data: staff accounts and each app's demo content."

    def handle(self, *args: object, **options: object) -> None:
        with transaction.atomic():
            for email, role, is_staff in DEMO_ACCOUNTS:
                user, created = User.objects.get_or_create(
                    email=email, defaults={"role": role, "is_staff": is_staff}
                )
                if created:
                    if settings.DEMO_MODE:
                        user.set_password(DEMO_PASSWORD)
                    else:
                        user.set_unusable_password()
                    user.save(update_fields=["password"])
                TOTPDevice.objects.get_or_create(
                    user=user, confirmed=True, defaults={"name": "Demo authenticator"}
                )
            # Each app may offer a `demo` module with a `seed(stdout)` function.
            for config in apps.get_app_configs():
                try:
                    module = import_module(f"{config.name}.demo")
                except ModuleNotFoundError as exc:
                    if exc.name != f"{config.name}.demo":
                        raise
                    continue
                module.seed(self.stdout)
        if settings.DEMO_MODE:
            self.stdout.write("")
            self.stdout.write(f"Demo staff sign-ins (password for all: {DEMO_PASSWORD}):")
            for email, role, _ in DEMO_ACCOUNTS:
                self.stdout.write(f"  {role.label:<26} {email}")
            self.stdout.write(
                "Second factor: run `.venv/bin/python manage.py demo_code <email>` "
                "for the current 6-digit code (or add the key shown by that command to an app)."
            )
