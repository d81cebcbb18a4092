"""Bringing the database schema up to date when a process starts.

`tete serve` and `tete worker` both migrate first, and a deployment starts several of them
at once on one PostgreSQL database. Django's `migrate` takes no lock: two processes would
both see a migration unapplied, both create its table, and one would stop with "relation
already exists". So on PostgreSQL they queue on an advisory lock, and each one after the
first finds nothing left to do. SQLite is one machine's file, and its writes already wait
for each other (busy_timeout).
"""

from __future__ import annotations

from django.core.management import call_command
from django.db import connection

#: Any fixed number: PostgreSQL advisory locks are named by a 64-bit integer.
MIGRATION_LOCK_ID = 0x7E7E_A7E7E


def migrate() -> None:
    """Apply unapplied migrations, one process at a time on PostgreSQL."""
    if connection.vendor != "postgresql":
        call_command("migrate", interactive=False, verbosity=0)
        return
    with connection.cursor() as cursor:
        # Held by this session, across the transactions migrate opens, until unlocked.
        cursor.execute("SELECT pg_advisory_lock(%s)", [MIGRATION_LOCK_ID])
    try:
        call_command("migrate", interactive=False, verbosity=0)
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [MIGRATION_LOCK_ID])
