"""REST API throughput: the one-on-one list and a meeting's detail, against a bare view.

Builds a person with 20 one-on-ones of 100 meetings each (SQLite in a temporary folder),
then sends requests in this process through Django's full stack (every middleware, the
token check, the per-token rate limit and the access helpers), one after another, and
prints JSON: requests per second of each URL (of wall-clock time, and of this process's CPU
time), medians of 5 runs, and each API URL's share of the bare view's throughput (the goal is
at least 30 %).

Every token is held to the rate limit as configured (TETE_RATE_LIMITS["api_requests"]): the
load rotates over enough tokens that none goes past it, so the limiter's cost is measured
but no request is refused. The tokens start as just used, as a client's token is in steady
state: its use is noted at most once a minute (api/actions.py), not on its first few
requests, which is all that each of the hundreds of rotated tokens would otherwise make.

The URLs take turns, one run each per round, and each figure is the median of its 5 runs:
on a machine shared with other work, a busy minute then slows every URL alike rather than
one of them.

    uv run python benchmarks/api.py [--seconds 2]
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import json
import os
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ["TETE_DATA_DIR"] = tempfile.mkdtemp()
os.environ["DJANGO_SETTINGS_MODULE"] = "benchmarks.bench_settings"
os.environ.pop("DATABASE_URL", None)
os.environ.pop("TETE_CACHE_URL", None)
os.environ["TETE_TASKS"] = "immediate"

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from tete.accounts.models import Person  # noqa: E402
from tete.api.actions import TOKEN_PREFIX, hash_secret  # noqa: E402
from tete.api.models import ApiToken  # noqa: E402
from tete.oneonones import actions  # noqa: E402
from tete.oneonones.models import Meeting, MeetingStatus  # noqa: E402

ONEONONES = 20
MEETINGS = 100


def build() -> tuple[Person, int, int]:
    call_command("migrate", verbosity=0)
    me = Person.objects.create_user("me@example.com", "pw-long-enough", name="Mia Manager")
    now = timezone.now()
    first_oneonone = meeting_id = 0
    for i in range(ONEONONES):
        other = Person.objects.create_user(f"r{i}@example.com", "pw-long-enough", name=f"R {i}")
        oneonone = actions.start_oneonone(by=me, other=other, kind="manager_report")
        Meeting.objects.bulk_create(
            Meeting(
                oneonone=oneonone,
                scheduled_at=now - dt.timedelta(weeks=week + 1),
                status=MeetingStatus.HELD,
                held_at=now - dt.timedelta(weeks=week + 1),
            )
            for week in range(MEETINGS)
        )
        first_oneonone = first_oneonone or oneonone.pk
        meeting = oneonone.meetings.order_by("-scheduled_at").first()
        assert meeting is not None
        for n in range(10):
            actions.add_talking_point(meeting, by=me, text=f"Point {n}")
        meeting_id = meeting_id or meeting.pk
    return me, first_oneonone, meeting_id


def requests_per_second(
    client: Client, url: str, headers: itertools.cycle, seconds: float
) -> tuple[float, float]:
    """Requests per second of wall-clock time, and per second of this process's CPU time."""
    count = 0
    start, cpu_start = time.perf_counter(), time.process_time()
    while (elapsed := time.perf_counter() - start) < seconds:
        response = client.get(url, headers=next(headers))
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}: {response.content[:200]!r}")
        count += 1
    return count / elapsed, count / max(time.process_time() - cpu_start, 1e-9)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=2.0)
    args = parser.parse_args()
    me, _oneonone, meeting = build()
    limit, per_seconds = settings.TETE_RATE_LIMITS["api_requests"]
    # Enough tokens that each stays under its limit for the whole run (at up to 2,000 rps).
    needed = int(2000 * args.seconds * 5 * 3 / limit) + 2
    # Made directly: a person may hold only actions.MAX_TOKENS through the app.
    tokens = [f"{TOKEN_PREFIX}bench-{i}-{secrets.token_urlsafe(16)}" for i in range(needed)]
    ApiToken.objects.bulk_create(
        ApiToken(
            person=me,
            name=f"bench {i}",
            prefix=t[:9],
            token_hash=hash_secret(t),
            last_used_at=timezone.now(),
        )
        for i, t in enumerate(tokens)
    )
    headers = itertools.cycle([{"Authorization": f"Bearer {t}"} for t in tokens])
    client = Client(HTTP_HOST="localhost")
    urls = {
        "bare view": "/bench/bare/",
        "API one-on-one list": "/api/v1/oneonones?limit=20",
        "API meeting detail": f"/api/v1/meetings/{meeting}",
        "API meeting talking points": f"/api/v1/meetings/{meeting}/talking-points",
    }
    for url in urls.values():  # warm up
        requests_per_second(client, url, headers, 0.2)
    runs: dict[str, list[tuple[float, float]]] = {name: [] for name in urls}
    for _ in range(5):
        for name, url in urls.items():
            runs[name].append(requests_per_second(client, url, headers, args.seconds))
    wall = {name: statistics.median(r[0] for r in found) for name, found in runs.items()}
    cpu = {name: statistics.median(r[1] for r in found) for name, found in runs.items()}
    print(
        json.dumps(
            {
                "rate_limit_per_token": f"{limit} per {per_seconds} s",
                "tokens_rotated": len(tokens),
                "requests_per_s": {name: round(rps, 1) for name, rps in wall.items()},
                "share_of_bare_view": shares(wall),
                # The same, per second of this process's CPU time: what one busy core serves,
                # steadier than the wall clock when other work shares the machine.
                "requests_per_cpu_s": {name: round(rps, 1) for name, rps in cpu.items()},
                "share_of_bare_view_cpu": shares(cpu),
            },
            indent=2,
        )
    )


def shares(results: dict[str, float]) -> dict[str, float]:
    bare = results["bare view"]
    return {name: round(rps / bare, 3) for name, rps in results.items() if name != "bare view"}


if __name__ == "__main__":
    main()
