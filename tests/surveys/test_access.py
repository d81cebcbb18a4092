"""Access rules for every survey view, with the personas (DESIGN.md rule 5).

alice owns the survey, bob is in its audience (the respondent), carol is an outsider and
admin is staff: only the owner reaches owner pages; staff status grants nothing.
"""

from __future__ import annotations

import pytest

from tete.surveys import actions

OWNER_GET = [
    "detail",
    "settings",
    "question_new",
    "links",
    "results",
    "results_csv",
    "results_xlsx",
    "insights",
    "preview",
    "export",
]
OWNER_POST = ["duplicate", "open", "close", "remind", "bank_add"]
QUESTION_VIEWS = ["question_edit", "question_move", "question_delete"]


@pytest.fixture
def open_pulse(pulse):
    actions.open_survey(pulse)
    return pulse


def url(name, survey, question=None):
    from django.urls import reverse

    if name in QUESTION_VIEWS:
        return reverse(f"surveys:{name}", args=[survey.pk, question.pk])
    return reverse(f"surveys:{name}", args=[survey.pk])


@pytest.mark.parametrize("name", OWNER_GET)
def test_the_owner_reaches_owner_pages(client_for, alice, open_pulse, name):
    response = client_for(alice).get(url(name, open_pulse))
    assert response.status_code == 200


@pytest.mark.parametrize("name", OWNER_GET + OWNER_POST + QUESTION_VIEWS)
@pytest.mark.parametrize("persona", ["bob", "carol", "admin"])
def test_everyone_but_the_owner_gets_404(client_for, request, open_pulse, name, persona):
    person = request.getfixturevalue(persona)
    question = open_pulse.questions.first()
    client = client_for(person)
    method = client.get if name in OWNER_GET or name == "question_edit" else client.post
    assert method(url(name, open_pulse, question)).status_code == 404


@pytest.mark.parametrize("name", OWNER_GET + OWNER_POST + QUESTION_VIEWS + ["answer"])
def test_anonymous_visitors_are_sent_to_sign_in(client_for, open_pulse, name):
    question = open_pulse.questions.first()
    client = client_for(None)
    response = client.get(url(name, open_pulse, question))
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


@pytest.mark.parametrize("name", [*OWNER_POST, "question_move", "question_delete"])
def test_post_only_views_refuse_get(client_for, alice, open_pulse, name):
    question = open_pulse.questions.first()
    assert client_for(alice).get(url(name, open_pulse, question)).status_code == 405


@pytest.mark.parametrize("name", ["detail", "results", "insights", "export", "results_csv"])
def test_read_only_views_refuse_post(client_for, alice, open_pulse, name):
    assert client_for(alice).post(url(name, open_pulse)).status_code == 405


def test_a_person_in_the_audience_can_answer(client_for, bob, open_pulse):
    response = client_for(bob).get(url("answer", open_pulse))
    assert response.status_code == 200
    assert b"Who sees what" in response.content


@pytest.mark.parametrize("persona", ["carol", "admin"])
def test_people_outside_the_audience_get_404_on_the_answer_page(
    client_for, request, open_pulse, persona
):
    client = client_for(request.getfixturevalue(persona))
    assert client.get(url("answer", open_pulse)).status_code == 404
    assert client.post(url("answer", open_pulse), {}).status_code == 404


def test_a_draft_survey_cannot_be_answered(client_for, bob, pulse):
    assert client_for(bob).get(url("answer", pulse)).status_code == 404


def test_the_answer_page_refuses_other_methods(client_for, bob, open_pulse):
    assert client_for(bob).put(url("answer", open_pulse)).status_code == 405


@pytest.mark.parametrize("persona", [None, "bob", "carol", "admin"])
def test_signed_in_lists_and_forms_are_for_everyone_signed_in(db, client_for, request, persona):
    from django.urls import reverse

    client = client_for(request.getfixturevalue(persona) if persona else None)
    for name in ("list", "new", "import"):
        response = client.get(reverse(f"surveys:{name}"))
        if persona is None:
            assert response.status_code == 302
            assert response["Location"].startswith("/login/")
        else:
            assert response.status_code == 200
    if persona:
        assert client.delete(reverse("surveys:list")).status_code == 405


def test_the_list_shows_only_ones_own_surveys(client_for, open_pulse, bob, carol):
    from django.urls import reverse

    assert b"Platform pulse" in client_for(bob).get(reverse("surveys:list")).content
    assert b"Platform pulse" not in client_for(carol).get(reverse("surveys:list")).content


def test_read_only_pages_answer_head(client_for, alice, open_pulse):
    assert client_for(alice).head(url("results", open_pulse)).status_code == 200
