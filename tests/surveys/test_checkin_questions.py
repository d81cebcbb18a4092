"""A check-in's questions: either participant changes them (add, edit, remove, reorder, add
from the bank, reset); answers already given keep the wording they answered; nobody else can
reach the page (DESIGN.md rule 1)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tete.oneonones import actions as oneonone_actions
from tete.oneonones.models import OneOnOne
from tete.surveys import checkins
from tete.surveys.bank import BANK, CHECKIN_QUESTIONS
from tete.surveys.models import Question, Response


@pytest.fixture
def checkin(oneonone, alice, bob):
    return checkins.attach_checkin(oneonone, by=alice, respondent=bob)


def texts(survey) -> list[str]:
    return [q.text for q in checkins.current_questions(survey)]


def url(name: str, oneonone, question=None) -> str:
    args = [oneonone.pk] if question is None else [oneonone.pk, question.pk]
    return reverse(f"surveys:{name}", args=args)


NEW_QUESTION = {"text": "What went well since we last met?", "kind": "long", "required": "on"}


def post_urls(oneonone, question) -> list[str]:
    return [
        url("checkin_question_new", oneonone),
        url("checkin_question_edit", oneonone, question),
        url("checkin_question_move", oneonone, question),
        url("checkin_question_remove", oneonone, question),
        url("checkin_bank_add", oneonone),
        url("checkin_questions_reset", oneonone),
    ]


# ---------------------------------------------------------------- access


@pytest.mark.parametrize("persona", ["alice", "bob"])
def test_both_participants_see_and_change_the_questions(
    client_for, request, oneonone, checkin, persona
):
    client = client_for(request.getfixturevalue(persona))
    page = client.get(url("checkin_questions", oneonone))
    assert page.status_code == 200
    assert "How are you feeling this week?" in page.content.decode()
    response = client.post(url("checkin_question_new", oneonone), NEW_QUESTION)
    assert response.status_code == 302
    assert response["Location"] == url("checkin_questions", oneonone) + "#questions"
    assert texts(checkin)[-1] == NEW_QUESTION["text"]


@pytest.mark.parametrize("persona", ["carol", "admin"])
def test_outsiders_and_staff_get_404_and_change_nothing(
    client_for, request, oneonone, checkin, persona
):
    client = client_for(request.getfixturevalue(persona))
    mood = checkin.questions.get(key="mood")
    before = texts(checkin)
    assert client.get(url("checkin_questions", oneonone)).status_code == 404
    assert client.get(url("checkin_question_edit", oneonone, mood)).status_code == 404
    for target in post_urls(oneonone, mood):
        data = {**NEW_QUESTION, "direction": "up", "set_key": "enps"}
        assert client.post(target, data).status_code == 404, target
    assert texts(checkin) == before


def test_anonymous_visitors_are_sent_to_sign_in(client_for, oneonone, checkin):
    client = client_for(None)
    mood = checkin.questions.get(key="mood")
    for response in [client.get(url("checkin_questions", oneonone))] + [
        client.post(target) for target in post_urls(oneonone, mood)
    ]:
        assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_wrong_methods(client_for, alice, oneonone, checkin):
    client = client_for(alice)
    mood = checkin.questions.get(key="mood")
    assert client.post(url("checkin_questions", oneonone)).status_code == 405
    assert client.put(url("checkin_question_edit", oneonone, mood)).status_code == 405
    edit = url("checkin_question_edit", oneonone, mood)  # a page: GET and POST
    for target in post_urls(oneonone, mood):
        if target != edit:
            assert client.get(target).status_code == 405, target


def test_a_question_of_another_check_in_is_404(client_for, alice, bob, carol, oneonone, checkin):
    other = oneonone_actions.start_oneonone(
        by=carol, other=bob, kind="peer", focus_person=bob, cadence="none"
    )
    foreign = checkins.attach_checkin(other, by=carol, respondent=bob).questions.first()
    client = client_for(alice)
    assert client.get(url("checkin_question_edit", oneonone, foreign)).status_code == 404
    assert client.post(url("checkin_question_remove", oneonone, foreign)).status_code == 404
    assert foreign.survey.questions.filter(pk=foreign.pk, retired=False).exists()


def test_without_a_check_in_the_page_sends_back_to_the_one_on_one(client_for, alice, oneonone):
    response = client_for(alice).get(url("checkin_questions", oneonone))
    assert response.status_code == 302
    assert response["Location"] == reverse("oneonones:detail", args=[oneonone.pk])


def test_an_ended_one_on_one_keeps_its_questions(client_for, alice, oneonone, checkin):
    oneonone_actions.end_oneonone(oneonone, by=alice)
    client = client_for(alice)
    assert client.get(url("checkin_questions", oneonone)).status_code == 302
    client.post(url("checkin_questions_reset", oneonone))
    client.post(url("checkin_question_new", oneonone), NEW_QUESTION)
    assert texts(checkin) == [q["text"] for q in CHECKIN_QUESTIONS]


def test_the_one_on_one_page_links_to_the_questions(client_for, alice, oneonone, checkin):
    page = client_for(alice).get(reverse("oneonones:detail", args=[oneonone.pk]))
    assert "Change questions" in page.content.decode()
    assert url("checkin_questions", oneonone) in page.content.decode()


# ---------------------------------------------------------------- changing the questions


def test_it_adds_only_check_in_kinds(client_for, alice, oneonone, checkin):
    client = client_for(alice)
    for kind in ("scale", "short", "long", "yesno"):
        data = {"text": f"A {kind} question", "kind": kind, "required": "on"}
        assert client.post(url("checkin_question_new", oneonone), data).status_code == 302
    refused = client.post(
        url("checkin_question_new", oneonone),
        {"text": "Pick one", "kind": "single", "choices_text": "a\nb"},
    )
    assert refused.status_code == 400
    assert "Select a valid choice" in refused.content.decode()
    kinds = [q.kind for q in checkins.current_questions(checkin)][3:]
    assert kinds == ["scale", "short", "long", "yesno"]


def test_a_question_needs_its_wording(client_for, alice, oneonone, checkin):
    response = client_for(alice).post(url("checkin_question_new", oneonone), {"kind": "short"})
    assert response.status_code == 400
    assert "This field is required" in response.content.decode()
    # the form posts to its own place on the page, so a phone comes back to the errors
    action = url("checkin_question_new", oneonone) + "#new-question"
    assert f'action="{action}"' in response.content.decode()
    assert 'id="new-question"' in response.content.decode()
    assert len(texts(checkin)) == 3


def test_it_removes_a_question(client_for, bob, oneonone, checkin):
    topic = checkin.questions.get(key="checkin_topic")
    response = client_for(bob).post(url("checkin_question_remove", oneonone, topic))
    assert response.status_code == 302
    assert not Question.objects.filter(pk=topic.pk).exists()  # never answered: gone
    assert texts(checkin) == [q["text"] for q in CHECKIN_QUESTIONS[:2]]


def test_it_moves_questions_up_and_down(client_for, alice, oneonone, checkin):
    client = client_for(alice)
    mood, workload, topic = checkins.current_questions(checkin)
    client.post(url("checkin_question_move", oneonone, topic), {"direction": "up"})
    assert texts(checkin) == [mood.text, topic.text, workload.text]
    client.post(url("checkin_question_move", oneonone, mood), {"direction": "down"})
    assert texts(checkin) == [topic.text, mood.text, workload.text]
    client.post(url("checkin_question_move", oneonone, topic), {"direction": "up"})  # first
    assert texts(checkin) == [topic.text, mood.text, workload.text]


def test_moving_with_htmx_returns_the_list(client_for, alice, oneonone, checkin):
    topic = checkin.questions.get(key="checkin_topic")
    response = client_for(alice).post(
        url("checkin_question_move", oneonone, topic), {"direction": "up"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="questions"' in html and "<html" not in html
    assert html.index("What would you like to talk about?") < html.index("workload")


def test_it_edits_an_unanswered_question_in_place(client_for, alice, oneonone, checkin):
    topic = checkin.questions.get(key="checkin_topic")
    client = client_for(alice)
    assert client.get(url("checkin_question_edit", oneonone, topic)).status_code == 200
    response = client.post(
        url("checkin_question_edit", oneonone, topic),
        {"text": "What is on your mind?", "kind": "long"},
    )
    assert response.status_code == 302
    topic.refresh_from_db()
    assert (topic.text, topic.kind, topic.retired) == ("What is on your mind?", "long", False)


def test_it_adds_a_bank_set_without_repeating_questions(client_for, alice, oneonone, checkin):
    client = client_for(alice)
    client.post(url("checkin_bank_add", oneonone), {"set_key": "workload"})
    # "workload" is asked already; "blocked" and its follow-up are new, the condition kept.
    assert [q.key for q in checkins.current_questions(checkin)] == [
        "mood",
        "workload",
        "checkin_topic",
        "blocked",
        "blocked_detail",
    ]
    detail = checkin.questions.get(key="blocked_detail")
    assert detail.show_if_question == checkin.questions.get(key="blocked")
    client.post(url("checkin_bank_add", oneonone), {"set_key": "workload"})
    assert len(texts(checkin)) == 5
    client.post(url("checkin_bank_add", oneonone), {"set_key": "no-such-set"})
    assert len(texts(checkin)) == 5


def test_reset_brings_back_the_standard_questions(client_for, alice, bob, oneonone, checkin):
    client = client_for(alice)
    client.post(url("checkin_bank_add", oneonone), {"set_key": "enps"})
    client.post(url("checkin_question_remove", oneonone, checkin.questions.get(key="mood")))
    assert texts(checkin) != [q["text"] for q in CHECKIN_QUESTIONS]
    response = client.post(url("checkin_questions_reset", oneonone))
    assert response.status_code == 302
    assert [q.key for q in checkins.current_questions(checkin)] == [
        q["key"] for q in CHECKIN_QUESTIONS
    ]


def test_reset_asks_first_and_returns_the_list_with_htmx(client_for, alice, oneonone, checkin):
    client = client_for(alice)
    page = client.get(url("checkin_questions", oneonone)).content.decode()
    assert 'hx-confirm="Replace the questions with the standard three?' in page
    client.post(url("checkin_question_remove", oneonone, checkin.questions.get(key="mood")))
    response = client.post(url("checkin_questions_reset", oneonone), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="questions"' in html and "<html" not in html
    assert "How are you feeling this week?" in html


def test_each_change_makes_the_one_on_one_pages_render_again(client_for, alice, oneonone, checkin):
    client = client_for(alice)
    page = reverse("oneonones:detail", args=[oneonone.pk])
    client.get(page)
    client.get(page)
    assert client.get(page).page_cache == "hit"
    topic = checkin.questions.get(key="checkin_topic")
    writes = [
        (url("checkin_question_new", oneonone), NEW_QUESTION),
        (url("checkin_question_edit", oneonone, topic), {"text": "Topic?", "kind": "short"}),
        (url("checkin_question_move", oneonone, topic), {"direction": "up"}),
        (url("checkin_bank_add", oneonone), {"set_key": "engagement"}),
        (url("checkin_question_remove", oneonone, topic), {}),
        (url("checkin_questions_reset", oneonone), {}),
    ]
    for target, data in writes:
        version = OneOnOne.objects.get(pk=oneonone.pk).content_version
        assert client.post(target, data).status_code == 302, target
        assert OneOnOne.objects.get(pk=oneonone.pk).content_version > version, target
        assert client.get(page).page_cache != "hit", target
        client.get(page)  # the first load shows the change's message, so is not stored
        assert client.get(page).page_cache == "hit"


# ---------------------------------------------------------------- answers keep their wording


def test_editing_an_answered_question_makes_a_new_version(
    client_for, alice, bob, oneonone, checkin, meeting
):
    topic = checkin.questions.get(key="checkin_topic")
    checkins.submit_checkin(meeting, bob, {str(topic.pk): "My promotion"})
    client_for(alice).post(
        url("checkin_question_edit", oneonone, topic),
        {"text": "What is on your mind?", "kind": "short"},
    )
    topic.refresh_from_db()
    assert topic.retired and topic.text == "What would you like to talk about?"
    new = checkin.questions.get(key="checkin_topic", retired=False)
    assert new.text == "What is on your mind?" and new.previous == topic
    answers = checkins.answers_for_meeting(meeting)
    assert answers is not None
    assert ("What would you like to talk about?", "My promotion") in answers.items


def test_removing_an_answered_question_keeps_its_answers(
    client_for, alice, bob, oneonone, checkin, meeting
):
    topic = checkin.questions.get(key="checkin_topic")
    checkins.submit_checkin(meeting, bob, {str(topic.pk): "My promotion"})
    client_for(alice).post(url("checkin_question_remove", oneonone, topic))
    topic.refresh_from_db()
    assert topic.retired
    assert "What would you like to talk about?" not in texts(checkin)
    assert str(topic.pk) in Response.objects.get().answers
    page = client_for(alice).get(reverse("surveys:checkin_answer", args=[meeting.pk]))
    assert "My promotion" in page.content.decode()


def test_reset_keeps_earlier_answers(client_for, alice, bob, oneonone, checkin, meeting):
    mood = checkin.questions.get(key="mood")
    checkins.submit_checkin(meeting, bob, {str(mood.pk): "4"})
    client_for(alice).post(url("checkin_questions_reset", oneonone))
    mood.refresh_from_db()
    assert mood.retired
    answers = checkins.answers_for_meeting(meeting)
    assert answers is not None and ("How are you feeling this week?", "4") in answers.items


# ---------------------------------------------------------------- the trend and the meeting


def _hold_meeting_with(oneonone, alice, bob, answers_by_key: dict[str, str]) -> None:
    meeting = oneonone_actions.ensure_next_meeting(oneonone)
    survey = checkins.checkin_of(oneonone)
    by_key = {q.key: q for q in checkins.current_questions(survey) if q.key}
    checkins.submit_checkin(
        meeting, bob, {str(by_key[key].pk): value for key, value in answers_by_key.items()}
    )
    oneonone_actions.mark_meeting_held(meeting, by=alice)


def test_with_the_mood_question_removed_the_trend_has_no_new_points(
    client_for, alice, bob, oneonone, checkin
):
    _hold_meeting_with(oneonone, alice, bob, {"mood": "2", "workload": "3"})
    _hold_meeting_with(oneonone, alice, bob, {"mood": "4", "workload": "3"})
    client = client_for(alice)
    client.post(url("checkin_question_remove", oneonone, checkin.questions.get(key="mood")))
    _hold_meeting_with(oneonone, alice, bob, {"workload": "5"})
    series = checkins.trend(oneonone)
    assert series["mood"] == [2.0, 4.0, None]
    assert series["workload"] == [3.0, 3.0, 5.0]
    page = client.get(reverse("oneonones:detail", args=[oneonone.pk]))
    assert page.status_code == 200 and "Mood" in page.content.decode()


def test_a_mood_question_turned_into_text_does_not_break_the_trend(
    client_for, alice, bob, oneonone, checkin
):
    _hold_meeting_with(oneonone, alice, bob, {"mood": "2"})
    mood = checkin.questions.get(key="mood")
    client_for(alice).post(
        url("checkin_question_edit", oneonone, mood),
        {"text": "How are you, in a few words?", "kind": "short"},
    )
    _hold_meeting_with(oneonone, alice, bob, {"mood": "Tired but fine"})
    assert checkins.trend(oneonone)["mood"] == [2.0, None]
    page = client_for(alice).get(reverse("oneonones:detail", args=[oneonone.pk]))
    assert page.status_code == 200


def test_the_meeting_check_in_form_asks_the_custom_questions(
    client_for, alice, bob, oneonone, checkin, meeting
):
    client = client_for(alice)
    client.post(url("checkin_question_remove", oneonone, checkin.questions.get(key="mood")))
    client.post(url("checkin_question_new", oneonone), NEW_QUESTION)
    client.post(url("checkin_bank_add", oneonone), {"set_key": "enps"})
    bob_client = client_for(bob)
    page = bob_client.get(reverse("surveys:checkin_answer", args=[meeting.pk])).content.decode()
    assert NEW_QUESTION["text"] in page
    assert BANK["enps"]["questions"][0]["text"] in page
    assert "How are you feeling this week?" not in page
    new = checkin.questions.get(text=NEW_QUESTION["text"])
    enps = checkin.questions.get(key="enps")
    workload = checkin.questions.get(key="workload")
    response = bob_client.post(
        reverse("surveys:checkin_answer", args=[meeting.pk]),
        {f"q{new.pk}": "We shipped the release", f"q{enps.pk}": "9", f"q{workload.pk}": "3"},
    )
    assert response.status_code == 302
    answers = checkins.answers_for_meeting(meeting)
    assert answers is not None
    assert (NEW_QUESTION["text"], "We shipped the release") in answers.items
