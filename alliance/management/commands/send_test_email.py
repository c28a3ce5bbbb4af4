import secrets

from django.core.management.base import BaseCommand

from alliance.notify import notify


class Command(BaseCommand):
    help = "Put a test email in the outbox for an address, to check mail delivery end to end."

    def add_arguments(self, parser) -> None:  # type: ignore[no-untyped-def]
        parser.add_argument("email")

    def handle(self, *args: object, **options: str) -> None:
        reference = secrets.token_hex(4).upper()
        message = notify(
            key=f"ping:{reference}",
            to=options["email"],
            template="ping",
            context={"reference": reference},
            erase_after_send=True,
        )
        self.stdout.write(
            f"Queued test message {reference} (outbox row {message.pk}); "
            "a worker sends it, or the sweeper within a few minutes."
        )
