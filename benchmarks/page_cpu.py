"""Processor time per page, in process: home, one-on-one and meeting pages against the bare view.

A companion to pages.py for a busy machine. wrk's figures there follow whatever else the cores
are doing; this one times the same requests through Django's test client with the processor
time of this process only (no server, no network), so that two versions of the code can be
compared one after the other even while other work runs. Every cache is off. Uses the same
generated organisation as pages.py (built if missing) and the same person and pages. When
PostgreSQL runs on this machine it also gives the database's processor time per page, read
from /proc for the connection's server process: on a machine of 2 cores the database's work
takes its share of them under load. Prints JSON:

    DATABASE_URL=postgres://… uv run python benchmarks/page_cpu.py [--requests 100] [--rounds 3]

Each figure is the best of `rounds` rounds of `requests` requests: the least disturbed.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/tete_bench"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=2000)
    parser.add_argument("--meetings", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    client, pages = signed_in_pages(args.people, args.meetings)
    results: dict[str, dict[str, float]] = {}
    database_cpu = database_cpu_reader()
    for name, path in pages.items():
        for _ in range(10):  # warm up: templates loaded, connection open
            assert client.get(path).status_code == 200, path
        # The bare view is quick: ten times the requests, so that it is timed as closely.
        count = args.requests * (10 if name == "bare" else 1)
        rounds = []
        database_rounds = []
        for _ in range(args.rounds):
            database_started = database_cpu()
            started = time.process_time()
            for _ in range(count):
                client.get(path)
            rounds.append((time.process_time() - started) / count * 1000)
            database_rounds.append((database_cpu() - database_started) / count * 1000)
        results[name] = {"cpu_ms_per_request": round(min(rounds), 2)}
        if database_rounds[0] >= 0:
            results[name]["database_cpu_ms_per_request"] = round(min(database_rounds), 2)

    def both(page: str) -> float:
        """What the machine spends per request: this process and the database together."""
        figures = results[page]
        return figures["cpu_ms_per_request"] + figures["database_cpu_ms_per_request"]

    bare = results["bare"]["cpu_ms_per_request"]
    for name in ("home", "oneonone", "meeting"):
        results[name]["share_of_bare"] = round(bare / results[name]["cpu_ms_per_request"], 3)
        if "database_cpu_ms_per_request" in results[name]:
            results[name]["share_of_bare_with_database"] = round(both("bare") / both(name), 3)
    print(
        json.dumps(
            {
                "database": "postgresql",
                "page_cache": False,
                "requests_per_round": args.requests,
                "rounds": args.rounds,
                "load_average": [round(value, 2) for value in os.getloadavg()],
                "pages": results,
            },
            indent=2,
        )
    )


def use_generated_organisation() -> None:
    """The environment of the benchmark's settings, on the generated organisation's database
    (created if missing; filled by signed_in_pages)."""
    sys.path.insert(0, str(ROOT))
    from benchmarks.pages import ensure_database

    database_url = os.environ.get("DATABASE_URL", DEFAULT_DB)
    ensure_database(database_url)
    if "TETE_DATA_DIR" not in os.environ or "tete-bench-" not in os.environ["TETE_DATA_DIR"]:
        os.environ["TETE_DATA_DIR"] = tempfile.mkdtemp(prefix="tete-bench-")
    os.environ.update(
        {
            "DATABASE_URL": database_url,
            "TETE_SECRET_KEY": "benchmark-secret-key-" + "x" * 40,
            "DJANGO_SETTINGS_MODULE": "benchmarks.bench_settings",
            "TETE_PAGE_CACHE": "0",
        }
    )


def signed_in_pages(people: int = 2000, meetings: int = 100_000) -> tuple[Any, dict[str, str]]:
    """A test client signed in as the generated manager with the most one-on-ones, and the
    addresses of the bare view and of their home, one-on-one and meeting pages (the same as
    pages.py's). Sets Django up on the generated organisation, built if missing."""
    use_generated_organisation()
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db.models import Count
    from django.test import Client

    from tete.accounts.models import Person
    from tete.demo.generate import GENERATED_DOMAIN, generate_organisation
    from tete.oneonones.models import Meeting, MeetingStatus, OneOnOne

    settings.ALLOWED_HOSTS = ["testserver"]
    call_command("migrate", verbosity=0)
    if not Person.objects.filter(email__endswith="@" + GENERATED_DOMAIN).exists():
        generate_organisation(people=people, meetings=meetings, progress=print)

    # The same person and pages as pages.py.
    manager = (
        Person.objects.filter(email__endswith="@" + GENERATED_DOMAIN)
        .annotate(n=Count("oneonones_as_first"))
        .order_by("-n", "pk")
        .first()
    )
    assert manager is not None
    oneonone = OneOnOne.objects.filter(first=manager).order_by("pk").first()
    assert oneonone is not None
    held = list(
        Meeting.objects.filter(oneonone=oneonone, status=MeetingStatus.HELD).order_by(
            "scheduled_at"
        )
    )
    meeting = held[len(held) // 2]
    client = Client()
    client.force_login(manager)
    client.get("/")  # the CSRF cookie, as a browser has after its first page
    pages = {
        "bare": "/bench/bare/",
        "home": "/",
        "oneonone": f"/one-on-ones/{oneonone.pk}/",
        "meeting": f"/meetings/{meeting.pk}/",
    }
    return client, pages


def database_cpu_reader() -> Callable[[], float]:
    """The processor seconds of the PostgreSQL process serving this connection, when it runs
    on this machine (read from /proc); -1 otherwise. The figure counts what the database
    does for each page: parsing, planning and running its queries."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        stat = Path(f"/proc/{cursor.fetchone()[0]}/stat")
    ticks = os.sysconf("SC_CLK_TCK")

    def read() -> float:
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            return -1.0
        return (int(fields[11]) + int(fields[12])) / ticks

    return read


if __name__ == "__main__":
    main()
