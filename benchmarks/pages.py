"""Page throughput under load: home, one-on-one and meeting pages against a bare Django view.

Builds (once) a generated organisation of 2,000 people and 100,000 meetings in PostgreSQL,
serves the app with gunicorn (2 workers), and loads each page as a signed-in person with wrk
(16 connections). Prints JSON. Needs PostgreSQL and Debian's wrk:

    uv run python benchmarks/pages.py [--people 2000] [--meetings 100000] [--seconds 20] [--threads 4] [--rounds 1]

On a shared virtual machine the cores' speed drifts from one minute to the next: with
--rounds N every page is measured N times, in turns with the bare view, and its share is the
median of its rounds, each against the bare view of the same round. `stolen_share` is the
part of the cores the hypervisor gave to other machines during a measurement.

DATABASE_URL defaults to postgres://postgres@127.0.0.1:5432/tete_bench (created if missing).
The page cache is on unless TETE_PAGE_CACHE=0. The load sends the session cookie and the CSRF
cookie the first page set, as a browser does after its first page (cached pages are kept per
CSRF secret, so a client without the cookie is never served from the cache).

Each page also gets the processor time per request of the app server, of PostgreSQL and of
wrk, when they run on this machine: the 2 cores are shared by all three.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/tete_bench"


def ensure_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def parse_duration_ms(text: str) -> float:
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()  # type: ignore[union-attr]
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def run_wrk(url: str, cookie: str, seconds: int, connections: int) -> dict[str, float]:
    out = subprocess.run(
        [
            "wrk",
            "-t2",
            f"-c{connections}",
            f"-d{seconds}s",
            "--latency",
            "-H",
            f"Cookie: {cookie}",
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    p50 = parse_duration_ms(re.search(r"\s50%\s+(\S+)", out).group(1))  # type: ignore[union-attr]
    p99 = parse_duration_ms(re.search(r"\s99%\s+(\S+)", out).group(1))  # type: ignore[union-attr]
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    errors = int(non2xx.group(1)) if non2xx else 0
    return {"requests_per_s": rps, "p50_ms": p50, "p99_ms": p99, "non_2xx": errors}


def processor_seconds(server_pid: int, database: str) -> dict[str, float]:
    """Processor time used so far by the app server (gunicorn and its workers), by the
    PostgreSQL processes serving `database`, and by the load generator (this process's
    finished children: wrk). Per request, it says where a page's cost lies on the machine,
    which a profile inside one worker does not. The server keeps its database connections
    for the whole run (TETE_DB_CONN_MAX_AGE), so that no PostgreSQL process ends, and takes
    its processor time with it, between two readings."""
    import resource

    import psutil

    def used(process: psutil.Process) -> float:
        try:
            times = process.cpu_times()
        except psutil.NoSuchProcess:
            return 0.0
        return float(times.user + times.system)

    server = psutil.Process(server_pid)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {
        "server": used(server) + sum(used(child) for child in server.children(recursive=True)),
        # The server processes of the benchmark's database: its connections.
        "database": sum(
            used(process)
            for process in psutil.process_iter(["name", "cmdline"])
            if process.info["name"] == "postgres"
            and f" {database} " in " ".join(process.info["cmdline"] or ())
        ),
        "load_generator": children.ru_utime + children.ru_stime,
    }


def stolen_seconds() -> float:
    """Processor time the hypervisor gave to other machines so far (/proc/stat's steal): on a
    shared virtual machine, a run that lost cores this way serves fewer requests."""
    fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()
    return int(fields[8]) / os.sysconf("SC_CLK_TCK") if len(fields) > 8 else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=2000)
    parser.add_argument("--meetings", type=int, default=100_000)
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument(
        "--rounds",
        type=int,
        default=1,
        help="measure every page this many times, in turns with the bare view; each page's "
        "share is the median over rounds of its rate against the same round's bare view",
    )
    parser.add_argument(
        "--threads",
        type=int,
        default=int(os.environ.get("TETE_THREADS", "4")),
        help="threads per gunicorn worker (TETE_THREADS); 1 is gunicorn's sync worker",
    )
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is needed: apt-get install wrk")

    database_url = os.environ.get("DATABASE_URL", DEFAULT_DB)
    ensure_database(database_url)
    data_dir = tempfile.mkdtemp(prefix="tete-bench-")
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "TETE_DATA_DIR": data_dir,
        "TETE_SECRET_KEY": "benchmark-secret-key-" + "x" * 40,
        "DJANGO_SETTINGS_MODULE": "benchmarks.bench_settings",
        "PYTHONPATH": str(ROOT),
        "TETE_DB_CONN_MAX_AGE": "3600",
    }
    database_name = database_url.rsplit("/", 1)[1]
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from tete.accounts.models import Person
    from tete.demo.generate import GENERATED_DOMAIN, generate_organisation

    started = time.monotonic()
    if not Person.objects.filter(email__endswith="@" + GENERATED_DOMAIN).exists():
        generate_organisation(people=args.people, meetings=args.meetings, progress=print)
    generated_s = time.monotonic() - started

    from django.db.models import Count
    from django.test import Client

    from tete.oneonones.models import Meeting, MeetingStatus, OneOnOne

    # A manager with a full team: the heaviest home page an ordinary person sees.
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
    cookie = f"sessionid={client.cookies['sessionid'].value}"

    port = free_port()
    # The server's log, shown when something fails (an error page, a server that hangs).
    server_log = open(Path(data_dir) / "server.log", "w+b")  # noqa: SIM115
    server = subprocess.Popen(
        [sys.executable, "-m", "tete.cli", "serve", "--port", str(port), "--workers", "2"],
        env={**env, "TETE_THREADS": str(args.threads)},
        cwd=ROOT,
        stdout=server_log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    pages = {
        "bare": "/bench/bare/",
        "home": "/",
        "oneonone": f"/one-on-ones/{oneonone.pk}/",
        "meeting": f"/meetings/{meeting.pk}/",
    }
    results: dict[str, dict[str, float]] = {}

    rounds: list[dict[str, dict[str, float]]] = []

    def measure(path: str) -> dict[str, float]:
        before = processor_seconds(server.pid, database_name)
        stolen = stolen_seconds()
        figures = run_wrk(base + path, cookie, args.seconds, args.connections)
        after = processor_seconds(server.pid, database_name)
        served = figures["requests_per_s"] * args.seconds
        for part in before:
            figures[f"{part}_cpu_ms_per_request"] = round(
                (after[part] - before[part]) / served * 1000, 2
            )
        # The share of the machine's cores other machines took meanwhile.
        cores = os.cpu_count() or 1
        figures["stolen_share"] = round((stolen_seconds() - stolen) / args.seconds / cores, 3)
        return figures

    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(base + "/bench/bare/", timeout=2).read()
                break
            except OSError:
                time.sleep(0.5)
        # The CSRF cookie a browser would have kept from its first page.
        first = urllib.request.Request(base + "/", headers={"Cookie": cookie})
        with urllib.request.urlopen(first, timeout=30) as response:
            for header in response.headers.get_all("Set-Cookie") or []:
                if header.startswith("csrftoken="):
                    cookie += "; " + header.split(";", 1)[0]
        for path in pages.values():
            request = urllib.request.Request(base + path, headers={"Cookie": cookie})
            with urllib.request.urlopen(request, timeout=30) as response:
                if response.status != 200 or response.url != base + path:
                    sys.exit(f"{path} did not answer 200 for the signed-in person")
            run_wrk(base + path, cookie, 3, args.connections)  # warm up
        for _ in range(args.rounds):
            this_round = {name: measure(path) for name, path in pages.items()}
            # The bare view again, last: the better of its two runs is the round's baseline,
            # so that warming up or other load during the first run cannot flatter the pages.
            again = measure(pages["bare"])
            if again["requests_per_s"] > this_round["bare"]["requests_per_s"]:
                this_round["bare"] = again
            bare_rps = this_round["bare"]["requests_per_s"]
            for name in ("home", "oneonone", "meeting"):
                figures = this_round[name]
                figures["share_of_bare"] = round(figures["requests_per_s"] / bare_rps, 3)
            rounds.append(this_round)
        # Each page's round with the median share (the bare view's: with the median rate).
        for name in pages:
            key = "requests_per_s" if name == "bare" else "share_of_bare"
            ordered = sorted(rounds, key=lambda one: one[name][key])
            results[name] = dict(ordered[(len(ordered) - 1) // 2][name])
            if args.rounds > 1:
                results[name][f"{key}_by_round"] = [one[name][key] for one in rounds]  # type: ignore[assignment]
    except BaseException:
        server_log.seek(0)
        sys.stderr.write(server_log.read()[-20_000:].decode(errors="replace"))
        raise
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server_log.seek(0)
            sys.stderr.write(server_log.read()[-20_000:].decode(errors="replace"))
            server.kill()
            raise
        finally:
            server_log.close()
            shutil.rmtree(data_dir, ignore_errors=True)

    print(
        json.dumps(
            {
                "database": "postgresql",
                "people": Person.objects.filter(email__endswith="@" + GENERATED_DOMAIN).count(),
                "meetings": Meeting.objects.count(),
                "meetings_in_measured_oneonone": oneonone.meetings.count(),
                "generate_s": round(generated_s, 1),
                "gunicorn_workers": 2,
                "gunicorn_threads": args.threads,
                "page_cache": os.environ.get("TETE_PAGE_CACHE", "1").strip().lower()
                in {"1", "true", "yes", "on"},
                "connections": args.connections,
                "seconds_per_page": args.seconds,
                "rounds": args.rounds,
                # Other work on the same cores lowers every figure: the shares less so.
                "load_average": [round(value, 2) for value in os.getloadavg()],
                "pages": results,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
