"""The timers fire through the outbox: once, on the right working day, never again.

Time is moved with time-machine around Easter 2026 (Good Friday 3 April, Easter Monday 6
April) and the late summer bank holiday (31 August 2026).
"""

import datetime as dt
from collections.abc import Iterator
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import transaction

from alliance.models import AuditEvent, OutboundMessage
from referrals import services
from referrals.models import Offering, Referral
from referrals.timer_services import referral_overdue_counts, referral_timers_run
from referrals.timers import Timer
from tests.referrals.support import (
    PERSONAL,
    cohort,
    court_ordered,
    parents,
    postcodes,
    provider,
    sent,
)

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


def at(day: dt.date, hour: int = 9) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=LONDON)


@pytest.fixture
def offering(provider_staff) -> Offering:  # type: ignore[no-untyped-def]
    postcodes()
    offering = provider(staff=provider_staff)
    # Two groups well after every travelled-to date: the parents never share one.
    cohort(offering, days=400)
    cohort(offering, days=420)
    return offering


@pytest.fixture
def traveller() -> Iterator[object]:
    with time_machine.travel(at(dt.date(2026, 4, 1), 10), tick=False) as traveller:
        yield traveller


def fired(timer: Timer, referral: Referral | None = None) -> list[OutboundMessage]:
    prefix = f"referral:{referral.pk}:timer:{timer}:" if referral else None
    messages = OutboundMessage.objects.filter(idempotency_key__contains=f":timer:{timer}:")
    if prefix:
        messages = messages.filter(idempotency_key__startswith=prefix)
    return list(messages.order_by("pk"))


def run_twice() -> int:
    # Beat running twice (two beat processes, or a retried task) must change nothing.
    return referral_timers_run() + referral_timers_run()


def test_the_provider_is_reminded_once_on_the_first_day_after_two_working_days_over_easter(
    fca, provider_staff, offering, traveller
) -> None:  # type: ignore[no-untyped-def]
    hearing_far_off = court_ordered(first_hearing_on=dt.date(2026, 6, 1))
    a, _b = sent(fca, case=hearing_far_off)  # sent on Wednesday 1 April, 10:00

    for day in (dt.date(2026, 4, 2), dt.date(2026, 4, 3), dt.date(2026, 4, 6), dt.date(2026, 4, 7)):
        traveller.move_to(at(day))
        run_twice()
        assert fired(Timer.PROVIDER_REMINDER) == [], f"not yet on {day}"

    traveller.move_to(at(dt.date(2026, 4, 8), 0))
    run_twice()
    reminders = fired(Timer.PROVIDER_REMINDER, a)
    assert [m.to for m in reminders] == [provider_staff.email]
    assert len(fired(Timer.PROVIDER_REMINDER)) == 2  # one per parent's referral

    traveller.move_to(at(dt.date(2026, 4, 9)))
    run_twice()
    assert len(fired(Timer.PROVIDER_REMINDER)) == 2
    assert (
        AuditEvent.objects.filter(
            action="referral.timer.provider-reminder", object_id=str(a.pk)
        ).count()
        == 1
    )


def test_the_fca_is_told_two_working_days_after_the_reminder(fca, offering, traveller) -> None:  # type: ignore[no-untyped-def]
    a, _b = sent(fca, case=court_ordered(first_hearing_on=dt.date(2026, 6, 1)))
    traveller.move_to(at(dt.date(2026, 4, 9)))  # 4th working day is Thursday 9 April
    run_twice()
    assert fired(Timer.FCA_NOT_ACKNOWLEDGED) == []
    traveller.move_to(at(dt.date(2026, 4, 10)))
    run_twice()
    assert [m.to for m in fired(Timer.FCA_NOT_ACKNOWLEDGED, a)] == [fca.email]


def test_an_accepted_referral_is_not_chased(fca, provider_staff, offering, traveller) -> None:  # type: ignore[no-untyped-def]
    a, b = sent(fca, case=court_ordered(first_hearing_on=dt.date(2026, 6, 1)))
    services.referral_accept(actor=provider_staff, referral_id=a.pk)
    traveller.move_to(at(dt.date(2026, 4, 20)))
    run_twice()
    assert fired(Timer.PROVIDER_REMINDER, a) == []
    assert len(fired(Timer.PROVIDER_REMINDER, b)) == 1


def test_the_parent_is_reminded_once_after_ten_working_days_over_the_august_bank_holiday(
    fca, provider_staff, offering, traveller
) -> None:  # type: ignore[no-untyped-def]
    traveller.move_to(at(dt.date(2026, 8, 17), 11))
    a, _b = sent(fca, case=court_ordered(first_hearing_on=dt.date(2026, 12, 1)))
    services.referral_accept(actor=provider_staff, referral_id=a.pk)

    traveller.move_to(at(dt.date(2026, 9, 1), 23))  # the 10th working day, late evening
    run_twice()
    assert fired(Timer.PARENT_NOT_BOOKED, a) == []

    traveller.move_to(at(dt.date(2026, 9, 2), 6))
    run_twice()
    messages = fired(Timer.PARENT_NOT_BOOKED, a)
    assert len(messages) == 1
    assert messages[0].to == a.email  # until sent: then the outbox erases it
    assert messages[0].erase_after_send
    for text in PERSONAL:
        assert text not in messages[0].subject + messages[0].body_text + messages[0].body_html
    assert a.reference in messages[0].body_text


def test_the_fca_is_alerted_when_nothing_has_happened_fourteen_days_after_the_hearing(
    fca, offering, traveller
) -> None:  # type: ignore[no-untyped-def]
    # Hearing on Monday 14 December 2026: the 14th day is the Boxing Day substitute holiday.
    traveller.move_to(at(dt.date(2026, 12, 14), 15))
    a, _b = sent(fca, case=court_ordered(first_hearing_on=dt.date(2026, 12, 14)))
    traveller.move_to(at(dt.date(2026, 12, 28)))
    run_twice()
    assert fired(Timer.FCA_NOTHING_AFTER_HEARING) == []
    traveller.move_to(at(dt.date(2026, 12, 29)))
    run_twice()
    assert [m.to for m in fired(Timer.FCA_NOTHING_AFTER_HEARING, a)] == [fca.email]


def test_the_follow_up_is_a_task_for_the_provider_six_weeks_after_the_workshop(
    fca, provider_staff, offering, traveller
) -> None:  # type: ignore[no-untyped-def]
    traveller.move_to(at(dt.date(2026, 7, 1)))
    a, _b = sent(fca, case=court_ordered(first_hearing_on=dt.date(2026, 7, 1)))
    group = cohort(offering, days=19)  # Monday 20 July, 09:00
    services.referral_accept(actor=provider_staff, referral_id=a.pk)
    services.referral_book(actor=provider_staff, referral_id=a.pk, cohort_id=group.pk)
    traveller.move_to(at(dt.date(2026, 7, 20), 13))
    services.referral_attendance_record(actor=provider_staff, referral_id=a.pk, attended=True)

    traveller.move_to(at(dt.date(2026, 8, 31)))  # six weeks on: the bank holiday
    run_twice()
    assert fired(Timer.PROVIDER_FOLLOW_UP, a) == []
    traveller.move_to(at(dt.date(2026, 9, 1)))
    run_twice()
    assert [m.to for m in fired(Timer.PROVIDER_FOLLOW_UP, a)] == [provider_staff.email]


def test_a_timer_that_failed_mid_way_fires_on_the_next_run(fca, offering, traveller) -> None:  # type: ignore[no-untyped-def]
    a, _b = sent(fca, case=court_ordered(first_hearing_on=dt.date(2026, 6, 1)))
    traveller.move_to(at(dt.date(2026, 4, 8)))

    def run_then_die() -> None:
        with transaction.atomic():
            referral_timers_run()
            raise RuntimeError("the worker died before commit")

    with pytest.raises(RuntimeError):
        run_then_die()
    assert fired(Timer.PROVIDER_REMINDER) == []
    referral_timers_run()
    assert len(fired(Timer.PROVIDER_REMINDER, a)) == 1


def test_the_overdue_counts_say_what_is_waiting_now(
    fca, provider_staff, offering, traveller
) -> None:  # type: ignore[no-untyped-def]
    a, b = sent(fca, case=court_ordered(first_hearing_on=dt.date(2026, 6, 1)))
    services.referral_accept(actor=provider_staff, referral_id=a.pk)
    traveller.move_to(at(dt.date(2026, 4, 10)))
    counts = referral_overdue_counts()
    assert counts[Timer.PROVIDER_REMINDER] == 1
    assert counts[Timer.FCA_NOT_ACKNOWLEDGED] == 1
    assert counts[Timer.PARENT_NOT_BOOKED] == 0
    assert parents(a.case)[1].pk == b.pk
