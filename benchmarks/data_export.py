"""A person's data copy and erasure on a long history: time, queries and zip size.

Builds, in a fresh SQLite database in a temporary directory, a manager with 10 one-on-ones
of 100 held meetings each (4 talking points, a shared and a private note, an action item per
meeting: 1,000 meetings), then times `export.build_zip` and `erasure.erase_own_data` for that
person. Prints JSON.

    uv run python benchmarks/data_export.py [--oneonones 10] [--meetings 100]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
os.environ["TETE_DATA_DIR"] = tempfile.mkdtemp(prefix="tete-bench-export-")
os.environ.pop("DATABASE_URL", None)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tete.settings")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from tete.accounts.models import Person  # noqa: E402
from tete.mydata import erasure, export  # noqa: E402
from tete.oneonones.models import (  # noqa: E402
    ActionItem,
    Meeting,
    MeetingStatus,
    OneOnOne,
    PrivateNote,
    SharedNote,
    TalkingPoint,
)


def build(oneonones: int, meetings: int) -> Person:
    manager = Person.objects.create_user("m@example.com", "x", name="Mia Manager")
    start = timezone.now() - dt.timedelta(weeks=meetings + 1)
    for index in range(oneonones):
        report = Person.objects.create_user(f"r{index}@example.com", "x", name=f"Report {index}")
        o = OneOnOne.objects.create(first=manager, second=report, created_by=manager)
        rows = Meeting.objects.bulk_create(
            Meeting(
                oneonone=o,
                scheduled_at=start + dt.timedelta(weeks=week),
                status=MeetingStatus.HELD,
                held_at=start + dt.timedelta(weeks=week),
            )
            for week in range(meetings)
        )
        TalkingPoint.objects.bulk_create(
            TalkingPoint(
                meeting=m,
                author=(manager, report)[n % 2],
                text=f"Point {n} " * 8,
                private=n == 3,
                position=n,
            )
            for m in rows
            for n in range(4)
        )
        SharedNote.objects.bulk_create(SharedNote(meeting=m, text="Agreed. " * 40) for m in rows)
        PrivateNote.objects.bulk_create(
            PrivateNote(meeting=m, author=manager, text="Mine. " * 20) for m in rows
        )
        ActionItem.objects.bulk_create(
            ActionItem(oneonone=o, created_in=m, text="Do it", owner=report, created_by=manager)
            for m in rows
        )
    return manager


def timed(function):
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        result = function()
        seconds = time.perf_counter() - started
    return result, seconds, len(queries.captured_queries)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--oneonones", type=int, default=10)
    parser.add_argument("--meetings", type=int, default=100)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    person = build(args.oneonones, args.meetings)
    content, export_seconds, export_queries = timed(lambda: export.build_zip(person))
    # Someone else stays an admin, so that the erasure is allowed.
    Person.objects.create_superuser("admin@example.com", "x", name="Ada Admin")
    _, erase_seconds, erase_queries = timed(lambda: erasure.erase_own_data(person))
    print(
        json.dumps(
            {
                "oneonones": args.oneonones,
                "meetings": args.oneonones * args.meetings,
                "export_seconds": round(export_seconds, 3),
                "export_queries": export_queries,
                "export_zip_bytes": len(content),
                "erasure_seconds": round(erase_seconds, 3),
                "erasure_queries": erase_queries,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
