"""On PostgreSQL a query a connection runs again and again is prepared once (settings.py)."""

from __future__ import annotations

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
