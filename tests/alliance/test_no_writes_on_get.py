"""No state change on GET: a link prefetch or a crawler opening a staff page writes nothing."""

from collections.abc import Callable

import pytest
from django.db.models import Model
from django.test import Client
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from alliance.models import AuditEvent, OutboundMessage, Role, StaffSetupLink, User
from alliance.services import (
    staff_recovery_codes_issue,
    staff_setup_link_create,
    staff_setup_password_set,
    staff_totp_begin,
)
from alliance.urls import alliance_patterns
from tests.conftest import PASSWORD, sign_in

WATCHED: list[type[Model]] = [
    User,
    StaffSetupLink,
    TOTPDevice,
    StaticDevice,
    StaticToken,
    AuditEvent,
    OutboundMessage,
]
# Every staff and account page of the core app, read from the URL configuration so a new one
# is covered, plus the other areas' front doors (which send an unverified visitor on).
STAFF_PAGES = [
    *sorted(
        f"/{pattern.pattern}"
        for pattern in alliance_patterns
        if str(pattern.pattern).startswith(("accounts/", "staff/"))
        and not pattern.pattern.converters
    ),
    "/referrals/",
    "/provider/",
    "/admin/",
]


def snapshot() -> dict[str, list[dict[str, object]]]:
    return {model.__name__: list(model.objects.order_by("pk").values()) for model in WATCHED}


def new_staff(client: Client) -> None:
    user = User.objects.create_user(email="new@example.org", password=PASSWORD, role=Role.FCA)
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")


def setup_begun(client: Client) -> None:
    new_staff(client)
    staff_totp_begin(user=User.objects.get(email="new@example.org"))


def holding_a_setup_link(client: Client, fca: User) -> str:
    user = User.objects.create_user(email="new@example.org", role=Role.FCA)
    url = staff_setup_link_create(user=user, actor=None)
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


def setup_link_password_chosen(client: Client, fca: User) -> str:
    path = holding_a_setup_link(client, fca)
    staff_setup_password_set(token=path.rstrip("/").rsplit("/", 1)[1], password="x" * 20)
    client.get(path)  # the browser now holds the link in its session
    return path


def password_only(client: Client, fca: User) -> None:
    staff_recovery_codes_issue(user=fca)
    sign_in(client, fca, second_factor=False)


def both_factors(client: Client, fca: User) -> None:
    staff_recovery_codes_issue(user=fca)
    sign_in(client, fca)


STATES: dict[str, Callable[[Client, User], str | None]] = {
    "anonymous": lambda client, fca: None,
    "new staff, no authenticator": lambda client, fca: new_staff(client),
    "new staff, set-up begun": lambda client, fca: setup_begun(client),
    "holding a set-up link": holding_a_setup_link,
    "set-up link, password chosen": setup_link_password_chosen,
    "password only": password_only,
    "both factors": both_factors,
}


def test_the_watched_pages_include_the_two_factor_page() -> None:
    assert "/accounts/two-factor/" in STAFF_PAGES
    assert "/accounts/recovery-codes/" in STAFF_PAGES
    assert "/accounts/set-up/" in STAFF_PAGES


@pytest.mark.django_db
@pytest.mark.parametrize("state", STATES)
def test_a_get_of_any_staff_page_changes_nothing(client: Client, fca: User, state: str) -> None:
    setup_link = STATES[state](client, fca)
    before = snapshot()
    for path in [*([setup_link] if setup_link else []), *STAFF_PAGES]:
        response = client.get(path)
        assert response.status_code < 500, path
    assert snapshot() == before
