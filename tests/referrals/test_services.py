"""Every state change of a programme referral goes through one service and the one table."""

import re

import pytest
from django.db import IntegrityError, transaction

from alliance.models import AuditEvent, OutboundMessage
from referrals import services
from referrals.links import reference_from_token
from referrals.models import Cohort, CourtDecision, Mode, Offering, Referral, Route, Status
from referrals.services import TRANSITIONS, ReferralError
from tests.directory.factories import PostcodeFactory
from tests.referrals.support import (
    PARENT_A,
    PERSONAL,
    cohort,
    court_ordered,
    direct_complete,
    make_case,
    parents,
    postcodes,
    provider,
    sent,
    submitted_case,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def offering(provider_staff) -> Offering:
    postcodes()
    return provider(staff=provider_staff)


# The table ---------------------------------------------------------------------------------

OUTSIDE_THE_TABLE = [
    (action, status)
    for action, step in TRANSITIONS.items()
    for status in Status
    if status not in step.sources
]


@pytest.mark.parametrize(("action", "status"), OUTSIDE_THE_TABLE)
def test_every_transition_outside_the_table_is_refused(fca, action: str, status: Status) -> None:
    referral = parents(make_case(fca))[0]
    Referral.objects.filter(pk=referral.pk).update(status=status)
    referral.refresh_from_db()
    with pytest.raises(ReferralError):
        services._move(referral, action, actor=fca)
    referral.refresh_from_db()
    assert referral.status == status
    assert referral.events.count() == 1  # only its creation


def test_the_table_has_the_issues_lifecycle_and_its_exits() -> None:
    path = ["submit", "allocate", "send", "accept", "book", "attend", "complete"]
    status = Status.DRAFT
    for action in path:
        assert status in TRANSITIONS[action].sources
        status = TRANSITIONS[action].target
    assert status == Status.COMPLETED
    assert TRANSITIONS["did_not_attend"].target == Status.DID_NOT_ATTEND
    assert TRANSITIONS["withdraw"].target == Status.WITHDRAWN
    assert TRANSITIONS["return_unsuitable"].target == Status.RETURNED_UNSUITABLE
    assert TRANSITIONS["decline"].target == Status.DECLINED


# Cases and the gate --------------------------------------------------------------------------


def test_a_case_has_one_referral_per_parent(fca) -> None:
    case = make_case(fca)
    a, b = parents(case)
    assert (a.parent, b.parent) == (1, 2)
    assert a.name == PARENT_A["name"]
    assert a.reference != b.reference
    assert {r.status for r in (a, b)} == {Status.DRAFT}


def test_a_case_of_one_parent_is_refused(fca) -> None:
    from tests.referrals.support import ptfc

    with pytest.raises(ReferralError):
        services.case_create(actor=fca, programme=ptfc(), case=court_ordered(), parents=[PARENT_A])


def test_it_blocks_submitting_a_direct_referral_when_abuse_is_indicated(fca) -> None:
    case = make_case(fca, case=direct_complete(domestic_abuse_indicated=True))
    with pytest.raises(ReferralError, match="Domestic abuse is indicated"):
        services.case_submit(actor=fca, case_id=case.pk)
    assert {r.status for r in parents(case)} == {Status.DRAFT}


def test_it_blocks_a_direct_referral_when_a_parent_has_a_safety_flag(fca) -> None:
    case = make_case(fca, case=direct_complete(), b={"safety_flag": True})
    with pytest.raises(ReferralError, match="safety concern"):
        services.case_submit(actor=fca, case_id=case.pk)


def test_a_complete_direct_referral_is_submitted_and_allocation_queued_after_commit(
    fca, django_capture_on_commit_callbacks
) -> None:
    case = make_case(fca, case=direct_complete())
    with django_capture_on_commit_callbacks() as callbacks:
        services.case_submit(actor=fca, case_id=case.pk)
    assert len(callbacks) == 1  # one task allocates both parents, under the case lock
    for referral in parents(case):
        assert referral.status == Status.SUBMITTED
        assert referral.submitted_at is not None
        assert referral.events.last().to_status == Status.SUBMITTED


def test_a_blocked_direct_referral_can_become_a_request_to_the_court(fca) -> None:
    case = make_case(fca, case=direct_complete(fca_attests=False))
    services.case_route_to_court(actor=fca, case_id=case.pk)
    with pytest.raises(ReferralError, match="not decided"):
        services.case_submit(actor=fca, case_id=case.pk)
    services.case_court_decision_record(actor=fca, case_id=case.pk, decision=CourtDecision.ORDERED)
    services.case_submit(actor=fca, case_id=case.pk)
    case.refresh_from_db()
    assert case.route == Route.REQUEST_TO_COURT
    assert {r.status for r in parents(case)} == {Status.SUBMITTED}


# Allocation ------------------------------------------------------------------------------------


def test_the_two_parents_are_never_given_the_same_cohort(fca, offering) -> None:
    only = cohort(offering, capacity=6)
    case = submitted_case(fca)
    a, b = parents(case)
    assert services.referral_allocate(referral_id=a.pk).cohort == only
    waiting = services.referral_allocate(referral_id=b.pk)
    assert waiting.status == Status.UNALLOCATED
    assert waiting.cohort is None
    fca_mail = OutboundMessage.objects.get(to=fca.email)
    assert "waiting" in fca_mail.subject


def test_a_waiting_referral_is_allocated_when_a_cohort_opens(fca, offering) -> None:
    cohort(offering)
    a, b = parents(submitted_case(fca))
    services.referral_allocate(referral_id=a.pk)
    services.referral_allocate(referral_id=b.pk)
    second = cohort(offering, days=14)
    assert services.referral_allocate(referral_id=b.pk).cohort == second


def test_no_cohort_is_filled_past_its_capacity(fca, offering) -> None:
    small = cohort(offering, capacity=1)
    first = parents(submitted_case(fca))[0]
    other = parents(submitted_case(fca))[0]
    assert services.referral_allocate(referral_id=first.pk).cohort == small
    assert services.referral_allocate(referral_id=other.pk).status == Status.UNALLOCATED
    small.refresh_from_db()
    assert small.places_taken == 1


def test_in_person_nearest_comes_before_online(fca, offering) -> None:
    cohort(offering, days=3, mode=Mode.ONLINE)
    in_person = cohort(offering, days=20, mode=Mode.IN_PERSON)
    a = parents(submitted_case(fca))[0]
    assert services.referral_allocate(referral_id=a.pk).cohort == in_person


def test_a_parent_is_offered_only_their_language_or_an_interpreter(fca, provider_staff) -> None:
    postcodes()
    english_only = provider(staff=provider_staff)
    cohort(english_only)
    a = parents(submitted_case(fca, a={"preferred_language": "pl"}))[0]
    assert services.referral_allocate(referral_id=a.pk).status == Status.UNALLOCATED
    with_interpreter = provider(interpreter_available=True)
    room = cohort(with_interpreter)
    assert services.referral_allocate(referral_id=a.pk).cohort == room


def test_a_postcode_outside_the_area_gets_only_a_national_offering(fca, provider_staff) -> None:
    postcodes()
    cohort(provider(staff=provider_staff))
    a = parents(submitted_case(fca, a={"postcode": "ZE2 9AA"}))[0]
    assert services.referral_allocate(referral_id=a.pk).status == Status.UNALLOCATED
    national = cohort(provider(coverage=Offering.Coverage.NATIONAL))
    assert services.referral_allocate(referral_id=a.pk).cohort == national


def test_a_known_postcode_far_outside_the_area_is_not_covered_by_an_area_offering(
    fca, provider_staff
) -> None:
    # The postcode table holds every UK district: knowing a postcode is not being in the area.
    postcodes()
    PostcodeFactory(code="ZE1", latitude=60.1530, longitude=-1.1490)
    PostcodeFactory(code="ZE1 0AA", latitude=60.1530, longitude=-1.1490)
    cohort(provider(staff=provider_staff))
    a = parents(submitted_case(fca, a={"postcode": "ZE1 0AA"}))[0]
    assert services.referral_allocate(referral_id=a.pk).status == Status.UNALLOCATED


def test_the_database_refuses_both_parents_in_one_cohort(fca, offering) -> None:
    shared = cohort(offering)
    a, b = parents(make_case(fca))
    Referral.objects.filter(pk=a.pk).update(cohort=shared)
    with pytest.raises(IntegrityError), transaction.atomic():
        Referral.objects.filter(pk=b.pk).update(cohort=shared)


def test_the_database_refuses_a_cohort_over_capacity(offering) -> None:
    full = cohort(offering, capacity=2)
    with pytest.raises(IntegrityError), transaction.atomic():
        Cohort.objects.filter(pk=full.pk).update(places_taken=3)


# Provider steps ------------------------------------------------------------------------------


def test_sending_tells_the_provider_and_each_parent_with_only_their_own_link(
    fca, offering, provider_staff
) -> None:
    cohort(offering)
    cohort(offering, days=8)
    a, b = sent(fca)
    assert OutboundMessage.objects.filter(to=provider_staff.email).count() == 2
    for referral in (a, b):
        message = OutboundMessage.objects.get(to=referral.email)
        assert message.erase_after_send
        token = re.search(r"/referrals/parent/([^/]+)/", message.body_text)[1]
        assert reference_from_token(token) == referral.reference


def test_declining_needs_a_reason_frees_the_place_and_tells_the_fca(
    fca, offering, provider_staff
) -> None:
    cohort(offering)
    cohort(offering, days=8)
    a, b = sent(fca)
    with pytest.raises(ReferralError):
        services.referral_decline(actor=provider_staff, referral_id=a.pk, reason="  ")
    services.referral_decline(actor=provider_staff, referral_id=a.pk, reason="No places in May")
    a.refresh_from_db()
    assert a.status == Status.DECLINED
    assert a.cohort is None
    taken = {c.pk: c.places_taken for c in Cohort.objects.all()}
    assert taken == {b.cohort_id: 1, **{pk: 0 for pk in taken if pk != b.cohort_id}}
    assert OutboundMessage.objects.filter(to=fca.email, subject__contains="declined").exists()


def test_booking_refuses_the_other_parents_cohort_and_a_full_one(
    fca, offering, provider_staff
) -> None:
    cohort(offering)
    cohort(offering, days=8)
    full = cohort(offering, days=9, capacity=1)
    Cohort.objects.filter(pk=full.pk).update(places_taken=1)
    spare = cohort(offering, days=10)
    a, b = sent(fca)
    services.referral_accept(actor=provider_staff, referral_id=a.pk)
    with pytest.raises(ReferralError, match="cannot be in that cohort"):
        services.referral_book(actor=provider_staff, referral_id=a.pk, cohort_id=b.cohort_id)
    with pytest.raises(ReferralError, match="full"):
        services.referral_book(actor=provider_staff, referral_id=a.pk, cohort_id=full.pk)
    before = a.cohort_id
    services.referral_book(actor=provider_staff, referral_id=a.pk, cohort_id=spare.pk)
    a.refresh_from_db()
    assert (a.status, a.cohort_id) == (Status.BOOKED, spare.pk)
    assert Cohort.objects.get(pk=before).places_taken == 0
    assert Cohort.objects.get(pk=spare.pk).places_taken == 1


def test_booking_refuses_another_providers_cohort(fca, offering, provider_staff) -> None:
    cohort(offering)
    cohort(offering, days=8)
    elsewhere = cohort(provider())
    a, _b = sent(fca)
    services.referral_accept(actor=provider_staff, referral_id=a.pk)
    with pytest.raises(ReferralError, match="your cohorts"):
        services.referral_book(actor=provider_staff, referral_id=a.pk, cohort_id=elsewhere.pk)


def _booked(fca, provider_staff, **kwargs):  # type: ignore[no-untyped-def]
    a, b = sent(fca, **kwargs)
    for referral in (a, b):
        services.referral_accept(actor=provider_staff, referral_id=referral.pk)
        referral.refresh_from_db()
        services.referral_book(
            actor=provider_staff, referral_id=referral.pk, cohort_id=referral.cohort_id
        )
    return a, b


def test_a_court_ordered_non_attendance_is_flagged_to_report_to_the_court(
    fca, offering, provider_staff
) -> None:
    cohort(offering)
    cohort(offering, days=8)
    a, _b = _booked(fca, provider_staff)
    services.referral_attendance_record(actor=provider_staff, referral_id=a.pk, attended=False)
    message = OutboundMessage.objects.filter(to=fca.email).latest("pk")
    assert "report to the court" in message.subject


def test_a_direct_referrals_non_attendance_is_not_flagged_for_the_court(
    fca, offering, provider_staff
) -> None:
    cohort(offering)
    cohort(offering, days=8)
    a, _b = _booked(fca, provider_staff, case=direct_complete())
    services.referral_attendance_record(actor=provider_staff, referral_id=a.pk, attended=False)
    message = OutboundMessage.objects.filter(to=fca.email).latest("pk")
    assert "did not attend" in message.subject
    assert "court" not in message.subject


def test_the_whole_journey_records_an_event_and_timestamp_for_each_step(
    fca, offering, provider_staff
) -> None:
    cohort(offering)
    cohort(offering, days=8)
    a, _b = _booked(fca, provider_staff)
    services.referral_attendance_record(actor=provider_staff, referral_id=a.pk, attended=True)
    services.referral_complete(actor=provider_staff, referral_id=a.pk)
    a.refresh_from_db()
    assert a.status == Status.COMPLETED
    steps = list(a.events.values_list("action", flat=True))
    assert steps == ["create", "submit", "allocate", "send", "accept", "book", "attend", "complete"]
    for stamp in ("submitted_at", "allocated_at", "sent_at", "accepted_at", "booked_at"):
        assert getattr(a, stamp) is not None
    assert a.completed_at >= a.attended_at >= a.booked_at
    assert AuditEvent.objects.filter(action="referral.complete", object_id=str(a.pk)).exists()


def test_no_email_subject_or_body_holds_a_name_address_phone_email_or_postcode(
    fca, offering, provider_staff
) -> None:
    cohort(offering)
    cohort(offering, days=8)
    a, b = _booked(fca, provider_staff)
    services.referral_attendance_record(actor=provider_staff, referral_id=a.pk, attended=True)
    services.referral_complete(actor=provider_staff, referral_id=a.pk)
    services.referral_attendance_record(actor=provider_staff, referral_id=b.pk, attended=False)
    case2 = submitted_case(fca)
    for referral in parents(case2):
        services.referral_allocate(referral_id=referral.pk)  # no room left: the FCA is told
    templates = set()
    for message in OutboundMessage.objects.all():
        templates.add(message.subject.split(" ")[0])
        for text in (message.subject, message.body_text, message.body_html):
            for value in PERSONAL:
                assert value.lower() not in text.lower(), (message.subject, value)
            assert "LE26P" not in text  # the case number
            assert "Leicester Family Court" not in text
    kinds = {m.idempotency_key.split(":")[2] for m in OutboundMessage.objects.all()}
    assert {"provider-new", "parent", "fca"} <= kinds


def test_a_parents_email_holds_nothing_of_the_other_parent(fca, offering) -> None:
    cohort(offering)
    cohort(offering, days=8)
    a, b = sent(fca)
    for mine, theirs in ((a, b), (b, a)):
        message = OutboundMessage.objects.get(to=mine.email)
        text = message.subject + message.body_text + message.body_html
        assert theirs.reference not in text
        assert mine.reference in text


def test_withdrawing_a_booked_referral_frees_its_place(fca, offering, provider_staff) -> None:
    cohort(offering)
    cohort(offering, days=8)
    a, _b = _booked(fca, provider_staff)
    a.refresh_from_db()
    place = a.cohort
    services.referral_withdraw(actor=fca, referral_id=a.pk, reason="Case settled")
    place.refresh_from_db()
    assert place.places_taken == 0
    assert Referral.objects.get(pk=a.pk).status == Status.WITHDRAWN


def test_a_parents_availability_is_kept_until_the_referral_closes(fca, offering) -> None:
    cohort(offering)
    cohort(offering, days=8)
    a, _b = sent(fca)
    services.referral_availability_give(referral_id=a.pk, availability="Weekday evenings")
    assert Referral.objects.get(pk=a.pk).availability == "Weekday evenings"
    services.referral_withdraw(actor=fca, referral_id=a.pk)
    with pytest.raises(ReferralError):
        services.referral_availability_give(referral_id=a.pk, availability="Any time")


def test_a_provider_cannot_make_a_cohort_over_six(offering, provider_staff) -> None:
    from django.utils import timezone

    with pytest.raises(IntegrityError), transaction.atomic():
        services.cohort_create(
            actor=provider_staff,
            offering=offering,
            starts_at=timezone.now(),
            mode=Mode.ONLINE,
            capacity=7,
        )


def test_a_radius_offering_covers_only_parents_within_its_radius(fca, provider_staff) -> None:
    postcodes()  # LE1 6ZG is at the venue; LE2 7QP about 2 miles south-east
    near = cohort(provider(staff=provider_staff, coverage=Offering.Coverage.RADIUS, radius_miles=1))
    a, b = parents(submitted_case(fca))
    assert services.referral_allocate(referral_id=a.pk).cohort == near
    assert services.referral_allocate(referral_id=b.pk).status == Status.UNALLOCATED
