"""Benchmark the referral pipeline against the same worker's empty-task ceiling.

Seeds a separate database (BENCH_DB, default `alliance_bench_referrals`, dropped and re-created)
on the same PostgreSQL as DATABASE_URL (or the embedded one): PTfC, one national provider with
enough online cohorts of 6, and 1,000 cases with two parents each (2,000 referrals: one
referral per parent), as drafts. Then:

1. starts ONE real Celery worker process (concurrency 1) on the real Redis and PostgreSQL,
   submits every case as an FCA would (`case_submit`, which queues the case's allocation on
   commit), and times until every parent is allocated and sent to the provider and every
   outbox message is delivered (Django's dummy mail backend: the SMTP server is not measured);
2. sends the same worker N empty tasks and times them: the ceiling for one worker;
3. prints referrals per second (a referral is one parent; the rate per case is half of it),
   empty tasks per second and their ratio (target at least 0.3), the tasks the worker really
   ran per referral (counted by the worker), and the machine's load average;
4. profiles 20 more cases in this process: queries and milliseconds per referral for
   allocating and sending, and for delivering.

The Redis database (BENCH_REDIS_DB, default 4) must be the benchmark's alone: its queue is
emptied first, and nothing else may share it.

    .venv/bin/python bench/referrals.py                # 1,000 cases, 2,000 parents
    .venv/bin/python bench/referrals.py --cases 200 --noop 2000
    BENCH_REDIS_DB=14 BENCH_DB=alliance_bench_mine .venv/bin/python bench/referrals.py
"""

import argparse
import datetime as dt
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

BENCH_DB = os.environ.get("BENCH_DB", "alliance_bench_referrals")
PROFILE_CASES = 20
QUEUE = "alliance-bench-referrals"


def bench_urls() -> tuple[str, str, str]:
    if not os.environ.get("DATABASE_URL") or not os.environ.get("REDIS_URL"):
        import dev  # scripts/dev.py: starts the embedded servers when the URLs are unset

        os.environ.update(dev.service_env())
    server = urlsplit(os.environ["DATABASE_URL"])
    bench = urlunsplit(server._replace(path=f"/{BENCH_DB}"))
    admin = urlunsplit(server._replace(path="/postgres"))
    redis = urlsplit(os.environ["REDIS_URL"])
    redis_url = urlunsplit(redis._replace(path=f"/{os.environ.get('BENCH_REDIS_DB', '4')}"))
    return admin, bench, redis_url


def recreate_database(admin_url: str) -> None:
    import psycopg
    from dj_database_url import parse

    cfg = parse(admin_url)
    with psycopg.connect(
        dbname=cfg["NAME"],
        user=cfg["USER"],
        host=cfg["HOST"] or None,
        port=cfg["PORT"] or None,
        autocommit=True,
    ) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{BENCH_DB}"')


def seed(cases: int) -> list[int]:
    """PTfC, a national online provider with room for everyone, and `cases` draft cases."""
    from django.utils import timezone

    from alliance.models import Role, User
    from directory.models import Organisation, OrganisationMembership
    from referrals.models import Cohort, Mode, Nation, Offering, Programme

    programme = Programme.objects.create(
        code="PTFC",
        name="Planning Together for Children",
        nation=Nation.ENGLAND,
        active_from=dt.date(2023, 4, 3),
    )
    organisation = Organisation.objects.create(
        name="Bench Family Services", slug="bench-family-services", email="team@bench.invalid"
    )
    staff = User.objects.create_user(email="provider@bench.invalid", role=Role.PROVIDER)
    OrganisationMembership.objects.create(user=staff, organisation=organisation)
    offering = Offering.objects.create(
        programme=programme,
        organisation=organisation,
        coverage=Offering.Coverage.NATIONAL,
        modes=[Mode.ONLINE],
        languages=["en"],
    )
    start = timezone.now() + dt.timedelta(days=14)
    groups = (2 * cases) // 6 + 20
    Cohort.objects.bulk_create(
        Cohort(
            offering=offering,
            starts_at=start + dt.timedelta(hours=i),
            mode=Mode.ONLINE,
            capacity=6,
        )
        for i in range(groups)
    )
    fca = User.objects.create_user(email="fca@bench.invalid", role=Role.FCA)
    return make_cases(programme, fca, range(cases))


def make_cases(programme, fca, numbers) -> list[int]:  # type: ignore[no-untyped-def]
    from django.utils import timezone

    from referrals import services
    from referrals.models import Route

    ids = []
    today = timezone.localdate()
    for n in numbers:
        case = services.case_create(
            actor=fca,
            programme=programme,
            case={
                "court": "Bench Family Court",
                "case_number": f"BE26P{n:05d}",
                "first_hearing_on": today - dt.timedelta(days=3),
                "route": Route.COURT_ORDER,
                "order_date": today - dt.timedelta(days=3),
                "issuing_court": "Bench Family Court",
            },
            parents=[
                {"name": f"Parent A{n}", "email": f"a{n}@bench.invalid", "postcode": "LE1 1AA"},
                {"name": f"Parent B{n}", "email": f"b{n}@bench.invalid", "postcode": "LE1 1AA"},
            ],
        )
        ids.append(case.pk)
    return ids


def start_worker(env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [
            str(Path(sys.executable).parent / "celery"),
            "-A",
            "alliance",
            "worker",
            "-Q",
            QUEUE,
            "--concurrency",
            "1",
            "--without-gossip",
            "--without-mingle",
            "--loglevel",
            "WARNING",
            "--include",
            "noop_tasks",
            "-n",
            f"bench-{os.getpid()}@%h",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )


def wait_until(condition, timeout: float, what: str) -> float:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return time.monotonic()
        time.sleep(0.05)
    raise SystemExit(f"timed out after {timeout:.0f}s waiting for {what}")


def run_noop(app, redis, count: int) -> float:  # type: ignore[no-untyped-def]
    """Seconds for the worker to run `count` empty tasks."""
    key = f"bench-done-{uuid.uuid4().hex}"
    began = time.monotonic()
    for _ in range(count):
        app.send_task("bench.noop", queue=QUEUE)
    app.send_task("bench.done", args=[key], queue=QUEUE)
    ended = wait_until(lambda: redis.get(key) is not None, 600, "the empty tasks")
    return ended - began


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--cases", type=int, default=1000, help="cases (two parents each)")
    parser.add_argument("--noop", type=int, default=5000, help="empty tasks for the ceiling")
    args = parser.parse_args()

    admin_url, bench_url, redis_url = bench_urls()
    recreate_database(admin_url)
    os.environ.update(
        {
            "DATABASE_URL": bench_url,
            "REDIS_URL": redis_url,
            "CELERY_QUEUE": QUEUE,
            "DEBUG": "false",
            "SECRET_KEY": "bench-only-not-a-secret-0123456789-abcdefghijklmnopqrstuvwxyz",
            "ALLOWED_HOSTS": "testserver",
            "SECURE_SSL_REDIRECT": "false",
            "STATIC_MANIFEST": "false",
            "LOG_LEVEL": "ERROR",
            "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
            "DJANGO_SETTINGS_MODULE": "alliance.settings",
        }
    )
    import django

    django.setup()
    import redis as redis_lib
    from django.core.management import call_command
    from django.db.models import Q

    from alliance.celery import app
    from alliance.models import OutboundMessage, User
    from referrals import services
    from referrals.models import Referral, Status

    call_command("migrate", verbosity=0)
    redis = redis_lib.Redis.from_url(redis_url)
    if redis.dbsize():
        # Someone else's keys: their queue or tests would share the worker's broker.
        raise SystemExit(f"Redis database {redis_url} is not empty; give the benchmark its own")
    print(f"Seeding {args.cases:,} cases ({2 * args.cases:,} parents)…", file=sys.stderr)
    case_ids = seed(args.cases)
    fca = User.objects.get(email="fca@bench.invalid")
    parents = Referral.objects.count()

    env = {**os.environ, "PYTHONPATH": f"{ROOT}{os.pathsep}{ROOT / 'bench'}"}
    worker = start_worker(env)
    try:
        # Warm up: the worker is up and has run a task before the clock starts.
        run_noop(app, redis, 10)
        for key in redis.scan_iter("bench-tasks:*"):
            redis.delete(key)

        print("Submitting and allocating…", file=sys.stderr, flush=True)
        load_before = os.getloadavg()
        began = time.monotonic()
        for case_id in case_ids:
            services.case_submit(actor=fca, case_id=case_id)
        submitted = time.monotonic()

        def pipeline_done() -> bool:
            waiting = Referral.objects.exclude(status=Status.SENT).exists()
            unsent = OutboundMessage.objects.filter(
                Q(status=OutboundMessage.Status.PENDING) | Q(status=OutboundMessage.Status.SENDING)
            ).exists()
            return not waiting and not unsent

        ended = wait_until(pipeline_done, 3600, "every parent allocated and every message sent")
        referral_seconds = ended - began
        messages = OutboundMessage.objects.filter(status=OutboundMessage.Status.SENT).count()
        ran = {
            key.decode().removeprefix("bench-tasks:"): int(redis.get(key) or 0)
            for key in redis.scan_iter("bench-tasks:*")
        }

        print(f"Running {args.noop:,} empty tasks…", file=sys.stderr, flush=True)
        noop_seconds = run_noop(app, redis, args.noop)
        load_after = os.getloadavg()
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, signal.SIGKILL)

    profile = profile_cases(redis)
    redis.flushdb()

    tasks = sum(ran.values())
    referral_rate = parents / referral_seconds
    noop_rate = args.noop / noop_seconds
    print()
    print(f"Referral pipeline, one worker process (concurrency 1), {args.cases:,} cases, "
          f"{parents:,} referrals (one referral per parent)")  # fmt: skip
    print(f"  submitting {args.cases:,} cases took       {submitted - began:8.2f} s")
    print(f"  until all allocated, sent, delivered    {referral_seconds:8.2f} s")
    print(f"  messages delivered                      {messages:8,d}")
    print(f"  tasks the worker ran                    {tasks:8,d}"
          f"   ({', '.join(f'{n} {k}' for k, n in sorted(ran.items()))})")  # fmt: skip
    print(f"  tasks per referral (parent)             {tasks / parents:8.2f}")
    print(f"  referrals (parents) per second          {referral_rate:8.1f}")
    print(f"  cases per second                        {args.cases / referral_seconds:8.1f}")
    print(f"Empty tasks, same worker: {args.noop:,} in {noop_seconds:.2f} s")
    print(f"  empty tasks per second                  {noop_rate:8.1f}")
    print(f"Ratio referrals (parents)/s : empty/s     {referral_rate / noop_rate:8.3f}"
          "   (target at least 0.3)")  # fmt: skip
    print(f"Load average (1, 5, 15 min) before {load_before[0]:.1f} {load_before[1]:.1f} "
          f"{load_before[2]:.1f}, after {load_after[0]:.1f} {load_after[1]:.1f} "
          f"{load_after[2]:.1f} ({os.cpu_count()} CPUs)")  # fmt: skip
    print(f"Profile, {PROFILE_CASES} more cases in this process, per referral (parent):")
    for step, (queries, ms) in profile.items():
        print(f"  {step:<38} {queries:5.1f} queries {ms:7.2f} ms")


def profile_cases(redis) -> dict[str, tuple[float, float]]:  # type: ignore[no-untyped-def]
    """Queries and time per referral of the worker's two steps, run here without Celery."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from alliance import services as outbox
    from alliance.models import OutboundMessage, User
    from referrals import services
    from referrals.models import Case, Programme

    fca = User.objects.get(email="fca@bench.invalid")
    start = Case.objects.count()
    ids = make_cases(Programme.objects.get(code="PTFC"), fca, range(start, start + PROFILE_CASES))
    for case_id in ids:
        services.case_submit(actor=fca, case_id=case_id)
    redis.delete(QUEUE)  # no worker runs now: these tasks are done below, in this process
    parents = 2 * len(ids)
    pending = set(
        OutboundMessage.objects.filter(status=OutboundMessage.Status.PENDING).values_list(
            "pk", flat=True
        )
    )
    with CaptureQueriesContext(connection) as allocating:
        began = time.perf_counter()
        for case_id in ids:
            services.case_allocate(case_id=case_id)
        allocated = time.perf_counter()
    new = sorted(
        set(
            OutboundMessage.objects.filter(status=OutboundMessage.Status.PENDING).values_list(
                "pk", flat=True
            )
        )
        - pending
    )
    redis.delete(QUEUE)
    with CaptureQueriesContext(connection) as delivering:
        began_delivery = time.perf_counter()
        outbox.messages_deliver(message_ids=new)
        delivered = time.perf_counter()
    return {
        "allocate and send (case_allocate)": (
            len(allocating) / parents,
            1000 * (allocated - began) / parents,
        ),
        f"deliver ({len(new) / parents:.0f} messages)": (
            len(delivering) / parents,
            1000 * (delivered - began_delivery) / parents,
        ),
    }


if __name__ == "__main__":
    main()
