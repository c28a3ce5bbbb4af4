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
