from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Count, Q

from tete.accounts.models import Person, Team
from tete.demo.generate import GENERATED_DOMAIN, generate_organisation
from tete.oneonones import actions
from tete.oneonones.markdown import render_markdown
from tete.oneonones.models import (
    ActionItem,
    Meeting,
    MeetingStatus,
    OneOnOne,
    PrivateNote,
    SharedNote,
    TalkingPoint,
)


def test_it_generates_a_hierarchy_with_a_long_meeting_history(db):
    call_command("generate_org", people=30, meetings=290)

    people = Person.objects.filter(email__endswith="@" + GENERATED_DOMAIN)
    assert people.count() == 30
    assert people.filter(manager__isnull=True).count() == 1
    assert OneOnOne.objects.count() == 29  # every report meets their manager
    assert all(o.first_id == o.second.manager_id for o in OneOnOne.objects.select_related("second"))
    # ten past meetings per one-on-one, and one ahead unless its row is not made yet
    per_oneonone = OneOnOne.objects.annotate(
        past=Count("meetings", filter=~Q(meetings__scheduled_at__gt=_now())),
        ahead=Count("meetings", filter=Q(meetings__scheduled_at__gt=_now())),
    )
    assert {o.past for o in per_oneonone} == {10}
    assert {o.ahead for o in per_oneonone} <= {0, 1}
    held = Meeting.objects.filter(status=MeetingStatus.HELD)
    assert held.exists() and Meeting.objects.filter(status=MeetingStatus.CANCELLED).exists()
    assert not held.filter(held_at__isnull=True).exists()
    assert ActionItem.objects.filter(done_at__isnull=True).exists()
    assert ActionItem.objects.filter(done_at__isnull=False).exists()
    assert TalkingPoint.objects.filter(private=True).exists()
    assert PrivateNote.objects.exists()
    # Notes are stored with their HTML, as saving them does: pages never write it.
    notes = SharedNote.objects.all()
    assert notes.count() == held.count() and not notes.filter(html="").exists()
    assert all(note.html == render_markdown(note.text) for note in notes[:20])


def test_some_pairs_left_a_meeting_unmarked_or_have_no_next_meeting_row_yet(db):
    counts = generate_organisation(people=200, meetings=400)

    assert counts.meetings == Meeting.objects.count()
    past_scheduled = Meeting.objects.filter(
        status=MeetingStatus.SCHEDULED, scheduled_at__lt=_now()
    ).count()
    lacking = OneOnOne.objects.exclude(meetings__scheduled_at__gt=_now()).count()
    assert 0 < past_scheduled < 199 / 4
    assert 0 < lacking < 199 / 4


def test_rows_made_afterwards_get_new_ids(db):
    generate_organisation(people=8, meetings=40)
    meeting = Meeting.objects.filter(status=MeetingStatus.SCHEDULED).order_by("pk").last()
    assert meeting is not None
    last_point = TalkingPoint.objects.order_by("pk").last()
    assert last_point is not None

    point = actions.add_talking_point(meeting, by=meeting.oneonone.first, text="Next steps")

    assert point.pk > last_point.pk
    assert Person.objects.create_user("new@example.com", name="New").pk > 8


def test_the_same_seed_gives_the_same_organisation(db):
    def snapshot() -> list[tuple[object, ...]]:
        return list(
            TalkingPoint.objects.order_by("meeting__scheduled_at", "position").values_list(
                "meeting__oneonone__second__email", "text", "discussed", "private"
            )
        )

    generate_organisation(people=6, meetings=30, seed=5)
    first = snapshot()
    Meeting.objects.all().delete()
    OneOnOne.objects.all().delete()
    Person.objects.all().delete()
    Team.objects.all().delete()
    generate_organisation(people=6, meetings=30, seed=5)
    assert snapshot() == first


@pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY is PostgreSQL's")
def test_foreign_keys_and_indexes_taken_off_for_the_load_come_back_the_same(db):
    def schema() -> set[tuple[str, ...]]:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) "
                "FROM pg_constraint WHERE connamespace = 'public'::regnamespace"
            )
            constraints = set(cursor.fetchall())
            cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public'")
            return constraints | set(cursor.fetchall())

    before = schema()
    generate_organisation(people=10, meetings=50)
    assert schema() == before


def test_it_refuses_to_generate_twice(db):
    call_command("generate_org", people=3, meetings=6)
    with pytest.raises(CommandError, match="already holds"):
        call_command("generate_org", people=3, meetings=6)


def _now():
    from django.utils import timezone

    return timezone.now()
