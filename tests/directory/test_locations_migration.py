"""Migration 0005 rounds confidential points already stored, live and in the history."""

from collections.abc import Iterator

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("directory", "0004_category_code_and_safe_default")]
AFTER = [("directory", "0005_confidential_locations_rounded_in_the_database")]
EXACT = (52.627349, -1.172281)
ROUNDED = (52.63, -1.17)


def _rows(table: str, pk: int) -> list[tuple[float, float]]:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT latitude, longitude FROM {table} WHERE id = %s ORDER BY 1",  # noqa: S608
            [pk],
        )
        return cursor.fetchall()


@pytest.fixture
def back_to_latest() -> Iterator[None]:
    """Leave the test database fully migrated even when the test fails half way."""
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("back_to_latest")
def test_the_migration_rounds_what_was_stored_before_it() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    Organisation = old.get_model("directory", "Organisation")
    Location = old.get_model("directory", "Location")
    HistoricalLocation = old.get_model("directory", "HistoricalLocation")
    organisation = Organisation.objects.create(name="Safe Haven", slug="safe-haven")
    # Before 0005 only Location.save() rounded: an update() could store the exact point.
    refuge = Location.objects.create(
        organisation=organisation, name="Refuge", postcode="LE3", latitude=0, longitude=0
    )
    Location.objects.filter(pk=refuge.pk).update(
        latitude=EXACT[0], longitude=EXACT[1], confidential=True
    )
    office = Location.objects.create(
        organisation=organisation,
        name="Office",
        postcode="LE1 1AA",
        latitude=EXACT[0],
        longitude=EXACT[1],
    )
    for location, confidential in ((refuge, False), (office, False)):
        HistoricalLocation.objects.create(
            id=location.pk,
            organisation_id=organisation.pk,
            name=location.name,
            postcode=location.postcode,
            latitude=EXACT[0],
            longitude=EXACT[1],
            confidential=confidential,
            history_date="2026-01-01T00:00:00Z",
            history_type="+",
        )

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)

    assert _rows("directory_location", refuge.pk) == [ROUNDED]
    assert _rows("directory_historicallocation", refuge.pk) == [ROUNDED]
    # A place that is not confidential keeps its exact point, as a parent needs to find it.
    assert _rows("directory_location", office.pk) == [EXACT]
    assert _rows("directory_historicallocation", office.pk) == [EXACT]
