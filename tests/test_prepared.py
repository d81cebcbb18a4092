"""Prepared queries (tete/prepared.py) give what their queryset gives, for any values."""

from __future__ import annotations

import datetime as dt
import threading
from unittest import mock

import pytest
from django.db import connection, connections
from django.db.models import BigIntegerField, DateTimeField, Q
from django.db.models.sql.compiler import SQLCompiler
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tete.oneonones.models import Meeting, OneOnOne
from tete.prepared import Param, PreparedQuery, any_of, ids_of

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 1, 5, 10, 0, tzinfo=dt.UTC)


@pytest.fixture
def pairs(alice, bob, carol):
    with_bob = OneOnOne.objects.create(
        first=alice, second=bob, kind="manager_report", created_by=alice
    )
    with_carol = OneOnOne.objects.create(first=carol, second=alice, kind="peer", created_by=carol)
    for oneonone in (with_bob, with_carol):
        for week in range(4):
            Meeting.objects.create(oneonone=oneonone, scheduled_at=START + dt.timedelta(weeks=week))
    return with_bob, with_carol


def _fields(obj) -> dict:
    return {k: v for k, v in vars(obj).items() if k != "_state"}


def test_models_with_joins_and_deferred_columns_match_the_queryset(pairs, alice, bob, carol):
    def queryset(person_pk):
        return (
            OneOnOne.objects.filter(Q(first_id=person_pk) | Q(second_id=person_pk))
            .select_related("first", "second")
            .defer("first__password", "second__password")
            .order_by("pk")
        )

    me = Param("me", BigIntegerField())
    prepared = PreparedQuery(
        lambda: (
            OneOnOne.objects.filter(Q(first_id=me) | Q(second_id=me))
            .select_related("first", "second")
            .defer("first__password", "second__password")
            .order_by("pk")
        )
    )
    for person in (alice, bob, carol):
        expected = list(queryset(person.pk))
        found = prepared.run(me=person.pk)
        assert [o.pk for o in found] == [o.pk for o in expected]
        for got, want in zip(found, expected, strict=True):
            assert _fields(got) == _fields(want)
            assert _fields(got.second) == _fields(want.second)
            assert got.first.get_deferred_fields() == {"password"}
    assert prepared.run(me=10**9) == []


def test_datetimes_are_bound_as_the_field_binds_them(pairs):
    with_bob, _ = pairs
    prepared = PreparedQuery(
        lambda: (
            Meeting.objects.filter(
                oneonone_id=Param("oneonone", BigIntegerField()),
                scheduled_at__gte=Param("since", DateTimeField()),
            )
            .order_by("scheduled_at")
            .values_list("scheduled_at", flat=True)
        )
    )
    since = START + dt.timedelta(weeks=2)
    assert prepared.run(oneonone=with_bob.pk, since=since) == [
        since,
        START + dt.timedelta(weeks=3),
    ]
    # The same moment in another timezone is the same moment.
    paris = since.astimezone(timezone.get_fixed_timezone(60))
    assert len(prepared.run(oneonone=with_bob.pk, since=paris)) == 2
    assert prepared.run(oneonone=with_bob.pk, since=START + dt.timedelta(weeks=9)) == []


def test_it_compiles_once_and_then_only_runs(pairs, alice):
    me = Param("me", BigIntegerField())
    prepared = PreparedQuery(
        lambda: OneOnOne.objects.filter(Q(first_id=me) | Q(second_id=me)).order_by("pk")
    )
    prepared.run(me=alice.pk)
    compiled = SQLCompiler.as_sql
    with (
        mock.patch.object(SQLCompiler, "as_sql", autospec=True, side_effect=compiled) as compile,
        CaptureQueriesContext(connection) as captured,
    ):
        assert [o.pk for o in prepared.run(me=alice.pk)] == [o.pk for o in pairs]
        assert prepared.run(me=10**9) == []
    assert compile.call_count == 0
    assert len(captured.captured_queries) == 2


def test_every_kind_of_row_comes_back_as_from_the_queryset_run_after_run(pairs, alice):
    """Each run reads through a copy of the compiled queryset: its rows keep their kind
    (models, dicts, tuples, single values), and a run leaves nothing behind for the next."""

    def mine(person):
        return OneOnOne.objects.filter(Q(first_id=person) | Q(second_id=person)).order_by("pk")

    shapes = {
        "dicts": lambda qs: qs.values("pk", "kind"),
        "tuples": lambda qs: qs.values_list("pk", "kind"),
        "flat": lambda qs: qs.values_list("pk", flat=True),
    }
    me = Param("me", BigIntegerField())
    models = PreparedQuery(lambda: mine(me))
    prepared = {
        name: PreparedQuery(lambda shape=shape: shape(mine(me))) for name, shape in shapes.items()
    }
    for _ in range(3):
        assert [o.pk for o in models.run(me=alice.pk)] == [o.pk for o in pairs]
        for name, shape in shapes.items():
            assert prepared[name].run(me=alice.pk) == list(shape(mine(alice.pk))), name
            assert prepared[name].run(me=10**9) == []


@pytest.mark.skipif(connection.vendor == "sqlite", reason="an in-memory test database")
def test_each_thread_runs_on_its_own_connection(pairs, alice, bob):
    me = Param("me", BigIntegerField())
    prepared = PreparedQuery(
        lambda: OneOnOne.objects.filter(Q(first_id=me) | Q(second_id=me)).order_by("pk")
    )
    prepared.run(me=alice.pk)  # compiled on this thread's connection
    seen: list[object] = []

    def other_thread():
        try:
            with CaptureQueriesContext(connections["default"]) as captured:
                prepared.run(me=bob.pk)
            seen.append(len(captured.captured_queries))
        finally:
            connections.close_all()

    thread = threading.Thread(target=other_thread)
    thread.start()
    thread.join()
    # The other thread's connection ran it (it sees no rows: this test's are not committed).
    assert seen == [1]


def test_a_list_of_ids_is_one_query_per_length(pairs, alice):
    with_bob, with_carol = pairs

    def among(count):
        return PreparedQuery(
            lambda: OneOnOne.objects.filter(any_of("id", "oneonone", count)).order_by("pk")
        )

    one, two = among(1), among(2)
    assert [o.pk for o in one.run(**ids_of("oneonone", [with_carol.pk]))] == [with_carol.pk]
    assert [o.pk for o in two.run(**ids_of("oneonone", [with_carol.pk, with_bob.pk]))] == [
        with_bob.pk,
        with_carol.pk,
    ]
    assert two.run(**ids_of("oneonone", [10**9, 10**9 + 1])) == []
    with pytest.raises(ValueError):
        any_of("id", "oneonone", 0)


@pytest.mark.parametrize(
    "condition",
    [
        {"scheduled_at__date": Param("day", DateTimeField())},
        {"scheduled_at__week_day": Param("weekday", BigIntegerField())},
    ],
    ids=["__date", "__week_day"],
)
def test_sql_that_depends_on_the_active_timezone_is_refused(pairs, condition):
    prepared = PreparedQuery(lambda: Meeting.objects.filter(**condition))
    with pytest.raises(ValueError, match="depends on the active timezone"):
        prepared.run(day=START, weekday=2)
