"""Every curation write: suggestions, problem reports, messages, reviews, provider edits and
link checks. Each checks and writes in one transaction, records an audit event and queues its
emails through the outbox (sent after commit). Emails carry a reference and a link only."""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from alliance.models import User
from alliance.notify import notify
from alliance.services import audit_record
from directory import linkcheck, rules
from directory.models import (
    PROVIDER_EDITABLE_FIELDS,
    Category,
    ContactMessage,
    LinkCheck,
    Organisation,
    ProblemReport,
    ProviderEdit,
    Service,
    ServiceReview,
    Suggestion,
)
from directory.services import (
    DirectoryError,
    organisation_upsert,
    service_update_fields,
    service_upsert,
)

REVIEW_SALT = "directory.review"


def _url(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def _queue_url() -> str:
    return _url(reverse("curation:queue"))


def _unique_slug(model: type[Organisation] | type[Service], name: str) -> str:
    base = slugify(name)[:180] or "listing"
    slug, n = base, 1
    while model.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


# Suggestions -------------------------------------------------------------------------------


@transaction.atomic
def suggestion_submit(
    *, fields: Mapping[str, Any], correction_to: Service | None = None
) -> Suggestion:
    """Store a practitioner's suggestion and email them its reference (issue 11, item 1)."""
    suggestion = Suggestion(**fields, correction_to=correction_to)
    suggestion.full_clean()
    suggestion.save()
    audit_record(
        actor=None,
        action="suggestion.submit",
        object_type="directory.suggestion",
        object_id=suggestion.pk,
        detail={"correction_to": correction_to.pk if correction_to else None},
    )
    notify(
        key=f"directory-suggestion-received:{suggestion.pk}",
        to=suggestion.practitioner_email,
        template="directory-suggestion-received",
        context={"reference": suggestion.reference},
    )
    return suggestion


def _locked_new_suggestion(suggestion_id: int) -> Suggestion:
    suggestion = Suggestion.objects.select_for_update().filter(pk=suggestion_id).first()
    if suggestion is None:
        raise DirectoryError("There is no such suggestion.")
    if suggestion.status != Suggestion.Status.NEW:
        raise DirectoryError("This suggestion has already been decided.")
    return suggestion


def _suggestion_decided(suggestion: Suggestion, *, actor: User, action: str) -> None:
    suggestion.decided_by = actor
    suggestion.decided_at = timezone.now()
    suggestion.save(
        update_fields=[
            "status",
            "decided_by",
            "decided_at",
            "decision_reason",
            "created_service",
            "duplicate_of",
        ]
    )
    audit_record(
        actor=actor,
        action=action,
        object_type="directory.suggestion",
        object_id=suggestion.pk,
        detail={
            "service": (suggestion.created_service_id or suggestion.duplicate_of_id),
        },
    )
    notify(
        key=f"directory-suggestion-decided:{suggestion.pk}",
        to=suggestion.practitioner_email,
        template="directory-suggestion-decided",
        context={
            "reference": suggestion.reference,
            "status": suggestion.status,
            "reason": suggestion.decision_reason,
        },
    )


@transaction.atomic
def suggestion_accept(*, actor: User, suggestion_id: int) -> Service:
    """Accept a suggestion: a draft organisation and service made from it (or, for a
    correction, the listing it corrects, for the curator to edit); the practitioner is told."""
    suggestion = _locked_new_suggestion(suggestion_id)
    if suggestion.correction_to is not None:
        service = suggestion.correction_to
    else:
        organisation = Organisation.objects.filter(
            name__iexact=suggestion.organisation_name
        ).first() or organisation_upsert(
            actor=actor,
            slug=_unique_slug(Organisation, suggestion.organisation_name),
            name=suggestion.organisation_name,
            reason=f"From suggestion {suggestion.reference}",
        )
        summary = " ".join(suggestion.offers.split())
        if len(summary) > 300:
            summary = summary[:297].rsplit(" ", 1)[0] + "…"
        service = service_upsert(
            actor=actor,
            slug=_unique_slug(Service, suggestion.service_name),
            organisation=organisation,
            categories=[suggestion.category] if suggestion.category else [],
            reason=f"From suggestion {suggestion.reference}",
            name=suggestion.service_name,
            summary=summary,
            description=suggestion.offers,
            eligibility=suggestion.who_for,
            website=suggestion.website,
        )
    suggestion.status = Suggestion.Status.ACCEPTED
    suggestion.created_service = service
    _suggestion_decided(suggestion, actor=actor, action="suggestion.accept")
    return service


@transaction.atomic
def suggestion_reject(*, actor: User, suggestion_id: int, reason: str) -> Suggestion:
    """Reject a suggestion with a reason the practitioner is sent."""
    if not reason.strip():
        raise DirectoryError("Give a reason for rejecting the suggestion.")
    suggestion = _locked_new_suggestion(suggestion_id)
    suggestion.status = Suggestion.Status.REJECTED
    suggestion.decision_reason = reason.strip()
    _suggestion_decided(suggestion, actor=actor, action="suggestion.reject")
    return suggestion


@transaction.atomic
def suggestion_merge(*, actor: User, suggestion_id: int, service_id: int) -> Suggestion:
    """Close a suggestion as a duplicate of a listing already in the directory."""
    suggestion = _locked_new_suggestion(suggestion_id)
    service = Service.objects.exclude(status=Service.Status.ARCHIVED).filter(pk=service_id).first()
    if service is None:
        raise DirectoryError("There is no such listing to merge into.")
    suggestion.status = Suggestion.Status.MERGED
    suggestion.duplicate_of = service
    _suggestion_decided(suggestion, actor=actor, action="suggestion.merge")
    return suggestion


# Problem reports ---------------------------------------------------------------------------


@transaction.atomic
def problem_report_submit(
    *, service: Service, kind: str, details: str, email: str
) -> ProblemReport:
    """Record a problem someone reported with a visible listing."""
    if not service.is_visible:
        raise DirectoryError("That listing is not in the directory.")
    report = ProblemReport(service=service, kind=kind, details=details, email=email)
    report.full_clean()
    report.save()
    audit_record(
        actor=None,
        action="problem_report.submit",
        object_type="directory.problemreport",
        object_id=report.pk,
        detail={"service": service.pk, "kind": kind},
    )
    return report


def _locked_report(report_id: int, *statuses: str) -> ProblemReport:
    report = (
        ProblemReport.objects.select_for_update(of=("self",))
        .select_related("service", "service__organisation")
        .filter(pk=report_id)
        .first()
    )
    if report is None or report.status not in statuses:
        raise DirectoryError("That report has already been dealt with.")
    return report


def listing_contact_email(service: Service) -> str:
    """Who hears about a listing: its own email, its organisation's, or its first contact's."""
    if service.email:
        return service.email
    if service.organisation.email:
        return service.organisation.email
    contact = service.contacts.exclude(email="").first()
    return contact.email if contact else ""


@transaction.atomic
def problem_report_confirm(*, actor: User, report_id: int) -> ProblemReport:
    """A curator agrees something is wrong: the listing's contact is told (issue 11, item 3)."""
    report = _locked_report(report_id, ProblemReport.Status.NEW)
    report.status = ProblemReport.Status.CONFIRMED
    report.save(update_fields=["status"])
    audit_record(
        actor=actor,
        action="problem_report.confirm",
        object_type="directory.problemreport",
        object_id=report.pk,
    )
    to = listing_contact_email(report.service)
    if to:
        notify(
            key=f"directory-problem-confirmed:{report.pk}",
            to=to,
            template="directory-problem-confirmed",
            context={
                "reference": report.reference,
                "url": _url(report.service.get_absolute_url()),
            },
        )
    return report


@transaction.atomic
def problem_report_close(*, actor: User, report_id: int, fixed: bool) -> ProblemReport:
    """Close a report as fixed (the reporter, if they left an email, is told) or dismissed.

    Either way the reporter's address is erased from the report now and from the outbox once
    the email has gone.
    """
    report = _locked_report(report_id, ProblemReport.Status.NEW, ProblemReport.Status.CONFIRMED)
    report.status = ProblemReport.Status.FIXED if fixed else ProblemReport.Status.DISMISSED
    report.resolved_at = timezone.now()
    report.resolved_by = actor
    if fixed and report.email:
        notify(
            key=f"directory-problem-fixed:{report.pk}",
            to=report.email,
            template="directory-problem-fixed",
            context={
                "reference": report.reference,
                "url": _url(report.service.get_absolute_url()),
            },
            erase_after_send=True,
        )
    report.email = ""
    report.save(update_fields=["status", "resolved_at", "resolved_by", "email"])
    audit_record(
        actor=actor,
        action=f"problem_report.{report.status}",
        object_type="directory.problemreport",
        object_id=report.pk,
    )
    return report


# General messages --------------------------------------------------------------------------


@transaction.atomic
def contact_message_send(*, name: str, email: str, message: str) -> ContactMessage:
    """Keep a message for the alliance and email its inbox a reference and a link."""
    item = ContactMessage(name=name, email=email, message=message)
    item.full_clean()
    item.save()
    audit_record(
        actor=None,
        action="contact_message.send",
        object_type="directory.contactmessage",
        object_id=item.pk,
    )
    notify(
        key=f"directory-contact-message:{item.pk}",
        to=settings.ALLIANCE_INBOX_EMAIL,
        template="directory-contact-message",
        context={"reference": item.reference, "url": _queue_url()},
    )
    return item


@transaction.atomic
def contact_message_handle(*, actor: User, message_id: int) -> None:
    """Mark a message as dealt with."""
    updated = ContactMessage.objects.filter(pk=message_id, handled_at__isnull=True).update(
        handled_at=timezone.now()
    )
    if not updated:
        raise DirectoryError("That message has already been dealt with.")
    audit_record(
        actor=actor,
        action="contact_message.handle",
        object_type="directory.contactmessage",
        object_id=message_id,
    )


# Reviews -----------------------------------------------------------------------------------


class ReviewLinkInvalid(Exception):
    """The review link is forged, expired, or has been used."""


def review_token(review: ServiceReview) -> str:
    """A signed, time-stamped token naming the review; valid REVIEW_LINK_DAYS from signing."""
    return signing.dumps({"r": review.pk, "n": review.nonce}, salt=REVIEW_SALT)


def review_find(*, token: str) -> ServiceReview:
    """The open review a link names; ReviewLinkInvalid if forged, expired or used."""
    try:
        data = signing.loads(
            token, salt=REVIEW_SALT, max_age=settings.REVIEW_LINK_DAYS * 24 * 60 * 60
        )
        review_id, nonce = int(data["r"]), str(data["n"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise ReviewLinkInvalid from None
    review = ServiceReview.objects.select_related("service").filter(pk=review_id).first()
    if (
        review is None
        or not secrets.compare_digest(review.nonce, nonce)
        or review.completed_at is not None
    ):
        raise ReviewLinkInvalid
    return review


@transaction.atomic
def review_confirm(*, token: str) -> Service:
    """The listing's contact says its details are still correct: verified now, not stale.

    No sign-in: the signed link is the proof. It works once (the review is completed).
    """
    found = review_find(token=token)
    review = ServiceReview.objects.select_for_update().get(pk=found.pk)
    if review.completed_at is not None:
        raise ReviewLinkInvalid
    now = timezone.now()
    review.completed_at = now
    review.save(update_fields=["completed_at"])
    service = Service.objects.select_for_update().get(pk=review.service_id)
    service.last_verified_at = now
    service.stale_since = None
    service.verified_by = None
    service._change_reason = "Confirmed by the listing's contact"  # type: ignore[attr-defined]
    service.save(update_fields=["last_verified_at", "stale_since", "verified_by"])
    audit_record(
        actor=None,
        action="service.verify",
        object_type="directory.service",
        object_id=service.pk,
        detail={"via": "review_link", "review": review.pk},
    )
    return service


def _review_remind(review: ServiceReview, *, now: datetime) -> None:
    review.reminders_sent += 1
    review.last_reminder_at = now
    review.save(update_fields=["reminders_sent", "last_reminder_at"])
    service = review.service
    audit_record(
        actor=None,
        action="service.review_reminder",
        object_type="directory.service",
        object_id=service.pk,
        detail={"review": review.pk, "reminder": review.reminders_sent},
    )
    urgent = review.reminders_sent == rules.REMINDERS
    recipients = [listing_contact_email(service)]
    if urgent:
        # The urgent one also goes to the organisation's own staff accounts (ALISS copies its
        # third email to the service's managers).
        recipients += list(
            service.organisation.memberships.values_list("user__email", flat=True).order_by("pk")
        )
    context = {
        "reminder": review.reminders_sent,
        "urgent": urgent,
        "service_name": service.name,
        "due": review.due_at,
        "confirm_url": _url(reverse("directory:review", args=[review_token(review)])),
        "change_url": _url(reverse("directory:report-problem", args=[service.slug])),
        "edit_url": _url(reverse("directory:provider-edit", args=[service.slug])),
        "days": settings.REVIEW_LINK_DAYS,
    }
    for n, to in enumerate(dict.fromkeys(r for r in recipients if r)):
        suffix = "" if n == 0 else f":{to}"
        notify(
            key=f"directory-review:{review.pk}:{review.reminders_sent}{suffix}",
            to=to,
            template="directory-review-reminder",
            context=context,
        )


@transaction.atomic
def _review_service(service_id: int, *, now: datetime) -> str:
    service = (
        Service.objects.select_for_update()
        .select_related("organisation")
        .filter(pk=service_id, status=Service.Status.PUBLISHED)
        .first()
    )
    if service is None:
        return "gone"
    review = service.reviews.filter(completed_at__isnull=True).first()
    if review is None:
        due = rules.review_due_at(
            last_checked=service.last_verified_at or service.created_at,
            interval_months=service.review_interval_months,
        )
        if now < due - rules.FIRST_REMINDER_BEFORE_DUE:
            return "wait"
        review = ServiceReview.objects.create(
            service=service, nonce=secrets.token_hex(16), due_at=due
        )
    review.service = service
    step = rules.review_next_step(
        now=now,
        due_at=review.due_at,
        reminders_sent=review.reminders_sent,
        last_reminder_at=review.last_reminder_at,
    )
    if step is rules.ReviewStep.REMIND:
        _review_remind(review, now=now)
        return "remind"
    if step is rules.ReviewStep.MARK_STALE and service.stale_since is None:
        service.stale_since = now
        service._change_reason = "Stale: review reminders unanswered"  # type: ignore[attr-defined]
        service.save(update_fields=["stale_since"])
        audit_record(
            actor=None,
            action="service.stale",
            object_type="directory.service",
            object_id=service.pk,
            detail={"review": review.pk},
        )
        return "stale"
    return "wait"


def reviews_run(*, now: datetime | None = None) -> dict[str, int]:
    """Beat, daily: start reviews falling due, send reminders 1 → 2 → 3, then mark stale.

    One transaction per listing, so one bad row does not hold up the rest; the outbox key
    (review, reminder number) means a run repeated the same day sends nothing twice.
    """
    now = now or timezone.now()
    tally: dict[str, int] = {}
    ids = Service.objects.filter(status=Service.Status.PUBLISHED).values_list("pk", flat=True)
    for service_id in list(ids):
        outcome = _review_service(service_id, now=now)
        tally[outcome] = tally.get(outcome, 0) + 1
    return tally


# Provider edits ----------------------------------------------------------------------------


@transaction.atomic
def provider_edit_propose(
    *, actor: User, service: Service, proposed: Mapping[str, Any]
) -> ProviderEdit | None:
    """Hold a provider's changes to its own listing for a curator; None when nothing changed.

    The caller has already scoped `service` to the provider's organisations (a 404 otherwise).
    """
    if not service.organisation.memberships.filter(user=actor).exists():
        raise DirectoryError("That listing is not your organisation's.")
    changes = {
        name: value
        for name, value in proposed.items()
        if name in PROVIDER_EDITABLE_FIELDS and getattr(service, name) != value
    }
    if not changes:
        return None
    edit = ProviderEdit.objects.create(service=service, proposed_by=actor, changes=changes)
    audit_record(
        actor=actor,
        action="provider_edit.propose",
        object_type="directory.provideredit",
        object_id=edit.pk,
        detail={"service": service.pk, "fields": sorted(changes)},
    )
    return edit


def _locked_pending_edit(edit_id: int) -> ProviderEdit:
    edit = (
        ProviderEdit.objects.select_for_update(of=("self",))
        .select_related("service", "proposed_by")
        .filter(pk=edit_id)
        .first()
    )
    if edit is None or edit.status != ProviderEdit.Status.PENDING:
        raise DirectoryError("That change has already been decided.")
    return edit


def _edit_decided(edit: ProviderEdit, *, actor: User) -> None:
    edit.decided_by = actor
    edit.decided_at = timezone.now()
    edit.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
    audit_record(
        actor=actor,
        action=f"provider_edit.{'approve' if edit.status == 'approved' else 'reject'}",
        object_type="directory.provideredit",
        object_id=edit.pk,
        detail={"service": edit.service_id},
    )
    if edit.proposed_by and edit.proposed_by.email:
        notify(
            key=f"directory-provider-edit-decided:{edit.pk}",
            to=edit.proposed_by.email,
            template="directory-provider-edit-decided",
            context={
                "reference": str(edit),
                "approved": edit.status == ProviderEdit.Status.APPROVED,
                "url": _url(reverse("directory:provider-edits")),
            },
        )


@transaction.atomic
def provider_edit_approve(*, actor: User, edit_id: int) -> Service:
    """Apply a provider's change through the directory's services (history and audit)."""
    edit = _locked_pending_edit(edit_id)
    service = service_update_fields(
        actor=actor,
        service_id=edit.service_id,
        fields={k: v for k, v in edit.changes.items() if k in PROVIDER_EDITABLE_FIELDS},
        reason=f"Provider change {edit} approved",
    )
    edit.status = ProviderEdit.Status.APPROVED
    _edit_decided(edit, actor=actor)
    return service


@transaction.atomic
def provider_edit_reject(*, actor: User, edit_id: int, reason: str) -> ProviderEdit:
    """Turn down a provider's change; the listing is left as it was."""
    edit = _locked_pending_edit(edit_id)
    edit.status = ProviderEdit.Status.REJECTED
    edit.decision_reason = reason.strip()
    _edit_decided(edit, actor=actor)
    return edit


# Link checks -------------------------------------------------------------------------------


def links_check(*, timeout: float | None = None, concurrency: int | None = None) -> int:
    """Beat, nightly: check each visible service's website and record the result.

    Returns how many are broken; they are listed in the curators' queue.
    """
    targets = dict(Service.objects.visible().exclude(website="").values_list("pk", "website"))
    results = linkcheck.check_all(
        targets,
        timeout=timeout if timeout is not None else settings.LINK_CHECK_TIMEOUT_SECONDS,
        concurrency=concurrency or settings.LINK_CHECK_CONCURRENCY,
        allow_private=settings.LINK_CHECK_ALLOW_PRIVATE,
    )
    now = timezone.now()
    broken = 0
    for service_id, result in results.items():
        LinkCheck.objects.update_or_create(
            service_id=service_id,
            defaults={
                "url": targets[service_id],
                "ok": result.ok,
                "status_code": result.status_code,
                "error": result.error,
                "checked_at": now,
            },
        )
        broken += not result.ok
    audit_record(
        actor=None,
        action="directory.links_check",
        object_type="directory.linkcheck",
        detail={"checked": len(results), "broken": broken},
    )
    return broken


def category_choices() -> list[Category]:
    """Every category, parents first then their children, for the suggestion form."""
    return list(Category.objects.select_related("parent").order_by("position", "name"))


@transaction.atomic
def curation_personal_data_erase(*, now: datetime | None = None) -> int:
    """Erase practitioners' and senders' details kept past PERSONAL_DATA_RETENTION_DAYS.

    A decided suggestion keeps what it said about the service but loses who sent it; a
    handled message is deleted. Problem reporters' addresses are erased when a report closes.
    """
    cutoff = (now or timezone.now()) - timedelta(days=settings.PERSONAL_DATA_RETENTION_DAYS)
    erased = (
        Suggestion.objects.filter(decided_at__lt=cutoff)
        .exclude(practitioner_email="")
        .update(
            practitioner_name="",
            practitioner_role="",
            practitioner_email="",
            practitioner_organisation="",
        )
    )
    deleted, _ = ContactMessage.objects.filter(handled_at__lt=cutoff).delete()
    if erased or deleted:
        audit_record(
            actor=None,
            action="curation.personal_data_erase",
            object_type="directory.suggestion",
            detail={"suggestions": erased, "messages": deleted},
        )
    return erased + deleted
