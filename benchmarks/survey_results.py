"""Complementary suppression's cost: deciding what a survey round's results may show.

Prints JSON: the median time of `suppression.plan` for one round of 50, 500 and 5,000
responses (15 teams, a sub-team, 4 tenure bands, 8 locations, 10 roles; 20 questions, half
of them optional, 5 of them comments), and of `results.releases` for a weekly pulse of a
year (52 closed rounds of 200 responses), which a results page computes for its trends.
No database: the rows are built in memory.

    uv run python benchmarks/survey_results.py
"""

from __future__ import annotations

import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tete.settings")

import django

django.setup()

from tete.surveys import results, suppression  # noqa: E402
from tete.surveys.models import Question, Response, Round, Survey  # noqa: E402

QUESTIONS = 20
COMMENTS = frozenset(range(15, 20))


def attributes(rng: random.Random) -> dict[str, str]:
    team = f"Team {rng.randint(0, 14)}"
    attrs = {
        "team": team,
        "tenure": rng.choice(["Under 1 year", "1–3 years", "3 years or more", "Other"]),
        "location": f"City {rng.randint(0, 7)}",
        "role": f"Role {rng.randint(0, 9)}",
    }
    if team == "Team 0" and rng.random() < 0.5:
        attrs["manager"] = "7"
    return attrs


def round_rows(rng: random.Random, n: int) -> tuple[list[dict[str, str]], dict[int, frozenset]]:
    groups = [attributes(rng) for _ in range(n)]
    answered = {
        q: frozenset(i for i in range(n) if q < QUESTIONS // 2 or rng.random() < 0.4)
        for q in range(QUESTIONS)
    }
    return groups, answered


def median_seconds(call, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return round(statistics.median(times), 4)


def year_of_pulses(rng: random.Random, rounds: int, people: int):
    survey = Survey(pk=1, title="Pulse", anonymous=True, audience=Survey.Audience.TEAM)
    questions = [
        Question(pk=q + 1, survey=survey, kind="long" if q in COMMENTS else "scale")
        for q in range(QUESTIONS)
    ]
    loaded = []
    for number in range(1, rounds + 1):
        round_ = Round(pk=number, survey=survey, number=number, finalised=True)
        groups, answered = round_rows(rng, people)
        responses = [
            Response(
                round=round_,
                groups=g,
                answers={
                    str(q.pk): ("a comment" if q.kind == "long" else "3")
                    for q in questions
                    if i in answered[q.pk - 1]
                },
            )
            for i, g in enumerate(groups)
        ]
        loaded.append(results.RoundResult(round_, people, people, responses))
    return survey, questions, loaded


def main() -> None:
    rng = random.Random(12)
    report: dict[str, object] = {"plan_seconds": {}}
    for n in (50, 500, 5000):
        groups, answered = round_rows(rng, n)
        found = suppression.plan(groups, answered, COMMENTS, 5)
        report["plan_seconds"][str(n)] = {  # type: ignore[index]
            "median": median_seconds(
                lambda g=groups, a=answered: suppression.plan(g, a, COMMENTS, 5),
                5 if n == 5000 else 20,
            ),
            "groups_offered": len(found.groups),
        }
    survey, questions, rounds = year_of_pulses(rng, 52, 200)
    report["releases_52_rounds_of_200_seconds"] = median_seconds(
        lambda: [results.release(survey, r, questions) for r in rounds], 3
    )
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
