"""How long each migration that touches a large table locks it, measured on a large database.

Copies the generated organisation (by default 10,000 people and 1,000,000 meetings, see
benchmarks/scale.py) into a scratch database, rolls the migrations to measure back there,
and applies them again one at a time while another connection keeps writing to the table
each one alters (an UPDATE of one row, every 10 ms): the longest that write waited is how long
the migration kept the table from the app. Prints JSON; the scratch database is dropped.

    uv run python benchmarks/migration_locks.py [--source tete_bench_org]

Nothing may be connected to the source database while it is copied.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SERVER = "postgres://postgres@127.0.0.1:5432"
#: The migrations that alter a table that grows with use: (app, migration, model).
MEASURED = [
    ("oneonones", "0003_shared_note_html", "SharedNote"),
    ("oneonones", "0004_oneonone_content_version", "OneOnOne"),
    ("oneonones", "0005_meeting_reminders", "Meeting"),
    ("accounts", "0003_meeting_reminders", "Person"),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", default="tete_bench_org")
    parser.add_argument("--server", default=SERVER)
    args = parser.parse_args()
    import psycopg

    scratch = args.source + "_locks"
    admin = psycopg.connect(args.server + "/postgres", autocommit=True)
    admin.execute(f'DROP DATABASE IF EXISTS "{scratch}"')
    started = time.monotonic()
    admin.execute(f'CREATE DATABASE "{scratch}" TEMPLATE "{args.source}"')
    copied_s = time.monotonic() - started
    try:
        results = measure(f"{args.server}/{scratch}")
    finally:
        from django.db import connections

        connections.close_all()
        admin.execute(f'DROP DATABASE IF EXISTS "{scratch}"')
    print(json.dumps({"source": args.source, "copied_s": round(copied_s, 1), **results}, indent=2))


def measure(url: str) -> dict[str, Any]:
    os.environ.update(
        {
            "DATABASE_URL": url,
            "TETE_DATA_DIR": tempfile.mkdtemp(prefix="tete-locks-"),
            "TETE_SECRET_KEY": "benchmark-secret-key-" + "x" * 40,
            "DJANGO_SETTINGS_MODULE": "tete.settings",
        }
    )
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.apps import apps
    from django.core.management import call_command
    from django.db import connection

    sizes = {}
    for app, _, model_name in MEASURED:
        model = apps.get_model(app, model_name)
        sizes[model._meta.db_table] = model._default_manager.count()
    # Back to before the earliest of each app's measured migrations (and whatever depends
    # on them), then forward one at a time.
    for app in dict.fromkeys(app for app, _, _ in MEASURED):
        first = min(name for a, name, _ in MEASURED if a == app)
        previous = f"{int(first[:4]) - 1:04d}"
        call_command("migrate", app, previous, verbosity=0)
    migrations = []
    for app, name, model_name in MEASURED:
        table = apps.get_model(app, model_name)._meta.db_table
        # The same writes for a second with no migration: what a write takes anyway.
        baseline = WriteProbe(url, table)
        baseline.start()
        time.sleep(1)
        baseline.stop()
        probe = WriteProbe(url, table)
        probe.start()
        time.sleep(0.2)
        statements: list[dict[str, Any]] = []
        started = time.monotonic()
        with connection.execute_wrapper(StatementTimer(statements)):
            call_command("migrate", app, name, verbosity=0)
        took = time.monotonic() - started
        time.sleep(0.2)
        probe.stop()
        migrations.append(
            {
                "migration": f"{app}.{name}",
                "table": table,
                "rows": sizes[table],
                "migration_s": round(took, 3),
                "schema_statements": [s for s in statements if not s["sql"].startswith("SELECT")],
                "longest_write_wait_ms": round(probe.longest_ms, 1),
                "writes_during": probe.count,
                "longest_write_without_migration_ms": round(baseline.longest_ms, 1),
            }
        )
    call_command("migrate", verbosity=0)
    return {"migrations": migrations}


class StatementTimer:
    """Notes each statement the migration runs, with how long it took."""

    def __init__(self, statements: list[dict[str, Any]]):
        self.statements = statements

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            took = (time.perf_counter() - started) * 1000
            self.statements.append({"sql": " ".join(sql.split())[:200], "ms": round(took, 1)})


class WriteProbe(threading.Thread):
    """Updates one row of ``table`` every 10 ms on a connection of its own, timing each."""

    def __init__(self, url: str, table: str):
        super().__init__(daemon=True)
        self.url, self.table = url, table
        self.longest_ms = 0.0
        self.count = 0
        self._stopping = threading.Event()

    def run(self) -> None:
        import psycopg

        with psycopg.connect(self.url, autocommit=True) as conn:
            (pk,) = conn.execute(f"SELECT min(id) FROM {self.table}").fetchone()  # type: ignore[misc]
            while not self._stopping.is_set():
                started = time.perf_counter()
                conn.execute(f"UPDATE {self.table} SET id = id WHERE id = %s", [pk])
                self.longest_ms = max(self.longest_ms, (time.perf_counter() - started) * 1000)
                self.count += 1
                time.sleep(0.01)

    def stop(self) -> None:
        self._stopping.set()
        self.join()


if __name__ == "__main__":
    main()
