import pytest
from django.test import Client

from alliance.models import AuditEvent
from tests.conftest import PASSWORD, sign_in

STAFF_PAGES = ["/staff/", "/referrals/", "/provider/", "/admin/"]


@pytest.mark.django_db
@pytest.mark.parametrize("path", STAFF_PAGES)
def test_staff_pages_send_anonymous_visitors_to_sign_in(client: Client, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 302
    assert (
        response["Location"].startswith("/accounts/login/")
        or "/admin/login/" in response["Location"]
    )


@pytest.mark.django_db
@pytest.mark.parametrize("path", STAFF_PAGES)
def test_staff_pages_refuse_a_user_without_a_second_factor(client: Client, curator, path) -> None:
    sign_in(client, curator, second_factor=False)
    response = client.get(path, follow=True)
    assert response.redirect_chain, "expected a redirect to the second factor"
    assert response.request["PATH_INFO"] == "/accounts/two-factor/"
    assert "Enter your security code" in response.content.decode()


# The access matrix: who sees which staff page once both factors are passed.
MATRIX = [
    ("curator", "/staff/", 200),
    ("curator", "/admin/", 200),
    ("curator", "/referrals/", 403),
    ("curator", "/provider/", 403),
    ("editor", "/admin/", 200),
    ("editor", "/referrals/", 403),
    ("fca", "/referrals/", 200),
    ("fca", "/provider/", 403),
    ("fca", "/admin/", 302),
    ("provider_staff", "/provider/", 200),
    ("provider_staff", "/referrals/", 403),
    ("provider_staff", "/admin/", 302),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("who", "path", "status"), MATRIX)
def test_access_matrix(client: Client, request, who: str, path: str, status: int) -> None:
    user = request.getfixturevalue(who)
    sign_in(client, user)
    response = client.get(path)
    assert response.status_code == status
    if status == 302:
        # The admin sends a signed-in non-staff person to its sign-in page, which refuses them
        # in our own words; it never shows them the admin.
        assert response["Location"].startswith("/admin/login/")
        refused = client.get(response["Location"])
        assert refused.status_code == 403
        assert "You cannot see this page" in refused.content.decode()


@pytest.mark.django_db
def test_a_wrong_code_is_refused_with_an_error_summary(client: Client, fca) -> None:
    sign_in(client, fca, second_factor=False)
    response = client.post("/accounts/two-factor/", {"token": "000000"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in html
    assert "wrong or has expired" in html
    assert client.get("/referrals/").status_code == 302


@pytest.mark.django_db
def test_an_empty_sign_in_shows_the_error_summary(client: Client) -> None:
    response = client.post("/accounts/login/", {"username": "", "password": ""})
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert 'href="#id_username"' in html
    assert "Enter your email address" in html


@pytest.mark.django_db
def test_repeated_failures_lock_the_account_with_a_clear_message(client: Client, fca) -> None:
    for _ in range(4):
        response = client.post("/accounts/login/", {"username": fca.email, "password": "wrong"})
        assert response.status_code == 200
        assert "Enter a correct email address and password" in response.content.decode()
    response = client.post("/accounts/login/", {"username": fca.email, "password": "wrong"})
    assert response.status_code == 429
    # Even the right password is refused while the lock lasts.
    response = client.post("/accounts/login/", {"username": fca.email, "password": PASSWORD})
    assert response.status_code == 429
    assert "You cannot sign in for now" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_next_cannot_send_staff_to_another_site(client: Client, fca) -> None:
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    sign_in(client, fca, second_factor=False)
    device = TOTPDevice.objects.get(user=fca)
    code = totp(device.bin_key, device.step, device.t0, device.digits, device.drift)
    response = client.post(
        "/accounts/two-factor/", {"token": f"{code:06d}", "next": "https://evil.example/"}
    )
    assert response["Location"] == "/staff/"


@pytest.mark.django_db
def test_sign_in_pages_have_exactly_one_form_around_the_fields(client: Client, fca) -> None:
    html = client.get("/accounts/login/").content.decode()
    main = html.split('id="main-content"')[1]
    assert main.count("<form") == 1
    sign_in(client, fca, second_factor=False)
    main = client.get("/accounts/two-factor/").content.decode().split('id="main-content"')[1]
    assert main.count("<form") == 3  # the code, a recovery code, and a sign-out button
    assert 'class="govuk-input govuk-input--width-5"' in main


@pytest.mark.django_db
def test_a_recovery_code_signs_in_once(client: Client, fca) -> None:
    from alliance.services import staff_recovery_codes_issue

    codes = staff_recovery_codes_issue(user=fca)
    sign_in(client, fca, second_factor=False)

    response = client.post(
        "/accounts/two-factor/", {"code": codes[0].upper(), "next": "/referrals/"}
    )
    assert response["Location"] == "/referrals/"
    assert client.get("/referrals/").status_code == 200
    assert AuditEvent.objects.filter(actor=fca, action="staff.recovery_code_used").exists()

    client.post("/accounts/logout/")
    sign_in(client, fca, second_factor=False)
    again = client.post("/accounts/two-factor/", {"code": codes[0]})
    assert again.status_code == 200
    assert "That recovery code is wrong or has been used" in again.content.decode()
    assert client.get("/referrals/").status_code == 302


@pytest.mark.django_db
def test_new_recovery_codes_replace_the_old_ones(client: Client, fca) -> None:
    from alliance.services import staff_recovery_codes_issue

    old = staff_recovery_codes_issue(user=fca)
    sign_in(client, fca)
    page = client.post("/accounts/recovery-codes/").content.decode()
    assert page.count("<li><code>") == 10
    assert old[0] not in page
    client.post("/accounts/logout/")
    sign_in(client, fca, second_factor=False)
    refused = client.post("/accounts/two-factor/", {"code": old[0]})
    assert "That recovery code is wrong or has been used" in refused.content.decode()
