"""Querysets compiled to SQL once per process, then run with new values on every request.

Building and compiling a queryset costs Django far more processor time than running its SQL:
about a millisecond for a page's typical query with its joins and deferred columns, against a
tenth of that to send it and read the rows. The home, one-on-one and meeting pages run the
same queries on every view, only with other values (the viewer, the one-on-one, today), so
those queries are written once with a `Param` where each value goes. The first run compiles
the queryset as Django always does; later runs bind the values into the same SQL and read the
rows with Django's own iterables, so models, `select_related`, deferred fields, annotations and
`values_list` come back exactly as from the queryset itself.

The SQL is the ORM's: the access rules written in the queryset are in it, and the query plans
are the same. What cannot be a parameter stays in the queryset: a slice (LIMIT and OFFSET are
written into the SQL, so a prepared query is one slice), `None` (`= NULL` is never true: use
`__isnull`), and lists for `__in`: a list of ids is `any_of`, one prepared query per length.
Nor may the SQL depend on the request: lookups such as `__date` or `Trunc*` write the active
timezone into it, and would keep the first request's.
"""

from __future__ import annotations

import copy
import zoneinfo
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connections
from django.db.models import BigIntegerField, Expression, Field, Q, QuerySet
from django.db.models.sql.compiler import SQLCompiler
from django.utils import timezone

#: Two zones far apart, to tell SQL that the active timezone writes into.
_ZONES = ("Pacific/Kiritimati", "America/Adak")


@dataclass(frozen=True)
class _Slot:
    """Where a value goes in the compiled parameters."""

    name: str
    field: Field


class Param(Expression):
    """A named value, given to `PreparedQuery.run`: `filter(pk=Param("pk", BigIntegerField()))`.

    `output_field` converts the value for the database as the filtered field would.
    """

    def __init__(self, name: str, output_field: Field) -> None:
        super().__init__(output_field=output_field)
        self.name = name

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:  # type: ignore[override]
        return "%s", [_Slot(self.name, self.output_field)]


def known_none(instance: Any, annotation: str) -> bool:
    """Whether `instance` was read with `annotation`, an `Exists`, and it was false.

    A page's main query can say, for a few more index lookups, whether a section of the page
    has any rows at all (a one-on-one without transcripts, a meeting without a check-in):
    the section then skips its own query, which costs the app a tenth of a millisecond or
    more even when it finds nothing. An instance read without the annotation is not known
    to lack anything, and its section asks as before."""
    return getattr(instance, annotation, None) is False


def any_of(field: str, name: str, count: int) -> Q:
    """`field` is one of `count` ids, given to `run` by `ids_of(name, ids)`: the `__in` of a
    list whose length is part of the query."""
    if count < 1:
        raise ValueError("An empty list matches nothing: no query is needed.")
    condition = Q()
    for index in range(count):
        condition |= Q(**{field: Param(f"{name}_{index}", BigIntegerField())})
    return condition


def ids_of(name: str, ids: Sequence[int]) -> dict[str, Any]:
    """The values for `any_of(field, name, len(ids))`."""
    return {f"{name}_{index}": value for index, value in enumerate(ids)}


@dataclass(frozen=True)
class _Compiled:
    queryset: QuerySet[Any]
    compiler: SQLCompiler
    sql: str
    params: tuple[Any, ...]
    #: What turns each column's database value into Python, as `compiler.get_converters`
    #: gives it: the same on every run, and it asks every selected column anew each time.
    converters: dict[int, Any]
    has_composite_fields: bool

    def shape(self) -> tuple[str, tuple[Any, ...]]:
        """The SQL and its fixed values, with each parameter's name in its place."""
        return self.sql, tuple(p.name if isinstance(p, _Slot) else p for p in self.params)

    def bind(self, values: Mapping[str, Any], connection: Any) -> tuple[Any, ...]:
        return tuple(
            p.field.get_db_prep_value(values[p.name], connection, prepared=False)
            if isinstance(p, _Slot)
            else p
            for p in self.params
        )


class PreparedQuery:
    """`build()` returns the queryset, with `Param`s for the values that change."""

    def __init__(self, build: Callable[[], QuerySet[Any]]) -> None:
        self._build = build
        self._compiled: dict[str, _Compiled] = {}

    def _compile(self, alias: str) -> _Compiled:
        compiled = self._compile_in(alias, _ZONES[0])
        # SQL that the active timezone writes into (`__date`, `Trunc*`) would keep the first
        # request's zone for every later one: refuse it at once rather than give wrong rows.
        other = self._compile_in(alias, _ZONES[1])
        if compiled.shape() != other.shape():
            raise ValueError(
                "This queryset's SQL depends on the active timezone (a __date lookup or a "
                "Trunc function?): it cannot be prepared once for every request."
            )
        # Two threads compiling at once both store the same thing.
        self._compiled[alias] = compiled
        return compiled

    def _compile_in(self, alias: str, zone: str) -> _Compiled:
        with timezone.override(zoneinfo.ZoneInfo(zone)):
            queryset = self._build().using(alias)
            compiler = queryset.query.get_compiler(using=alias)
            sql, params = compiler.as_sql()
        columns = [selected[0] for selected in compiler.select[: compiler.col_count]]
        return _Compiled(
            queryset,
            compiler,
            sql,
            tuple(params),
            compiler.get_converters(columns),
            compiler.has_composite_fields(columns),
        )

    def run(self, *, using: str = "default", **values: Any) -> list[Any]:
        """The rows for these values, as the queryset would give them."""
        compiled = self._compiled.get(using) or self._compile(using)
        connection = connections[using]
        params = compiled.bind(values, connection)
        # A compiler of our own for this run: the compiled one is shared between threads, and
        # each thread has its own connection.
        compiler = copy.copy(compiled.compiler)
        compiler.connection = connection
        compiler.as_sql = lambda *args, **kwargs: (compiled.sql, params)  # type: ignore[method-assign]
        compiler.get_converters = lambda expressions: compiled.converters  # type: ignore[method-assign]
        compiler.has_composite_fields = lambda expressions: compiled.has_composite_fields  # type: ignore[method-assign]
        return list(_shallow_copy(compiled.queryset, compiler))


def _shallow_copy(queryset: QuerySet[Any], compiler: SQLCompiler) -> QuerySet[Any]:
    """The compiled queryset, to be run once by `compiler`, without copying its query's
    parts: `_chain()` clones them all (its WHERE tree, joins and annotations), a fifth of a
    prepared run's time, and nothing reading the rows changes them. (`copy.copy` of a
    queryset would run it: its `__getstate__` fetches the rows.)"""
    query = object.__new__(type(queryset.query))
    query.__dict__.update(queryset.query.__dict__)
    query.get_compiler = lambda *args, **kwargs: compiler  # type: ignore[method-assign]
    copied = object.__new__(type(queryset))
    copied.__dict__.update(queryset.__dict__)
    # Not `copied.query = …`: that setter makes any values() query give dicts.
    copied._query = query  # type: ignore[attr-defined]
    copied._result_cache = None
    return copied
