"""The parent's own link: signed, expiring, naming one referral. Parents have no account."""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.urls import reverse

SALT = "referrals.parent-link"
MAX_TOKEN_LENGTH = 200


def parent_token(reference: str) -> str:
    """A token that opens one parent's own referral page until it expires (no other page)."""
    return signing.dumps({"r": reference}, salt=SALT)


def parent_url(reference: str) -> str:
    return settings.SITE_URL + reverse("referrals:parent", args=[parent_token(reference)])


def reference_from_token(token: str) -> str | None:
    """The referral reference a token names, or None if it is forged, altered or expired."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    try:
        data = signing.loads(
            token, salt=SALT, max_age=settings.REFERRAL_PARENT_LINK_DAYS * 24 * 3600
        )
    except signing.BadSignature:  # SignatureExpired is a BadSignature
        return None
    reference = data.get("r") if isinstance(data, dict) else None
    return reference if isinstance(reference, str) else None
