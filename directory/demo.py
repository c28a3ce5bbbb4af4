"""The demo directory for `seed_demo`: the data is `data/demo.toml`, loaded by `seed(stdout)`.

The file is data only; `directory.services.demo_load` writes it through the same services as
any other listing, so a confidential location is rounded and every change is audited.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError

from directory import services
from directory.models import Organisation, Postcode, Service

DATA = Path(__file__).resolve().parent / "data"
DEMO_FILE = DATA / "demo.toml"
DISTRICTS_CSV = services.UK_DISTRICTS_CSV


def seed(stdout: Any) -> None:
    """Load the postcode districts and the demo directory; running it twice changes nothing."""
    # Normally loaded by `migrate` already; this adds any district missing since.
    added = services.postcode_districts_ensure(path=DISTRICTS_CSV)
    known = Postcode.objects.filter(is_district=True).count()
    stdout.write(f"Postcodes: {known} UK districts ({added} added).")
    try:
        with DEMO_FILE.open("rb") as file:
            data = tomllib.load(file)
        services.demo_load(data=data)
    except (tomllib.TOMLDecodeError, services.DirectoryError) as exc:
        raise CommandError(f"{DEMO_FILE.name}: {exc}") from exc
    stdout.write(
        f"Directory: {Organisation.objects.count()} organisations, "
        f"{Service.objects.filter(status=Service.Status.PUBLISHED).count()} published services."
    )
