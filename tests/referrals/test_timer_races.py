"""Two beat runs at the same moment (two beat processes, or a retried task beside a new one)
fire each timer once: the referral's row lock serialises them (real PostgreSQL, two threads,
two connections)."""

import datetime as dt
import threading

import pytest
from django.db import connection
from django.utils import timezone

from alliance.models import AuditEvent, OutboundMessage
from referrals.timer_services import referral_timers_run
from tests.referrals.support import cohort, court_ordered, postcodes, provider, sent

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_beat_runs_racing_fire_each_timer_once(fca, provider_staff) -> None:  # type: ignore[no-untyped-def]
    postcodes()
    offering = provider(staff=provider_staff)
    cohort(offering, days=60)
    cohort(offering, days=61)
    a, b = sent(fca, case=court_ordered(first_hearing_on=timezone.localdate()))
    later = timezone.localdate() + dt.timedelta(days=30)  # every "sent" timer is due
    start = threading.Barrier(3)
    fired: list[int] = []
    errors: list[BaseException] = []

    def beat() -> None:
        try:
            start.wait()
            fired.append(referral_timers_run(today=later))
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=beat) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    timers = AuditEvent.objects.filter(action__startswith="referral.timer.")
    pairs = list(timers.values_list("action", "object_id"))
    assert len(pairs) == len(set(pairs)) == sum(fired)
    # provider reminder, FCA escalation, parent not booked, nothing after the hearing: each
    # for both parents' referrals.
    assert sum(fired) == 8
    keys = OutboundMessage.objects.filter(idempotency_key__contains=":timer:")
    assert keys.count() == 8  # one recipient each in this cast
    assert {a.pk, b.pk} == {int(o) for _, o in pairs}
