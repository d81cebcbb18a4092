"""The demo's one-on-ones: every kind, six months of history, carry-over and overdue items."""

from __future__ import annotations

import random
from datetime import timedelta

from django.utils import timezone

from tete.demo import oneonones as demo_oneonones
from tete.demo import people as demo_people
from tete.oneonones.models import (
    ActionItem,
    Meeting,
    OneOnOne,
    PrivateNote,
    SharedNote,
    TalkingPoint,
)


def test_the_demo_builds_realistic_one_on_ones(db):
    rng = random.Random(7)
    org = demo_people.build(rng)
    demo_oneonones.build(org, rng)
    assert OneOnOne.objects.count() == 15
    assert set(OneOnOne.objects.values_list("kind", flat=True)) == {
        "manager_report", "mentoring", "coaching", "peer", "personal"
    }  # fmt: skip
    assert Meeting.objects.filter(status="held").count() > 150
    assert Meeting.objects.filter(status="cancelled").exists()
    # Every one-on-one has exactly one meeting ahead.
    for oneonone in OneOnOne.objects.all():
        assert oneonone.meetings.filter(status="scheduled").count() == 1
        assert oneonone.meetings.filter(scheduled_at__gt=timezone.now()).count() == 1
    assert TalkingPoint.objects.filter(carried_over_count__gt=0).exists()
    # A point is dated when it was written: before the meeting it was first meant for, so a
    # carried one is older than its meeting by at least a week, and none is in the future.
    assert not TalkingPoint.objects.filter(created_at__gt=timezone.now()).exists()
    for point in TalkingPoint.objects.filter(carried_over_count__gt=0).select_related("meeting"):
        assert point.created_at <= point.meeting.scheduled_at - timedelta(days=7), point.pk
    # Nothing undiscussed is left behind on a past meeting: it was carried over.
    assert not TalkingPoint.objects.filter(meeting__status="held", discussed=False).exists()
    assert PrivateNote.objects.exists()
    # Notes are stored with their HTML, as saving them does: pages never write it.
    assert SharedNote.objects.exists() and not SharedNote.objects.filter(html="").exists()
    today = timezone.localdate()
    open_items = ActionItem.objects.filter(done_at__isnull=True)
    assert open_items.filter(due_date__lt=today).exists()  # some overdue
    assert ActionItem.objects.filter(done_at__isnull=False).count() > open_items.count()


def test_one_demo_pair_shows_a_health_flag(db):
    from tete.oneonones import health

    rng = random.Random(7)
    org = demo_people.build(rng)
    demo_oneonones.build(org, rng)
    alice = org.people["alice"]
    mine = list(
        OneOnOne.objects.filter(first=alice).select_related("first", "second").order_by("pk")
    )
    flags = {(flag.other, flag.text) for flag in health.flags_for(alice, mine)}
    assert (org.people["jon"].name, "3 of the last 5 were cancelled") in flags
