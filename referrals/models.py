"""Programme referrals: programmes, offerings and cohorts (data, not code); cases and one
referral per parent; the event trail. Signposting (referrals/signposting/) stores nothing here.

State changes go through `referrals.services` only (one TRANSITIONS table). Personal fields
are listed in each model's PERSONAL_FIELDS so the retention purge and the audit know them; the
rest of a row is anonymous (ids, codes, dates, counts) and may be kept for statistics.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from directory.languages import LANGUAGE_CHOICES
from directory.models import Location, Organisation


class Nation(models.TextChoices):
    ENGLAND = "ENG", _("England")
    WALES = "WAL", _("Wales")


class Mode(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    ONLINE = "online", _("Online")


class Programme(models.Model):
    """A parenting programme: SPIP (ended 29 March 2023), PTfC (England), WT4C (Wales)…"""

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=200)
    nation = models.CharField(_("nation"), max_length=3, choices=Nation.choices)
    active_from = models.DateField(_("active from"))
    active_to = models.DateField(_("active to"), null=True, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    def is_active_on(self, day: dt.date) -> bool:
        return self.active_from <= day and (self.active_to is None or day <= self.active_to)


class Offering(models.Model):
    """A directory organisation running a programme: where, how and in which languages."""

    class Coverage(models.TextChoices):
        AREA = "area", _("The alliance area")
        RADIUS = "radius", _("A radius around its venue")
        NATIONAL = "national", _("National")

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="offerings")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="programme_offerings"
    )
    coverage = models.CharField(_("coverage"), max_length=10, choices=Coverage.choices)
    venue = models.ForeignKey(
        Location, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    radius_miles = models.FloatField(_("radius in miles"), null=True, blank=True)
    modes = ArrayField(models.CharField(max_length=10, choices=Mode.choices), default=list)
    languages = ArrayField(
        models.CharField(max_length=5, choices=LANGUAGE_CHOICES), default=list, blank=True
    )
    interpreter_available = models.BooleanField(_("can arrange an interpreter"), default=False)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["programme__name", "organisation__name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(coverage="radius") | Q(radius_miles__gt=0, venue__isnull=False),
                name="offering_radius_has_venue",
            )
        ]

    def __str__(self) -> str:
        return f"{self.programme.code} by {self.organisation}"


class Cohort(models.Model):
    """A workshop group. `places_taken` counts referrals holding a place: the database refuses
    it above `capacity` (PTfC groups are about 5, at most 6: domain.md 1.1)."""

    offering = models.ForeignKey(Offering, on_delete=models.PROTECT, related_name="cohorts")
    starts_at = models.DateTimeField(_("starts at"))
    mode = models.CharField(_("mode"), max_length=10, choices=Mode.choices)
    venue = models.ForeignKey(
        Location, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    capacity = models.PositiveSmallIntegerField(_("places"))
    places_taken = models.PositiveSmallIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(capacity__gte=1, capacity__lte=6), name="cohort_capacity_1_to_6"
            ),
            # Never over capacity, whatever the code path: the database's own guarantee.
            models.CheckConstraint(
                condition=Q(places_taken__lte=F("capacity")), name="cohort_never_over_capacity"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.offering.programme.code} {self.starts_at:%Y-%m-%d %H:%M} ({self.mode})"

    @property
    def places_left(self) -> int:
        return self.capacity - self.places_taken


class Route(models.TextChoices):
    COURT_ORDER = "court_order", _("Court-ordered")
    FCA_DIRECT = "fca_direct", _("FCA direct referral before the first hearing")
    REQUEST_TO_COURT = "request_to_court", _("FCA request to the court")


class CourtDecision(models.TextChoices):
    PENDING = "pending", _("Waiting for the court")
    ORDERED = "ordered", _("Ordered")
    DECLINED = "declined", _("Declined")


class Case(models.Model):
    """A family court case an FCA refers from. Seen by its FCA only."""

    PERSONAL_FIELDS = ("court", "case_number", "issuing_court")

    reference = models.CharField(max_length=12, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="referral_cases"
    )
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="cases")
    created_at = models.DateTimeField(auto_now_add=True)
    # Case detail (personal: erased by the retention purge) --------------------------------
    court = models.CharField(_("court"), max_length=200)
    case_number = models.CharField(_("case number"), max_length=40)
    issuing_court = models.CharField(_("issuing court"), max_length=200, blank=True)
    # Anonymous: route, dates and the safeguarding gate's answers ----------------------------
    first_hearing_on = models.DateField(_("first hearing date"))
    route = models.CharField(_("route"), max_length=20, choices=Route.choices)
    order_date = models.DateField(_("order date"), null=True, blank=True)
    court_decision = models.CharField(
        max_length=10, choices=CourtDecision.choices, default=CourtDecision.PENDING
    )
    enquiries_completed_on = models.DateField(
        _("safeguarding enquiries completed on"), null=True, blank=True
    )
    police_checks_done = models.BooleanField(_("police checks done"), default=False)
    local_authority_checks_done = models.BooleanField(
        _("local authority checks done"), default=False
    )
    both_parents_spoken_to = models.BooleanField(_("both parents spoken to"), default=False)
    domestic_abuse_indicated = models.BooleanField(_("domestic abuse indicated"), default=False)
    child_safeguarding_indicated = models.BooleanField(
        _("child safeguarding concern indicated"), default=False
    )
    fca_attests = models.BooleanField(_("FCA attestation"), default=False)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.reference


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    UNALLOCATED = "unallocated", _("Waiting: no suitable place yet")
    ALLOCATED = "allocated", _("Allocated")
    SENT = "sent", _("Sent to provider")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    BOOKED = "booked", _("Booked")
    ATTENDED = "attended", _("Attended")
    COMPLETED = "completed", _("Completed")
    DID_NOT_ATTEND = "did_not_attend", _("Did not attend")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    RETURNED_UNSUITABLE = "returned_unsuitable", _("Returned as unsuitable")


class Referral(models.Model):
    """One parent's referral: never one per couple, never linked in anything a parent sees."""

    PERSONAL_FIELDS = (
        "name",
        "email",
        "phone",
        "postcode",
        "access_needs",
        "availability",
        "decline_reason",
    )

    class Parent(models.IntegerChoices):
        FIRST = 1, _("First parent")
        SECOND = 2, _("Second parent")

    reference = models.CharField(max_length=12, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="referrals")
    parent = models.PositiveSmallIntegerField(choices=Parent.choices)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    offering = models.ForeignKey(
        Offering, null=True, blank=True, on_delete=models.PROTECT, related_name="referrals"
    )
    cohort = models.ForeignKey(
        Cohort, null=True, blank=True, on_delete=models.PROTECT, related_name="referrals"
    )
    # Personal (erased by the retention purge) ------------------------------------------------
    name = models.CharField(_("full name"), max_length=200)
    email = models.EmailField(_("email address"))
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    postcode = models.CharField(_("postcode"), max_length=8)
    access_needs = models.TextField(_("access needs"), blank=True)
    availability = models.TextField(_("availability the parent gave"), blank=True)
    decline_reason = models.TextField(_("reason for declining"), blank=True)
    # Anonymous (kept for statistics) ---------------------------------------------------------
    preferred_language = models.CharField(
        _("preferred language"), max_length=5, choices=LANGUAGE_CHOICES, default="en"
    )
    interpreter_needed = models.BooleanField(_("needs an interpreter"), default=False)
    address_confidential = models.BooleanField(_("address is confidential"), default=False)
    safety_flag = models.BooleanField(_("safety concern"), default=False)
    # When each step happened (the timers and the dashboard read these) -----------------------
    submitted_at = models.DateTimeField(null=True, blank=True)
    allocated_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    booked_at = models.DateTimeField(null=True, blank=True)
    attended_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)  # declined, DNA, withdrawn, returned
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["case", "parent"]
        indexes = [models.Index(fields=["status"])]
        constraints = [
            models.UniqueConstraint(fields=["case", "parent"], name="referral_one_per_parent"),
            # The two parents of a case never share a cohort (domain.md 1.5): the database's
            # own guarantee, whatever the code path.
            models.UniqueConstraint(
                fields=["case", "cohort"],
                condition=Q(cohort__isnull=False),
                name="referral_parents_never_same_cohort",
            ),
        ]

    def __str__(self) -> str:
        return self.reference


class ReferralEvent(models.Model):
    """One transition: who, when, from, to and why. Written by services only; never edited."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    action = models.CharField(max_length=30)
    from_status = models.CharField(max_length=20, choices=Status.choices)
    to_status = models.CharField(max_length=20, choices=Status.choices)
    # A short reason the actor gave (a decline's reason is on the referral, a personal field).
    reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.referral_id} {self.from_status}→{self.to_status}"
