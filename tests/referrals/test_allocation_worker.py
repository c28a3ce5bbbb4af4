"""Allocation on real Celery worker processes racing, real Redis, real PostgreSQL.

Issue 9: the two parents of a case never share a cohort and no cohort goes over capacity, even
when two workers allocate the two parents of one case at the same moment.
"""

from collections import Counter

import pytest
from django.db import transaction

from referrals import services
from referrals.models import Cohort, Referral, Status
from tests.referrals.support import cohort, make_case, parents, postcodes, provider
from tests.support.worker import wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def _settled() -> bool:
    return not Referral.objects.filter(status=Status.SUBMITTED).exists()


def test_racing_workers_never_put_two_parents_together_or_overfill_a_cohort(
    start_worker, fca, provider_staff
) -> None:
    postcodes()
    offering = provider(staff=provider_staff)
    groups = [cohort(offering, days=days, capacity=2) for days in (3, 4, 5)]  # 6 places
    start_worker()
    start_worker()
    # A first case proves both workers are listening before the race begins.
    warm_up = make_case(fca)
    services.case_submit(actor=fca, case_id=warm_up.pk)
    wait_for(_settled, 180, "the first allocation")

    cases = [make_case(fca) for _ in range(5)]
    # One transaction: all ten allocation tasks reach the broker together, after commit, and
    # the two workers take the two parents of each case at about the same moment.
    with transaction.atomic():
        for case in cases:
            services.case_submit(actor=fca, case_id=case.pk)
    wait_for(_settled, 180, "every allocation")

    holders = Counter(
        Referral.objects.filter(cohort__isnull=False).values_list("cohort_id", flat=True)
    )
    for group in Cohort.objects.filter(pk__in=[g.pk for g in groups]):
        assert group.places_taken == holders[group.pk] <= group.capacity
    assert sum(holders.values()) == 6
    for case in [warm_up, *cases]:
        a, b = parents(case)
        assert a.cohort_id is None or a.cohort_id != b.cohort_id
    statuses = Counter(Referral.objects.values_list("status", flat=True))
    assert statuses == {Status.SENT: 6, Status.UNALLOCATED: 6}


def test_two_workers_allocating_one_case_with_one_cohort_give_it_to_one_parent(
    start_worker, fca, provider_staff
) -> None:
    postcodes()
    only = cohort(provider(staff=provider_staff), capacity=6)
    start_worker()
    start_worker()
    case = make_case(fca)
    services.case_submit(actor=fca, case_id=case.pk)
    wait_for(_settled, 180, "both allocations")
    a, b = parents(case)
    assert sorted([a.status, b.status]) == [Status.SENT, Status.UNALLOCATED]
    only.refresh_from_db()
    assert only.places_taken == 1
