"""A realistic load: many people at once, each doing what people do, on 1 and 2 app servers.

Builds (once) a generated organisation in PostgreSQL (`tete manage generate_org`), gives
each of the first USERS generated people a conversation report and a survey with results,
and signs them in. Then for 1 and for 2 app servers (`tete serve`, the same gunicorn worker
count each; with 2, the shared Redis cache docs/deploy.md asks for), each on a fresh copy of
that database so that no run measures pages grown by the writes of the runs before it, Locust
runs headless:
each simulated person is a different generated person (benchmarks/load_locustfile.py) who
opens home, their one-on-one and its next meeting, adds and ticks talking points, saves the
shared notes, adds and completes action items, opens a report and a survey's results, and
thinks WAIT seconds between two actions. Prints JSON: requests/s, p50/p95/p99 and errors per
page, and the machine's load average before and after (other work on the machine slows the
servers down).

    uv run python benchmarks/load.py [--users 200] [--wait 5,15] [--seconds 60]
        [--servers 1,2] [--workers 2] [--people 2000] [--meetings 100000]

DATABASE_URL defaults to postgres://postgres@127.0.0.1:5432/tete_bench_load (created if
missing). Redis for 2 servers: TETE_LOAD_REDIS_URL, default redis://127.0.0.1:6379/4.
Sign-in is not measured: each person's session is made beforehand, as a browser keeps it.
Locust itself runs on the same machine and takes its share of the cores.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/tete_bench_load"
REDIS_URL = os.environ.get("TETE_LOAD_REDIS_URL", "redis://127.0.0.1:6379/4")
SURVEY_TITLE = "Team pulse (load test)"


def ensure_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


def fresh_copy(url: str) -> str:
    """A copy of the prepared database for one measured run, made anew: every run starts
    from the same rows, not from what the runs before it wrote (each run adds hundreds of
    talking points and action items to the simulated people's meetings, and their pages
    grow heavier run after run)."""
    import psycopg

    name = url.rsplit("/", 1)[1]
    copy = f"{name}_run"
    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{copy}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{copy}" TEMPLATE "{name}"')
    return url.rsplit("/", 1)[0] + "/" + copy


def drop_copy(url: str) -> None:
    import psycopg

    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}" WITH (FORCE)')


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def load_average() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def prepare_people(users: int, people: int, meetings: int) -> list[dict[str, Any]]:
    """The simulated people: sessions, and each one's one-on-one, meeting, report, survey."""
    import django

    django.setup()
    from django.core.management import call_command

    from tete.schema import migrate

    migrate()
    from django.test import Client

    from tete.accounts.models import Person
    from tete.demo.generate import GENERATED_DOMAIN
    from tete.oneonones.models import Meeting, MeetingStatus, OneOnOne
    from tete.reports.models import Transcript, TranscriptStatus
    from tete.surveys.models import Survey

    generated = Person.objects.filter(email__endswith="@" + GENERATED_DOMAIN)
    if not generated.exists():
        call_command("generate_org", people=people, meetings=meetings)
    everyone = list(generated.order_by("email"))
    prepared: list[dict[str, Any]] = []
    # Everyone but the top of the tree has a manager; a pair whose next meeting the generator
    # left out (no meeting ahead, or none held yet) is passed over.
    for person in everyone[1:]:
        if len(prepared) == users:
            break
        index = len(prepared)
        oneonone = OneOnOne.objects.select_related("first").get(second=person)
        meeting = (
            Meeting.objects.filter(oneonone=oneonone, status=MeetingStatus.SCHEDULED)
            .order_by("scheduled_at")
            .first()
        )
        held = (
            Meeting.objects.filter(oneonone=oneonone, status=MeetingStatus.HELD)
            .order_by("-scheduled_at")
            .first()
        )
        if meeting is None or held is None:
            continue
        transcript = Transcript.objects.filter(
            meeting__oneonone=oneonone, status=TranscriptStatus.DONE
        ).first() or _analysed_transcript(held, oneonone, person, index)
        survey = Survey.objects.filter(owner=person, title=SURVEY_TITLE).first() or _survey(
            person, everyone, index
        )
        client = Client()
        client.force_login(person)
        prepared.append(
            {
                "person": person.pk,
                "session": client.cookies["sessionid"].value,
                "oneonone": oneonone.pk,
                "meeting": meeting.pk,
                "transcript": transcript.pk,
                "survey": survey.pk,
            }
        )
    return prepared


def _analysed_transcript(held: Any, oneonone: Any, person: Any, index: int) -> Any:
    """A 15-minute conversation of the pair in a held meeting, analysed here
    (TETE_TASKS=immediate)."""
    from tete.reports import actions
    from tete.reports.samples import generate_webvtt

    content = generate_webvtt(
        random.Random(index), oneonone.first.name, person.name, lead_share=0.55, minutes=15
    ).encode()
    return actions.upload_transcript(
        held, by=person, filename=f"meeting-{index}.vtt", content=content
    ).transcript


def _survey(owner: Any, everyone: list[Any], index: int) -> Any:
    """A closed pulse with six answers: its results show (the minimum group is five)."""
    import datetime as dt

    from django.utils import timezone

    from tete.demo.surveys import _answers
    from tete.surveys import actions
    from tete.surveys.models import Survey

    rng = random.Random(index)
    today = timezone.localdate()
    start = today - dt.timedelta(days=10)
    audience = rng.sample(everyone[300:], 6)
    survey = actions.create_survey(
        owner,
        title=SURVEY_TITLE,
        kind=Survey.Kind.PULSE,
        audience=Survey.Audience.PEOPLE,
        audience_people=audience,
        opens_on=start,
        closes_on=today - dt.timedelta(days=2),
        status=Survey.Status.OPEN,
    )
    actions.add_bank_set(survey, "engagement")
    round_ = actions.ensure_current_round(survey, start, notify=False)
    assert round_ is not None
    for participation in round_.participations.select_related("person__team"):
        actions.submit_response(
            round_,
            participation.person,
            _answers(survey, rng, 3.6, "More focus time, please."),
            start + dt.timedelta(days=1),
        )
    actions.close_survey(survey, today - dt.timedelta(days=2))
    return survey


def start_servers(count: int, workers: int, env: dict[str, str]) -> list[subprocess.Popen[bytes]]:
    processes = []
    for index in range(count):
        port = free_port()
        server_env = {**env, "TETE_DATA_DIR": env["TETE_DATA_DIR"] + f"/server{index}"}
        processes.append(
            subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "tete.cli",
                    "serve",
                    "--port",
                    str(port),
                    "--workers",
                    str(workers),
                    "--no-task-worker",
                ],
                env=server_env,
                cwd=ROOT,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        )
        processes[-1].base_url = f"http://127.0.0.1:{port}"  # type: ignore[attr-defined]
    for process in processes:
        for _ in range(240):
            try:
                urllib.request.urlopen(process.base_url + "/health/", timeout=5).read()  # type: ignore[attr-defined]
                break
            except OSError:
                time.sleep(0.5)
        else:
            sys.exit("an app server did not start")
    return processes


def run_locust(
    servers: list[str], people_file: Path, users: int, wait: str, seconds: int, out: Path
) -> dict[str, Any]:
    env = {
        **os.environ,
        "LOAD_PEOPLE": str(people_file),
        "LOAD_SERVERS": ",".join(servers),
        "LOAD_WAIT": wait,
    }
    prefix = out / "locust"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "locust",
            "-f",
            str(ROOT / "benchmarks" / "load_locustfile.py"),
            "--headless",
            "--users",
            str(users),
            "--spawn-rate",
            str(max(1, users // 10)),
            "--run-time",
            f"{seconds}s",
            # Measure from when everyone is there (each arrives within a think time).
            "--reset-stats",
            "--only-summary",
            "--csv",
            str(prefix),
            "--host",
            servers[0],
            "--loglevel",
            "WARNING",
        ],
        env=env,
        cwd=ROOT,
        check=False,
        stdout=subprocess.DEVNULL,
        stderr=(out / "locust.log").open("w"),
    )
    pages: dict[str, dict[str, Any]] = {}
    total: dict[str, float] = {}
    with open(f"{prefix}_stats.csv") as f:
        for row in csv.DictReader(f):
            figures = {
                "requests": int(row["Request Count"]),
                "requests_per_s": round(float(row["Requests/s"]), 1),
                "p50_ms": float(row["50%"]),
                "p95_ms": float(row["95%"]),
                "p99_ms": float(row["99%"]),
                "errors": int(row["Failure Count"]),
            }
            if row["Name"] == "Aggregated":
                total = figures
            else:
                pages[row["Name"]] = figures
    # What each error was: an HTTP status (429: a person's write allowance was spent) or the
    # client's exception (a refused or timed-out connection).
    with open(f"{prefix}_failures.csv") as f:
        for row in csv.DictReader(f):
            kinds = pages.setdefault(row["Name"], {}).setdefault("error_kinds", {})
            kinds[row["Error"]] = kinds.get(row["Error"], 0) + int(row["Occurrences"])
    return {"total": total, "pages": pages}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--wait", default="5,15", help="think time between actions, min,max s")
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--servers", default="1,2", help="app server counts to measure")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per server")
    parser.add_argument("--people", type=int, default=2000)
    parser.add_argument("--meetings", type=int, default=100_000)
    args = parser.parse_args()

    database_url = os.environ.get("DATABASE_URL", DEFAULT_DB)
    ensure_database(database_url)
    work = Path(tempfile.mkdtemp(prefix="tete-load-"))
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "TETE_DATA_DIR": str(work),
        "TETE_SECRET_KEY": "load-benchmark-secret-key-" + "x" * 40,
        "TETE_LOG_LEVEL": "WARNING",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    # Reports are analysed while preparing, in this process; the servers queue nothing.
    os.environ.update({**env, "TETE_TASKS": "immediate"})
    os.environ["DJANGO_SETTINGS_MODULE"] = "tete.settings"
    started = time.monotonic()
    people = prepare_people(args.users, args.people, args.meetings)
    prepared_s = round(time.monotonic() - started, 1)
    people_file = work / "people.json"
    people_file.write_text(json.dumps(people))

    from django.db import connections

    from tete.oneonones.models import Meeting

    meetings = Meeting.objects.count()
    # A database with a connection open cannot be copied.
    connections.close_all()
    results = []
    try:
        for count in (int(n) for n in args.servers.split(",")):
            server_env = {**env, "DATABASE_URL": fresh_copy(database_url)}
            if count > 1:
                server_env["TETE_CACHE_URL"] = REDIS_URL
                # Pages cached by an earlier run on another copy must not be served.
                import redis

                redis.Redis.from_url(REDIS_URL).flushdb()
            servers = start_servers(count, args.workers, server_env)
            try:
                before = load_average()
                measured = run_locust(
                    [s.base_url for s in servers],  # type: ignore[attr-defined]
                    people_file,
                    args.users,
                    args.wait,
                    args.seconds,
                    work,
                )
                results.append(
                    {
                        "app_servers": count,
                        "gunicorn_workers_per_server": args.workers,
                        "cache": server_env.get("TETE_CACHE_URL", "locmem (each process)"),
                        "load_average_before": before,
                        "load_average_after": load_average(),
                        **measured,
                    }
                )
            finally:
                for server in servers:
                    server.terminate()
                for server in servers:
                    server.wait(timeout=30)
                drop_copy(server_env["DATABASE_URL"])
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(
        json.dumps(
            {
                "database": "postgresql",
                "meetings": meetings,
                "each_run_on": "a fresh copy of the prepared database",
                "simulated_people": args.users,
                "think_time_s": [float(x) for x in args.wait.split(",")],
                "seconds": args.seconds,
                "prepare_s": prepared_s,
                "cores": os.cpu_count(),
                "runs": results,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
