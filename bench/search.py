"""Benchmark the directory search page, every shape a parent types, at several sizes.

Seeds one database per size (`alliance_bench_<size>`, on the same PostgreSQL as DATABASE_URL or
the embedded one) the first time and reuses it afterwards (`--reseed` starts again), then for
each shape of search and each size prints the median and p95 server time of the page rendered
through Django, the same page's SQL alone, their ratio, the number of SQL queries, and the
largest size's p50 over the 10,000 one's.

The synthetic services are spread across England, as a national directory's would be, so a
tenfold larger directory holds tenfold more services near the postcode, not a hundredfold:
what is measured is whether indexes, not scans, find them.

    .venv/bin/python bench/search.py                          # 2,000, 10,000 and 100,000
    .venv/bin/python bench/search.py --sizes 2000 --runs 20
    .venv/bin/python bench/search.py --sizes 10000 --concurrency 50 --seconds 10
    .venv/bin/python bench/search.py --sizes 100000 --explain  # the SQL plans of each shape

`--concurrency N` serves the portal with gunicorn on 127.0.0.1 only (3 workers x 4 threads, as
the Dockerfile does) and drives N concurrent clients for a bounded time at each shape's page
and at a bare view (`/robots.txt`), printing requests per second and p50/p95.
"""

import argparse
import os
import random
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

BENCH_DB = os.environ.get("BENCH_DB", "alliance_bench")
# The shapes of search a parent uses (issue 14). The first is the original benchmark's page.
SHAPES = {
    "words+postcode+category": "/services/?q=mediation&postcode=LE2&radius=15&category=mediation",
    "words+postcode": "/services/?q=mediation&postcode=LE2",
    "postcode": "/services/?postcode=LE2",
    "words": "/services/?q=mediation",
    "typo": "/services/?q=mediaton&postcode=LE2",
    "sentence": "/services/?q=I+can%27t+afford+a+lawyer+for+my+kids&postcode=LE2",
}
BARE_URL = "/robots.txt"
WORDS = [
    "family",
    "support",
    "advice",
    "help",
    "children",
    "parents",
    "separation",
    "court",
    "contact",
    "arrangements",
    "counselling",
    "wellbeing",
    "money",
    "housing",
    "debt",
    "legal",
    "centre",
    "supported",
    "supervised",
    "programme",
    "course",
    "session",
    "group",
    "online",
    "phone",
    "local",
    "free",
    "confidential",
    "safe",
    "plan",
    "meeting",
    "time",
    "week",
    "evening",
    "weekend",
    "visit",
    "worker",
    "team",
    "listen",
    "talk",
    "together",
    "agree",
]
CATEGORY_WORDS = {
    "mediation": "Mediation",
    "miams": "Mediation Assessment",
    "parenting-programme": "Parenting Programme",
    "supported-contact": "Contact Centre",
    "supervised-contact": "Supervised Contact",
    "support-for-survivors": "Domestic Abuse Support",
    "programmes-for-people-who-harm": "Behaviour Change Programme",
    "legal-advice": "Family Law Advice",
    "counselling-emotional-support": "Counselling",
    "children-young-people": "Young People's Support",
    "parenting-courses": "Parenting Course",
    "money-debt-housing": "Money and Housing Advice",
}
ENGLAND_LAT = (50.6, 54.9)
ENGLAND_LNG = (-3.5, 1.6)
PLACES = [
    "Riverside",
    "Northfield",
    "Abbey",
    "Braunstone",
    "Aylestone",
    "Belgrave",
    "Evington",
    "Knighton",
    "Oadby",
]


def server_urls(size: int) -> tuple[str, str]:
    """The admin database URL and this size's bench database URL."""
    if not os.environ.get("DATABASE_URL") or not os.environ.get("REDIS_URL"):
        import dev  # scripts/dev.py: starts the embedded servers when the URLs are unset

        os.environ.update(dev.service_env())
    server = urlsplit(os.environ["DATABASE_URL"])
    bench = urlunsplit(server._replace(path=f"/{BENCH_DB}_{size}"))
    admin = urlunsplit(server._replace(path="/postgres"))
    return admin, bench


def ensure_database(admin_url: str, name: str, *, reseed: bool) -> None:
    import psycopg
    from dj_database_url import parse

    cfg = parse(admin_url)
    with psycopg.connect(
        dbname=cfg["NAME"],
        user=cfg["USER"],
        password=cfg["PASSWORD"] or None,
        host=cfg["HOST"] or None,
        port=cfg["PORT"] or None,
        autocommit=True,
    ) as conn:
        if reseed:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


def bench_env(bench_url: str) -> dict[str, str]:
    redis = urlsplit(os.environ["REDIS_URL"])
    return {
        "DATABASE_URL": bench_url,
        "REDIS_URL": urlunsplit(redis._replace(path=os.environ.get("BENCH_REDIS_DB", "/3"))),
        "DEBUG": "false",
        "SECRET_KEY": "bench-only-not-a-secret-0123456789-abcdefghijklmnopqrstuvwxyz",
        "ALLOWED_HOSTS": "testserver,127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "STATIC_MANIFEST": "false",
        "LOG_LEVEL": "ERROR",
        "DJANGO_SETTINGS_MODULE": "alliance.settings",
    }


def seed_services(target: int, rng: random.Random) -> None:
    """Add synthetic published services until there are `target`."""
    from django.db import transaction

    from directory.models import (
        Category,
        Location,
        Organisation,
        Postcode,
        Service,
        ServiceAtLocation,
    )

    existing = Service.objects.count()
    categories = {c.slug: c for c in Category.objects.all()}
    leaf_slugs = [slug for slug in CATEGORY_WORDS if slug in categories]
    districts = list(
        Postcode.objects.filter(is_district=True).values_list("code", "latitude", "longitude")
    )
    batch = 5000
    through = Service.categories.through
    for start in range(existing, target, batch):
        size = min(batch, target - start)
        with transaction.atomic():
            orgs = Organisation.objects.bulk_create(
                Organisation(name=f"Bench organisation {start + i}", slug=f"bench-org-{start + i}")
                for i in range(0, size, 10)
            )
            services, locations, picks = [], [], []
            for i in range(size):
                n = start + i
                slug = rng.choice(leaf_slugs)
                place = rng.choice(PLACES)
                code = rng.choice(districts)[0]
                lat, lng = rng.uniform(*ENGLAND_LAT), rng.uniform(*ENGLAND_LNG)
                words = " ".join(rng.choices(WORDS, k=40))
                picks.append(slug)
                services.append(
                    Service(
                        organisation=orgs[i // 10],
                        name=f"{place} {CATEGORY_WORDS[slug]} {n}",
                        slug=f"bench-service-{n}",
                        summary=f"{CATEGORY_WORDS[slug]} for families in {place}.",
                        description=words,
                        status=Service.Status.PUBLISHED,
                        # Most services are in person somewhere; a few are online or phone only.
                        delivery_modes=(
                            ["in_person", *rng.sample(["online", "phone"], k=rng.randint(0, 2))]
                            if rng.random() < 0.98
                            else rng.sample(["online", "phone"], k=rng.randint(1, 2))
                        ),
                        is_free=rng.random() < 0.5,
                        languages=["en"],
                        safe_where_abuse=slug not in ("mediation", "miams"),
                        area_covered=Service.AreaCovered.RADIUS,
                        area_radius_miles=15.0,
                    )
                )
                locations.append(
                    Location(
                        organisation=orgs[i // 10],
                        name=f"{place} centre {n}",
                        postcode=code,
                        latitude=lat,
                        longitude=lng,
                    )
                )
            services = Service.objects.bulk_create(services)
            locations = Location.objects.bulk_create(locations)
            ServiceAtLocation.objects.bulk_create(
                ServiceAtLocation(service=s, location=loc)
                for s, loc in zip(services, locations, strict=False)
            )
            through.objects.bulk_create(
                through(service_id=s.pk, category_id=categories[slug].pk)
                for s, slug in zip(services, picks, strict=False)
            )
        print(f"  seeded {start + size:,} services", file=sys.stderr, flush=True)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def measure(url: str, runs: int, *, explain: bool) -> dict[str, object]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    for _ in range(5):  # warm the caches and the persistent connection
        assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    statements = [q["sql"] for q in captured.captured_queries]

    page_ms, sql_ms = [], []
    for _ in range(runs):
        began = time.perf_counter()
        client.get(url)
        page_ms.append((time.perf_counter() - began) * 1000)
        began = time.perf_counter()
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
                if cursor.description is not None:
                    cursor.fetchall()
        sql_ms.append((time.perf_counter() - began) * 1000)
    result: dict[str, object] = {
        "page_p50": statistics.median(page_ms),
        "page_p95": percentile(page_ms, 0.95),
        "sql_p50": statistics.median(sql_ms),
        "sql_p95": percentile(sql_ms, 0.95),
        "queries": len(statements),
    }
    if explain:
        plans = []
        with connection.cursor() as cursor:
            for sql in statements:
                if not sql.lstrip().upper().startswith("SELECT"):
                    continue
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
                lines = [row[0] for row in cursor.fetchall()]
                total = float(lines[-1].split()[-2]) if "Execution Time" in lines[-1] else 0.0
                plans.append((total, lines))
        plans.sort(key=lambda p: -p[0])
        result["plan"] = plans[0][1] if plans else []
    return result


def run_one_size(size: int, runs: int, *, reseed: bool, explain: bool) -> dict[str, object]:
    """Seed (or reuse) this size's database and measure every shape, in this process."""
    admin_url, bench_url = server_urls(size)
    ensure_database(admin_url, f"{BENCH_DB}_{size}", reseed=reseed)
    os.environ.update(bench_env(bench_url))
    import django

    django.setup()
    from django.core.management import call_command

    from directory import demo
    from directory.models import Postcode, Service

    call_command("migrate", verbosity=0)
    if not Postcode.objects.filter(code="LE2").exists():
        call_command("import_postcodes", str(demo.DISTRICTS_CSV), verbosity=0)
    if Service.objects.count() < size:
        print(f"Seeding {size:,} services…", file=sys.stderr, flush=True)
        seed_services(size, random.Random(size))
    return {shape: measure(url, runs, explain=explain) for shape, url in SHAPES.items()}


def _hammer(port: int, path: str, clients: int, seconds: float) -> dict[str, float]:
    import http.client

    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    stop_at = time.perf_counter() + seconds

    def client() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        mine: list[float] = []
        while time.perf_counter() < stop_at:
            began = time.perf_counter()
            try:
                conn.request("GET", path, headers={"Host": "127.0.0.1"})
                response = conn.getresponse()
                response.read()
                ok = response.status == 200
            except (OSError, http.client.HTTPException):
                ok = False
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            if ok:
                mine.append((time.perf_counter() - began) * 1000)
            else:
                with lock:
                    errors[0] += 1
        conn.close()
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    return {
        "rps": len(latencies) / elapsed,
        "p50": statistics.median(latencies) if latencies else float("nan"),
        "p95": percentile(latencies, 0.95) if latencies else float("nan"),
        "errors": errors[0],
    }


def run_concurrency(size: int, clients: int, seconds: float) -> None:
    """Serve with gunicorn on loopback (as the Dockerfile runs it) and drive `clients`."""
    import http.client

    _, bench_url = server_urls(size)
    env = {**os.environ, **bench_env(bench_url)}
    port = int(os.environ.get("BENCH_PORT", "8765"))
    server = subprocess.Popen(  # our own gunicorn, loopback only
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "alliance.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "3",
            "--threads",
            "4",
            "--log-level",
            "error",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        for _ in range(100):
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                conn.request("GET", BARE_URL, headers={"Host": "127.0.0.1"})
                conn.getresponse().read()
                break
            except OSError:
                time.sleep(0.2)
        print(
            f"\nConcurrent: {clients} clients for {seconds:.0f} s each, {size:,} services, "
            f"gunicorn 3 workers x 4 threads on 127.0.0.1"
        )
        print(f"{'page':<26} {'req/s':>7} {'p50':>9} {'p95':>9} {'errors':>6}")
        for name, path in [("bare view " + BARE_URL, BARE_URL), *SHAPES.items()]:
            _hammer(port, path, 4, 1.0)  # warm every worker
            r = _hammer(port, path, clients, seconds)
            print(
                f"{name:<26} {r['rps']:>7.1f} {r['p50']:>7.1f}ms {r['p95']:>7.1f}ms "
                f"{r['errors']:>6}",
                flush=True,
            )
    finally:
        server.terminate()
        server.wait(timeout=30)


def main() -> None:
    import json

    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[2_000, 10_000, 100_000])
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--reseed", action="store_true", help="drop and seed the databases again")
    parser.add_argument("--explain", action="store_true", help="print each shape's slowest plan")
    parser.add_argument("--concurrency", type=int, default=0, help="clients for the load test")
    parser.add_argument("--seconds", type=float, default=10.0, help="load test time per page")
    parser.add_argument("--shapes", nargs="+", choices=list(SHAPES), help="only these shapes")
    parser.add_argument("--one-size", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.shapes:
        for name in list(SHAPES):
            if name not in args.shapes:
                del SHAPES[name]

    if args.one_size:
        result = run_one_size(args.one_size, args.runs, reseed=args.reseed, explain=args.explain)
        print("RESULT " + json.dumps(result))
        return

    server_urls(0)  # start the embedded servers once, if no URLs are set
    results: dict[int, dict[str, dict]] = {}
    for size in sorted(args.sizes):
        # One process per size: each has its own database and Django settings.
        command = [sys.executable, __file__, "--one-size", str(size), "--runs", str(args.runs)]
        command += ["--reseed"] if args.reseed else []
        command += ["--explain"] if args.explain else []
        command += ["--shapes", *SHAPES] if args.shapes else []
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        sys.stderr.write(done.stderr)
        line = next((x for x in done.stdout.splitlines() if x.startswith("RESULT ")), None)
        if line is None:
            raise SystemExit(f"size {size} failed:\n{done.stdout}")
        results[size] = json.loads(line.removeprefix("RESULT "))

    sizes = sorted(results)
    base = 10_000 if 10_000 in results else sizes[0]
    print(f"\nSearch pages, {args.runs} runs each (page through Django; SQL: its own queries)")
    print(
        f"{'shape':<24} {'services':>9} {'page p50':>9} {'page p95':>9} {'SQL p50':>8} "
        f"{'page/SQL':>8} {'queries':>7} {'vs ' + format(base, ','):>10}"
    )
    for shape in SHAPES:
        for size in sizes:
            r = results[size][shape]
            growth = r["page_p50"] / results[base][shape]["page_p50"]
            print(
                f"{shape:<24} {size:>9,} {r['page_p50']:>7.1f}ms {r['page_p95']:>7.1f}ms "
                f"{r['sql_p50']:>6.1f}ms {r['page_p50'] / r['sql_p50']:>7.2f}x {r['queries']:>7} "
                f"{growth:>9.2f}x"
            )
    if args.explain:
        for size in sizes:
            for shape in SHAPES:
                print(f"\n== plan: {shape} at {size:,} services (slowest query) ==")
                print("\n".join(results[size][shape].get("plan", [])))
    if args.concurrency:
        run_concurrency(max(sizes), args.concurrency, args.seconds)


if __name__ == "__main__":
    main()
