from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from directory.services import DirectoryError, postcodes_import_path


class Command(BaseCommand):
    help = (
        "Load postcode centroids from a CSV: the ONS Postcode Directory (pcds, lat, long) "
        "or an outcode file (postcode, latitude, longitude). Re-running updates in place."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("csv", type=Path)
        parser.add_argument("--batch-size", type=int, default=5000)

    def handle(self, *args: object, **options: object) -> None:
        path = Path(str(options["csv"]))
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        batch_size = int(options["batch_size"])  # type: ignore[call-overload]
        with tqdm(
            desc=f"Postcodes from {path.name}",
            unit=" rows",
            file=self.stderr._out,  # type: ignore[attr-defined]
            disable=int(options.get("verbosity", 1)) < 1,  # type: ignore[call-overload]
        ) as bar:
            try:
                result = postcodes_import_path(path=path, batch_size=batch_size, progress=bar)
            except DirectoryError as exc:
                raise CommandError(str(exc)) from exc
        self.stdout.write(f"Imported {result.imported} postcodes; skipped {result.skipped} rows.")
