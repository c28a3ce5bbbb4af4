"""The README's commands work as printed, from a shell with no variables set."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from alliance.models import Role
from tests.conftest import ROOT, make_staff
from tests.support.dev_script import dev_script


def database_url() -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def checkout_with_demo_env(tmp_path: Path, *, redis_url: str) -> Path:
    """manage.py beside the .data/demo.env that `make run` writes, for this test's database.

    A copy of manage.py, so the developer's own .data/ is never touched; the apps it imports
    are the project's (installed in .venv in editable mode).
    """
    dev = dev_script()
    data = tmp_path / ".data"
    env = dev.demo_env(8000, data, base={"DATABASE_URL": database_url(), "REDIS_URL": redis_url})
    dev.write_demo_env(env, data / "demo.env")
    shutil.copy(ROOT / "manage.py", tmp_path / "manage.py")
    return tmp_path


def in_an_empty_shell(checkout: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    # `.venv/bin/python manage.py ...` typed into a new terminal: no variables at all.
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=checkout,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.django_db(transaction=True)
def test_demo_code_works_in_a_second_terminal_beside_make_run(tmp_path: Path, settings) -> None:
    user = make_staff("fca.demo@example.org", Role.FCA)
    device = TOTPDevice.objects.get(user=user)
    checkout = checkout_with_demo_env(tmp_path, redis_url=settings.REDIS_URL)

    def current() -> str:
        return f"{totp(device.bin_key, device.step, device.t0, device.digits):06d}"

    before = current()
    result = in_an_empty_shell(checkout, "demo_code", "fca.demo@example.org")
    after = current()

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() in {before, after}


def test_the_demo_settings_file_is_ignored_where_a_database_is_configured(
    tmp_path: Path, db: None, settings
) -> None:
    checkout = checkout_with_demo_env(tmp_path, redis_url=settings.REDIS_URL)

    result = in_an_empty_shell(
        checkout, "demo_code", "anyone@example.org", DATABASE_URL="postgres://db.example.org/x"
    )

    assert result.returncode != 0
    assert "DEBUG is off, so these environment variables are required: SECRET_KEY" in (
        result.stderr
    )


def test_the_demo_settings_file_is_private_and_holds_no_secret_itself(tmp_path: Path) -> None:
    dev = dev_script()
    data = tmp_path / ".data"
    env = dev.demo_env(8000, data, base={"DATABASE_URL": "postgres://x/y", "REDIS_URL": "redis://"})
    dev.write_demo_env(env, data / "demo.env")

    text = (data / "demo.env").read_text()
    secret = (data / "secret_key").read_text()
    assert f"SECRET_KEY_FILE={data / 'secret_key'}" in text
    assert secret not in text
    assert len(secret) >= 50
    assert (data / "demo.env").stat().st_mode & 0o077 == 0
    assert (data / "secret_key").stat().st_mode & 0o077 == 0


def test_make_run_serves_the_demo_with_debug_off_unless_asked(tmp_path: Path) -> None:
    dev = dev_script()

    assert dev.demo_env(8000, tmp_path, base={})["DEBUG"] == "false"
    assert dev.demo_env(8000, tmp_path, base={"DEBUG": "true"})["DEBUG"] == "true"
    assert dev.demo_env(8000, tmp_path, base={})["DEMO_MODE"] == "true"
