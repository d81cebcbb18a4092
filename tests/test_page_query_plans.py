"""Every query of the home, one-on-one and meeting pages can be answered through an index.

PostgreSQL only. On a small database the planner rightly reads small tables whole, so the
plans are asked for with sequential scans priced out (``enable_seqscan = off``): a plan
that still reads a table whole then has no index to use, and would read every row of that
table at any size. benchmarks/scale.py shows the plans PostgreSQL picks at 1,000,000
meetings (docs/deploy.md, "At scale").
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tete.accounts.models import Person
from tete.demo.generate import generate_organisation
from tete.oneonones.models import Meeting, MeetingStatus, OneOnOne

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="query plans are PostgreSQL's"
)


def sequential_scans(sql: str) -> list[str]:
    """The tables a query's plan reads whole when any index would do."""
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        try:
            cursor.execute("EXPLAIN (FORMAT JSON) " + sql)
            (document,) = cursor.fetchone()
        finally:
            cursor.execute("RESET enable_seqscan")
    plan = document if isinstance(document, list) else json.loads(document)
    return [node["Relation Name"] for node in _nodes(plan[0]["Plan"]) if _reads_whole(node)]


def _nodes(node: dict[str, Any]) -> list[dict[str, Any]]:
    return [node, *(n for child in node.get("Plans", []) for n in _nodes(child))]


def _reads_whole(node: dict[str, Any]) -> bool:
    return node["Node Type"] == "Seq Scan" and "Relation Name" in node


def page_queries(client: Any, path: str) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, path
    return [q["sql"] for q in captured.captured_queries if q["sql"].lstrip().startswith("SELECT")]


@pytest.fixture
def organisation(db, settings):
    settings.TETE_PAGE_CACHE = False  # every request builds its page
    generate_organisation(people=30, meetings=600)


def test_the_check_finds_a_query_no_index_can_answer(organisation):
    assert sequential_scans(
        "SELECT id FROM oneonones_talkingpoint WHERE text = 'Learning budget'"
    ) == ["oneonones_talkingpoint"]
    assert sequential_scans("SELECT id FROM oneonones_talkingpoint WHERE meeting_id = 1") == []


def test_every_page_query_can_use_an_index(organisation, client):
    now = timezone.now()
    # A manager who is also a report: their home shows both sides.
    person = Person.objects.filter(manager__isnull=False, reports__isnull=False).first()
    assert person is not None
    lacking = OneOnOne.objects.exclude(meetings__scheduled_at__gt=now).first()
    having = OneOnOne.objects.filter(meetings__scheduled_at__gt=now).first()
    assert lacking is not None and having is not None
    paths = []
    for oneonone in (lacking, having):
        held = Meeting.objects.filter(oneonone=oneonone, status=MeetingStatus.HELD).last()
        assert held is not None
        paths.append((oneonone.first, "/"))
        paths.append((oneonone.first, f"/one-on-ones/{oneonone.pk}/"))
        paths.append((oneonone.second, f"/one-on-ones/{oneonone.pk}/?page=2"))
        paths.append((oneonone.second, f"/meetings/{held.pk}/"))
    upcoming = Meeting.objects.filter(oneonone=having, scheduled_at__gt=now).get()
    paths.append((having.first, f"/meetings/{upcoming.pk}/"))
    paths.append((person, "/"))

    found = {}
    for viewer, path in paths:
        client.force_login(viewer)
        for sql in page_queries(client, path):
            if tables := sequential_scans(sql):
                found[path, sql[:300]] = tables
    assert found == {}
