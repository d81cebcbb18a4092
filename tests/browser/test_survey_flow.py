"""Build a survey, answer it in the app and by public link, then read the results."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tete.accounts.models import Person
from tete.surveys import actions
from tete.surveys.models import Invitation, Survey


@pytest.fixture
def small_threshold(settings):
    settings.TETE_MIN_GROUP_SIZE = 3  # the floor: three answers make a result


def test_build_answer_in_app_and_by_link_then_results(
    page, live_server, alice, bob, team, sign_in, small_threshold
):
    others = [
        Person.objects.create_user(f"t{i}@example.com", name=f"Teammate {i}", team=team)
        for i in range(2)
    ]
    sign_in(page, alice)
    page.goto(live_server.url + "/surveys/new/")
    page.get_by_label("Title").fill("Friday pulse")
    page.get_by_label("Audience").select_option("team")
    page.get_by_label("Team (for “a team”)").select_option(str(team.pk))
    page.get_by_label("Wellbeing").check()
    page.get_by_role("button", name="Create survey").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Friday pulse")
    expect(page.locator("#questions")).to_contain_text("How are you feeling this week?")

    # Reorder with htmx: the second question moves up without a page load.
    page.get_by_role("button", name="Move “How is your energy level?” up").click()
    expect(page.locator("#questions li").first).to_contain_text("How is your energy level?")
    page.get_by_role("button", name="Open the survey").click()
    expect(page.get_by_text("The survey is open.")).to_be_visible()

    survey = Survey.objects.get(title="Friday pulse")
    for person in others:
        actions.submit_response(
            survey.rounds.get(),
            person,
            {str(q.pk): "4" for q in survey.questions.filter(kind="scale")},
        )

    # bob answers in the app, after reading who sees what.
    page.context.clear_cookies()
    sign_in(page, bob)
    page.goto(live_server.url + "/surveys/")
    page.get_by_role("link", name="Friday pulse").click()
    expect(page.get_by_role("heading", name="Who sees what")).to_be_visible()
    page.get_by_role("group", name=re.compile("How are you feeling")).get_by_text("5 Great").click()
    page.get_by_role("group", name=re.compile("energy")).get_by_text("2", exact=True).click()
    page.get_by_label("What would help you feel better at work?").fill("A quieter office")
    page.get_by_role("button", name="Send my answers").click()
    expect(page.get_by_role("heading", name="Thank you")).to_be_visible()

    # A coaching client answers by public link, without an account.
    form = actions.create_survey(
        alice, title="Coaching feedback", audience=Survey.Audience.PUBLIC, kind="form"
    )
    actions.add_bank_set(form, "coaching_feedback")
    actions.open_survey(form)
    page.context.clear_cookies()
    sign_in(page, alice)
    page.goto(live_server.url + f"/surveys/{form.pk}/links/")
    page.get_by_label("Who the links are for (one per line)").fill("Client A\nClient B\nClient C")
    page.get_by_role("button", name="Create links").click()
    links = list(Invitation.objects.filter(survey=form))
    assert len(links) == 3
    page.context.clear_cookies()
    for link in links:
        page.goto(live_server.url + f"/surveys/r/{link.token}/")
        page.get_by_role("group", name=re.compile("How useful")).get_by_text(
            "5 Very useful"
        ).click()
        page.get_by_role("group", name=re.compile("recommend")).get_by_text("9", exact=True).click()
        page.get_by_role("group", name=re.compile("help you most")).get_by_text(
            "Confidence"
        ).click()
        page.get_by_role("button", name="Send my answers").click()
        expect(page.get_by_role("heading", name="Thank you")).to_be_visible()
    page.goto(live_server.url + f"/surveys/r/{links[0].token}/")
    expect(page.get_by_role("heading", name="Already answered")).to_be_visible()

    # Results: three of four in-app answers and three link answers pass the threshold. The
    # in-app survey shows them once its round closes.
    sign_in(page, alice)
    page.goto(live_server.url + f"/surveys/{survey.pk}/results/")
    expect(page.get_by_text("3 of 4 answered")).to_be_visible()
    expect(page.get_by_role("heading", name="Results when the round closes")).to_be_visible()
    expect(page.locator(".survey-result")).to_have_count(0)
    page.goto(live_server.url + f"/surveys/{survey.pk}/")
    page.get_by_role("button", name="Close").click()
    expect(page.get_by_text("The survey is closed")).to_be_visible()
    page.goto(live_server.url + f"/surveys/{survey.pk}/results/")
    expect(page.locator(".survey-result").first).to_contain_text("average")
    # bob's comment is the only one: too few comments to show without singling him out.
    expect(page.get_by_text("A quieter office")).to_have_count(0)
    expect(page.get_by_text("Fewer than 3 answers").first).to_be_visible()
    page.goto(live_server.url + f"/surveys/{form.pk}/results/")
    expect(page.get_by_text("+100")).to_be_visible()  # eNPS: three promoters
