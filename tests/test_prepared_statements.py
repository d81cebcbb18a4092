"""On PostgreSQL a query a connection runs again and again is prepared once (settings.py)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection

from tete.oneonones.models import Meeting

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="prepared statements are PostgreSQL's"
    ),
]


def _prepared() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [row[0] for row in cursor.fetchall()]


def test_a_repeated_query_is_prepared_and_gives_the_same_rows(meeting):
    options = connection.settings_dict["OPTIONS"]
    assert options.get("server_side_binding") is True
    threshold = options.get("prepare_threshold")
    assert isinstance(threshold, int), "repeated queries are not prepared"
    rows = [
        list(Meeting.objects.filter(oneonone_id=meeting.oneonone_id).values_list("pk"))
        for _ in range(threshold + 1)
    ]
    assert rows == [[(meeting.pk,)]] * (threshold + 1)
    assert any('"oneonones_meeting"' in statement for statement in _prepared())


def test_parameters_of_every_common_type_travel_apart_from_the_sql(meeting, alice):
    found = Meeting.objects.filter(
        oneonone__first=alice,
        scheduled_at__gte=meeting.scheduled_at,
        duration_minutes__in=[meeting.duration_minutes, 1],
        status__in=("scheduled", "held"),
        reason__icontains="",
    )
    assert list(found.values_list("pk", flat=True)) == [meeting.pk]


def test_homes_upcoming_meetings_are_planned_once_not_on_every_view(
    settings, client_for, meeting, alice
):
    """Its statuses are written into the SQL: with them as parameters PostgreSQL judged its
    generic plan dearer and planned the statement anew on every view."""
    settings.TETE_PAGE_CACHE = False  # every view runs it
    # A history like a real one's, and the statistics that say so: most meetings are past.
    held_at = meeting.scheduled_at - dt.timedelta(days=7)
    Meeting.objects.bulk_create(
        Meeting(
            oneonone_id=meeting.oneonone_id,
            scheduled_at=held_at - dt.timedelta(days=7 * n),
            status="held",
            held_at=held_at - dt.timedelta(days=7 * n),
        )
        for n in range(3000)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE oneonones_meeting")
    client = client_for(alice)
    for _ in range(12):
        assert client.get("/").status_code == 200
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT generic_plans, custom_plans FROM pg_prepared_statements"
            " WHERE statement LIKE %s",
            ["%AS point_count%FROM oneonones_meeting m%"],
        )
        (generic, custom), *others = cursor.fetchall()
    assert not others
    assert generic > 0 and custom <= 5
