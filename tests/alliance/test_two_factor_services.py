"""The two-factor writes, each in a service: begin, confirm, verify, use a recovery code."""

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from alliance import services
from alliance.models import AuditEvent, Role, User


def code_for(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


@pytest.fixture
def newcomer(db: None) -> User:
    return User.objects.create_user(email="new@example.org", password="x" * 20, role=Role.FCA)


@pytest.mark.django_db
def test_beginning_twice_gives_the_same_key_and_one_audit_event(newcomer: User) -> None:
    first = services.staff_totp_begin(user=newcomer)
    second = services.staff_totp_begin(user=newcomer)
    assert first.pk == second.pk
    assert TOTPDevice.objects.filter(user=newcomer).count() == 1
    assert AuditEvent.objects.filter(action="staff.authenticator_setup_started").count() == 1


@pytest.mark.django_db
def test_an_enrolled_account_cannot_begin_again(fca: User) -> None:
    with pytest.raises(services.SecondFactorError):
        services.staff_totp_begin(user=fca)
    assert TOTPDevice.objects.filter(user=fca).count() == 1


@pytest.mark.django_db
def test_confirming_sets_up_the_authenticator_and_issues_recovery_codes(newcomer: User) -> None:
    device = services.staff_totp_begin(user=newcomer)
    enrolment = services.staff_totp_confirm(user=newcomer, token=code_for(device))
    assert enrolment is not None
    assert enrolment.device.pk == device.pk
    assert TOTPDevice.objects.get(pk=device.pk).confirmed
    assert len(enrolment.recovery_codes) == 10
    assert StaticToken.objects.filter(device__user=newcomer).count() == 10
    assert AuditEvent.objects.filter(actor=newcomer, action="staff.authenticator_set_up").exists()


@pytest.mark.django_db
def test_a_wrong_code_confirms_nothing_and_still_counts_toward_the_throttle(
    newcomer: User,
) -> None:
    device = services.staff_totp_begin(user=newcomer)
    assert services.staff_totp_confirm(user=newcomer, token="000000") is None
    device.refresh_from_db()
    assert not device.confirmed
    # django-otp slows guessing by counting failures on the device: the count must be kept.
    assert device.throttling_failure_count == 1
    assert not AuditEvent.objects.filter(action="staff.authenticator_set_up").exists()


@pytest.mark.django_db
def test_confirming_with_nothing_begun_is_refused(newcomer: User) -> None:
    with pytest.raises(services.SecondFactorError):
        services.staff_totp_confirm(user=newcomer, token="123456")


@pytest.mark.django_db
def test_a_wrong_sign_in_code_is_counted_toward_the_throttle(fca: User) -> None:
    assert services.staff_second_factor_verify(user=fca, token="000000") is None
    assert TOTPDevice.objects.get(user=fca).throttling_failure_count == 1
    assert not AuditEvent.objects.filter(action="staff.second_factor_passed").exists()
