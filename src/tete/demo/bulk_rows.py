"""Writing millions of generated rows quickly: COPY on PostgreSQL, bulk_create elsewhere.

The generator gives every row its primary key itself (``TableWriter.reserve``), so that rows
of one table point at rows of another without reading anything back, and a table's rows
stream to the database without being kept in memory. Once every row is written,
``finish_tables`` moves the tables' id sequences past the ids used, so that rows made later by
the app do not collide with them.

This is for filling a database nobody else writes to meanwhile (a load-test organisation):
the tables are locked against other writers while the generator fills them, and on
PostgreSQL ``loading`` takes their foreign keys and secondary indexes off while they fill,
as PostgreSQL's manual advises for a bulk load ("Populating a Database"): one check of each
foreign key and one sort per index at the end cost far less than a trigger and an index
insertion per row.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.core.management.color import no_style
from django.db import connection, models
from psycopg.copy import QueuedLibpqWriter

#: How many rows go to the database at a time, and between two progress reports.
BATCH = 5000


def uses_copy() -> bool:
    """Whether rows go in by COPY (PostgreSQL) rather than by bulk_create."""
    return connection.vendor == "postgresql"


class TableWriter:
    """Writes rows of one model given as tuples of the values of ``fields`` (attnames, such
    as ``meeting_id``); every other column gets its field's default, computed once."""

    def __init__(self, model: type[models.Model], fields: Sequence[str]):
        self.model = model
        self.fields = list(fields)
        concrete = {field.attname: field for field in model._meta.concrete_fields}
        unknown = set(self.fields) - set(concrete)
        if unknown:
            raise ValueError(f"{model.__name__} has no field {sorted(unknown)}")
        # COPY applies no Django default: the columns not given are written with them.
        self.rest = [name for name in concrete if name not in self.fields]
        self.defaults = tuple(concrete[name].get_default() for name in self.rest)
        self.columns = [str(concrete[name].column) for name in self.fields + self.rest]
        self.written = 0

    def reserve(self) -> int:
        """The first free primary key: the generator numbers its rows from here."""
        if uses_copy():
            with connection.cursor() as cursor:
                # Nobody else adds rows until the generator's transaction ends.
                cursor.execute(f"LOCK TABLE {self._table} IN EXCLUSIVE MODE")
        last = self.model._default_manager.aggregate(last=models.Max("pk"))["last"]
        return int(last or 0) + 1

    def write(self, rows: Iterable[tuple[Any, ...]], on_batch: Callable[[int], None]) -> int:
        """Write ``rows``; ``on_batch(rows written so far)`` after each batch. Returns the count."""
        if uses_copy():
            return self._copy(rows, on_batch)
        return self._bulk_create(rows, on_batch)

    @property
    def _table(self) -> str:
        return connection.ops.quote_name(self.model._meta.db_table)

    def _copy(self, rows: Iterable[tuple[Any, ...]], on_batch: Callable[[int], None]) -> int:
        columns = ", ".join(connection.ops.quote_name(column) for column in self.columns)
        defaults = self.defaults
        with (
            connection.cursor() as cursor,
            # Sent from a thread of its own: the rows are made while the server takes in the
            # last ones.
            cursor.cursor.copy(
                f"COPY {self._table} ({columns}) FROM STDIN",
                writer=QueuedLibpqWriter(cursor.cursor),
            ) as copy,
        ):
            write_row = copy.write_row
            for row in rows:
                write_row(row + defaults)
                self.written += 1
                if self.written % BATCH == 0:
                    on_batch(self.written)
        on_batch(self.written)
        return self.written

    def _bulk_create(self, rows: Iterable[tuple[Any, ...]], on_batch: Callable[[int], None]) -> int:
        batch: list[models.Model] = []
        for row in rows:
            batch.append(self.model(**dict(zip(self.fields, row, strict=True))))
            if len(batch) >= BATCH:
                self._flush(batch, on_batch)
                batch = []
        self._flush(batch, on_batch)
        return self.written

    def _flush(self, batch: list[models.Model], on_batch: Callable[[int], None]) -> None:
        self.model._default_manager.bulk_create(batch, batch_size=BATCH)
        self.written += len(batch)
        on_batch(self.written)


def finish_tables(written: Sequence[type[models.Model]]) -> None:
    """After rows were written with their own ids: move each table's id sequence past them
    (SQLite does this by itself), and let PostgreSQL's planner see the new sizes at once
    rather than at autovacuum's next pass."""
    statements = connection.ops.sequence_reset_sql(no_style(), list(written))
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
        if uses_copy():
            for model in written:
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


@contextmanager
def loading(filled: Sequence[type[models.Model]]) -> Iterator[None]:
    """On PostgreSQL, take the foreign keys and the secondary indexes of the ``filled`` tables
    off while they fill, and put the same ones back after (names and definitions as the
    migrations made them; adding a foreign key back checks every row). Elsewhere, nothing.

    Runs inside the caller's transaction: should anything fail, nothing was changed."""
    if not uses_copy():
        yield
        return
    tables = [model._meta.db_table for model in filled]
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid)
            FROM pg_constraint c
            WHERE c.contype = 'f' AND c.conrelid = ANY(%s::regclass[])
            """,
            [tables],
        )
        foreign_keys = cursor.fetchall()
        # Plain indexes only: those behind a primary key or a unique constraint stay (they
        # are what keeps the rows right).
        cursor.execute(
            """
            SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
            FROM pg_index i
            WHERE i.indrelid = ANY(%s::regclass[]) AND NOT i.indisprimary AND NOT i.indisunique
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
            """,
            [tables],
        )
        indexes = cursor.fetchall()
        # Foreign keys are checked at commit (Django makes them deferred); checks still
        # pending on a table would stop its constraints being altered: run them now.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for table, name, _ in foreign_keys:
            cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {_quote(name)}")
        for name, _ in indexes:
            cursor.execute(f"DROP INDEX {name}")
    yield
    with connection.cursor() as cursor:
        # Sorting for an index build is the big step: give it room for this transaction.
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        for _, definition in indexes:
            cursor.execute(definition)
        for table, name, definition in foreign_keys:
            cursor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {_quote(name)} {definition}")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)
