import os
import subprocess
import sys

import pytest

from tests.conftest import ROOT


def run_django(env_overrides: dict[str, str | None]) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items()}
    for key, value in env_overrides.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); print('started')"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize("missing", ["SECRET_KEY", "DATABASE_URL", "REDIS_URL", "ALLOWED_HOSTS"])
def test_production_refuses_to_start_without_required_variables(missing: str) -> None:
    result = run_django(
        {"DEBUG": "false", missing: None, "DJANGO_SETTINGS_MODULE": "alliance.settings"}
    )
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert missing in result.stderr


def test_a_bad_boolean_fails_loudly() -> None:
    result = run_django({"DEBUG": "perhaps", "DJANGO_SETTINGS_MODULE": "alliance.settings"})
    assert result.returncode != 0
    assert "DEBUG must be true or false" in result.stderr


def test_secrets_can_be_read_from_files(tmp_path) -> None:
    secret = tmp_path / "secret"
    secret.write_text("from-a-file-" + "z" * 40)
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings; "
            "print(settings.SECRET_KEY)",
        ],
        cwd=ROOT,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "alliance.settings",
            "SECRET_KEY": "",
            "SECRET_KEY_FILE": str(secret),
        },
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert result.stdout.strip() == "from-a-file-" + "z" * 40


def test_database_connections_persist_across_requests() -> None:
    from django.conf import settings

    assert settings.DATABASES["default"]["CONN_MAX_AGE"] >= 60
    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True
