import os
import subprocess
import sys
from wsgiref.util import setup_testing_defaults

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


@pytest.mark.django_db(transaction=True)
def test_database_connections_persist_across_requests() -> None:
    # Two requests through Django's WSGI handler, as one gunicorn worker thread serves them,
    # watched from outside through pg_stat_activity: one backend serves both.
    import psycopg
    from django.core.handlers.wsgi import WSGIHandler
    from django.db import connection

    handler = WSGIHandler()

    def get(path: str) -> str:
        environ: dict[str, object] = {"PATH_INFO": path, "HTTP_HOST": "testserver"}
        setup_testing_defaults(environ)
        statuses: list[str] = []
        response = handler(environ, lambda status, headers, exc_info=None: statuses.append(status))
        b"".join(response)
        response.close()  # what the server does: sends request_finished, which may close
        return statuses[0]

    params = connection.get_connection_params()
    connection.close()
    with psycopg.connect(**params, autocommit=True) as observer:

        def backends() -> set[int]:
            rows = observer.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
                [params["dbname"]],
            ).fetchall()
            return {pid for (pid,) in rows}

        before = backends()  # anything else connected to this database is not ours
        assert get("/services/") == "200 OK"
        first = backends() - before
        assert get("/services/") == "200 OK"
        second = backends() - before

    assert len(first) == 1
    assert second == first


def settings_of(names: str, **env: str | None) -> list[str]:
    code = (
        "import django; django.setup(); from django.conf import settings; "
        f"print(*(getattr(settings, n) for n in {names.split()!r}))"
    )
    overrides: dict[str, str | None] = {
        "DJANGO_SETTINGS_MODULE": "alliance.settings",
        "SECURE_SSL_REDIRECT": None,
        "SECURE_HSTS_SECONDS": None,
        "DEBUG": "false",
        **env,
    }
    base = {k: v for k, v in os.environ.items() if k not in overrides}
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**base, **{k: v for k, v in overrides.items() if v is not None}},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return result.stdout.split()


TLS_SETTINGS = "SECURE_SSL_REDIRECT SESSION_COOKIE_SECURE CSRF_COOKIE_SECURE SECURE_HSTS_SECONDS"


def test_the_demo_runs_with_debug_off_over_plain_http_on_this_machine() -> None:
    assert settings_of(f"DEBUG {TLS_SETTINGS}", DEMO_MODE="true") == [
        "False",
        "False",
        "False",
        "False",
        "0",
    ]


def test_a_deployment_is_https_only_by_default() -> None:
    assert settings_of(f"DEBUG {TLS_SETTINGS}", DEMO_MODE=None) == [
        "False",
        "True",
        "True",
        "True",
        "63072000",
    ]


def test_check_deploy_refuses_demo_mode(settings) -> None:  # type: ignore[no-untyped-def]
    from django.core.management import call_command
    from django.core.management.base import SystemCheckError

    settings.DEMO_MODE = True
    with pytest.raises(SystemCheckError) as refused:
        call_command("check", "--deploy", "--tag", "security")

    assert "alliance.E012" in str(refused.value)
