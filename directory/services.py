"""Every write to the directory: postcode imports, curation actions and emailing My list."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from alliance.models import User
from alliance.notify import notify
from alliance.services import audit_record
from directory.models import Category, Postcode, Service
from directory.postcodes import parse_postcode
from directory.taxonomy import CORE_CATEGORIES

POSTCODE_COLUMNS = ("pcds", "pcd", "postcode", "outcode")
LATITUDE_COLUMNS = ("lat", "latitude")
LONGITUDE_COLUMNS = ("long", "lng", "longitude")


class DirectoryError(Exception):
    """A curation or My list action that cannot be done; the message is for the user."""


@dataclass(frozen=True)
class ImportResult:
    imported: int
    skipped: int


def _pick(header: list[str], names: tuple[str, ...]) -> str:
    lowered = {name.strip().lower(): name for name in header}
    for name in names:
        if name in lowered:
            return lowered[name]
    raise DirectoryError(f"The file has none of the columns {', '.join(names)}.")


def _postcode_rows(reader: csv.DictReader) -> Iterator[Postcode | None]:
    header = list(reader.fieldnames or [])
    code_col = _pick(header, POSTCODE_COLUMNS)
    lat_col = _pick(header, LATITUDE_COLUMNS)
    lng_col = _pick(header, LONGITUDE_COLUMNS)
    terminated_col = next((h for h in header if h.strip().lower() == "doterm"), None)
    for row in reader:
        parsed = parse_postcode(row.get(code_col) or "")
        if parsed is None or (terminated_col and (row.get(terminated_col) or "").strip()):
            yield None
            continue
        try:
            lat = float(row[lat_col])
            lng = float(row[lng_col])
        except (TypeError, ValueError):
            yield None
            continue
        # ONSPD marks postcodes with no grid reference with latitude 99.999999.
        if not (-90 <= lat <= 90 and -180 <= lng <= 180) or lat > 99:
            yield None
            continue
        yield Postcode(
            code=parsed.code, is_district=parsed.is_district, latitude=lat, longitude=lng
        )


def postcodes_import(
    *, file: IO[str], batch_size: int = 5000, progress: Any = None
) -> ImportResult:
    """Load ONS Postcode Directory or outcode-centroid rows, upserting in batches.

    Rows without a valid postcode or coordinates, and terminated postcodes, are skipped.
    `progress` is anything with `update(n)` (a tqdm bar).
    """
    reader = csv.DictReader(file)
    imported = skipped = 0
    batch: list[Postcode] = []

    def flush() -> None:
        nonlocal imported
        if not batch:
            return
        # Each batch commits on its own so a 2.6-million-row ONSPD load keeps going and
        # memory stays flat; re-running the import updates rows in place.
        with transaction.atomic():
            Postcode.objects.bulk_create(
                batch,
                update_conflicts=True,
                unique_fields=["code"],
                update_fields=["is_district", "latitude", "longitude"],
            )
        imported += len(batch)
        batch.clear()

    for item in _postcode_rows(reader):
        if item is None:
            skipped += 1
        else:
            batch.append(item)
        if progress is not None:
            progress.update(1)
        if len(batch) >= batch_size:
            flush()
    flush()
    return ImportResult(imported=imported, skipped=skipped)


def postcodes_import_path(
    *, path: Path, batch_size: int = 5000, progress: Any = None
) -> ImportResult:
    """Open a CSV file (UTF-8, with or without a byte-order mark) and import it."""
    with path.open(encoding="utf-8-sig", newline="") as file:
        return postcodes_import(file=file, batch_size=batch_size, progress=progress)


_STATUS_ACTIONS = {
    Service.Status.PUBLISHED: "service.publish",
    Service.Status.TEMPORARILY_CLOSED: "service.close_temporarily",
    Service.Status.ARCHIVED: "service.archive",
    Service.Status.DRAFT: "service.unpublish",
}


@transaction.atomic
def services_set_status(*, actor: User, service_ids: Iterable[int], status: str) -> int:
    """Move services to a status and record one audit event per service changed."""
    if status not in Service.Status.values:
        raise DirectoryError("Unknown status.")
    services = list(
        Service.objects.select_for_update().filter(pk__in=list(service_ids)).exclude(status=status)
    )
    for service in services:
        previous = service.status
        service.status = status
        service._change_reason = f"Status: {previous} → {status}"  # type: ignore[attr-defined]
        service.save(update_fields=["status", "updated_at"])
        audit_record(
            actor=actor,
            action=_STATUS_ACTIONS[Service.Status(status)],
            object_type="directory.service",
            object_id=service.pk,
            detail={"from": previous, "to": status},
        )
    return len(services)


@transaction.atomic
def services_mark_verified(*, actor: User, service_ids: Iterable[int]) -> int:
    """Record that a curator checked these listings today (kept apart from `updated_at`)."""
    now = timezone.now()
    services = list(Service.objects.select_for_update().filter(pk__in=list(service_ids)))
    for service in services:
        service.last_verified_at = now
        service.verified_by = actor
        service._change_reason = "Checked"  # type: ignore[attr-defined]
        service.save(update_fields=["last_verified_at", "verified_by"])
        audit_record(
            actor=actor,
            action="service.verify",
            object_type="directory.service",
            object_id=service.pk,
        )
    return len(services)


MY_LIST_MAX = 50


def my_list_add(*, session: Any, service_id: int) -> list[int]:
    """Add a visible service to the list kept in this browser's session only."""
    if not Service.objects.visible().filter(pk=service_id).exists():
        raise DirectoryError("That service is not in the directory.")
    ids = [i for i in session.get("my_list", []) if i != service_id]
    ids.append(service_id)
    session["my_list"] = ids[-MY_LIST_MAX:]
    return session["my_list"]


def my_list_remove(*, session: Any, service_id: int) -> list[int]:
    """Take a service off the session's list."""
    session["my_list"] = [i for i in session.get("my_list", []) if i != service_id]
    return session["my_list"]


def my_list_ids(session: Any) -> list[int]:
    """The saved service ids, tolerating anything odd left in the session."""
    raw = session.get("my_list", [])
    if not isinstance(raw, list):
        return []
    return [i for i in raw if isinstance(i, int)][:MY_LIST_MAX]


@transaction.atomic
def my_list_email(*, to: str, services: list[Service], token: str) -> None:
    """Email a parent their saved list through the outbox; the address is erased once sent.

    The token comes from the form, so a double-submitted form sends one email (idempotency).
    Nothing identifies the parent in the audit trail: only the count of services.
    """
    if not services:
        raise DirectoryError("Your list is empty.")
    notify(
        key=f"directory-my-list:{token}",
        to=to,
        template="directory-my-list",
        context={"services": services, "site_url": settings.SITE_URL},
        erase_after_send=True,
    )
    audit_record(
        actor=None,
        action="directory.my_list_email",
        object_type="directory.my_list",
        detail={"services": len(services)},
    )


@transaction.atomic
def taxonomy_ensure() -> int:
    """Create any core category (directory/taxonomy.py) that is missing; return how many.

    Keyed on the stable code. A core category that exists is left as the curators made it
    (name, slug, place); one found by its starting slug without a code is given its code.
    Runs after every migrate (and flush), so every install has what the safety rules need.
    """
    created = 0
    by_code = {c.code: c for c in Category.objects.filter(code__isnull=False)}
    for position, core in enumerate(CORE_CATEGORIES):
        if core.code in by_code:
            continue
        parent = by_code.get(core.parent) if core.parent else None
        category = Category.objects.filter(slug=core.slug, code__isnull=True).first()
        if category is not None:
            category.code = core.code
            category.save(update_fields=["code"])
        else:
            slug = core.slug
            if Category.objects.filter(slug=slug).exists():
                slug = f"{slug}-{core.code.replace('_', '-')}"
            category = Category.objects.create(
                code=core.code,
                slug=slug,
                name=core.name,
                description=core.description,
                parent=parent,
                position=position,
            )
            created += 1
        by_code[core.code] = category
    return created
