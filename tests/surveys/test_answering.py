"""Answering in the app and by public link: once, while open, with valid answers only."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from tests.surveys.conftest import post_data
from tete.surveys import actions
from tete.surveys.models import Invitation, Participation, Response, Survey


@pytest.fixture
def open_pulse(pulse):
    actions.open_survey(pulse)
    return pulse


def answer_url(survey):
    return reverse("surveys:answer", args=[survey.pk])


def test_the_respondent_sees_who_sees_what_before_answering(client_for, bob, open_pulse):
    page = client_for(bob).get(answer_url(open_pulse)).content.decode()
    assert "Who sees what" in page
    assert "Alice Martin (who runs this survey) sees them only combined" in page
    assert "at least 5 people answered" in page
    assert "Results appear once the round has closed" in page
    assert page.index("Who sees what") < page.index("survey-answer")


def test_a_named_survey_says_so(client_for, bob, open_pulse):
    open_pulse.anonymous = False
    open_pulse.save()
    page = client_for(bob).get(answer_url(open_pulse)).content.decode()
    assert "not anonymous: Alice Martin sees your answers with your name" in page


def test_answering_stores_one_anonymous_response(client_for, bob, open_pulse):
    response = client_for(bob).post(answer_url(open_pulse), post_data(open_pulse, comment="ok"))
    assert response.status_code == 200
    assert b"Thank you" in response.content
    stored = Response.objects.get()
    assert stored.respondent is None and stored.submitted_at is None
    assert Participation.objects.get(person=bob).responded_on == dt.date.today()


def test_a_second_submission_stores_nothing(client_for, bob, open_pulse):
    client = client_for(bob)
    client.post(answer_url(open_pulse), post_data(open_pulse))
    response = client.post(answer_url(open_pulse), post_data(open_pulse, score=1))
    assert b"already answered" in response.content
    assert Response.objects.count() == 1


def test_missing_required_answers_keep_what_was_typed(client_for, bob, open_pulse):
    data = post_data(open_pulse, comment="my typed comment")
    mood = open_pulse.questions.get(key="mood")
    del data[f"q{mood.pk}"]
    response = client_for(bob).post(answer_url(open_pulse), data)
    assert response.status_code == 200
    assert b"This field is required." in response.content
    assert b"my typed comment" in response.content
    assert not Response.objects.exists()


@pytest.mark.parametrize(
    "bad",
    [
        {"score": "6"},  # outside 1–5
        {"score": "<script>"},
        {"comment": "x" * 6000},  # longer than a long answer may be
    ],
)
def test_malformed_or_oversized_answers_store_nothing(client_for, bob, open_pulse, bad):
    data = post_data(open_pulse, comment="fine")
    mood = open_pulse.questions.get(key="mood")
    reason = open_pulse.questions.get(key="enps_reason")
    if "score" in bad:
        data[f"q{mood.pk}"] = bad["score"]
    if "comment" in bad:
        data[f"q{reason.pk}"] = bad["comment"]
    response = client_for(bob).post(answer_url(open_pulse), data)
    assert response.status_code == 200
    assert not Response.objects.exists()
    assert Participation.objects.get(person=bob).responded_on is None


def test_a_conditional_question_is_required_only_when_shown(client_for, bob, pulse):
    actions.add_bank_set(pulse, "workload")
    blocked = pulse.questions.get(key="blocked")
    detail = pulse.questions.get(key="blocked_detail")
    detail.required = True
    detail.save()
    actions.open_survey(pulse)
    client = client_for(bob)
    page = client.get(answer_url(pulse)).content.decode()
    # Shown by CSS once "yes" is ticked; built from ids only.
    assert f"#id_q{blocked.pk}_0:checked) #question-{detail.pk}" in page
    data = post_data(pulse)
    data[f"q{blocked.pk}"] = "yes"
    assert b"This question needs an answer." in client.post(answer_url(pulse), data).content
    data[f"q{blocked.pk}"] = "no"
    data[f"q{detail.pk}"] = "should be dropped: the question was hidden"
    client.post(answer_url(pulse), data)
    assert str(detail.pk) not in Response.objects.get().answers


def test_a_closed_survey_says_so_and_stores_nothing(client_for, bob, open_pulse):
    actions.close_survey(open_pulse)
    response = client_for(bob).post(answer_url(open_pulse), post_data(open_pulse))
    assert response.status_code == 410
    assert b"closed" in response.content
    assert not Response.objects.exists()


def test_an_answered_survey_shows_as_answered_in_the_list(client_for, bob, open_pulse):
    client = client_for(bob)
    assert b"Waiting for you" in client.get(reverse("surveys:list")).content
    client.post(answer_url(open_pulse), post_data(open_pulse))
    assert b"Answered" in client.get(reverse("surveys:list")).content


# ---------------------------------------------------------------- public links


@pytest.fixture
def coaching_form(alice):
    survey = actions.create_survey(
        alice,
        title="Coaching feedback",
        kind=Survey.Kind.FORM,
        audience=Survey.Audience.PUBLIC,
        opens_on=dt.date.today() - dt.timedelta(days=1),
        closes_on=dt.date.today() + dt.timedelta(days=10),
    )
    actions.add_bank_set(survey, "coaching_feedback")
    actions.open_survey(survey)
    return survey


def public_url(token):
    return reverse("surveys:public", args=[token])


def public_data(survey):
    data = {}
    for q in survey.questions.all():
        if q.kind == "scale":
            data[f"q{q.pk}"] = "5"
        elif q.kind == "nps":
            data[f"q{q.pk}"] = "10"
        elif q.kind == "single":
            data[f"q{q.pk}"] = q.choices[0]
    return data


def test_a_public_link_accepts_one_anonymous_response(client_for, coaching_form):
    link = actions.create_invitations(coaching_form, ["Client One <one@example.org>"])[0]
    client = client_for(None)
    page = client.get(public_url(link.token))
    assert page.status_code == 200 and b"Who sees what" in page.content
    assert b"Results change only in steps of at least 5 answers" in page.content
    assert client.post(public_url(link.token), public_data(coaching_form)).status_code == 200
    stored = Response.objects.get()
    assert stored.respondent is None and stored.groups == {}
    link.refresh_from_db()
    assert link.responded_on == dt.date.today()
    second = client.post(public_url(link.token), public_data(coaching_form))
    assert second.status_code == 409
    assert b"already been used" in second.content
    assert Response.objects.count() == 1


def test_invitations_are_emailed_with_their_link(coaching_form):
    from django.core import mail

    link = actions.create_invitations(coaching_form, ["Client One <one@example.org>", "Client 2"])
    assert len(mail.outbox) == 1
    assert link[0].token in mail.outbox[0].body
    assert link[1].label == "Client 2" and link[1].email == ""


@pytest.mark.parametrize("token", ["nope", "x" * 65, "%2e%2e"])
def test_an_unknown_link_explains_and_stores_nothing(client_for, coaching_form, token):
    response = client_for(None).post(public_url(token), public_data(coaching_form))
    assert response.status_code == 404
    assert b"This link does not work" in response.content
    assert not Response.objects.exists()


def test_a_link_before_opening_or_after_closing_stores_nothing(client_for, coaching_form):
    link = actions.create_invitations(coaching_form, ["Client"])[0]
    client = client_for(None)
    for opens, closes in [(1, 5), (-10, -1)]:
        coaching_form.opens_on = dt.date.today() + dt.timedelta(days=opens)
        coaching_form.closes_on = dt.date.today() + dt.timedelta(days=closes)
        coaching_form.save()
        response = client.post(public_url(link.token), public_data(coaching_form))
        assert response.status_code == 410
        assert b"not accepting answers" in response.content
    assert not Response.objects.exists()
    assert Invitation.objects.get().responded_on is None


def test_a_closed_public_survey_stores_nothing(client_for, coaching_form):
    link = actions.create_invitations(coaching_form, ["Client"])[0]
    actions.close_survey(coaching_form)
    response = client_for(None).post(public_url(link.token), public_data(coaching_form))
    assert response.status_code == 410
    assert not Response.objects.exists()


@pytest.mark.parametrize(
    "tamper",
    [
        lambda d, q: d.update({f"q{q.pk}": "11"}),
        lambda d, q: d.update({f"q{q.pk}": ""}),
        lambda d, q: d.update({"q999999": "extra"}),
    ],
)
def test_malformed_public_answers_store_nothing(client_for, coaching_form, tamper):
    link = actions.create_invitations(coaching_form, ["Client"])[0]
    data = public_data(coaching_form)
    tamper(data, coaching_form.questions.get(kind="nps"))
    response = client_for(None).post(public_url(link.token), data)
    if "q999999" in data and data[f"q{coaching_form.questions.get(kind='nps').pk}"] == "10":
        # Unknown fields are ignored; the valid answers are stored, the extra is not.
        assert response.status_code == 200
        assert "999999" not in Response.objects.get().answers
        return
    assert response.status_code == 400
    assert not Response.objects.exists()
    link.refresh_from_db()
    assert link.responded_on is None


def test_an_oversized_public_comment_stores_nothing(client_for, coaching_form):
    link = actions.create_invitations(coaching_form, ["Client"])[0]
    data = public_data(coaching_form)
    data[f"q{coaching_form.questions.get(kind='long').pk}"] = "=" * 6000
    assert client_for(None).post(public_url(link.token), data).status_code == 400
    assert not Response.objects.exists()


def test_public_links_page_lists_links_for_the_owner(client_for, alice, coaching_form):
    client = client_for(alice)
    response = client.post(
        reverse("surveys:links", args=[coaching_form.pk]), {"lines": "Ann <ann@example.org>\nBo"}
    )
    assert response.status_code == 302
    page = client.get(reverse("surveys:links", args=[coaching_form.pk])).content.decode()
    for link in Invitation.objects.all():
        assert link.token in page
    bad = client.post(reverse("surveys:links", args=[coaching_form.pk]), {"lines": "x@"})
    assert b"no valid email address" in bad.content


def test_a_closed_round_is_not_offered_again_when_the_survey_reopens(client_for, bob, open_pulse):
    # Its results may have been read: one more answer could be read off by comparison.
    actions.close_survey(open_pulse)
    actions.open_survey(open_pulse)
    client = client_for(bob)
    assert "Platform pulse" not in client.get(reverse("surveys:list")).content.decode()
    response = client.post(answer_url(open_pulse), post_data(open_pulse))
    assert response.status_code == 410 and not Response.objects.exists()
