"""Survey fixtures on top of the personas: alice owns surveys; bob answers; carol is outside.

`crowd(n, **attrs)` adds n more people (Platform team, alice's reports by default), so
thresholds can be tested at the minimum and one below it.
"""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from tests.conftest import PASSWORD
from tete.accounts.models import Person
from tete.surveys import actions
from tete.surveys.models import Survey

_counter = itertools.count(1)


@pytest.fixture
def crowd(db, team, alice):
    def make(n: int, **attrs) -> list[Person]:
        people = []
        for _ in range(n):
            i = next(_counter)
            fields = {
                "name": f"Person {i}",
                "title": "Engineer",
                "team": team,
                "manager": alice,
                "location": "Paris",
                "start_date": dt.date.today() - dt.timedelta(days=800),
                **attrs,
            }
            people.append(Person.objects.create_user(f"p{i}@example.com", PASSWORD, **fields))
        return people

    return make


@pytest.fixture
def pulse(db, alice, bob, team):
    """An anonymous pulse from alice to the Platform team, with a scale, an eNPS and a comment."""
    survey = actions.create_survey(
        alice, title="Platform pulse", audience=Survey.Audience.TEAM, audience_team=team
    )
    actions.add_bank_set(survey, "wellbeing")
    actions.add_bank_set(survey, "enps")
    return survey


def answers_for(survey: Survey, score: int = 4, nps: int = 9, comment: str = "") -> dict:
    """A valid answer dict for `pulse`-like surveys, keyed by question id."""
    answers: dict = {}
    for q in survey.questions.filter(retired=False):
        if q.kind == "scale":
            answers[str(q.id)] = str(score)
        elif q.kind == "nps":
            answers[str(q.id)] = str(nps)
        elif q.kind in {"short", "long"} and comment:
            answers[str(q.id)] = comment
    return answers


def post_data(survey: Survey, score: int = 4, nps: int = 9, comment: str = "") -> dict:
    return {f"q{k}": v for k, v in answers_for(survey, score, nps, comment).items()}
