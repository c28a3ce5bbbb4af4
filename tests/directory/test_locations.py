"""A confidential location's exact point is never stored, whatever writes it (DESIGN.md rule 7).

Migration 0005 and decision 0006: a trigger rounds, a CHECK constraint refuses if the trigger
is ever off, and the history table is held to the same rule.
"""

import random

import pytest
from django.db import IntegrityError, connection, transaction
from django.test import Client

from directory.models import Location, confidential_coordinate
from tests.conftest import sign_in
from tests.directory.factories import LocationFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

# A refuge's front door, to the metre, and that point rounded to about a kilometre.
EXACT = (52.627349, -1.172281)
ROUNDED = (52.63, -1.17)


def _stored(pk: int) -> tuple[float, float]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT latitude, longitude FROM directory_location WHERE id = %s", [pk])
        return cursor.fetchone()


def _history(pk: int) -> list[tuple[float, float]]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT latitude, longitude FROM directory_historicallocation WHERE id = %s", [pk]
        )
        return cursor.fetchall()


def test_save_stores_a_confidential_point_rounded() -> None:
    location = LocationFactory(confidential=True, latitude=EXACT[0], longitude=EXACT[1])

    assert (location.latitude, location.longitude) == ROUNDED
    assert _stored(location.pk) == ROUNDED
    assert _history(location.pk) == [ROUNDED]


def test_bulk_create_cannot_store_an_exact_confidential_point() -> None:
    organisation = OrganisationFactory()

    created = Location.objects.bulk_create(
        Location(
            organisation=organisation,
            name=f"Refuge {n}",
            postcode="LE3",
            latitude=EXACT[0] + n / 1000,
            longitude=EXACT[1],
            confidential=True,
        )
        for n in range(3)
    )

    for n, location in enumerate(created):
        assert _stored(location.pk) == (round(EXACT[0] + n / 1000, 2), ROUNDED[1])


def test_queryset_update_cannot_store_an_exact_confidential_point() -> None:
    location = LocationFactory(confidential=True, latitude=ROUNDED[0], longitude=ROUNDED[1])

    Location.objects.filter(pk=location.pk).update(latitude=EXACT[0], longitude=EXACT[1])

    assert _stored(location.pk) == ROUNDED


def test_making_a_location_confidential_with_update_rounds_it_and_its_history() -> None:
    location = LocationFactory(latitude=EXACT[0], longitude=EXACT[1])
    location.name = "Renamed"
    location.save(update_fields=["name"])
    assert _history(location.pk) == [EXACT, EXACT]

    Location.objects.filter(pk=location.pk).update(confidential=True)

    assert _stored(location.pk) == ROUNDED
    assert _history(location.pk) == [ROUNDED, ROUNDED]


def test_saving_only_the_confidential_flag_still_rounds_the_stored_point() -> None:
    location = LocationFactory(latitude=EXACT[0], longitude=EXACT[1])

    location.confidential = True
    location.save(update_fields=["confidential"])

    assert _stored(location.pk) == ROUNDED
    assert ROUNDED in _history(location.pk)
    assert EXACT not in _history(location.pk)


def test_raw_sql_cannot_store_an_exact_confidential_point() -> None:
    organisation = OrganisationFactory()
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO directory_location (organisation_id, name, address_1, address_2, town,"
            " postcode, latitude, longitude, confidential, accessibility_notes)"
            " VALUES (%s, 'Refuge', '', '', '', 'LE3', %s, %s, true, '') RETURNING id",
            [organisation.pk, *EXACT],
        )
        (pk,) = cursor.fetchone()

    assert _stored(pk) == ROUNDED


def test_a_history_row_of_a_confidential_location_cannot_keep_an_exact_point() -> None:
    location = LocationFactory(confidential=True, latitude=EXACT[0], longitude=EXACT[1])
    # An old version written as "not confidential", as a history revert or import might.
    Location.history.create(
        id=location.pk,
        organisation=location.organisation,
        name=location.name,
        postcode=location.postcode,
        latitude=EXACT[0],
        longitude=EXACT[1],
        confidential=False,
        history_date=location.history.get().history_date,
        history_type="~",
    )

    assert set(_history(location.pk)) == {ROUNDED}


def test_with_triggers_off_the_constraint_refuses_an_exact_confidential_point() -> None:
    location = LocationFactory(confidential=True, latitude=ROUNDED[0], longitude=ROUNDED[1])

    with transaction.atomic(), connection.cursor() as cursor:
        # What a replica applying changes, or pg_restore --disable-triggers, does.
        cursor.execute("SET LOCAL session_replication_role = replica")
        with pytest.raises(IntegrityError, match="location_confidential_rounded"):
            cursor.execute(
                "UPDATE directory_location SET latitude = %s WHERE id = %s", [EXACT[0], location.pk]
            )
        transaction.set_rollback(True)

    assert _stored(location.pk) == ROUNDED


def test_a_curator_typing_an_exact_point_for_a_refuge_gets_it_rounded(
    client: Client, curator
) -> None:  # type: ignore[no-untyped-def]
    sign_in(client, curator)
    organisation = OrganisationFactory()

    response = client.post(
        "/admin/directory/location/add/",
        {
            "organisation": organisation.pk,
            "name": "Women's refuge",
            "postcode": "LE3 5AB",
            "latitude": str(EXACT[0]),
            "longitude": str(EXACT[1]),
            "confidential": "on",
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    location = Location.objects.get(name="Women's refuge")
    assert _stored(location.pk) == ROUNDED
    assert _history(location.pk) == [ROUNDED]


def test_python_rounds_exactly_as_the_database_does() -> None:
    # Halves and binary near-misses are where two roundings part company.
    rng = random.Random(7)  # noqa: S311 - test data, not security
    values = [2.675, -1.125, 52.625, -0.005, 0.015, 1.005, 52.6350000001, -1.1349999999]
    values += [rng.uniform(-90, 90) for _ in range(500)]
    values += [round(rng.uniform(-2, 60), 3) for _ in range(500)]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT round(v::numeric, 2)::double precision FROM unnest(%s::float8[])"
            " WITH ORDINALITY AS t(v, n) ORDER BY n",
            [values],
        )
        database = [row[0] for row in cursor.fetchall()]

    assert [confidential_coordinate(v) for v in values] == database
