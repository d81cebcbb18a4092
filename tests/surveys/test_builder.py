"""Building a survey: question types, bank, reorder, conditions, versions, duplicate, JSON."""

from __future__ import annotations

import json

from django.urls import reverse

from tests.surveys.conftest import answers_for
from tete.surveys import actions
from tete.surveys.models import Question, Response, Survey


def test_creating_a_survey_from_the_bank(client_for, alice, team, crowd):
    crowd(5)
    response = client_for(alice).post(
        reverse("surveys:new"),
        {
            "title": "Team pulse",
            "kind": "pulse",
            "anonymous": "on",
            "audience": "team",
            "audience_team": team.pk,
            "recurrence": "weekly",
            "bank_sets": ["wellbeing", "enps", "nonsense"],
        },
    )
    survey = Survey.objects.get()
    assert response.status_code == 302
    assert survey.owner == alice
    assert [q.key for q in survey.questions.all()] == [
        "mood",
        "energy",
        "wellbeing_support",
        "enps",
        "enps_reason",
    ]


def test_the_form_keeps_typed_values_and_shows_errors_next_to_fields(client_for, alice):
    response = client_for(alice).post(
        reverse("surveys:new"), {"title": "Kept title", "kind": "pulse", "audience": "team"}
    )
    assert response.status_code == 200
    assert b'value="Kept title"' in response.content
    assert b"Choose the team to ask." in response.content
    assert not Survey.objects.exists()


def test_every_question_type_can_be_added(client_for, alice, pulse):
    client = client_for(alice)
    for kind in ["scale", "nps", "single", "multi", "yesno", "short", "long"]:
        data = {"text": f"A {kind} question", "kind": kind, "required": "on"}
        if kind in {"single", "multi"}:
            data["choices_text"] = "Red\nBlue"
        response = client.post(reverse("surveys:question_new", args=[pulse.pk]), data)
        assert response.status_code == 302, response.content
    kinds = list(pulse.questions.values_list("kind", flat=True))
    assert kinds[-7:] == ["scale", "nps", "single", "multi", "yesno", "short", "long"]
    assert pulse.questions.get(kind="single").choices == ["Red", "Blue"]


def test_a_choice_question_needs_two_choices(client_for, alice, pulse):
    response = client_for(alice).post(
        reverse("surveys:question_new", args=[pulse.pk]),
        {"text": "Pick", "kind": "single", "choices_text": "Only one"},
    )
    assert response.status_code == 200
    assert b"Give at least two choices." in response.content


def test_a_condition_must_name_a_real_answer(client_for, alice, pulse):
    target = pulse.questions.get(key="mood")
    client = client_for(alice)
    response = client.post(
        reverse("surveys:question_new", args=[pulse.pk]),
        {
            "text": "Why?",
            "kind": "short",
            "show_if_question": target.pk,
            "show_if_values_text": "9",
        },
    )
    assert b"is not an answer to that question" in response.content
    response = client.post(
        reverse("surveys:question_new", args=[pulse.pk]),
        {
            "text": "Why?",
            "kind": "short",
            "show_if_question": target.pk,
            "show_if_values_text": "1\n2",
        },
    )
    assert response.status_code == 302
    assert Question.objects.get(text="Why?").show_if_values == ["1", "2"]


def test_reordering_swaps_neighbours_and_returns_the_partial_to_htmx(client_for, alice, pulse):
    first, second = list(pulse.questions.all())[:2]
    response = client_for(alice).post(
        reverse("surveys:question_move", args=[pulse.pk, second.pk]),
        {"direction": "up"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert b'id="questions"' in response.content
    assert b"<html" not in response.content
    assert list(pulse.questions.all())[:2] == [second, first]


def test_reordering_without_javascript_redirects(client_for, alice, pulse):
    first = pulse.questions.first()
    response = client_for(alice).post(
        reverse("surveys:question_move", args=[pulse.pk, first.pk]), {"direction": "down"}
    )
    assert response.status_code == 302
    assert pulse.questions.all()[1] == first


def test_editing_an_answered_question_makes_a_new_version(pulse, bob):
    actions.open_survey(pulse)
    mood = pulse.questions.get(key="mood")
    actions.submit_response(pulse.rounds.get(), bob, answers_for(pulse, score=2))
    new = actions.edit_question(mood, text="How is your week going?")
    mood.refresh_from_db()
    assert new.pk != mood.pk and mood.retired and new.previous == mood
    answers = Response.objects.get().answers
    assert answers[str(mood.pk)] == "2"  # the old answer stays with the old wording
    assert str(new.pk) not in answers
    # A change that does not alter meaning stays in place.
    same = actions.edit_question(new, required=False)
    assert same.pk == new.pk


def test_editing_an_unanswered_question_changes_it_in_place(pulse):
    mood = pulse.questions.get(key="mood")
    assert actions.edit_question(mood, text="Changed").pk == mood.pk


def test_removing_an_answered_question_retires_it(pulse, bob):
    actions.open_survey(pulse)
    actions.submit_response(pulse.rounds.get(), bob, answers_for(pulse))
    mood = pulse.questions.get(key="mood")
    actions.remove_question(mood)
    mood.refresh_from_db()
    assert mood.retired
    energy = pulse.questions.get(key="energy")
    actions.edit_question(energy, text="x")
    fresh = actions.add_question(pulse, kind="yesno", text="New")
    actions.remove_question(fresh)
    assert not Question.objects.filter(pk=fresh.pk).exists()


def test_edit_view_explains_versioning(client_for, alice, pulse, bob):
    actions.open_survey(pulse)
    actions.submit_response(pulse.rounds.get(), bob, answers_for(pulse))
    mood = pulse.questions.get(key="mood")
    client = client_for(alice)
    assert (
        b"makes a new version"
        in client.get(reverse("surveys:question_edit", args=[pulse.pk, mood.pk])).content
    )
    response = client.post(
        reverse("surveys:question_edit", args=[pulse.pk, mood.pk]),
        {"text": "Reworded", "kind": "scale", "required": "on"},
        follow=True,
    )
    assert b"earlier answers stay" in response.content
    assert pulse.questions.filter(retired=False, text="Reworded").exists()


def test_duplicating_copies_questions_and_conditions_but_no_answers(pulse, alice, bob):
    actions.add_bank_set(pulse, "workload")
    actions.open_survey(pulse)
    actions.submit_response(pulse.rounds.get(), bob, answers_for(pulse))
    copy = actions.duplicate_survey(pulse, by=alice)
    assert copy.status == Survey.Status.DRAFT
    assert copy.questions.count() == pulse.questions.filter(retired=False).count()
    detail = copy.questions.get(key="blocked_detail")
    assert detail.show_if_question == copy.questions.get(key="blocked")
    assert not copy.rounds.exists()


def test_export_and_import_round_trip(client_for, alice, pulse):
    actions.add_bank_set(pulse, "workload")
    client = client_for(alice)
    exported = client.get(reverse("surveys:export", args=[pulse.pk]))
    assert exported["Content-Disposition"].startswith("attachment")
    data = json.loads(exported.content)
    assert data["format"] == "tete-survey"
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("s.json", exported.content, "application/json")
    response = client.post(reverse("surveys:import"), {"file": upload})
    assert response.status_code == 302
    imported = Survey.objects.exclude(pk=pulse.pk).get()
    assert [q.text for q in imported.questions.all()] == [q["text"] for q in data["questions"]]
    detail = imported.questions.get(key="blocked_detail")
    assert detail.show_if_question.key == "blocked"


def test_a_malformed_import_is_refused_with_a_clear_message(client_for, alice):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_for(alice)
    cases = {
        b"not json": b"not valid JSON",
        b'{"format": "other"}': b"not a T",
        json.dumps(
            {"format": "tete-survey", "version": 1, "title": "x", "questions": [{"kind": "x"}]}
        ).encode(): b"unknown kind",
        json.dumps(
            {
                "format": "tete-survey",
                "version": 1,
                "title": "x",
                "questions": [{"kind": "short", "text": "a", "show_if": {"index": 3}}],
            }
        ).encode(): b"earlier question",
        b" " * (300 * 1024): b"larger than",
    }
    for raw, message in cases.items():
        upload = SimpleUploadedFile("s.json", raw, "application/json")
        response = client.post(reverse("surveys:import"), {"file": upload})
        assert response.status_code == 200
        assert message in response.content, message
    assert not Survey.objects.exists()
