"""The day-before email: once per meeting, to both people, saying when and linking to the
agenda, never what the agenda says."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from tete.oneonones import actions
from tete.oneonones.models import Meeting
from tete.oneonones.reminders import send_meeting_reminders


@pytest.fixture
def soon(meeting):
    """The hour before the meeting's reminder is due: the meeting is 20 hours away."""
    return meeting.scheduled_at - dt.timedelta(hours=20)


def test_both_people_hear_of_a_meeting_a_day_ahead(meeting, alice, bob, soon, settings):
    settings.SITE_URL = "https://tete.example"
    bob.timezone = "America/New_York"
    bob.save()
    actions.add_talking_point(meeting, by=bob, text="Secret salary question")
    actions.add_talking_point(meeting, by=alice, text="My private worry", private=True)
    assert send_meeting_reminders(now=soon) == 2
    assert sorted(m.to[0] for m in mail.outbox) == [alice.email, bob.email]
    to_bob = next(m for m in mail.outbox if m.to == [bob.email])
    local = meeting.scheduled_at.astimezone(bob.tzinfo)
    assert to_bob.subject == f"One-on-one with Alice Martin, {local:%A} at {local:%H:%M}"
    assert f"at {local:%H:%M} (America/New_York)" in to_bob.body  # in Bob's own timezone
    assert "1 talking point so far" in to_bob.body  # Alice's private one is not counted
    assert f"https://tete.example{reverse('oneonones:meeting', args=[meeting.pk])}" in to_bob.body
    for message in mail.outbox:  # the agenda's words never travel by mail
        assert "Secret salary" not in message.body and "private worry" not in message.body


def test_each_meeting_is_reminded_of_once(meeting, soon):
    assert send_meeting_reminders(now=soon) == 2
    assert send_meeting_reminders(now=soon + dt.timedelta(hours=1)) == 0
    assert len(mail.outbox) == 2
    assert Meeting.objects.get(pk=meeting.pk).reminded_at == soon


def test_only_meetings_within_the_day_ahead(meeting, soon):
    assert send_meeting_reminders(now=meeting.scheduled_at - dt.timedelta(hours=30)) == 0
    assert send_meeting_reminders(now=meeting.scheduled_at + dt.timedelta(minutes=1)) == 0
    assert mail.outbox == []


def test_no_reminder_when_turned_off_deactivated_cancelled_or_ended(
    meeting, oneonone, alice, bob, soon
):
    bob.meeting_reminders = False
    bob.save()
    assert send_meeting_reminders(now=soon) == 1
    assert [m.to for m in mail.outbox] == [[alice.email]]

    later = actions.mark_meeting_held(meeting, by=alice)
    assert later is not None
    actions.cancel_meeting(later, by=alice, reason="Holiday")
    assert send_meeting_reminders(now=later.scheduled_at - dt.timedelta(hours=2)) == 0

    # The one after a cancelled meeting is made and reminded of, unless the one-on-one ended.
    actions.end_oneonone(oneonone, by=alice)
    assert send_meeting_reminders(now=later.scheduled_at + dt.timedelta(days=6)) == 0
    assert len(mail.outbox) == 1


def test_a_meeting_is_made_to_remind_of_when_none_is_ahead(oneonone, alice):
    oneonone.meetings.all().delete()  # as when nobody has opened the one-on-one for a while
    now = dt.datetime.now(dt.UTC)
    # Whatever the weekday today, within a week the weekly meeting is a day away.
    sent = sum(
        send_meeting_reminders(now=now + dt.timedelta(days=day, hours=hour))
        for day in range(7)
        for hour in range(0, 24, 6)
    )
    assert sent == 2 and oneonone.meetings.count() >= 1


def test_the_command_reports_what_it_sent(meeting, capsys, monkeypatch):
    import tete.oneonones.management.commands.send_meeting_reminders as command

    monkeypatch.setattr(
        command,
        "send_meeting_reminders",
        lambda ahead: send_meeting_reminders(now=meeting.scheduled_at - ahead / 2, ahead=ahead),
    )
    call_command("send_meeting_reminders", "--hours", "48")
    assert "Sent 2 meeting reminder(s)." in capsys.readouterr().out


def test_reminders_are_turned_off_in_the_profile(client_for, bob):
    client = client_for(bob)
    page = client.get(reverse("people:profile")).content.decode()
    assert "Email me the day before each of my one-on-ones" in page
    form = {"name": bob.name, "title": "", "timezone": "UTC", "location": ""}
    assert client.post(reverse("people:profile"), form).status_code == 302
    bob.refresh_from_db()
    assert bob.meeting_reminders is False
    client.post(reverse("people:profile"), {**form, "meeting_reminders": "on"})
    bob.refresh_from_db()
    assert bob.meeting_reminders is True
