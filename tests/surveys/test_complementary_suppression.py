"""Complementary suppression: no hidden group's answers can be read by combining shown figures.

Each test reads everything the results page and CSV show (see `attack.py`) and checks that no
union or difference of the shown sets of responses is non-empty and under the minimum.
"""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.db import transaction
from django.test import override_settings
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.surveys import attack
from tete.surveys import actions
from tete.surveys.models import Response, Round, Survey


@pytest.fixture
def everyone_survey(alice):
    """An anonymous survey to everyone with a scale, an eNPS and an optional comment."""
    survey = actions.create_survey(
        alice, title="Engagement", audience=Survey.Audience.EVERYONE, anonymous=True
    )
    actions.add_bank_set(survey, "wellbeing")
    actions.add_bank_set(survey, "enps")
    return survey


def _answers(survey, comment=""):
    answers = {}
    for q in survey.questions.all():
        if q.kind == "scale":
            answers[str(q.pk)] = "4"
        elif q.kind == "nps":
            answers[str(q.pk)] = "8"
        elif q.kind in {"short", "long"} and comment:
            answers[str(q.pk)] = comment
    return answers


def test_a_hidden_groups_comments_are_not_everyone_minus_the_shown_group(
    client_for, alice, bob, crowd, everyone_survey
):
    """The reviewer's case: by tenure, "1–3 years" shows 8 comments and "Other (tenure)" is
    hidden with 4; Everyone's 12 comments minus the 8 were exactly the hidden four."""
    senior = crowd(10)  # 1–3 years
    newer = crowd(3, start_date=dt.date.today() - dt.timedelta(days=100))
    round_ = actions.open_survey(everyone_survey)
    # alice and bob have no start date: with the three newer people they make "Other" (5).
    for i, person in enumerate(senior):
        actions.submit_response(round_, person, _answers(everyone_survey, f"senior {i}" * (i < 8)))
    for i, person in enumerate([alice, bob, *newer]):
        actions.submit_response(round_, person, _answers(everyone_survey, f"other {i}" * (i < 4)))
    actions.close_survey(everyone_survey)

    shown = attack.read_everything(client_for(alice), everyone_survey)
    everyone = [r for r in shown.readings if r.group == attack.EVERYONE and r.comments]
    assert everyone and len(everyone[0].comments) == 12  # the whole round's comments show
    assert list(attack.isolated_comments(shown, 5)) == []
    assert list(attack.isolated(everyone_survey, shown, 5)) == []


# ---------------------------------------------------------------- generated rounds, read in full

TEAMS = ["Platform", "Product", None]
TENURES = ["Under 1 year", "1–3 years", "Other", None]


@st.composite
def answered_rounds(draw):
    """One or two closed rounds: each respondent's stored groups (a team, a sub-team of
    Platform, a tenure band, or nothing recorded) and whether they skipped the optional
    0–10 question and the comment."""
    rounds = []
    for _ in range(draw(st.integers(1, 2))):
        rows = []
        for _ in range(draw(st.integers(2, 22))):
            team, tenure = draw(st.sampled_from(TEAMS)), draw(st.sampled_from(TENURES))
            groups = {"team": team} if team else {}
            if team == "Platform" and draw(st.booleans()):
                groups["manager"] = "7"
            if tenure:
                groups["tenure"] = tenure
            rows.append((groups, draw(st.integers(1, 5)), draw(st.booleans()), draw(st.booleans())))
        rounds.append(rows)
    return rounds, draw(st.sampled_from([3, 4, 5]))


def closed_survey(owner, rounds):
    """A closed anonymous survey whose rounds hold exactly these stored responses."""
    survey = actions.create_survey(owner, title="Generated", audience=Survey.Audience.EVERYONE)
    scale = actions.add_question(survey, kind="scale", text="How is your week?")
    nps = actions.add_question(survey, kind="nps", text="Recommend us?", required=False)
    comment = actions.add_question(survey, kind="long", text="Anything else?", required=False)
    survey.status = Survey.Status.CLOSED
    survey.save()
    day = dt.date.today() - dt.timedelta(days=30)
    serial = 0
    for number, rows in enumerate(rounds, start=1):
        round_ = Round.objects.create(
            survey=survey, number=number, opens_on=day, closes_on=day, finalised=True
        )
        responses = []
        for groups, score, skips_nps, skips_comment in rows:
            serial += 1
            answers = {str(scale.pk): str(score)}
            if not skips_nps:
                answers[str(nps.pk)] = str(2 * score)
            if not skips_comment:
                answers[str(comment.pk)] = f"remark{serial}"  # distinct: a list is its set
            responses.append(Response(round=round_, groups=groups, answers=answers))
        Response.objects.bulk_create(responses)
    return survey


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(drawn=answered_rounds())
def test_no_page_or_export_lets_fewer_than_the_minimum_be_isolated(client_for, alice, drawn):
    rounds, k = drawn
    client = client_for(alice)
    with override_settings(TETE_MIN_GROUP_SIZE=k), transaction.atomic():
        survey = closed_survey(alice, rounds)
        shown = attack.read_everything(client, survey, crafted=())
        assert list(attack.isolated(survey, shown, k)) == []
        assert list(attack.isolated_comments(shown, k)) == []
        transaction.set_rollback(True)


# ---------------------------------------------------------------- over time


def _open_survey_with_groups(owner, crowd):
    """An anonymous survey to everyone, open, whose audience has two teams of six."""
    from tete.accounts.models import Team

    product = Team.objects.create(name="Product")
    crowd(6)
    crowd(6, team=product, manager=None)
    survey = actions.create_survey(owner, title="Pulse", audience=Survey.Audience.EVERYONE)
    actions.add_question(survey, kind="scale", text="How is your week?")
    actions.add_question(survey, kind="long", text="Anything else?", required=False)
    actions.open_survey(survey)
    return survey


def test_an_open_round_with_groups_shows_no_figures_until_it_closes(client_for, alice, crowd):
    survey = _open_survey_with_groups(alice, crowd)
    round_ = survey.rounds.get()
    scale, comment = survey.questions.all()
    people = [p.person for p in round_.participations.select_related("person")]
    client = client_for(alice)

    def answer(person, i):
        actions.submit_response(round_, person, {str(scale.pk): "3", str(comment.pk): f"r{i}"})

    for i, person in enumerate(people[:8]):
        answer(person, i)
    before = attack.read_everything(client, survey)
    answer(people[8], 8)
    after = attack.read_everything(client, survey)
    # Read before and after one more answer, an open round shows nothing that could differ.
    assert before.readings == after.readings == [] and not before.sizes and not after.sizes
    page = client.get(reverse("surveys:results", args=[survey.pk])).content.decode()
    assert "Results when the round closes" in page and "9 answers so far" in page
    body = client.get(reverse("surveys:results_csv", args=[survey.pk])).content.decode()
    assert "appear once it has closed" in body and "r8" not in body
    insights_page = client.get(reverse("surveys:insights", args=[survey.pk])).content.decode()
    assert "No comments to analyse yet" in insights_page

    actions.close_survey(survey)
    closed = attack.read_everything(client, survey)
    assert any(r.comments for r in closed.readings)
    assert list(attack.isolated(survey, closed, 5)) == []
    # A closed round takes no more answers, even if the survey is opened again the same day.
    actions.open_survey(survey)
    with pytest.raises(actions.NotOpen):
        answer(people[9], 9)
    assert attack.read_everything(client, survey).readings == closed.readings


@st.composite
def public_answers(draw):
    """Answers by public link, one after another: who skips the 0–10 and the comment."""
    n = draw(st.integers(1, 16))
    return [(draw(st.booleans()), draw(st.booleans())) for _ in range(n)], draw(
        st.sampled_from([3, 4, 5])
    )


@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(drawn=public_answers())
def test_readings_of_public_results_never_differ_by_fewer_than_the_minimum(
    client_for, alice, drawn
):
    """Results read after every answer: each question's figures change only in steps of at
    least the minimum, so no reading minus an earlier one isolates the answers in between."""
    answers, k = drawn
    client = client_for(alice)
    with override_settings(TETE_MIN_GROUP_SIZE=k), transaction.atomic():
        survey = actions.create_survey(
            alice, title="Feedback", audience=Survey.Audience.PUBLIC, kind="form"
        )
        scale = actions.add_question(survey, kind="scale", text="How useful?")
        nps = actions.add_question(survey, kind="nps", text="Recommend?", required=False)
        comment = actions.add_question(survey, kind="long", text="Comments?", required=False)
        actions.open_survey(survey)
        links = actions.create_invitations(survey, [f"Client {i}" for i in range(len(answers))])
        history: dict[int, list[tuple[int, frozenset]]] = {}
        for i, (link, (skips_nps, skips_comment)) in enumerate(zip(links, answers, strict=True)):
            given_ = {str(scale.pk): "4"}
            if not skips_nps:
                given_[str(nps.pk)] = "9"
            if not skips_comment:
                given_[str(comment.pk)] = f"note{i}"
            actions.submit_public_response(link, given_)
            shown = attack.read_everything(client, survey, crafted=())
            assert list(attack.isolated(survey, shown, k, only_released=True)) == []
            for reading in shown.readings:
                if reading.source == "page?group=":
                    history.setdefault(reading.question, []).append(
                        (reading.answers, frozenset(reading.comments))
                    )
        for question, readings in history.items():
            counts = [count for count, _ in readings]
            assert counts[0] >= k
            assert all(b == a or b - a >= k for a, b in itertools.pairwise(counts)), question
            lists = [comments for _, comments in readings]
            assert all(a <= b for a, b in itertools.pairwise(lists))
            assert all(len(b - a) in {0} or len(b - a) >= k for a, b in itertools.pairwise(lists))
        transaction.set_rollback(True)
