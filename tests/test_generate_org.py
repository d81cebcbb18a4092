from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from tete.accounts.models import Person
from tete.demo.generate import GENERATED_DOMAIN
from tete.oneonones.markdown import render_markdown
from tete.oneonones.models import ActionItem, Meeting, MeetingStatus, OneOnOne, SharedNote


def test_it_generates_a_hierarchy_with_a_long_meeting_history(db):
    call_command("generate_org", people=30, meetings=290)

    people = Person.objects.filter(email__endswith="@" + GENERATED_DOMAIN)
    assert people.count() == 30
    assert people.filter(manager__isnull=True).count() == 1
    assert OneOnOne.objects.count() == 29  # every report meets their manager
    # ten past meetings per one-on-one plus one ahead
    assert Meeting.objects.count() == 29 * 11
    assert Meeting.objects.filter(status=MeetingStatus.SCHEDULED).count() == 29
    held = Meeting.objects.filter(status=MeetingStatus.HELD)
    assert held.exists()
    assert not held.filter(held_at__isnull=True).exists()
    assert ActionItem.objects.filter(done_at__isnull=True).exists()
    assert ActionItem.objects.filter(done_at__isnull=False).exists()
    # Notes are stored with their HTML, as saving them does: pages never write it.
    notes = SharedNote.objects.all()
    assert notes.exists() and not notes.filter(html="").exists()
    assert all(note.html == render_markdown(note.text) for note in notes[:20])


def test_it_refuses_to_generate_twice(db):
    call_command("generate_org", people=3, meetings=6)
    with pytest.raises(CommandError, match="already holds"):
        call_command("generate_org", people=3, meetings=6)
