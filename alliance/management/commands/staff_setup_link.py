from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from alliance.models import User
from alliance.services import SecondFactorError, staff_setup_link_create


class Command(BaseCommand):
    help = (
        "Print a single-use set-up link for a staff account (the first administrator, made with "
        "createsuperuser): with it they choose a password and set up an authenticator app."
    )

    def add_arguments(self, parser) -> None:  # type: ignore[no-untyped-def]
        parser.add_argument("email")

    def handle(self, *args: object, **options: str) -> None:
        user = User.objects.filter(email__iexact=options["email"].strip()).first()
        if user is None:
            raise CommandError(
                f"No account for {options['email']}. Make one first: "
                "python manage.py createsuperuser"
            )
        if not user.is_active:
            raise CommandError(f"The account {user.email} is not active.")
        try:
            url = staff_setup_link_create(user=user, actor=None)
        except SecondFactorError:
            raise CommandError(
                f"{user.email} is already set up. To reset its authenticator, delete its TOTP "
                "device in /admin/ first."
            ) from None
        self.stdout.write(url)
        self.stderr.write(
            f"Open it within {settings.STAFF_SETUP_LINK_HOURS} hours; it works once. "
            "Until it is used, anyone with this link can take the account: "
            "give it only to its owner."
        )
