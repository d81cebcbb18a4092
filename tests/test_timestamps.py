"""On PostgreSQL, timestamps are read by psycopg's compiled loader (tete/timestamps.py): the
same values as Django's own loader gives, with the same timezone object."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from django.db import connection
from django.db.backends.postgresql.psycopg_any import register_tzloader
from psycopg.pq import Format

from tete.oneonones.models import Meeting
from tete.timestamps import _FASTEST

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="psycopg's loaders"),
]

MOMENTS = [
    dt.datetime(2026, 3, 29, 0, 59, 59, 999999, tzinfo=dt.UTC),
    dt.datetime(2026, 3, 29, 2, 30, tzinfo=zoneinfo.ZoneInfo("Europe/Paris")),  # no such time
    dt.datetime(2026, 11, 1, 1, 30, fold=1, tzinfo=zoneinfo.ZoneInfo("America/New_York")),
    dt.datetime(1, 1, 1, 0, 0, tzinfo=dt.UTC),
    dt.datetime(9999, 12, 31, 23, 59, 59, 999999, tzinfo=dt.UTC),
    dt.datetime(2026, 12, 7, 12, 0, 0, 1, tzinfo=dt.timezone(dt.timedelta(hours=5, minutes=45))),
]


def _read(moments: list[dt.datetime]) -> list[dt.datetime]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT moment FROM unnest(%s::timestamptz[]) WITH ORDINALITY AS m(moment, n)"
            " ORDER BY n",
            [moments],
        )
        return [row[0] for row in cursor.fetchall()]


def test_the_connection_reads_timestamps_with_the_compiled_loader():
    connection.ensure_connection()
    loader = connection.connection.adapters.get_loader(1184, Format.TEXT)
    assert loader.__module__ == "tete.timestamps"
    # Django's check on every cursor finds the timezone it expects: no loader of its own.
    assert loader.timezone == connection.timezone
    with connection.cursor() as cursor:
        assert cursor.cursor.adapters.get_loader(1184, Format.TEXT) is loader
    assert "binary" in _FASTEST.__module__ or "_psycopg" in _FASTEST.__module__


def test_values_are_those_djangos_loader_gives(meeting):
    ours = _read(MOMENTS)
    # The same moments (compared as instants: Python never finds a time in a daylight-saving
    # gap or fold equal to one in another timezone).
    assert [value.timestamp() for value in ours] == [moment.timestamp() for moment in MOMENTS]
    assert all(value.tzinfo is connection.timezone for value in ours)
    register_tzloader(connection.timezone, connection.connection)
    try:
        djangos = _read(MOMENTS)
    finally:
        connection.close()  # the next connection gets ours again
    assert [(v, v.tzinfo, v.fold) for v in ours] == [(v, v.tzinfo, v.fold) for v in djangos]
    assert [v.isoformat() for v in ours] == [v.isoformat() for v in djangos]


def test_models_read_back_what_they_saved(meeting):
    moment = dt.datetime(2026, 10, 25, 1, 30, tzinfo=zoneinfo.ZoneInfo("Europe/London"))
    Meeting.objects.filter(pk=meeting.pk).update(scheduled_at=moment)
    read = Meeting.objects.get(pk=meeting.pk).scheduled_at
    assert read.timestamp() == moment.timestamp() and read.tzinfo is connection.timezone
