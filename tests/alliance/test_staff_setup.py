"""New staff set up through a single-use, expiring link: a password alone never enrols a phone."""

import re
import secrets
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from alliance import services
from alliance.models import AuditEvent, OutboundMessage, Role, StaffSetupLink, User
from tests.conftest import PASSWORD, sign_in

NEW_PASSWORD = "plum-lantern-orbit-meadow"
SETUP = "/accounts/set-up/"


def code_for(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


@pytest.fixture
def newcomer(db: None) -> User:
    user = User.objects.create_user(
        email="new.starter@example.org", role=Role.FCA, first_name="Nadia", last_name="Okafor"
    )
    assert not user.has_usable_password()
    return user


@pytest.fixture
def link(newcomer: User) -> str:
    """The path of a fresh set-up link for the newcomer."""
    url = services.staff_setup_link_create(user=newcomer, actor=None)
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


def open_link(client: Client, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"] == SETUP


def choose_password(client: Client) -> None:
    response = client.post(SETUP, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302, response.content.decode()[:2000]


def finish(client: Client, user: User) -> object:
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    return client.post(SETUP, {"token": code_for(device)})


@pytest.mark.django_db
def test_the_happy_path_sets_a_password_and_an_authenticator_and_signs_in(
    client: Client, newcomer: User, link: str
) -> None:
    open_link(client, link)
    page = client.get(SETUP).content.decode()
    assert "Set up your staff account" in page
    assert link.rsplit("/", 2)[-2] not in page  # the token is not repeated in the page

    choose_password(client)
    page = client.get(SETUP).content.decode()
    assert "Set up your authenticator app" in page
    assert "data:image/svg+xml;base64," in page

    response = finish(client, newcomer)
    assert response["Location"] == "/accounts/recovery-codes/"
    assert client.get(response["Location"]).content.decode().count("<li><code>") == 10
    assert client.get("/referrals/").status_code == 200  # signed in with both factors
    newcomer.refresh_from_db()
    assert newcomer.check_password(NEW_PASSWORD)
    assert TOTPDevice.objects.get(user=newcomer).confirmed
    assert StaffSetupLink.objects.get(user=newcomer).used_at is not None
    actions = set(
        AuditEvent.objects.filter(object_id=str(newcomer.pk)).values_list("action", flat=True)
    )
    assert {
        "staff.setup_link_issued",
        "staff.setup_password_set",
        "staff.authenticator_set_up",
        "staff.setup_completed",
    } <= actions

    # Afterwards they sign in as everyone does: password, then the app's code.
    client.post("/accounts/logout/")
    response = client.post(
        "/accounts/login/", {"username": newcomer.email, "password": NEW_PASSWORD}
    )
    assert response["Location"] == "/staff/"


@pytest.mark.django_db
def test_a_used_link_does_not_work_again(client: Client, newcomer: User, link: str) -> None:
    open_link(client, link)
    choose_password(client)
    finish(client, newcomer)

    again = Client()
    response = again.get(link)
    assert response.status_code == 404
    assert "This set-up link does not work" in response.content.decode()
    assert again.get(SETUP).status_code == 404


@pytest.mark.django_db
def test_an_expired_link_does_not_work(client: Client, newcomer: User, link: str, settings) -> None:
    StaffSetupLink.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    response = client.get(link)
    assert response.status_code == 404
    assert "This set-up link does not work" in response.content.decode()
    response = client.post(SETUP, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 404
    newcomer.refresh_from_db()
    assert not newcomer.has_usable_password()


@pytest.mark.django_db
def test_a_link_expires_after_the_set_hours(newcomer: User, settings) -> None:
    settings.STAFF_SETUP_LINK_HOURS = 72
    before = timezone.now()
    services.staff_setup_link_create(user=newcomer, actor=None)
    expires = StaffSetupLink.objects.get(user=newcomer).expires_at
    assert timedelta(hours=72) <= expires - before < timedelta(hours=72, minutes=1)


@pytest.mark.django_db
def test_a_link_that_expires_midway_stops_the_set_up(
    client: Client, newcomer: User, link: str
) -> None:
    open_link(client, link)
    choose_password(client)
    StaffSetupLink.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    response = finish(client, newcomer)
    assert response.status_code == 404
    assert not TOTPDevice.objects.filter(user=newcomer, confirmed=True).exists()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
@pytest.mark.parametrize(
    "token",
    [
        secrets.token_urlsafe(32),  # well formed, never issued
        "a",
        "x" * 5000,
    ],
    ids=["guessed", "short", "huge"],
)
def test_a_guessed_token_does_not_work(client: Client, link: str, token: str) -> None:
    response = client.get(f"{SETUP}{token}/")
    assert response.status_code == 404
    assert "staff_setup_link" not in client.session
    assert client.get(SETUP).status_code == 404


@pytest.mark.django_db
def test_a_new_link_stops_the_old_one(client: Client, newcomer: User, link: str) -> None:
    services.staff_setup_link_create(user=newcomer, actor=None)
    assert client.get(link).status_code == 404


@pytest.mark.django_db
def test_opening_a_link_spends_nothing(client: Client, newcomer: User, link: str) -> None:
    # Mail scanners open links before people do.
    for _ in range(3):
        Client().get(link)
    open_link(client, link)
    assert client.get(SETUP).status_code == 200


@pytest.mark.django_db
def test_a_wrong_code_keeps_the_set_up_open(client: Client, newcomer: User, link: str) -> None:
    open_link(client, link)
    choose_password(client)
    response = client.post(SETUP, {"token": "000000"})
    assert response.status_code == 200
    assert "wrong or has expired" in response.content.decode()
    assert StaffSetupLink.objects.get(user=newcomer).used_at is None
    # django-otp makes the next try wait a moment after a wrong code; let that moment pass.
    TOTPDevice.objects.filter(user=newcomer).update(
        throttling_failure_timestamp=timezone.now() - timedelta(minutes=1)
    )
    assert finish(client, newcomer)["Location"] == "/accounts/recovery-codes/"


@pytest.mark.django_db
def test_a_weak_or_mismatched_password_is_refused_with_the_error_summary(
    client: Client, newcomer: User, link: str
) -> None:
    open_link(client, link)
    weak = client.post(SETUP, {"password1": "password", "password2": "password"})
    html = weak.content.decode()
    assert weak.status_code == 200
    assert "govuk-error-summary" in html
    assert "too short" in html
    mismatch = client.post(SETUP, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD + "x"})
    assert "The passwords do not match" in mismatch.content.decode()
    newcomer.refresh_from_db()
    assert not newcomer.has_usable_password()


@pytest.mark.django_db
def test_a_password_alone_never_reaches_the_authenticator_set_up(client: Client) -> None:
    # A password set some other way (a leak, a guess, a curator's reset) is not enough.
    user = User.objects.create_user(email="pw.only@example.org", password=PASSWORD, role=Role.FCA)
    response = client.post("/accounts/login/", {"username": user.email, "password": PASSWORD})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Your account is not set up yet" in html
    assert "_auth_user_id" not in client.session

    # Even a session that is somehow signed in is only told to use the link.
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    page = client.get("/accounts/two-factor/")
    assert page.status_code == 403
    assert "Your account is not set up yet" in page.content.decode()
    client.post("/accounts/two-factor/", {"begin": "1"})
    client.post("/accounts/two-factor/", {"token": "123456"})
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert client.get("/referrals/").status_code == 302


@pytest.mark.django_db
def test_a_curator_adding_an_account_emails_a_set_up_link(
    client: Client, curator: User, django_capture_on_commit_callbacks
) -> None:
    curator.is_superuser = True
    curator.save(update_fields=["is_superuser"])
    sign_in(client, curator)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(
            "/admin/alliance/user/add/",
            {"email": "Fresh.Face@Example.org", "role": "provider", "_save": "1"},
        )
    assert response.status_code == 302, response.content.decode()[:3000]
    user = User.objects.get(email="fresh.face@example.org")
    assert not user.has_usable_password()
    assert not TOTPDevice.objects.filter(user=user).exists()
    message = OutboundMessage.objects.get()
    assert message.to == user.email
    assert message.erase_after_send  # the link opens the account: not kept once sent
    assert len(callbacks) == 1  # delivery queued on commit
    assert AuditEvent.objects.filter(
        actor=curator, action="staff.setup_link_issued", object_id=str(user.pk)
    ).exists()
    # The emailed link works.
    url = re.search(r"https?://\S+/accounts/set-up/[\w-]+/", message.body_text).group(0)
    fresh = Client()
    open_link(fresh, "/" + url.split("://", 1)[1].split("/", 1)[1])


@pytest.mark.django_db
def test_the_set_up_email_holds_a_link_and_nothing_personal(newcomer: User, settings) -> None:
    services.staff_setup_link_send(user=newcomer, actor=None)
    message = OutboundMessage.objects.get()
    for body in (message.subject, message.body_text, message.body_html):
        for personal in (newcomer.email, "new.starter", "Nadia", "Okafor", Role.FCA.label, "fca"):
            assert personal.lower() not in body.lower()
        assert "password:" not in body.lower()
    links = re.findall(r"https?://[^\s\"<]+", message.body_text)
    assert len(links) == 1
    assert links[0].startswith(settings.SITE_URL + "/accounts/set-up/")
    assert links[0] in message.body_html
    assert "72 hours" in message.body_text


@pytest.mark.django_db
def test_the_token_is_stored_only_as_a_hash(newcomer: User) -> None:
    url = services.staff_setup_link_create(user=newcomer, actor=None)
    token = url.rstrip("/").rsplit("/", 1)[1]
    stored = StaffSetupLink.objects.get(user=newcomer)
    assert token not in stored.token_hash
    assert len(stored.token_hash) == 64


@pytest.mark.django_db
def test_the_first_admin_gets_a_link_from_the_command(client: Client) -> None:
    admin = User.objects.create_superuser(email="first@example.org", password=None)
    out, err = StringIO(), StringIO()
    call_command("staff_setup_link", "FIRST@example.org", stdout=out, stderr=err)
    url = out.getvalue().strip()
    assert "/accounts/set-up/" in url
    assert "works once" in err.getvalue()
    assert not OutboundMessage.objects.exists()
    open_link(client, "/" + url.split("://", 1)[1].split("/", 1)[1])
    choose_password(client)
    assert finish(client, admin)["Location"] == "/accounts/recovery-codes/"
    assert client.get("/admin/").status_code == 200


@pytest.mark.django_db
def test_the_command_refuses_unknown_and_set_up_accounts(fca: User) -> None:
    with pytest.raises(CommandError, match="No account"):
        call_command("staff_setup_link", "nobody@example.org", stdout=StringIO())
    with pytest.raises(CommandError, match="already set up"):
        call_command("staff_setup_link", fca.email, stdout=StringIO())
    assert not StaffSetupLink.objects.exists()


@pytest.mark.django_db
def test_the_admin_action_skips_accounts_already_set_up(
    client: Client, curator, fca, newcomer
) -> None:
    curator.is_superuser = True
    curator.save(update_fields=["is_superuser"])
    sign_in(client, curator)
    response = client.post(
        "/admin/alliance/user/",
        {"action": "send_setup_link", "_selected_action": [fca.pk, newcomer.pk]},
        follow=True,
    )
    assert response.status_code == 200
    assert list(OutboundMessage.objects.values_list("to", flat=True)) == [newcomer.email]
    assert "1 account was skipped" in response.content.decode()


@pytest.mark.slow
@pytest.mark.django_db
def test_demo_accounts_are_already_set_up(client: Client, settings) -> None:
    from alliance.management.commands.seed_demo import DEMO_ACCOUNTS, DEMO_PASSWORD

    settings.DEMO_MODE = True
    call_command("seed_demo", stdout=StringIO())
    for email, _role, _is_staff in DEMO_ACCOUNTS:
        user = User.objects.get(email=email)
        assert services.staff_is_set_up(user=user)
        response = client.post("/accounts/login/", {"username": email, "password": DEMO_PASSWORD})
        assert response.status_code == 302
        client.post("/accounts/logout/")
