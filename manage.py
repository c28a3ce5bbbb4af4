#!/usr/bin/env python
import os
import sys
from pathlib import Path

# Written by `make run` (scripts/dev.py): the embedded demo's database, Redis and keys.
DEMO_ENV = Path(__file__).resolve().parent / ".data" / "demo.env"


def load_demo_env() -> None:
    """Let a second terminal beside `make run` reach its demo with no variables set.

    Only when no database is configured at all: a deployment always sets DATABASE_URL (or
    DATABASE_URL_FILE) and has no .data/ folder, so it never reads the demo's settings.
    Variables already set win over the file.
    """
    if os.environ.get("DATABASE_URL") or os.environ.get("DATABASE_URL_FILE"):
        return
    if not DEMO_ENV.is_file():
        return
    for line in DEMO_ENV.read_text(encoding="utf-8").splitlines():
        name, sep, value = line.partition("=")
        if sep and not line.startswith("#"):
            os.environ.setdefault(name.strip(), value.strip())


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alliance.settings")
    load_demo_env()
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
