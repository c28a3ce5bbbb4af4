"""Sign-in lock-out: by account from any address, by address across accounts; bounded input."""

import itertools

import pytest
from axes.models import AccessAttempt
from django.test import Client

from alliance.models import Role, User
from tests.conftest import PASSWORD, make_staff

LOGIN = "/accounts/login/"
LOCKED = "You cannot sign in for now"
ATTACKER = "203.0.113.9"


def attempt(client: Client, email: str, password: str, address: str, **headers: str) -> int:
    response = client.post(
        LOGIN, {"username": email, "password": password}, REMOTE_ADDR=address, **headers
    )
    return response.status_code


def main_content(client: Client, email: str, address: str) -> str:
    html = client.post(
        LOGIN, {"username": email, "password": PASSWORD}, REMOTE_ADDR=address
    ).content.decode()
    return html.split('id="main-content"')[1].split("</main>")[0]


@pytest.fixture
def accounts(db: None, settings) -> list[User]:
    # Enough accounts that the attacker never reaches the per-account limit on any of them.
    per_account = settings.AXES_FAILURE_LIMIT - 1
    needed = -(-settings.AXES_ADDRESS_FAILURE_LIMIT // per_account) + 1
    return [make_staff(f"staff{i}@example.org", Role.FCA) for i in range(needed)]


@pytest.mark.django_db
def test_one_address_is_locked_out_across_accounts(
    client: Client, settings, accounts: list[User]
) -> None:
    limit = settings.AXES_ADDRESS_FAILURE_LIMIT
    targets = itertools.cycle(accounts[:-1])
    for _ in range(limit - 1):
        assert attempt(client, next(targets).email, "wrong", ATTACKER) == 200
    assert attempt(client, next(targets).email, "wrong", ATTACKER) == 429
    # From that address even an account nobody guessed at, with its right password, waits.
    untouched = accounts[-1]
    assert attempt(client, untouched.email, PASSWORD, ATTACKER) == 429
    assert LOCKED in main_content(client, untouched.email, ATTACKER)
    assert "_auth_user_id" not in client.session
    # Its owner, elsewhere, is not locked out.
    assert attempt(Client(), untouched.email, PASSWORD, "198.51.100.20") == 302


@pytest.mark.django_db
def test_one_account_is_locked_out_across_addresses(client: Client, settings, fca) -> None:
    limit = settings.AXES_FAILURE_LIMIT
    for i in range(limit - 1):
        assert attempt(client, fca.email, "wrong", f"198.51.100.{i + 1}") == 200
    assert attempt(client, fca.email.upper(), "wrong", "198.51.100.99") == 429
    # Even the right password, from an address never seen before, waits out the lock.
    assert attempt(Client(), fca.email, PASSWORD, "192.0.2.200") == 429
    # Other accounts from those addresses are not affected.
    other = make_staff("other@example.org", Role.FCA)
    assert attempt(Client(), other.email, PASSWORD, "198.51.100.1") == 302


@pytest.mark.django_db
def test_both_lock_outs_say_the_same_plain_thing(client: Client, settings, accounts) -> None:
    for i in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, accounts[0].email, "wrong", f"198.51.100.{i + 1}")
    account_locked = main_content(client, accounts[0].email, "192.0.2.1")
    targets = itertools.cycle(accounts[1:-1])
    for _ in range(settings.AXES_ADDRESS_FAILURE_LIMIT):
        attempt(client, next(targets).email, "wrong", ATTACKER)
    address_locked = main_content(client, accounts[-1].email, ATTACKER)
    assert LOCKED in account_locked
    assert account_locked == address_locked
    assert accounts[-1].email not in address_locked
    assert "30 minutes" in address_locked


@pytest.mark.django_db
def test_signing_in_to_ones_own_account_does_not_reset_the_address_count(
    client: Client, settings, accounts
) -> None:
    own = accounts[-1]
    targets = itertools.cycle(accounts[:-1])
    for _ in range(settings.AXES_ADDRESS_FAILURE_LIMIT - 1):
        attempt(client, next(targets).email, "wrong", ATTACKER)
    assert attempt(client, own.email, PASSWORD, ATTACKER) == 302
    client.post("/accounts/logout/")
    assert attempt(client, next(targets).email, "wrong", ATTACKER) == 429


@pytest.mark.django_db
def test_a_correct_sign_in_forgives_the_accounts_own_typos(client: Client, settings, fca) -> None:
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        attempt(client, fca.email, "wrong", "198.51.100.1")
    assert attempt(client, fca.email, PASSWORD, "198.51.100.1") == 302
    client.post("/accounts/logout/")
    assert attempt(client, fca.email, "wrong", "198.51.100.1") == 200


@pytest.mark.django_db
def test_a_forged_forwarded_for_header_does_not_escape_the_address_lock_out(
    client: Client, settings, accounts
) -> None:
    settings.PROXY_COUNT = 0
    targets = itertools.cycle(accounts[:-1])
    for i in range(settings.AXES_ADDRESS_FAILURE_LIMIT):
        status = attempt(
            client, next(targets).email, "wrong", ATTACKER, HTTP_X_FORWARDED_FOR=f"10.0.0.{i}"
        )
    assert status == 429


@pytest.mark.django_db
def test_behind_a_proxy_each_visitor_is_counted_apart(client: Client, settings, accounts) -> None:
    settings.PROXY_COUNT = 1
    proxy = "10.1.1.1"
    targets = itertools.cycle(accounts[:-1])
    for i in range(settings.AXES_ADDRESS_FAILURE_LIMIT):
        # The client forges a new first entry each time; our proxy appended the real address.
        forwarded = f"10.9.9.{i}, {ATTACKER}"
        status = attempt(
            client, next(targets).email, "wrong", proxy, HTTP_X_FORWARDED_FOR=forwarded
        )
    assert status == 429
    colleague = Client()
    response = colleague.post(
        LOGIN,
        {"username": accounts[-1].email, "password": PASSWORD},
        REMOTE_ADDR=proxy,
        HTTP_X_FORWARDED_FOR="192.0.2.44",
    )
    assert response.status_code == 302


HOSTILE_EMAILS = [
    "a" * 243 + "@example.org",  # 255 characters
    "b" * 300 + "@example.org",
    "c" * 20_000,
    "nul\x00byte@example.org",
    "bell\x07@example.org",
    "new\nline@example.org",
    "no-at-sign",
]


@pytest.mark.django_db
@pytest.mark.parametrize("email", HOSTILE_EMAILS, ids=range(len(HOSTILE_EMAILS)))
def test_a_hostile_email_gets_the_form_error_and_nothing_is_stored(
    client: Client, email: str
) -> None:
    response = client.post(LOGIN, {"username": email, "password": "wrong"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert 'href="#id_username"' in html
    assert not AccessAttempt.objects.exists()


@pytest.mark.django_db
def test_the_longest_address_allowed_is_still_checked_and_counted(client: Client) -> None:
    email = "d" * 242 + "@example.org"
    assert len(email) == 254
    response = client.post(LOGIN, {"username": email, "password": "wrong"})
    assert "Enter a correct email address and password" in response.content.decode()
    assert AccessAttempt.objects.get().username == email


@pytest.mark.django_db
def test_a_huge_password_gets_the_form_error(client: Client, fca) -> None:
    response = client.post(LOGIN, {"username": fca.email, "password": "p" * 100_000})
    assert response.status_code == 200
    assert "Enter a correct password" in response.content.decode()
    assert not AccessAttempt.objects.exists()  # refused before anything was hashed or stored
