"""Pages at company scale: home, one-on-one and meeting at 1,000,000 meetings against 100,000.

For two generated organisations in PostgreSQL (by default 2,000 people and 100,000 meetings,
and 10,000 people and 1,000,000 meetings), measures one request's server time for each page
as each of a sample of people, in-process through Django's test client (the whole middleware
stack, no network), with the page cache off (TETE_PAGE_CACHE=0): every request builds its page.
Prints JSON: per page and database the median and p95 over the sample, and their ratio.

With --plans, also captures the SQL of each page at the larger size and runs
EXPLAIN (ANALYZE, BUFFERS) on every query: each query's scans, with the index each one uses,
and every sequential scan of a large table, flagged (docs/deploy.md, "At scale").

    uv run tete manage generate_org --people 2000 --meetings 100000     # DATABASE_URL=…_small
    uv run tete manage generate_org --people 10000 --meetings 1000000   # DATABASE_URL=…
    uv run python benchmarks/scale.py [--sample 50] [--plans]

The databases are --small and --large (URLs; defaults below). Each is measured in a process
of its own, in turns (small, large, small, large), so that both see the same machine.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SMALL_DB = "postgres://postgres@127.0.0.1:5432/tete_bench_org_small"
LARGE_DB = "postgres://postgres@127.0.0.1:5432/tete_bench_org"
PAGES = ("home", "oneonone", "meeting")
#: A table with more rows than this is large: reading it whole on a page is a fault.
LARGE_TABLE_ROWS = 5000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", default=SMALL_DB)
    parser.add_argument("--large", default=LARGE_DB)
    parser.add_argument("--sample", type=int, default=50, help="people measured")
    parser.add_argument("--rounds", type=int, default=2, help="requests per page and person")
    parser.add_argument("--turns", type=int, default=2, help="measurements of each database")
    parser.add_argument("--plans", action="store_true", help="EXPLAIN every page query (large)")
    parser.add_argument("--measure", help=argparse.SUPPRESS)  # a child: one database
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure, args.sample, args.rounds, args.plans)))
        return

    results: dict[str, dict[str, Any]] = {}
    times: dict[str, dict[str, list[float]]] = {}
    # Taking turns, so that a change in the machine's other load falls on both alike.
    for turn in range(args.turns):
        for name, url in (("small", args.small), ("large", args.large)):
            command = [sys.executable, __file__, "--measure", url, "--sample", str(args.sample)]
            command += ["--rounds", str(args.rounds)]
            if args.plans and name == "large" and turn == 0:
                command.append("--plans")
            out = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
            if out.returncode != 0:
                sys.exit(f"measuring {url} failed:\n{out.stderr}")
            result = json.loads(out.stdout.splitlines()[-1])
            for page, page_times in result.pop("times").items():
                times.setdefault(name, {}).setdefault(page, []).extend(page_times)
            results.setdefault(name, result)
    for name, by_page in times.items():
        for page, page_times in by_page.items():
            results[name]["pages"][page].update(_summary(page_times))
        results[name]["requests_per_page"] = len(by_page["home"])

    ratios = {
        page: {
            statistic: round(
                results["large"]["pages"][page][statistic]
                / results["small"]["pages"][page][statistic],
                2,
            )
            for statistic in ("median_ms", "p95_ms")
        }
        for page in PAGES
    }
    print(
        json.dumps(
            {
                "page_cache": False,
                "load_average": os.getloadavg(),
                "small": results["small"],
                "large": results["large"],
                "large_over_small": ratios,
                "within_1_2": all(r["median_ms"] <= 1.2 for r in ratios.values()),
            },
            indent=2,
        )
    )


def measure(url: str, sample: int, rounds: int, plans: bool) -> dict[str, Any]:
    """In this process, against the database at ``url``."""
    os.environ.update(
        {
            "DATABASE_URL": url,
            "TETE_PAGE_CACHE": "0",
            "TETE_DATA_DIR": tempfile.mkdtemp(prefix="tete-scale-"),
            "TETE_SECRET_KEY": "benchmark-secret-key-" + "x" * 40,
            "TETE_ALLOWED_HOSTS": "testserver",
            "DJANGO_SETTINGS_MODULE": "tete.settings",
        }
    )
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.test import Client

    from tete.accounts.models import Person
    from tete.oneonones.models import Meeting

    visits = sample_visits(sample)
    times: dict[str, list[float]] = {page: [] for page in PAGES}
    client = Client()
    # Templates, URL resolvers and the like load on a process's first request: not measured.
    warm = visits[0]
    client.force_login(warm["person"])
    for page in PAGES:
        client.get(warm[page])
    for visit in visits:
        client.force_login(visit["person"])
        for page in PAGES:
            for _ in range(rounds):
                started = time.perf_counter()
                response = client.get(visit[page])
                elapsed = time.perf_counter() - started
                if response.status_code != 200:
                    raise SystemExit(f"{visit[page]} answered {response.status_code}")
                times[page].append(elapsed * 1000)
    result: dict[str, Any] = {
        "database": url.rsplit("/", 1)[1],
        "people": Person.objects.count(),
        "meetings": Meeting.objects.count(),
        "sample": len(visits),
        "pages": {page: _queries(client, visits[0], page) for page in PAGES},
        "times": times,
    }
    if plans:
        result["plans"] = page_plans(client, visits[: min(5, len(visits))])
    return result


def sample_visits(sample: int) -> list[dict[str, Any]]:
    """``sample`` people spread evenly over the organisation (managers and reports alike),
    each with the address of their home page, of a one-on-one of theirs (with their manager,
    or the first manager has with a report) and of a held meeting from the middle of its
    history."""
    from django.db.models import Q

    from tete.accounts.models import Person
    from tete.oneonones.models import Meeting, MeetingStatus, OneOnOne

    ids = list(Person.objects.filter(is_active=True).order_by("pk").values_list("pk", flat=True))
    step = max(1, len(ids) // sample)
    visits = []
    for pk in ids[::step][:sample]:
        person = Person.objects.get(pk=pk)
        oneonone = (
            OneOnOne.objects.filter(Q(first=person) | Q(second=person))
            .order_by("-second_id", "pk")  # with their manager first, when they have one
            .first()
        )
        if oneonone is None:
            continue
        held = Meeting.objects.filter(oneonone=oneonone, status=MeetingStatus.HELD)
        count = held.count()
        meeting = held.order_by("scheduled_at")[count // 2] if count else None
        if meeting is None:
            continue
        visits.append(
            {
                "person": person,
                "home": "/",
                "oneonone": f"/one-on-ones/{oneonone.pk}/",
                "meeting": f"/meetings/{meeting.pk}/",
            }
        )
    return visits


def page_plans(client: Any, visits: list[dict[str, Any]]) -> dict[str, Any]:
    """Every query of each page, as each of ``visits``' people, through
    EXPLAIN (ANALYZE, BUFFERS): its scans and the indexes they use; sequential scans of
    large tables are listed apart."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, reltuples::bigint FROM pg_class WHERE relkind = 'r' "
            "AND relnamespace = 'public'::regnamespace"
        )
        sizes = dict(cursor.fetchall())
    pages: dict[str, list[dict[str, Any]]] = {}
    seq_scans: list[dict[str, Any]] = []
    for visit in visits:
        client.force_login(visit["person"])
        for page in PAGES:
            with CaptureQueriesContext(connection) as captured:
                client.get(visit[page])
            queries = pages.setdefault(page, [])
            for number, query in enumerate(captured.captured_queries):
                sql = query["sql"]
                if not sql.lstrip().upper().startswith("SELECT"):
                    continue
                plan = explain(sql)
                scans = list(_scans(plan["Plan"]))
                entry = {
                    "query": number + 1,
                    "sql": sql if len(sql) <= 400 else sql[:400] + " …",
                    "ms": plan["Execution Time"],
                    "scans": sorted({_scan_label(scan) for scan in scans}),
                }
                if visit is visits[0]:
                    queries.append(entry)
                for scan in scans:
                    table = scan.get("Relation Name", "")
                    if scan["Node Type"] == "Seq Scan" and sizes.get(table, 0) > LARGE_TABLE_ROWS:
                        seq_scans.append({"page": page, "table": table, "sql": sql})
    return {"large_tables_over_rows": LARGE_TABLE_ROWS, "pages": pages, "seq_scans": seq_scans}


def explain(sql: str) -> dict[str, Any]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + sql)
        (document,) = cursor.fetchone()
    plan = document[0] if isinstance(document, list) else json.loads(document)[0]
    return dict(plan)


def _scans(node: dict[str, Any]) -> Any:
    if "Relation Name" in node:
        yield node
    for child in node.get("Plans", []):
        yield from _scans(child)


def _scan_label(scan: dict[str, Any]) -> str:
    table = scan["Relation Name"]
    indexes = sorted(_index_names(scan))
    if indexes:
        return f"{table}: {scan['Node Type']} using {' + '.join(indexes)}"
    return f"{table}: {scan['Node Type']}"


def _index_names(node: dict[str, Any]) -> set[str]:
    """The indexes a scan reads: its own, or those of the bitmap scans beneath it."""
    if "Index Name" in node:
        return {node["Index Name"]}
    names: set[str] = set()
    for child in node.get("Plans", []):
        if "Relation Name" not in child:
            names |= _index_names(child)
    return names


def _queries(client: Any, visit: dict[str, Any], page: str) -> dict[str, Any]:
    """How many queries the page makes, and their time as the database driver saw it."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(visit["person"])
    with CaptureQueriesContext(connection) as captured:
        client.get(visit[page])
    sql_ms = sum(float(query["time"]) for query in captured.captured_queries) * 1000
    return {"queries": len(captured.captured_queries), "sql_ms": round(sql_ms, 2)}


def _summary(times: list[float]) -> dict[str, float]:
    ordered = sorted(times)
    return {
        "median_ms": round(statistics.median(ordered), 2),
        "p95_ms": round(ordered[max(0, round(0.95 * len(ordered)) - 1)], 2),
    }


if __name__ == "__main__":
    main()
