"""Sign-in lock-out with django-axes: per account from any address, per address across accounts.

Counting per email-and-address pair let one address try a few passwords against every account
(issue 8, item 4). Failures are now counted twice: per account (AXES_FAILURE_LIMIT, from any
address) and per address (AXES_ADDRESS_FAILURE_LIMIT, across accounts). The address limit is
higher because an address may be a whole office behind one proxy, where one person's typos
must not lock everyone out after a handful of mistakes.
"""

import ipaddress
from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_failure_limit, get_lockout_parameters
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Sum
from django.http import HttpRequest

from alliance.params import has_control_characters


def client_address(request: HttpRequest) -> str | None:
    """The visitor's address: REMOTE_ADDR, or the one our own proxies recorded (PROXY_COUNT).

    Only the entry the nearest trusted proxy appended counts: anything further left in
    X-Forwarded-For was written by the client and is ignored, so a forged header cannot make
    each attempt look like a new visitor. Not an address at all: REMOTE_ADDR.
    """
    remote = request.META.get("REMOTE_ADDR")
    proxies = settings.PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies <= 0 or not forwarded:
        return remote
    hops = [hop.strip() for hop in forwarded[:2000].split(",")]
    candidate = hops[-min(proxies, len(hops))]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote


def lockout_username(request: HttpRequest, credentials: dict[str, Any] | None = None) -> str | None:
    """The account an attempt was for, as axes stores it: trimmed, lower-case, bounded.

    The sign-in form already refuses a long or malformed address before authenticating; this
    also keeps any other path from handing axes text its 255-character column cannot hold, and
    "FCA@example.org" from counting apart from "fca@example.org".
    """
    source = credentials if credentials is not None else request.POST
    raw = source.get(settings.AXES_USERNAME_FORM_FIELD)
    if not isinstance(raw, str):
        return None
    text = raw.strip().lower()
    if has_control_characters(text):
        text = "".join(ch for ch in text if not has_control_characters(ch))
    max_length = get_user_model()._meta.get_field("email").max_length or 254
    return text[:max_length] or None


class LockoutHandler(AxesDatabaseHandler):
    """axes' database handler with its own limit for the per-address count."""

    def get_failures(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> int:
        """The failures to compare with AXES_FAILURE_LIMIT, the address count scaled to it.

        axes locks out when this reaches the one limit. An address's failures are weighed
        limit/address_limit each, rounded down, which reaches the limit exactly when they reach
        AXES_ADDRESS_FAILURE_LIMIT.
        """
        limit = get_failure_limit(request, credentials)
        address_limit = settings.AXES_ADDRESS_FAILURE_LIMIT
        counted = 0
        for parameters, attempts in zip(
            get_lockout_parameters(request, credentials),
            self.get_user_attempts(request, credentials),
            strict=True,
        ):
            failures = attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0
            if parameters == ["ip_address"] or parameters == "ip_address":
                failures = failures * limit // address_limit
            counted = max(counted, failures)
        return counted

    def reset_user_attempts(
        self, request: HttpRequest, credentials: dict[str, Any] | None = None
    ) -> int:
        """On a successful sign-in, forgive that account's own failures and nothing else.

        axes would also wipe every failure from the address: then anyone with an account could
        sign in to it between guesses at other people's passwords and never be locked out.
        """
        username = get_client_username(request, credentials)
        if not username:
            return 0
        count, _ = AccessAttempt.objects.filter(username=username).delete()
        return count
