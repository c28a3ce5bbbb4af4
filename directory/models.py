"""The directory, shaped like Open Referral UK / HSDS 3: who offers what, where and when."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import models
from django.db.models.functions import Round
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from directory.languages import LANGUAGE_CHOICES
from directory.taxonomy import CategoryCode

# Two decimal places is about 1 km: enough to say "about 2 miles away", not enough to find a
# refuge's front door (DESIGN.md privacy rule 7).
CONFIDENTIAL_COORDINATE_PLACES = 2
_CONFIDENTIAL_QUANTUM = Decimal(1).scaleb(-CONFIDENTIAL_COORDINATE_PLACES)


def confidential_coordinate(value: float) -> float:
    """A confidential location's latitude or longitude as stored: rounded to about 1 km.

    Rounded as PostgreSQL rounds `value::numeric` (15 significant digits, halves away from
    zero), so Python and the database's own guarantee always agree on the stored value.
    """
    exact = Decimal(f"{value:.15g}")
    return float(exact.quantize(_CONFIDENTIAL_QUANTUM, rounding=ROUND_HALF_UP))


class Category(models.Model):
    """One node of the alliance's taxonomy; searching a parent also finds its children."""

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    # The identity the safety rules key on (directory/taxonomy.py). Not editable anywhere: a
    # curator renames or moves the category, the code stays.
    code = models.CharField(
        _("code"),
        max_length=40,
        choices=CategoryCode.choices,
        unique=True,
        null=True,
        blank=True,
        editable=False,
    )
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        related_name="children",
        on_delete=models.PROTECT,
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def __str__(self) -> str:
        return self.name if self.parent_id is None else f"- {self.name}"


class Organisation(models.Model):
    """An organisation that runs one or more services."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    description = models.TextField(_("description"), blank=True)
    website = models.URLField(_("website"), blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")

    def __str__(self) -> str:
        return self.name


class OrganisationMembership(models.Model):
    """A staff account that works for an organisation (provider staff see only its work).

    The link lives here, not on the core User, so the core app knows no other app.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organisation__name", "user__email"]
        verbose_name = _("organisation membership")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation"], name="directory_membership_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} at {self.organisation}"


class Location(models.Model):
    """A place where services are delivered. Confidential places never show an address."""

    organisation = models.ForeignKey(
        Organisation, related_name="locations", on_delete=models.CASCADE
    )
    name = models.CharField(_("name"), max_length=200)
    address_1 = models.CharField(_("address line 1"), max_length=200, blank=True)
    address_2 = models.CharField(_("address line 2"), max_length=200, blank=True)
    town = models.CharField(_("town or city"), max_length=100, blank=True)
    postcode = models.CharField(_("postcode"), max_length=10)
    latitude = models.FloatField(_("latitude"))
    longitude = models.FloatField(_("longitude"))
    confidential = models.BooleanField(
        _("confidential location"),
        default=False,
        help_text=_(
            "For refuges and other safe places: only the postcode district is ever shown, "
            "and the coordinates are stored rounded."
        ),
    )
    accessibility_notes = models.TextField(_("accessibility"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("location")
        # The bounding-box prefilter of a radius search reads this index.
        indexes = [models.Index(fields=["latitude", "longitude"], name="location_lat_lng_idx")]
        # The database's own guarantee (decision 0006): a trigger (migration 0005) rounds a
        # confidential row on every insert and update, whatever wrote it, and this check
        # refuses one that is not rounded should the trigger ever be off.
        constraints = [
            models.CheckConstraint(
                condition=models.Q(confidential=False)
                | models.Q(
                    latitude=Round("latitude", CONFIDENTIAL_COORDINATE_PLACES),
                    longitude=Round("longitude", CONFIDENTIAL_COORDINATE_PLACES),
                ),
                name="location_confidential_rounded",
                violation_error_message=_(
                    "A confidential location's coordinates must be rounded to 2 decimal places."
                ),
            )
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: object, **kwargs: object) -> None:
        # The database rounds too; doing it here keeps this instance and its history row equal
        # to what is stored.
        self._round_if_confidential()
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def clean(self) -> None:
        # Before the constraint is validated, so a curator's exact point is rounded, not refused.
        self._round_if_confidential()

    def _round_if_confidential(self) -> None:
        # Pure arithmetic, no I/O: a confidential place's exact point is never stored at all,
        # so no query, export or distance shown can reveal it.
        if self.confidential:
            if self.latitude is not None:
                self.latitude = confidential_coordinate(self.latitude)
            if self.longitude is not None:
                self.longitude = confidential_coordinate(self.longitude)


class ServiceQuerySet(models.QuerySet["Service"]):
    """The one place that says which services the public may see."""

    def visible(self) -> ServiceQuerySet:
        """Services the public may see: a page, My list, the open-data API."""
        return self.filter(status__in=Service.VISIBLE_STATUSES)

    def listed(self) -> ServiceQuerySet:
        """Services offered in search and get-help results: visible and open now.

        A temporarily closed service keeps its page (people bookmark it) and stays in the API
        with its status, but is not offered to a parent looking for help today.
        """
        return self.filter(status=Service.Status.PUBLISHED)


class Service(models.Model):
    """Something a parent can use: mediation, a contact centre, advice, a helpline…"""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        TEMPORARILY_CLOSED = "temporarily_closed", _("Temporarily closed")
        ARCHIVED = "archived", _("Archived")

    class DeliveryMode(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        ONLINE = "online", _("Online")
        PHONE = "phone", _("By phone")

    class AreaCovered(models.TextChoices):
        RADIUS = "radius", _("Within a distance of its locations")
        ALLIANCE_AREA = "alliance_area", _("The whole alliance area")
        NATIONAL = "national", _("National")

    class AccessMethod(models.TextChoices):
        SELF_REFERRAL = "self_referral", _("You can contact them yourself")
        PROFESSIONAL_REFERRAL = "professional_referral", _("A professional must refer you")
        COURT_ORDERED = "court_ordered", _("Ordered or directed by the court")

    class Accreditation(models.TextChoices):
        FMC_MEDIATOR = "fmc_mediator", _("Family Mediation Council accredited mediator")
        LEGAL_AID = "legal_aid", _("Legal aid available")
        NACCC_CENTRE = "naccc_centre", _("NACCC accredited child contact centre")
        LAW_SOCIETY = "law_society", _("Law Society Family Law Accreditation")
        RESOLUTION = "resolution", _("Resolution member")
        BACP = "bacp", _("BACP registered counsellors")
        RESPECT = "respect", _("Respect accredited programme")
        SAFELIVES = "safelives", _("SafeLives Leading Lights")

    VISIBLE_STATUSES = (Status.PUBLISHED, Status.TEMPORARILY_CLOSED)

    organisation = models.ForeignKey(
        Organisation, related_name="services", on_delete=models.PROTECT
    )
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    summary = models.CharField(_("summary"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    keywords = models.CharField(
        _("search keywords"),
        max_length=300,
        blank=True,
        help_text=_("Other words a parent might search for, such as 'MIAM' or 'handover'."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    categories = models.ManyToManyField(Category, related_name="services", blank=True)
    locations: models.ManyToManyField[Location, ServiceAtLocation] = models.ManyToManyField(
        Location, through="ServiceAtLocation", related_name="services", blank=True
    )
    delivery_modes = ArrayField(
        models.CharField(max_length=10, choices=DeliveryMode.choices),
        verbose_name=_("how it is delivered"),
        default=list,
        blank=True,
    )
    is_free = models.BooleanField(_("free"), default=False)
    cost = models.CharField(
        _("cost"), max_length=300, blank=True, help_text=_("For example '£120 per session'.")
    )
    eligibility = models.TextField(_("who it is for"), blank=True)
    min_age = models.PositiveSmallIntegerField(
        _("youngest age"), null=True, blank=True, help_text=_("Of the child or young person.")
    )
    max_age = models.PositiveSmallIntegerField(_("oldest age"), null=True, blank=True)
    languages = ArrayField(
        models.CharField(max_length=5, choices=LANGUAGE_CHOICES),
        verbose_name=_("languages"),
        default=list,
        blank=True,
    )
    accessibility_notes = models.TextField(_("accessibility"), blank=True)
    access_methods = ArrayField(
        models.CharField(max_length=30, choices=AccessMethod.choices),
        verbose_name=_("how to get a place"),
        default=list,
        blank=True,
    )
    how_to_access = models.TextField(_("how to access"), blank=True)
    accreditations = ArrayField(
        models.CharField(max_length=20, choices=Accreditation.choices),
        verbose_name=_("accreditation"),
        default=list,
        blank=True,
    )
    # Off until a curator says so: a new service never reaches a parent at risk by default
    # (DESIGN.md rule 9). Never allowed for a joint option (see `Service.clean`).
    safe_where_abuse = models.BooleanField(
        _("safe where there is domestic abuse"),
        default=False,
        help_text=_(
            "Tick only when a parent at risk can use it safely on their own. Never for "
            "mediation or any service the parents attend together."
        ),
    )
    domestic_abuse_specialist = models.BooleanField(
        _("specialist domestic abuse service"), default=False
    )
    area_covered = models.CharField(
        _("area covered"), max_length=20, choices=AreaCovered.choices, default=AreaCovered.RADIUS
    )
    area_radius_miles = models.FloatField(
        _("radius covered (miles)"),
        null=True,
        blank=True,
        help_text=_("Only for services covering a distance around their locations."),
    )
    website = models.URLField(_("website"), blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    last_verified_at = models.DateTimeField(_("last checked"), null=True, blank=True)
    # Freshness: a published listing is reviewed every this many months; once its reminders
    # have gone unanswered it is stale (ranked lower and labelled) until it is verified again.
    review_interval_months = models.PositiveSmallIntegerField(
        _("review every (months)"),
        default=6,
        help_text=_("How often the listing's contact is asked to confirm its details."),
    )
    stale_since = models.DateTimeField(_("stale since"), null=True, blank=True, editable=False)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Name above keywords and summary above the full description (English stemming).
    search_vector = models.GeneratedField(
        expression=SearchVector("name", config="english", weight="A")
        + SearchVector("keywords", "summary", config="english", weight="B")
        + SearchVector("description", config="english", weight="C"),
        output_field=SearchVectorField(),
        db_persist=True,
    )
    history = HistoricalRecords(m2m_fields=[categories], excluded_fields=["search_vector"])

    objects = ServiceQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("service")
        indexes = [
            GinIndex(fields=["search_vector"], name="service_search_idx"),
            GinIndex(fields=["name"], name="service_name_trgm_idx", opclasses=["gin_trgm_ops"]),
            GinIndex(fields=["delivery_modes"], name="service_modes_idx"),
            GinIndex(fields=["languages"], name="service_languages_idx"),
            models.Index(fields=["status", "name"], name="service_status_name_idx"),
            models.Index(fields=["last_verified_at"], name="service_verified_idx"),
            # The few services with no distance (area-wide, national, remote) for radius search.
            models.Index(
                fields=["id"],
                name="service_area_wide_idx",
                condition=~models.Q(area_covered="radius")
                | ~models.Q(delivery_modes__contains=["in_person"]),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(min_age__isnull=True)
                | models.Q(max_age__isnull=True)
                | models.Q(min_age__lte=models.F("max_age")),
                name="service_age_range_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("directory:service", args=[self.slug])

    @property
    def is_visible(self) -> bool:
        return self.status in self.VISIBLE_STATUSES

    @property
    def is_area_wide(self) -> bool:
        """True when distance means nothing: area-wide, national, online or phone only."""
        return (
            self.area_covered != self.AreaCovered.RADIUS
            or self.DeliveryMode.IN_PERSON not in self.delivery_modes
        )

    def get_delivery_modes_display(self) -> list[str]:
        labels = dict(self.DeliveryMode.choices)
        return [str(labels[m]) for m in self.delivery_modes if m in labels]

    def get_delivery_modes_text(self) -> str:
        """The ways it is delivered as one phrase, capitalised once: "In person, by phone"."""
        labels = self.get_delivery_modes_display()
        rest = [label[:1].lower() + label[1:] for label in labels[1:]]
        return ", ".join([*labels[:1], *rest])

    def get_languages_display(self) -> list[str]:
        labels = dict(LANGUAGE_CHOICES)
        return [str(labels[code]) for code in self.languages if code in labels]

    def get_access_methods_display(self) -> list[str]:
        labels = dict(self.AccessMethod.choices)
        return [str(labels[m]) for m in self.access_methods if m in labels]

    def get_accreditations_display(self) -> list[str]:
        labels = dict(self.Accreditation.choices)
        return [str(labels[m]) for m in self.accreditations if m in labels]


class ServiceAtLocation(models.Model):
    """A service delivered at a location (HSDS service_at_location)."""

    service = models.ForeignKey(
        Service, related_name="service_at_locations", on_delete=models.CASCADE
    )
    location = models.ForeignKey(
        Location, related_name="service_at_locations", on_delete=models.CASCADE
    )

    class Meta:
        verbose_name = _("service at location")
        constraints = [
            models.UniqueConstraint(fields=["service", "location"], name="service_location_unique")
        ]

    def __str__(self) -> str:
        return f"{self.service} at {self.location}"


class Schedule(models.Model):
    """Regular opening times, one row per weekday and time range."""

    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("Monday")
        TUESDAY = 1, _("Tuesday")
        WEDNESDAY = 2, _("Wednesday")
        THURSDAY = 3, _("Thursday")
        FRIDAY = 4, _("Friday")
        SATURDAY = 5, _("Saturday")
        SUNDAY = 6, _("Sunday")

    service = models.ForeignKey(Service, related_name="schedules", on_delete=models.CASCADE)
    weekday = models.PositiveSmallIntegerField(_("day"), choices=Weekday.choices)
    opens_at = models.TimeField(_("opens"))
    closes_at = models.TimeField(_("closes"))
    notes = models.CharField(_("notes"), max_length=200, blank=True)

    class Meta:
        ordering = ["weekday", "opens_at"]
        verbose_name = _("opening time")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(opens_at__lt=models.F("closes_at")),
                name="schedule_opens_before_closes",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens_at:%H:%M} to {self.closes_at:%H:%M}"


class Contact(models.Model):
    """A named contact for a service (HSDS contact)."""

    service = models.ForeignKey(Service, related_name="contacts", on_delete=models.CASCADE)
    name = models.CharField(_("name"), max_length=120, blank=True)
    title = models.CharField(_("role"), max_length=120, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("email"), blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("contact")

    def __str__(self) -> str:
        return self.name or self.title or self.phone or self.email


class Postcode(models.Model):
    """A full postcode ("LE1 6ZG") or a postcode district ("LE1") with its centroid."""

    code = models.CharField(_("postcode"), max_length=8, unique=True)
    is_district = models.BooleanField(_("postcode district"), default=False)
    latitude = models.FloatField()
    longitude = models.FloatField()

    class Meta:
        ordering = ["code"]
        verbose_name = _("postcode")

    def __str__(self) -> str:
        return self.code


# Curation: keeping the directory true (issue 11, docs/curation.md) ---------------------------

SUGGESTION_TEXT_MAX = 2000


class Suggestion(models.Model):
    """A practitioner's suggestion of a service or organisation, or a correction to one."""

    class Status(models.TextChoices):
        NEW = "new", _("New")
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")
        MERGED = "merged", _("Merged as a duplicate")

    status = models.CharField(max_length=10, choices=Status.choices, default=Status.NEW)
    organisation_name = models.CharField(_("organisation"), max_length=200)
    service_name = models.CharField(_("service"), max_length=200)
    website = models.URLField(_("website"), max_length=300, blank=True)
    offers = models.TextField(_("what it offers"), max_length=SUGGESTION_TEXT_MAX)
    who_for = models.TextField(_("who it is for"), max_length=SUGGESTION_TEXT_MAX, blank=True)
    category = models.ForeignKey(
        Category, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    area = models.CharField(_("area it covers"), max_length=200, blank=True)
    reason = models.TextField(_("why it should be part of the alliance"), max_length=2000)
    practitioner_name = models.CharField(max_length=120)
    practitioner_role = models.CharField(max_length=120)
    practitioner_email = models.EmailField(max_length=254)
    practitioner_organisation = models.CharField(max_length=200)
    # Set when the practitioner said "it is one of these": a correction to that listing.
    correction_to = models.ForeignKey(
        Service, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Set by a curator: the draft it became, or the listing it duplicates.
    created_service = models.ForeignKey(
        Service, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    duplicate_of = models.ForeignKey(
        Service, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decision_reason = models.TextField(blank=True, max_length=1000)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("suggestion")

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        return f"S-{self.pk}"


class ProblemReport(models.Model):
    """Someone says a listing is wrong (ALISS and Outpost topics), triaged by a curator."""

    class Kind(models.TextChoices):
        CONTACT_WRONG = "contact_wrong", _("The phone number or other contact details are wrong")
        CLOSED = "closed", _("This service has closed")
        UNCLEAR = "unclear", _("The information is unclear or out of date")
        OTHER = "other", _("Something else")

    class Status(models.TextChoices):
        NEW = "new", _("New")
        CONFIRMED = "confirmed", _("Confirmed")
        FIXED = "fixed", _("Fixed")
        DISMISSED = "dismissed", _("Dismissed")

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="problem_reports")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    details = models.TextField(blank=True, max_length=1000)
    # Optional; erased once the reporter has been told of the fix (or the report is closed).
    email = models.EmailField(blank=True, max_length=254)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.NEW)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("problem report")

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        return f"P-{self.pk}"


class ContactMessage(models.Model):
    """A general message to the alliance; the inbox is emailed a reference, not the words."""

    name = models.CharField(max_length=120)
    email = models.EmailField(max_length=254)
    message = models.TextField(max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    handled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        return f"M-{self.pk}"


class ServiceReview(models.Model):
    """One round of "are these details still correct?" for a published listing.

    The emailed link is signed (directory/curation_services.py) over this row's id and nonce;
    `completed_at` makes it single-use. Reminders escalate 1 → 2 → 3, then the listing is stale.
    """

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="reviews")
    nonce = models.CharField(max_length=32)
    due_at = models.DateTimeField()
    reminders_sent = models.PositiveSmallIntegerField(default=0)
    last_reminder_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["service"],
                condition=models.Q(completed_at__isnull=True),
                name="review_one_open_per_service",
            )
        ]

    def __str__(self) -> str:
        return f"Review of {self.service_id} due {self.due_at:%Y-%m-%d}"


# The fields a provider may propose changes to; everything else is a curator's.
PROVIDER_EDITABLE_FIELDS = (
    "summary",
    "description",
    "eligibility",
    "cost",
    "how_to_access",
    "accessibility_notes",
    "website",
    "email",
    "phone",
)


class ProviderEdit(models.Model):
    """A provider's proposed change to its own listing, held until a curator approves it."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for approval")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="provider_edits")
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # {field: proposed value}, only the fields that differ from the listing when proposed.
    changes = models.JSONField(default=dict)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    decision_reason = models.TextField(blank=True, max_length=1000)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"E-{self.pk}"


class LinkCheck(models.Model):
    """The last check of a service's website by the link checker."""

    service = models.OneToOneField(Service, on_delete=models.CASCADE, related_name="link_check")
    url = models.URLField(max_length=300)
    ok = models.BooleanField()
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.CharField(max_length=120, blank=True)
    checked_at = models.DateTimeField()

    class Meta:
        ordering = ["checked_at"]

    def __str__(self) -> str:
        return f"{self.url}: {'ok' if self.ok else self.error or self.status_code}"


class SearchPhrase(models.Model):
    """An everyday word or phrase a parent types, and what the directory calls it.

    Curators keep this table in the admin; the search reads it on every request, so a new row
    works at once. "lawyer" finds legal advice by its words and by its category; a row marked
    `suggests_danger` ("hits me") makes the results open with urgent help and specialist
    domestic abuse services, and puts no joint option (mediation…) at the top.
    """

    phrase = models.CharField(
        _("what a parent types"),
        max_length=120,
        unique=True,
        help_text=_("A word or a few words, like 'lawyer' or 'checks my phone'. Case is ignored."),
    )
    terms = models.CharField(
        _("directory words"),
        max_length=300,
        blank=True,
        help_text=_(
            "Words the listings use for it, separated by commas, like 'legal advice, solicitor'."
        ),
    )
    categories = models.ManyToManyField(
        Category,
        verbose_name=_("types of help"),
        related_name="search_phrases",
        blank=True,
        help_text=_("Services of these types match even without the words in their listing."),
    )
    suggests_danger = models.BooleanField(
        _("suggests abuse or danger"),
        default=False,
        help_text=_(
            "Results open with urgent help and domestic abuse specialists, never mediation or "
            "another joint option at the top."
        ),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["phrase"]
        verbose_name = _("search phrase")

    def __str__(self) -> str:
        return self.phrase

    def save(self, *args: object, **kwargs: object) -> None:
        self.phrase = " ".join(self.phrase.lower().split())
        super().save(*args, **kwargs)  # type: ignore[arg-type]
