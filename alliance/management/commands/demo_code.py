import base64

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice


class Command(BaseCommand):
    help = "Embedded demo only: print a demo account's current two-factor code and its key."

    def add_arguments(self, parser) -> None:  # type: ignore[no-untyped-def]
        parser.add_argument("email")

    def handle(self, *args: object, **options: str) -> None:
        if not settings.DEMO_MODE:
            raise CommandError("demo_code works only in the embedded demo (DEMO_MODE=true).")
        device = TOTPDevice.objects.filter(
            user__email=options["email"].lower(), confirmed=True
        ).first()
        if device is None:
            raise CommandError(f"No confirmed authenticator for {options['email']}.")
        code = totp(device.bin_key, device.step, device.t0, device.digits, device.drift)
        self.stdout.write(f"{code:0{device.digits}d}")
        self.stderr.write(f"key: {base64.b32encode(device.bin_key).decode()}")
