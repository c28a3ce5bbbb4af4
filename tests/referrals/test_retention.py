"""The retention purge: nothing personal of a closed referral survives anywhere in the database,
and the anonymous figures the dashboard needs do."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection

from alliance.models import AuditEvent, OutboundMessage
from referrals import services
from referrals.models import Case, Offering, Referral, Status
from referrals.retention import months_before, referrals_purge_expired
from referrals.timer_services import referral_timers_run
from tests.directory.factories import PostcodeFactory
from tests.referrals.support import (
    PARENT_A,
    PARENT_B,
    cohort,
    court_ordered,
    postcodes,
    provider,
    sent,
)

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")
AVAILABILITY = "Tuesday mornings while Zephyrine is at nursery"
DECLINE = "Quillon Street venue is next to the other parent's workplace"
CASE_NUMBER = "ZZ26P98765"
RETURNED = "Needs a Polish-speaking facilitator Wenceslas could not arrange"
# Postcodes no venue in the cast uses, so any trace of them is the parents'.
POSTCODE_A, POSTCODE_B = "LE3 9QX", "LE4 8RW"
PERSONAL = [
    *(PARENT_A[k] for k in ("name", "email", "phone", "access_needs")),
    *(PARENT_B[k] for k in ("name", "email", "phone", "access_needs")),
    POSTCODE_A,
    POSTCODE_B,
]
# The ONS postcode list is public reference data (every postcode in the country).
NOT_PERSONAL_TABLES = {"directory_postcode"}


@pytest.fixture
def offering(provider_staff) -> Offering:  # type: ignore[no-untyped-def]
    postcodes()
    PostcodeFactory(code=POSTCODE_A, latitude=52.63, longitude=-1.17)
    PostcodeFactory(code=POSTCODE_B, latitude=52.66, longitude=-1.10)
    offering = provider(staff=provider_staff)
    cohort(offering, days=400)
    cohort(offering, days=420)
    return offering


def every_text_column() -> list[tuple[str, str]]:
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT table_name, column_name FROM information_schema.columns
            WHERE table_schema = 'public'
              AND data_type IN ('text', 'character varying', 'jsonb', 'json', 'character')
            ORDER BY table_name, column_name
            """
        )
        return list(cursor.fetchall())


def where_found(text: str) -> list[str]:
    found = []
    with connection.cursor() as cursor:
        for table, column in every_text_column():
            if table in NOT_PERSONAL_TABLES:
                continue
            cursor.execute(
                f'SELECT count(*) FROM "{table}" WHERE "{column}"::text ILIKE %s',  # noqa: S608
                [f"%{text}%"],
            )
            if cursor.fetchone()[0]:
                found.append(f"{table}.{column}")
    return found


def closed_case(fca, provider_staff, offering) -> tuple[Referral, Referral]:  # type: ignore[no-untyped-def]
    a, b = sent(
        fca,
        case=court_ordered(case_number=CASE_NUMBER, first_hearing_on=dt.date(2026, 1, 5)),
        a={"postcode": POSTCODE_A},
        b={"postcode": POSTCODE_B},
    )
    services.referral_availability_give(referral_id=a.pk, availability=AVAILABILITY)
    services.referral_accept(actor=provider_staff, referral_id=a.pk)
    group = cohort(offering, days=3)
    services.referral_book(actor=provider_staff, referral_id=a.pk, cohort_id=group.pk)
    services.referral_attendance_record(actor=provider_staff, referral_id=a.pk, attended=True)
    services.referral_complete(actor=provider_staff, referral_id=a.pk)
    # Returned with a reason: free text on the referral's event row.
    services.referral_return_unsuitable(actor=provider_staff, referral_id=b.pk, reason=RETURNED)
    a.refresh_from_db()
    b.refresh_from_db()
    return a, b


def test_the_purge_leaves_nothing_personal_of_a_closed_referral_anywhere(
    fca, provider_staff, offering
) -> None:  # type: ignore[no-untyped-def]
    with time_machine.travel(dt.datetime(2026, 1, 5, 10, tzinfo=LONDON), tick=False) as clock:
        a, b = closed_case(fca, provider_staff, offering)
        clock.move_to(dt.datetime(2026, 1, 30, 10, tzinfo=LONDON))
        referral_timers_run()  # timer messages in the outbox too
        secrets = [*PERSONAL, AVAILABILITY, RETURNED, CASE_NUMBER]
        assert where_found(RETURNED) == ["referrals_referralevent.reason"]
        assert where_found(AVAILABILITY), "the scan must see the data before the purge"
        assert where_found(PERSONAL[0])

        clock.move_to(dt.datetime(2026, 12, 30, 10, tzinfo=LONDON))
        assert referrals_purge_expired() == 0  # inside the 12 months: kept

        clock.move_to(dt.datetime(2027, 2, 1, 10, tzinfo=LONDON))
        assert referrals_purge_expired() == 2
        assert referrals_purge_expired() == 0  # idempotent

    leaks = {text: where_found(text) for text in secrets}
    assert leaks == {text: [] for text in secrets}

    # The anonymous figures the dashboard needs are still there.
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.status, b.status) == (Status.COMPLETED, Status.RETURNED_UNSUITABLE)
    assert a.case.route == "court_order"
    assert a.case.programme.code == "PTFC"
    for stamp in ("submitted_at", "allocated_at", "booked_at", "completed_at"):
        assert getattr(a, stamp) is not None, stamp
    assert b.closed_at is not None
    assert Case.objects.get(pk=a.case_id).first_hearing_on == dt.date(2026, 1, 5)
    # Recorded once each, and the outbox rows remain (so no timer can fire again).
    assert AuditEvent.objects.filter(action="referral.personal_data_erased").count() == 2
    assert AuditEvent.objects.filter(action="case.personal_data_erased").count() == 1
    assert OutboundMessage.objects.filter(idempotency_key__startswith=f"referral:{a.pk}:").exists()


def test_an_open_referral_and_its_case_are_not_erased(fca, provider_staff, offering) -> None:  # type: ignore[no-untyped-def]
    with time_machine.travel(dt.datetime(2026, 1, 5, 10, tzinfo=LONDON), tick=False) as clock:
        a, b = sent(
            fca,
            case=court_ordered(case_number=CASE_NUMBER),
            a={"postcode": POSTCODE_A},
            b={"postcode": POSTCODE_B},
        )
        services.referral_decline(actor=provider_staff, referral_id=b.pk, reason=DECLINE)
        clock.move_to(dt.datetime(2027, 6, 1, 10, tzinfo=LONDON))
        assert referrals_purge_expired() == 1
    a.refresh_from_db()
    assert a.name == a.name.strip() != ""
    assert where_found(a.email)
    assert where_found(CASE_NUMBER)  # the case waits for its other referral
    assert where_found(DECLINE) == []


@pytest.mark.parametrize(
    ("moment", "months", "expected"),
    [
        (
            dt.datetime(2027, 3, 31, 12, tzinfo=LONDON),
            1,
            dt.datetime(2027, 2, 28, 12, tzinfo=LONDON),
        ),
        (dt.datetime(2027, 1, 15, tzinfo=LONDON), 12, dt.datetime(2026, 1, 15, tzinfo=LONDON)),
        (dt.datetime(2027, 1, 15, tzinfo=LONDON), 13, dt.datetime(2025, 12, 15, tzinfo=LONDON)),
    ],
)
def test_months_before_counts_calendar_months(moment, months, expected) -> None:  # type: ignore[no-untyped-def]
    assert months_before(moment, months) == expected
