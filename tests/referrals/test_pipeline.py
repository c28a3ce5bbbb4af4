"""The worker's path: a submitted case's two parents allocated and sent in one transaction,
with the same trail, places and emails as the step-by-step services (issue 10 item 5)."""

import pytest
from django.db.models import Count

from alliance.models import AuditEvent, OutboundMessage
from referrals import services
from referrals.models import Cohort, Mode, Offering, Referral, ReferralEvent, Status
from tests.referrals.support import cohort, parents, postcodes, provider, submitted_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def offering(provider_staff) -> Offering:
    postcodes()
    return provider(staff=provider_staff)


def _trail(referral: Referral) -> list[tuple[str, str, str]]:
    return list(
        ReferralEvent.objects.filter(referral=referral)
        .order_by("at", "pk")
        .values_list("action", "from_status", "to_status")
    )


def test_both_parents_are_allocated_to_different_cohorts_and_sent_in_one_go(
    fca, provider_staff, offering, django_capture_on_commit_callbacks
) -> None:
    first = cohort(offering, days=3)
    second = cohort(offering, days=4)
    case = submitted_case(fca)

    with django_capture_on_commit_callbacks() as callbacks:
        services.case_allocate(case_id=case.pk)

    a, b = parents(case)
    assert (a.status, b.status) == (Status.SENT, Status.SENT)
    assert (a.cohort, b.cohort) == (first, second)  # soonest first; never the other's
    assert a.offering == b.offering == offering
    assert a.allocated_at is not None
    assert a.sent_at is not None
    for referral in (a, b):
        # One ReferralEvent and one audit row per transition, as the single steps write.
        assert _trail(referral) == [
            ("create", "", Status.DRAFT),
            ("submit", Status.DRAFT, Status.SUBMITTED),
            ("allocate", Status.SUBMITTED, Status.ALLOCATED),
            ("send", Status.ALLOCATED, Status.SENT),
        ]
        assert list(
            AuditEvent.objects.filter(object_id=str(referral.pk))
            .filter(action__in=["referral.allocate", "referral.send"])
            .order_by("pk")
            .values_list("action", "detail")
        ) == [
            (
                "referral.allocate",
                {"from": "submitted", "to": "allocated", "cohort": referral.cohort_id},
            ),
            ("referral.send", {"from": "allocated", "to": "sent", "cohort": referral.cohort_id}),
        ]
    keys = set(OutboundMessage.objects.values_list("idempotency_key", flat=True))
    assert keys == {
        f"referral:{a.pk}:provider-new:0",
        f"referral:{b.pk}:provider-new:0",
        f"referral:{a.pk}:parent:sent:4",
        f"referral:{b.pk}:parent:sent:4",
    }
    assert set(OutboundMessage.objects.values_list("to", flat=True)) == {
        provider_staff.email,
        a.email,
        b.email,
    }
    # The four emails of the transaction go to the worker as ONE delivery task.
    assert len(callbacks) == 1
    for first_cohort in Cohort.objects.filter(pk__in=[first.pk, second.pk]):
        assert first_cohort.places_taken == 1


def test_with_one_cohort_one_parent_is_sent_and_the_fca_is_told_the_other_waits(
    fca, offering
) -> None:
    only = cohort(offering, capacity=6)
    case = submitted_case(fca)
    services.case_allocate(case_id=case.pk)
    a, b = parents(case)
    assert (a.status, a.cohort) == (Status.SENT, only)
    assert (b.status, b.cohort) == (Status.UNALLOCATED, None)
    assert _trail(b)[-1] == ("wait", Status.SUBMITTED, Status.UNALLOCATED)
    told = OutboundMessage.objects.get(idempotency_key=f"referral:{b.pk}:fca:unallocated:3")
    assert told.to == fca.email
    only.refresh_from_db()
    assert only.places_taken == 1


def test_allocating_a_case_again_changes_nothing(fca, offering) -> None:
    cohort(offering, days=3)
    cohort(offering, days=4)
    case = submitted_case(fca)
    services.case_allocate(case_id=case.pk)
    before = (
        ReferralEvent.objects.count(),
        AuditEvent.objects.count(),
        OutboundMessage.objects.count(),
        list(Cohort.objects.values_list("places_taken", flat=True)),
    )
    services.case_allocate(case_id=case.pk)
    after = (
        ReferralEvent.objects.count(),
        AuditEvent.objects.count(),
        OutboundMessage.objects.count(),
        list(Cohort.objects.values_list("places_taken", flat=True)),
    )
    assert after == before


def test_in_person_nearest_comes_before_online_and_a_full_cohort_is_skipped(fca, offering) -> None:
    online = cohort(offering, days=2)
    cohort(offering, days=3, mode=Mode.IN_PERSON, capacity=1, places_taken=1)  # full
    in_person = cohort(offering, days=9, mode=Mode.IN_PERSON)
    case = submitted_case(fca)
    services.case_allocate(case_id=case.pk)
    a, b = parents(case)
    assert a.cohort == in_person
    assert b.cohort == online


def test_the_ranking_reads_past_its_first_batch_when_those_cohorts_are_full(fca, offering) -> None:
    # More full-at-the-last-moment groups than one batch: the allocation reads on. The ranked
    # query excludes groups already full, so fill them "concurrently" from inside _take_place.
    groups = [cohort(offering, days=2 + n) for n in range(services._BATCH + 2)]
    taken = services._take_place
    calls: list[int] = []

    def someone_else_was_first(cohort_id: int) -> bool:
        calls.append(cohort_id)
        if len(calls) <= services._BATCH + 1:
            return False
        return taken(cohort_id)

    case = submitted_case(fca)
    a, _b = parents(case)
    services._take_place = someone_else_was_first  # type: ignore[assignment]
    try:
        services.referral_allocate(referral_id=a.pk)
    finally:
        services._take_place = taken  # type: ignore[assignment]
    a.refresh_from_db()
    assert a.cohort == groups[services._BATCH + 1]
    assert calls == [g.pk for g in groups]


def test_try_again_allocates_and_sends_one_parent(fca, offering) -> None:
    case = submitted_case(fca)
    services.case_allocate(case_id=case.pk)  # nothing to give: both wait
    a, b = parents(case)
    assert {a.status, b.status} == {Status.UNALLOCATED}
    room = cohort(offering, days=5)
    services.referral_allocate_and_send(referral_id=b.pk)
    a, b = parents(case)
    assert (a.status, b.status, b.cohort) == (Status.UNALLOCATED, Status.SENT, room)
    assert _trail(b)[-2:] == [
        ("allocate", Status.UNALLOCATED, Status.ALLOCATED),
        ("send", Status.ALLOCATED, Status.SENT),
    ]
    with pytest.raises(services.ReferralError):
        services.referral_allocate_and_send(referral_id=b.pk)
    # Never the other parent's cohort, even when it is the only one with room.
    services.referral_allocate_and_send(referral_id=a.pk)
    a.refresh_from_db()
    assert a.status == Status.UNALLOCATED
    assert (
        Referral.objects.values("cohort")
        .annotate(n=Count("pk"))
        .filter(cohort__isnull=False, n__gt=1)
        .count()
        == 0
    )
