"""PostgreSQL timestamps read by psycopg's compiled loader instead of Django's Python one.

Django reads every `timestamptz` value with a loader of its own, written in Python on top of
psycopg's Python one, so that each value carries Django's timezone object: a regular
expression and a dozen calls per value, and a page reads sixty or more. This loader gives
the same values (the same moment, with the same timezone object) from psycopg's C loader when
psycopg's binary build is installed, as it is with the app's `psycopg[binary]`.
"""

from __future__ import annotations

from typing import Any

import psycopg
from django.db.backends.base.base import BaseDatabaseWrapper
from psycopg.adapt import Loader
from psycopg.pq import Format

_TIMESTAMPTZ = psycopg.adapters.types["timestamptz"].oid
#: psycopg's own loader: its C class with the binary build, else its Python one.
_FASTEST: Any = psycopg.adapters.get_loader(_TIMESTAMPTZ, Format.TEXT)
_LOADERS: dict[Any, type[Loader]] = {}


def _loader_for(timezone: Any) -> type[Loader]:
    """A loader giving each value `timezone`, as Django's does. The values psycopg reads are
    already in the connection's timezone, which Django sets to this one: only the timezone
    object is replaced, as Django replaces it."""
    if timezone not in _LOADERS:

        class TimezoneLoader(Loader):
            def __init__(self, oid: int, context: Any = None) -> None:
                super().__init__(oid, context)
                # psycopg's compiled classes cannot be subclassed: one is used instead.
                self._read = _FASTEST(oid, context).load

            def load(self, data: Any) -> Any:
                return self._read(data).replace(tzinfo=timezone)

        # Django's backend compares this with the connection's timezone on every cursor.
        TimezoneLoader.timezone = timezone  # type: ignore[attr-defined]
        _LOADERS[timezone] = TimezoneLoader
    return _LOADERS[timezone]


def use_fastest_loader(sender: Any, connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    """On every new PostgreSQL connection (Django's `connection_created`)."""
    if connection.vendor != "postgresql" or connection.timezone is None:
        return
    connection.connection.adapters.register_loader("timestamptz", _loader_for(connection.timezone))
