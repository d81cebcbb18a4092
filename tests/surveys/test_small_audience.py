"""An anonymous survey aimed at fewer people than the minimum group size warns its author:
in the form that creates it, in its settings (audience and schedule), on its page and when
it opens. Its results stay hidden until the minimum has answered."""

from __future__ import annotations

from django.urls import reverse

from tests.surveys.conftest import answers_for
from tete.surveys import actions
from tete.surveys.models import Survey

WARNING = "Its results stay hidden until at least 5 people have answered"


def new_survey_data(team, **extra):
    return {
        "title": "Small pulse",
        "kind": "pulse",
        "anonymous": "on",
        "audience": "team",
        "audience_team": team.pk,
        "recurrence": "weekly",
        "bank_sets": ["wellbeing"],
        **extra,
    }


def test_creating_a_survey_for_fewer_than_the_minimum_asks_to_go_ahead(
    client_for, alice, bob, team
):
    client = client_for(alice)
    response = client.post(reverse("surveys:new"), new_survey_data(team))
    page = response.content.decode()
    assert response.status_code == 200 and not Survey.objects.exists()
    assert "This survey asks 2 people. " + WARNING in page
    assert 'role="alert"' in page
    # The box to tick sits in the form; what was typed and chosen stays.
    assert 'type="checkbox" name="small_audience_ok"' in page
    assert "Tick this box to go ahead with this audience" in page
    assert 'value="Small pulse"' in page and 'value="wellbeing" checked' in page

    response = client.post(reverse("surveys:new"), new_survey_data(team, small_audience_ok="on"))
    survey = Survey.objects.get()
    assert response.status_code == 302 and survey.questions.exists()
    detail = client.get(reverse("surveys:detail", args=[survey.pk])).content.decode()
    assert "This survey asks 2 people. " + WARNING in detail


def test_a_large_enough_audience_or_named_answers_are_not_held_back(client_for, alice, team, crowd):
    client = client_for(alice)
    crowd(4)  # with alice: five in Platform
    response = client.post(reverse("surveys:new"), new_survey_data(team))
    assert response.status_code == 302
    data = new_survey_data(team, title="Named")
    del data["anonymous"]
    crowd_less = client.post(reverse("surveys:new"), {**data, "audience": "people"})
    assert crowd_less.status_code == 200  # chosen people: none chosen, a plain error
    response = client.post(reverse("surveys:new"), {**data, "audience_team": team.pk})
    assert response.status_code == 302
    assert Survey.objects.count() == 2


def test_changing_the_audience_in_the_settings_warns_too(client_for, alice, bob, carol, pulse):
    client = client_for(alice)
    url = reverse("surveys:settings", args=[pulse.pk])
    data = {
        "title": pulse.title,
        "kind": "pulse",
        "anonymous": "on",
        "audience": "people",
        "audience_people": [bob.pk, carol.pk],
        "recurrence": "monthly",
        "opens_on": "2030-01-06",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert "This survey asks 2 people. " + WARNING in response.content.decode()
    pulse.refresh_from_db()
    assert pulse.recurrence == "once" and pulse.audience == "team"  # nothing saved yet
    response = client.post(url, {**data, "small_audience_ok": "on"})
    assert response.status_code == 302
    pulse.refresh_from_db()
    assert pulse.recurrence == "monthly" and set(pulse.audience_people.all()) == {bob, carol}


def test_opening_a_survey_for_too_few_says_so_and_results_stay_hidden(
    client_for, alice, bob, pulse
):
    client = client_for(alice)
    response = client.post(reverse("surveys:open", args=[pulse.pk]), follow=True)
    assert "The survey is open." in response.content.decode()
    assert "This survey asks 2 people. " + WARNING in response.content.decode()
    pulse.refresh_from_db()
    round_ = pulse.rounds.get()
    for person in (alice, bob):
        actions.submit_response(round_, person, answers_for(pulse, comment="only two of us"))
    actions.close_survey(pulse)
    page = client.get(reverse("surveys:results", args=[pulse.pk])).content.decode()
    assert "Not enough answers yet" in page and "only two of us" not in page


def test_public_links_warn_until_there_are_enough_of_them(client_for, alice):
    form = actions.create_survey(alice, title="Feedback", audience=Survey.Audience.PUBLIC)
    actions.create_invitations(form, ["Client 1", "Client 2", "Client 3"])
    client = client_for(alice)
    warning = "This survey has 3 public links. Its results stay hidden until at least 5"
    assert warning in client.get(reverse("surveys:links", args=[form.pk])).content.decode()
    assert warning in client.get(reverse("surveys:detail", args=[form.pk])).content.decode()
    actions.create_invitations(form, ["Client 4", "Client 5"])
    page = client.get(reverse("surveys:links", args=[form.pk])).content.decode()
    assert "Its results stay hidden" not in page
