"""Recurring pulses, reminders and the `send_survey_rounds` command."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from tests.surveys.conftest import answers_for, post_data
from tete.surveys import actions
from tete.surveys.models import Participation, Survey

MONDAY = dt.date(2026, 3, 2)


@pytest.mark.parametrize(
    ("recurrence", "day", "expected"),
    [
        ("weekly", MONDAY + dt.timedelta(days=9), (dt.date(2026, 3, 9), dt.date(2026, 3, 15))),
        ("biweekly", MONDAY + dt.timedelta(days=9), (MONDAY, dt.date(2026, 3, 15))),
        ("monthly", dt.date(2026, 4, 1), (dt.date(2026, 3, 2), dt.date(2026, 4, 1))),
        ("monthly", dt.date(2026, 4, 2), (dt.date(2026, 4, 2), dt.date(2026, 5, 1))),
    ],
)
def test_round_periods(pulse, recurrence, day, expected):
    pulse.recurrence = recurrence
    pulse.opens_on = MONDAY
    assert actions.period_start(pulse, day) == expected


def test_a_weekly_pulse_opens_one_round_per_week_and_emails_its_audience(pulse, crowd):
    crowd(3)
    pulse.recurrence = Survey.Recurrence.WEEKLY
    pulse.opens_on = MONDAY
    pulse.save()
    actions.open_survey(pulse, MONDAY)
    assert len(mail.outbox) == 5  # alice, bob and three more in Platform
    assert reverse("surveys:answer", args=[pulse.pk]) in mail.outbox[0].body
    assert actions.ensure_current_round(pulse, MONDAY + dt.timedelta(days=3)).number == 1
    second = actions.ensure_current_round(pulse, MONDAY + dt.timedelta(days=8))
    assert second.number == 2 and second.opens_on == MONDAY + dt.timedelta(days=7)
    assert pulse.rounds.get(number=1).finalised


def test_a_one_off_survey_has_a_single_round(pulse):
    actions.open_survey(pulse, MONDAY)
    assert actions.ensure_current_round(pulse, MONDAY + dt.timedelta(days=40)).number == 1


def test_reminders_go_to_those_who_have_not_answered_every_few_days(pulse, bob, alice):
    round_ = actions.open_survey(pulse, MONDAY)
    actions.submit_response(round_, bob, answers_for(pulse))
    mail.outbox.clear()
    assert actions.send_reminders(pulse, MONDAY) == 1
    assert [m.to for m in mail.outbox] == [[alice.email]]
    assert actions.send_reminders(pulse, MONDAY) == 0  # not twice the same day
    assert actions.send_reminders(pulse, MONDAY + dt.timedelta(days=1)) == 0  # nor the next
    assert Participation.objects.get(person=alice).reminded_on == MONDAY
    thursday = MONDAY + dt.timedelta(days=actions.REMINDER_INTERVAL_DAYS)
    assert actions.ensure_current_round(pulse, thursday) == round_
    assert actions.send_reminders(pulse, thursday) == 1


def test_reminders_show_in_the_app(client_for, pulse, alice, bob):
    actions.open_survey(pulse)
    client = client_for(alice)
    response = client.post(reverse("surveys:remind", args=[pulse.pk]), follow=True)
    assert b"Reminded 2 people" in response.content
    assert b"Reminder" in client_for(bob).get(reverse("surveys:list")).content


def test_the_command_opens_due_rounds_closes_ended_surveys_and_reminds(pulse, crowd):
    crowd(2)
    pulse.recurrence = Survey.Recurrence.WEEKLY
    pulse.opens_on = MONDAY
    pulse.status = Survey.Status.OPEN
    pulse.save()
    call_command("send_survey_rounds", date=str(MONDAY))
    assert pulse.rounds.count() == 1
    mail.outbox.clear()
    call_command("send_survey_rounds", "--remind", date=str(MONDAY + dt.timedelta(days=1)))
    assert len(mail.outbox) == 4 and mail.outbox[0].subject.startswith("Reminder")
    pulse.closes_on = MONDAY + dt.timedelta(days=10)
    pulse.save()
    call_command("send_survey_rounds", date=str(MONDAY + dt.timedelta(days=11)))
    pulse.refresh_from_db()
    assert pulse.status == Survey.Status.CLOSED
    assert all(r.finalised for r in pulse.rounds.all())


def test_opening_needs_a_question(client_for, alice):
    survey = actions.create_survey(alice, title="Empty", audience=Survey.Audience.EVERYONE)
    response = client_for(alice).post(reverse("surveys:open", args=[survey.pk]), follow=True)
    assert b"Add at least one question" in response.content
    survey.refresh_from_db()
    assert survey.status == Survey.Status.DRAFT


def test_audiences(alice, bob, carol, team, pulse):
    from tete.surveys.actions import audience_people

    assert set(audience_people(pulse)) == {alice, bob}
    pulse.audience = Survey.Audience.REPORTS
    assert set(audience_people(pulse)) == {bob}
    pulse.audience = Survey.Audience.EVERYONE
    assert carol in audience_people(pulse)
    pulse.audience = Survey.Audience.PEOPLE
    pulse.save()
    pulse.audience_people.set([carol])
    assert list(audience_people(pulse)) == [carol]
    pulse.audience = Survey.Audience.PUBLIC
    assert not audience_people(pulse).exists()


@pytest.fixture
def due_pulse(pulse):
    """A weekly pulse whose first round closed last week: this week's round is due, unopened."""
    today = timezone.localdate()
    pulse.recurrence = Survey.Recurrence.WEEKLY
    pulse.save()
    actions.open_survey(pulse, today - dt.timedelta(days=9))
    mail.outbox.clear()
    return pulse


def test_a_due_round_shows_as_due_until_something_opens_it(client_for, due_pulse, alice):
    client = client_for(alice)
    page = client.get(reverse("surveys:detail", args=[due_pulse.pk])).content.decode()
    assert "Round 2 (" in page and "is due" in page and "Open it now" in page
    for name in ("surveys:detail", "surveys:results", "surveys:insights"):
        client.get(reverse(name, args=[due_pulse.pk]))
    assert due_pulse.rounds.count() == 1 and mail.outbox == []
    response = client.post(reverse("surveys:open", args=[due_pulse.pk]))
    assert response.status_code == 302
    assert due_pulse.rounds.count() == 2 and len(mail.outbox) == 2
    assert due_pulse.rounds.get(number=1).finalised
    page = client.get(reverse("surveys:detail", args=[due_pulse.pk]), follow=True)
    assert "Round 2 is open" in page.content.decode()


def test_answering_a_due_round_opens_it(client_for, due_pulse, bob):
    client = client_for(bob)
    url = reverse("surveys:answer", args=[due_pulse.pk])
    page = client.get(url)
    assert page.status_code == 200 and 'method="post"' in page.content.decode()
    assert due_pulse.rounds.count() == 1  # showing the questions wrote nothing
    response = client.post(url, post_data(due_pulse))
    assert response.status_code == 200
    second = due_pulse.rounds.get(number=2)
    assert second.responses.count() == 1
    assert Participation.objects.get(round=second, person=bob).responded_on is not None


def test_someone_outside_the_audience_gets_404_for_a_due_round(client_for, due_pulse, carol):
    assert client_for(carol).get(reverse("surveys:answer", args=[due_pulse.pk])).status_code == 404
