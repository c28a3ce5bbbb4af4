"""Every write to the directory: postcode imports, curation actions, listings loaded from data
(the demo) and emailing My list."""

from __future__ import annotations

import csv
import tomllib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import time, timedelta
from pathlib import Path
from typing import IO, Any, cast

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models, transaction
from django.utils import timezone

from alliance.helplines import HELPLINES
from alliance.models import User
from alliance.notify import notify
from alliance.services import audit_record
from directory import rules
from directory.models import (
    Category,
    Contact,
    Location,
    Organisation,
    Postcode,
    Schedule,
    SearchPhrase,
    Service,
    ServiceAtLocation,
    ServiceReview,
    confidential_coordinate,
)
from directory.postcodes import parse_postcode
from directory.selectors import joint_option_categories
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


# The UK's postcode districts with their centroids (directory/data/README.md: OS Code-Point
# Open derived, Open Government Licence; the attribution travels with it). Every install knows
# every district from its first migrate; the full ONS directory comes with `import_postcodes`.
UK_DISTRICTS_CSV = Path(__file__).resolve().parent / "data" / "uk-postcode-districts.csv"


def postcode_districts_ensure(*, path: Path = UK_DISTRICTS_CSV) -> int:
    """Add any shipped district the table lacks; return how many were added.

    Runs after every migrate (and test flush), so it must be quick and change nothing that is
    there: one count when every district is present, else one insert that skips existing codes
    (a district imported from a newer file keeps its centroid).
    """
    with path.open(encoding="utf-8-sig", newline="") as file:
        rows = [row for row in _postcode_rows(csv.DictReader(file)) if row is not None]
    codes = [row.code for row in rows]
    if Postcode.objects.filter(code__in=codes).count() == len(codes):
        return 0
    with transaction.atomic():
        before = Postcode.objects.count()
        Postcode.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)
        return Postcode.objects.count() - before


SEARCH_PHRASES_FILE = Path(__file__).resolve().parent / "data" / "search-phrases.toml"


def search_phrases_ensure(*, path: Path = SEARCH_PHRASES_FILE) -> int:
    """Load the starting phrase table into an empty table; return how many rows were added.

    Runs after every migrate (and test flush). Once the table has any row it belongs to the
    curators, and nothing here touches it again.
    """
    if SearchPhrase.objects.exists():
        return 0
    with path.open("rb") as file:
        entries = tomllib.load(file)["phrases"]
    by_code = {c.code: c for c in Category.objects.filter(code__isnull=False)}
    through = SearchPhrase.categories.through
    with transaction.atomic():
        # Two inserts, not one per row: this also runs after every flush in the tests.
        rows = SearchPhrase.objects.bulk_create(
            SearchPhrase(
                phrase=" ".join(entry["phrase"].lower().split()),
                terms=entry.get("terms", ""),
                suggests_danger=bool(entry.get("danger", False)),
            )
            for entry in entries
        )
        through.objects.bulk_create(
            through(searchphrase_id=row.pk, category_id=by_code[code].pk)
            for row, entry in zip(rows, entries, strict=True)
            for code in entry.get("categories", [])
            if code in by_code
        )
    return len(entries)


_STATUS_ACTIONS = {
    Service.Status.PUBLISHED: "service.publish",
    Service.Status.TEMPORARILY_CLOSED: "service.close_temporarily",
    Service.Status.ARCHIVED: "service.archive",
    Service.Status.DRAFT: "service.unpublish",
}


@transaction.atomic
def services_set_status(*, actor: User | None, service_ids: Iterable[int], status: str) -> int:
    """Move services to a status and record one audit event per service changed."""
    if status not in Service.Status.values:
        raise DirectoryError("Unknown status.")
    services = list(
        Service.objects.select_for_update().filter(pk__in=list(service_ids)).exclude(status=status)
    )
    if status == Service.Status.PUBLISHED:
        for service in services:
            problems = publish_problems(service)
            if problems:
                raise DirectoryError(f"{service.name} cannot be published: {'; '.join(problems)}.")
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
        # A checked listing is fresh again: no longer stale, and its open review is done.
        service.stale_since = None
        service._change_reason = "Checked"  # type: ignore[attr-defined]
        service.save(update_fields=["last_verified_at", "verified_by", "stale_since"])
        ServiceReview.objects.filter(service=service, completed_at__isnull=True).update(
            completed_at=now
        )
        audit_record(
            actor=actor,
            action="service.verify",
            object_type="directory.service",
            object_id=service.pk,
        )
    return len(services)


def publish_problems(service: Service) -> list[str]:
    """Why this service cannot be published yet (directory/rules.py); empty when it can."""
    return rules.publish_problems(
        rules.PublishFacts(
            has_location=service.pk is not None and service.locations.exists(),
            area_covered=service.area_covered,
            delivery_modes=tuple(service.delivery_modes),
            has_phone=bool(service.phone),
            has_website=bool(service.website),
            has_category=service.pk is not None and service.categories.exists(),
            last_verified=service.last_verified_at is not None,
        )
    )


@transaction.atomic
def service_update_fields(
    *, actor: User | None, service_id: int, fields: Mapping[str, Any], reason: str
) -> Service:
    """Change some plain fields of a listing, validated, in its history and audit trail."""
    service = Service.objects.select_for_update().get(pk=service_id)
    label = f"Service {service.slug!r}"
    changed = _assign(service, label, fields)
    _write(service, label, changed, actor=actor, reason=reason)
    _audit_upsert(actor=actor, instance=service, created=False, changed=changed)
    return service


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


# Listings written from data: the demo, and the imports to come --------------------------

# Never set by an upsert: a status moves only through `services_set_status` (with its audit
# event), a curator's check through `services_mark_verified`; the rest belong to the database.
_NOT_UPSERTED = frozenset(
    {"id", "status", "verified_by", "created_at", "updated_at", "search_vector", "slug"}
)


def _assign(instance: models.Model, label: str, values: Mapping[str, Any]) -> list[str]:
    """Set the given fields on an instance; the names of those whose value changed."""
    changed = []
    for name, value in values.items():
        try:
            field = instance._meta.get_field(name)
        except FieldDoesNotExist:
            raise DirectoryError(f"{label}: there is no field {name!r}.") from None
        if name in _NOT_UPSERTED or not field.concrete or field.many_to_many:
            raise DirectoryError(f"{label}: {name!r} cannot be set here.")
        attname = getattr(field, "attname", name)
        new = value.pk if isinstance(value, models.Model) else value
        if getattr(instance, attname) != new:
            setattr(instance, attname, new)
            changed.append(name)
    return changed


def _write(
    instance: models.Model, label: str, changed: list[str], *, actor: User | None, reason: str
) -> None:
    """Validate as a form would, then save only what changed (nothing when nothing did)."""
    adding = instance._state.adding
    if not adding and not changed:
        return
    try:
        instance.full_clean()
    except ValidationError as exc:
        problems = "; ".join(
            f"{field}: {' '.join(messages)}" for field, messages in exc.message_dict.items()
        )
        raise DirectoryError(f"{label}: {problems}") from None
    instance._change_reason = reason  # type: ignore[attr-defined]
    if actor is not None:
        instance._history_user = actor  # type: ignore[attr-defined]
    if adding:
        instance.save()
        return
    stamped = [f.name for f in instance._meta.concrete_fields if getattr(f, "auto_now", False)]
    instance.save(update_fields=[*changed, *stamped])


def _audit_upsert(
    *, actor: User | None, instance: models.Model, created: bool, changed: list[str]
) -> None:
    if not created and not changed:
        return
    model = instance._meta.model_name
    audit_record(
        actor=actor,
        action=f"{model}.{'create' if created else 'update'}",
        object_type=f"directory.{model}",
        object_id=instance.pk,
        detail={} if created else {"fields": sorted(changed)},
    )


@transaction.atomic
def organisation_upsert(
    *, actor: User | None, slug: str, reason: str = "", **fields: Any
) -> Organisation:
    """Create the organisation with this slug or bring it up to date.

    Only a real change is saved (so its history and audit trail show edits, not reloads).
    """
    organisation = Organisation.objects.select_for_update().filter(slug=slug).first()
    created = organisation is None
    if organisation is None:
        organisation = Organisation(slug=slug)
    changed = _assign(organisation, f"Organisation {slug!r}", fields)
    _write(organisation, f"Organisation {slug!r}", changed, actor=actor, reason=reason)
    _audit_upsert(actor=actor, instance=organisation, created=created, changed=changed)
    return organisation


@transaction.atomic
def location_upsert(
    *, actor: User | None, organisation: Organisation, name: str, reason: str = "", **fields: Any
) -> Location:
    """Create the organisation's location of this name or bring it up to date.

    A confidential location's coordinates are rounded here as the database rounds them
    (DESIGN.md rule 7), so loading the same exact point twice changes nothing.
    """
    location = (
        Location.objects.select_for_update()
        .filter(organisation=organisation, name=name)
        .order_by("pk")
        .first()
    )
    created = location is None
    if location is None:
        location = Location(organisation=organisation, name=name)
    if fields.get("confidential", location.confidential):
        for axis in ("latitude", "longitude"):
            value = fields.get(axis, getattr(location, axis))
            if value is not None:
                fields[axis] = confidential_coordinate(value)
    label = f"Location {name!r} of {organisation.slug!r}"
    changed = _assign(location, label, fields)
    _write(location, label, changed, actor=actor, reason=reason)
    _audit_upsert(actor=actor, instance=location, created=created, changed=changed)
    return location


@dataclass(frozen=True)
class Session:
    """One regular opening: a weekday (Monday is 0) and a time range."""

    weekday: int
    opens_at: time
    closes_at: time


@transaction.atomic
def service_upsert(
    *,
    actor: User | None,
    slug: str,
    organisation: Organisation,
    categories: Iterable[Category] = (),
    locations: Iterable[Location] = (),
    opening_hours: Iterable[Session] = (),
    contacts: Iterable[Mapping[str, str]] = (),
    reason: str = "",
    **fields: Any,
) -> Service:
    """Create the service with this slug, or make it, its places, times and contacts as given.

    A new service is a draft: its status moves only through `services_set_status`. A service
    in a joint-option category is never safe where there is abuse (DESIGN.md rule 9).
    """
    label = f"Service {slug!r}"
    service = Service.objects.select_for_update().filter(slug=slug).first()
    created = service is None
    if service is None:
        service = Service(slug=slug)
    categories = list(categories)
    locations = list(locations)
    joint = joint_option_categories(categories)
    if fields.get("safe_where_abuse", service.safe_where_abuse) and joint:
        raise DirectoryError(
            f"{label}: a service in {', '.join(c.name for c in joint)} is for parents "
            "together, so it cannot be safe where there is domestic abuse."
        )
    changed = _assign(service, label, {"organisation": organisation, **fields})
    _write(service, label, changed, actor=actor, reason=reason)

    # A new service has no links yet, so only an existing one is compared with the row.
    if created or {c.pk for c in service.categories.all()} != {c.pk for c in categories}:
        service.categories.set(categories)
        changed.append("categories")
    wanted_places = {location.pk for location in locations}
    linked = set() if created else set(service.locations.values_list("pk", flat=True))
    if linked != wanted_places:
        # Links that stay keep their ids: the open-data API publishes them.
        if not created:
            service.service_at_locations.exclude(location_id__in=wanted_places).delete()
        ServiceAtLocation.objects.bulk_create(
            ServiceAtLocation(service=service, location_id=pk) for pk in wanted_places - linked
        )
        changed.append("locations")
    wanted_hours = sorted({(s.weekday, s.opens_at, s.closes_at) for s in opening_hours})
    hours = (
        [] if created else sorted(service.schedules.values_list("weekday", "opens_at", "closes_at"))
    )
    if hours != wanted_hours:
        if not created:
            service.schedules.all().delete()
        Schedule.objects.bulk_create(
            Schedule(service=service, weekday=day, opens_at=opens, closes_at=closes)
            for day, opens, closes in wanted_hours
        )
        changed.append("schedules")
    contact_fields = ("name", "title", "phone", "email")
    wanted_contacts = [tuple(c.get(f, "") for f in contact_fields) for c in contacts]
    current_contacts = [] if created else list(service.contacts.values_list(*contact_fields))
    if current_contacts != wanted_contacts:
        new_contacts = [
            Contact(service=service, **dict(zip(contact_fields, values, strict=True)))
            for values in wanted_contacts
        ]
        for contact in new_contacts:
            try:
                contact.full_clean(exclude=["service"])
            except ValidationError as exc:
                raise DirectoryError(f"{label}: a contact is not valid ({exc}).") from None
        service.contacts.all().delete()
        Contact.objects.bulk_create(new_contacts)
        changed.append("contacts")
    _audit_upsert(actor=actor, instance=service, created=created, changed=changed)
    return service


@dataclass(frozen=True)
class DemoResult:
    organisations: int
    locations: int
    services: int
    published: int


_WEEKDAYS = {day.name.lower(): day.value for day in Schedule.Weekday}
_DEMO_TABLES = frozenset({"hours", "organisations", "locations", "services"})


def _demo_table(data: Mapping[str, Any], name: str) -> dict[str, dict[str, Any]]:
    table = data.get(name, {})
    if not isinstance(table, dict) or not all(isinstance(v, dict) for v in table.values()):
        raise DirectoryError(f"[{name}] must be tables keyed by slug.")
    return {key: dict(value) for key, value in table.items()}


def _demo_ref(found: Mapping[str, Any], slug: object, label: str, what: str) -> Any:
    if not isinstance(slug, str) or slug not in found:
        raise DirectoryError(f"{label}: no {what} {slug!r} in the file.")
    return found[slug]


def _demo_sessions(entry: object, patterns: Mapping[str, Any], label: str) -> list[Session]:
    """An opening-hours entry: a named pattern, or [day, "HH:MM", "HH:MM"]."""
    if isinstance(entry, str):
        if entry not in patterns:
            raise DirectoryError(f"{label}: no opening hours called {entry!r} in [hours].")
        return [s for item in patterns[entry] for s in _demo_sessions(item, {}, label)]
    try:
        day, opens, closes = cast("tuple[str, str, str]", entry)
        return [
            Session(_WEEKDAYS[day.lower()], time.fromisoformat(opens), time.fromisoformat(closes))
        ]
    except (TypeError, ValueError, KeyError, AttributeError):
        raise DirectoryError(
            f'{label}: opening hours {entry!r} are not [day, "HH:MM", "HH:MM"].'
        ) from None


def _demo_categories() -> dict[str, Category]:
    """Categories by slug, and by the core taxonomy's starting slugs if a curator renamed one."""
    by_slug = {c.slug: c for c in Category.objects.select_related("parent")}
    by_code = {c.code: c for c in by_slug.values() if c.code}
    for core in CORE_CATEGORIES:
        if core.slug not in by_slug and core.code in by_code:
            by_slug[core.slug] = by_code[core.code]
    return by_slug


@transaction.atomic
def demo_load(*, data: Mapping[str, Any], actor: User | None = None) -> DemoResult:
    """Load the demo directory (the parsed `directory/data/demo.toml`) through the upserts.

    Everything is keyed by slug, so a second load changes nothing; where a listing was
    edited since, the file wins. Statuses move through `services_set_status`, so each is an
    audit event like a curator's. Any mistake in the file stops the load with its place.
    """
    unknown = set(data) - _DEMO_TABLES
    if unknown:
        raise DirectoryError(f"The file has tables this loader does not know: {sorted(unknown)}.")
    taxonomy_ensure()
    reason = "Demo data"
    now = timezone.now()
    patterns = data.get("hours", {})
    organisations = {
        slug: organisation_upsert(actor=actor, slug=slug, reason=reason, **spec)
        for slug, spec in _demo_table(data, "organisations").items()
    }
    locations: dict[str, Location] = {}
    for key, spec in _demo_table(data, "locations").items():
        label = f"locations.{key}"
        organisation = _demo_ref(
            organisations, spec.pop("organisation", None), label, "organisation"
        )
        name = spec.pop("name", None)
        if not isinstance(name, str) or not name:
            raise DirectoryError(f"{label}: a location needs a name.")
        locations[key] = location_upsert(
            actor=actor, organisation=organisation, name=name, reason=reason, **spec
        )
    categories = _demo_categories()
    specs = _demo_table(data, "services")
    checked = dict(
        Service.objects.filter(slug__in=list(specs)).values_list("slug", "last_verified_at")
    )
    by_status: dict[str, list[int]] = {}
    for slug, spec in specs.items():
        label = f"services.{slug}"
        organisation = _demo_ref(
            organisations, spec.pop("organisation", None), label, "organisation"
        )
        status = spec.pop("status", Service.Status.DRAFT)
        if status not in Service.Status.values:
            raise DirectoryError(f"{label}: no status {status!r}.")
        days = spec.pop("checked_days_ago", None)
        # The first load dates the last check; later loads keep a curator's newer one.
        if checked.get(slug) is not None:
            spec["last_verified_at"] = checked[slug]
        elif days is not None:
            spec["last_verified_at"] = now - timedelta(days=days)
        line = spec.pop("helpline", None)
        if line is not None:
            if line not in HELPLINES or "phone" in spec:
                raise DirectoryError(f"{label}: give a known helpline or a phone, not both.")
            spec["phone"] = HELPLINES[line].number
        for contact_key in ("website", "phone", "email"):
            spec.setdefault(contact_key, getattr(organisation, contact_key))
        service = service_upsert(
            actor=actor,
            slug=slug,
            organisation=organisation,
            categories=[
                _demo_ref(categories, c, label, "category") for c in spec.pop("categories", [])
            ],
            locations=[
                _demo_ref(locations, loc, label, "location") for loc in spec.pop("locations", [])
            ],
            opening_hours=[
                s for e in spec.pop("opening_hours", []) for s in _demo_sessions(e, patterns, label)
            ],
            contacts=spec.pop("contacts", []),
            reason=reason,
            **spec,
        )
        by_status.setdefault(status, []).append(service.pk)
    for status, ids in by_status.items():
        services_set_status(actor=actor, service_ids=ids, status=status)
    return DemoResult(
        organisations=len(organisations),
        locations=len(locations),
        services=len(specs),
        published=len(by_status.get(Service.Status.PUBLISHED, [])),
    )
