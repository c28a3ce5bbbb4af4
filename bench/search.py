"""Benchmark the directory search page at 10,000 and 100,000 published services.

Seeds a separate database (`alliance_bench`, dropped and re-created) on the same PostgreSQL as
DATABASE_URL (or the embedded one), then for each size prints the median and p95 server time of
a search page (words + postcode + a category filter) rendered through Django, the same page's
SQL alone, their ratio, and the number of SQL queries per page.

The synthetic services are spread across England, as a national directory's would be, so a
tenfold larger directory holds tenfold more services near the postcode, not a hundredfold:
what is measured is whether indexes, not scans, find them.

    .venv/bin/python bench/search.py                 # 10,000 then 100,000
    .venv/bin/python bench/search.py --sizes 2000 --runs 20
"""

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

BENCH_DB = "alliance_bench"
SEARCH_URL = "/services/?q=mediation&postcode=LE2&radius=15&category=mediation"
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


def bench_database_url() -> tuple[str, str]:
    if not os.environ.get("DATABASE_URL") or not os.environ.get("REDIS_URL"):
        import dev  # scripts/dev.py: starts the embedded servers when the URLs are unset

        os.environ.update(dev.service_env())
    server = urlsplit(os.environ["DATABASE_URL"])
    bench = urlunsplit(server._replace(path=f"/{BENCH_DB}"))
    admin = urlunsplit(server._replace(path="/postgres"))
    return admin, bench


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


def measure(runs: int) -> dict[str, float]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    for _ in range(5):  # warm the caches and the persistent connection
        assert client.get(SEARCH_URL).status_code == 200
    with CaptureQueriesContext(connection) as captured:
        response = client.get(SEARCH_URL)
    assert response.status_code == 200
    assert b"miles away" in response.content, "the page should show distances"
    statements = [q["sql"] for q in captured.captured_queries]

    page_ms, sql_ms = [], []
    for _ in range(runs):
        began = time.perf_counter()
        client.get(SEARCH_URL)
        page_ms.append((time.perf_counter() - began) * 1000)
        began = time.perf_counter()
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
                if cursor.description is not None:
                    cursor.fetchall()
        sql_ms.append((time.perf_counter() - began) * 1000)
    return {
        "page_p50": statistics.median(page_ms),
        "page_p95": percentile(page_ms, 0.95),
        "sql_p50": statistics.median(sql_ms),
        "sql_p95": percentile(sql_ms, 0.95),
        "queries": len(statements),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--runs", type=int, default=60)
    args = parser.parse_args()

    admin_url, bench_url = bench_database_url()
    recreate_database(admin_url)
    redis = urlsplit(os.environ["REDIS_URL"])
    os.environ.update(
        {
            "DATABASE_URL": bench_url,
            "REDIS_URL": urlunsplit(redis._replace(path="/3")),
            "DEBUG": "false",
            "SECRET_KEY": "bench-only-not-a-secret-0123456789-abcdefghijklmnopqrstuvwxyz",
            "ALLOWED_HOSTS": "testserver",
            "SECURE_SSL_REDIRECT": "false",
            "STATIC_MANIFEST": "false",
            "LOG_LEVEL": "ERROR",
            "DJANGO_SETTINGS_MODULE": "alliance.settings",
        }
    )
    import django

    django.setup()
    from django.core.management import call_command

    from directory import demo

    call_command("migrate", verbosity=0)
    call_command("import_postcodes", str(demo.DISTRICTS_CSV), verbosity=0)
    # The core categories come with `migrate` (directory/taxonomy.py).

    rng = random.Random(42)
    results = {}
    for size in sorted(args.sizes):
        print(f"Seeding {size:,} services…", file=sys.stderr, flush=True)
        seed_services(size, rng)
        results[size] = measure(args.runs)

    print(f"\nSearch page: {SEARCH_URL}  ({args.runs} runs each)")
    print(
        f"{'services':>9} {'page p50':>9} {'page p95':>9} {'SQL p50':>8} {'SQL p95':>8} "
        f"{'page/SQL':>8} {'queries':>7}"
    )
    for size, r in results.items():
        print(
            f"{size:>9,} {r['page_p50']:>7.1f}ms {r['page_p95']:>7.1f}ms {r['sql_p50']:>6.1f}ms "
            f"{r['sql_p95']:>6.1f}ms {r['page_p50'] / r['sql_p50']:>7.2f}x {r['queries']:>7}"
        )
    sizes = sorted(results)
    if len(sizes) > 1:
        small, large = results[sizes[0]], results[sizes[-1]]
        print(
            f"p50 at {sizes[-1]:,} is {large['page_p50'] / small['page_p50']:.2f}x "
            f"p50 at {sizes[0]:,} (target: at most 2x)"
        )


if __name__ == "__main__":
    main()
