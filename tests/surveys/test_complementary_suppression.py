"""Complementary suppression: no hidden group's answers can be read by combining shown figures.

Each test reads everything the results page and CSV show (see `attack.py`) and checks that no
union or difference of the shown sets of responses is non-empty and under the minimum.
"""

from __future__ import annotations

import datetime as dt

import pytest

from tests.surveys import attack
from tete.surveys import actions
from tete.surveys.models import Survey


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
