"""Check-ins: one chosen person fills one in before each meeting; both participants see it,
nobody else does (DESIGN.md rule 1), and mood and workload trend on the one-on-one page."""

from __future__ import annotations

import re

import pytest
from django.template import engines
from django.urls import reverse

from tete.oneonones import actions as oneonone_actions
from tete.surveys import checkins, sections
from tete.surveys.models import Response, Survey


@pytest.fixture
def checkin(oneonone, alice, bob):
    return checkins.attach_checkin(oneonone, by=alice, respondent=bob)


def checkin_data(survey, mood="2", workload="1", topic="My promotion"):
    data = {}
    for q in survey.questions.all():
        if q.key == "mood":
            data[f"q{q.pk}"] = mood
        elif q.key == "workload":
            data[f"q{q.pk}"] = workload
        elif q.key == "checkin_topic":
            data[f"q{q.pk}"] = topic
    return data


def test_a_participant_attaches_a_check_in_for_the_other(client_for, alice, bob, oneonone):
    response = client_for(alice).post(
        reverse("surveys:checkin_attach", args=[oneonone.pk]), {"respondent": bob.pk}
    )
    assert response.status_code == 302
    survey = Survey.objects.get(oneonone=oneonone)
    assert survey.checkin_respondent == bob and not survey.anonymous
    assert {q.key for q in survey.questions.all()} >= {"mood", "workload"}


def test_the_respondent_must_be_a_participant(client_for, alice, carol, oneonone):
    client_for(alice).post(
        reverse("surveys:checkin_attach", args=[oneonone.pk]), {"respondent": carol.pk}
    )
    assert not Survey.objects.exists()


def test_the_chosen_person_fills_it_in_and_both_see_it_named(
    client_for, alice, bob, checkin, meeting
):
    client = client_for(bob)
    page = client.get(reverse("surveys:checkin_answer", args=[meeting.pk])).content.decode()
    assert "not anonymous" in page
    response = client.post(
        reverse("surveys:checkin_answer", args=[meeting.pk]), checkin_data(checkin)
    )
    assert response.status_code == 302
    stored = Response.objects.get()
    assert stored.respondent == bob
    for person in (alice, bob):
        page = client_for(person).get(reverse("surveys:checkin_answer", args=[meeting.pk]))
        assert b"My promotion" in page.content
        assert b"Bob Jones" in page.content


def test_the_other_participant_cannot_fill_it_in(client_for, alice, checkin, meeting):
    client = client_for(alice)
    page = client.get(reverse("surveys:checkin_answer", args=[meeting.pk]))
    assert page.status_code == 200 and b"has not filled in" in page.content
    client.post(reverse("surveys:checkin_answer", args=[meeting.pk]), checkin_data(checkin))
    assert not Response.objects.exists()


@pytest.mark.parametrize("persona", ["carol", "admin"])
def test_outsiders_and_staff_get_404(client_for, request, checkin, meeting, oneonone, persona):
    client = client_for(request.getfixturevalue(persona))
    assert client.get(reverse("surveys:checkin_answer", args=[meeting.pk])).status_code == 404
    assert client.post(reverse("surveys:checkin_answer", args=[meeting.pk])).status_code == 404
    for name in ("checkin_attach", "checkin_detach"):
        assert client.post(reverse(f"surveys:{name}", args=[oneonone.pk])).status_code == 404
    # Nor do check-ins show up as surveys.
    assert client.get(reverse("surveys:detail", args=[checkin.pk])).status_code == 404


def test_the_owner_cannot_read_a_check_in_through_survey_pages(client_for, alice, checkin):
    for name in ("detail", "results", "results_csv", "export", "insights"):
        assert (
            client_for(alice).get(reverse(f"surveys:{name}", args=[checkin.pk])).status_code == 404
        )


def test_anonymous_visitors_are_sent_to_sign_in(client_for, checkin, meeting, oneonone):
    client = client_for(None)
    response = client.get(reverse("surveys:checkin_answer", args=[meeting.pk]))
    assert response.status_code == 302 and response["Location"].startswith("/login/")
    response = client.post(reverse("surveys:checkin_attach", args=[oneonone.pk]))
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_wrong_methods(client_for, alice, oneonone, meeting):
    client = client_for(alice)
    assert client.get(reverse("surveys:checkin_attach", args=[oneonone.pk])).status_code == 405
    assert client.get(reverse("surveys:checkin_detach", args=[oneonone.pk])).status_code == 405
    assert client.put(reverse("surveys:checkin_answer", args=[meeting.pk])).status_code == 405


def test_detaching_keeps_earlier_answers(client_for, alice, bob, checkin, meeting, oneonone):
    checkins.submit_checkin(meeting, bob, {str(checkin.questions.first().pk): "3"})
    client_for(alice).post(reverse("surveys:checkin_detach", args=[oneonone.pk]))
    checkin.refresh_from_db()
    assert checkin.status == Survey.Status.CLOSED
    assert checkins.answers_for_meeting(meeting) is not None


def meeting_section(meeting, person) -> str:
    """The check-in block of the meeting's page, as `person` sees it."""
    return (
        engines["jinja2"]
        .get_template("surveys/_checkin_meeting.html")
        .render({"meeting": meeting, "checkin": sections.checkin_on_meeting(meeting, person)})
    )


def trend_section(oneonone, person) -> str:
    """The check-in block of the one-on-one's page, as `person` sees it."""
    return (
        engines["jinja2"]
        .get_template("surveys/_checkin_trend.html")
        .render({"oneonone": oneonone, "user": person, "trend": sections.checkin_trend(oneonone)})
    )


def test_the_meeting_page_shows_answers_to_both_participants(alice, bob, checkin, meeting):
    assert "Fill in the check-in" in meeting_section(meeting, bob)
    assert "has not filled in" in meeting_section(meeting, alice)
    mood = checkin.questions.get(key="mood")
    checkins.submit_checkin(meeting, bob, {str(mood.pk): "4"})
    for person in (alice, bob):
        html = meeting_section(meeting, person)
        assert "How are you feeling this week?" in html and "from Bob" in html
        assert "Fill in the check-in" not in html


def test_the_meeting_page_keeps_answers_after_the_check_in_stopped(
    alice, bob, checkin, meeting, oneonone
):
    checkins.submit_checkin(meeting, bob, {str(checkin.questions.get(key="mood").pk): "2"})
    checkins.detach_checkin(oneonone)
    html = meeting_section(meeting, alice)
    assert "How are you feeling this week?" in html and "from Bob" in html
    oneonone_actions.mark_meeting_held(meeting, by=alice)
    later = oneonone_actions.ensure_next_meeting(oneonone)
    assert later != meeting and meeting_section(later, bob).strip() == ""


def test_the_meeting_page_shows_only_this_meetings_answers(alice, bob, carol, checkin, meeting):
    checkins.submit_checkin(meeting, bob, {str(checkin.questions.get(key="mood").pk): "4"})
    other = oneonone_actions.start_oneonone(by=carol, other=bob, kind="peer", cadence="weekly")
    other_meeting = oneonone_actions.ensure_next_meeting(other)
    checkins.attach_checkin(other, by=carol, respondent=carol)
    html = meeting_section(other_meeting, bob)
    assert "How are you feeling" not in html and "Carol has not filled in" in html


def test_the_meeting_page_reads_its_check_in_in_one_query_and_answers_in_one_more(
    django_assert_num_queries, alice, bob, checkin, meeting
):
    with django_assert_num_queries(1):
        sections.checkin_on_meeting(meeting, bob)
    checkins.submit_checkin(meeting, bob, {str(checkin.questions.get(key="mood").pk): "4"})
    with django_assert_num_queries(2):
        sections.checkin_on_meeting(meeting, bob)


def test_the_trend_draws_mood_and_workload(oneonone, alice, bob, checkin):
    mood = checkin.questions.get(key="mood")
    workload = checkin.questions.get(key="workload")
    for value in ("2", "4"):
        meeting = oneonone_actions.ensure_next_meeting(oneonone)
        checkins.submit_checkin(meeting, bob, {str(mood.pk): value, str(workload.pk): "3"})
        oneonone_actions.mark_meeting_held(meeting, by=alice)
    assert checkins.trend(oneonone)["mood"] == [2.0, 4.0]
    html = trend_section(oneonone, alice)
    assert "<svg" in html and "Mood" in html and "Workload" in html


def test_the_trend_gives_its_figures_as_text(oneonone, alice, bob, checkin):
    mood = checkin.questions.get(key="mood")
    workload = checkin.questions.get(key="workload")
    meetings = []
    for mood_value, workload_value in (("2", "3"), ("5", "4"), ("4", "1")):
        meeting = oneonone_actions.ensure_next_meeting(oneonone)
        answers = {str(mood.pk): mood_value, str(workload.pk): workload_value}
        checkins.submit_checkin(meeting, bob, answers)
        oneonone_actions.mark_meeting_held(meeting, by=alice)
        meetings.append(meeting)
    assert checkins.trend(oneonone)["meetings"] == [m.scheduled_at for m in meetings]
    html = trend_section(oneonone, alice)
    assert (
        'aria-label="Mood before each meeting, from 1 to 5: latest 4, lowest 2, highest 5"' in html
    )
    assert 'aria-label="Workload before each meeting, from 1 to 5: latest 1, lowest 1' in html
    # A row per meeting, newest first: its date, then mood and workload.
    rows = re.findall(r'<tr><th scope="row"><time datetime="([^"]+)">.*?</tr>', html, re.S)
    assert rows == [m.scheduled_at.isoformat() for m in reversed(meetings)]
    assert '<td class="num">4</td><td class="num">1</td></tr>' in html


def test_without_a_check_in_the_trend_offers_to_add_one(oneonone, alice):
    html = trend_section(oneonone, alice)
    assert "Add a check-in" in html


def test_the_trend_reads_in_one_query_without_a_check_in_and_two_with_one(
    django_assert_num_queries, oneonone, alice, bob
):
    with django_assert_num_queries(1):
        sections.checkin_trend(oneonone)
    survey = checkins.attach_checkin(oneonone, by=alice, respondent=bob)
    mood = survey.questions.get(key="mood")
    for value in ("2", "4", "3"):
        meeting = oneonone_actions.ensure_next_meeting(oneonone)
        checkins.submit_checkin(meeting, bob, {str(mood.pk): value})
        oneonone_actions.mark_meeting_held(meeting, by=alice)
    with django_assert_num_queries(2):
        trend = sections.checkin_trend(oneonone)
    assert trend.series["mood"] == [2.0, 4.0, 3.0] and list(trend.charts) == ["Mood"]
