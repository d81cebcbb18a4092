"""Audience insights for a survey's owner: who the audience is, how engaged, what it cares
about. Only counts, never names, and every count under the minimum is folded or withheld."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.utils import timezone

from tete.surveys import anonymity, results, textinsights
from tete.surveys.models import Participation, Question, Survey
from tete.surveys.results import RoundResult, load_rounds
from tete.surveys.suppression import EVERYONE


@dataclass
class Insights:
    k: int
    rounds: list[RoundResult]
    audience: dict[str, list[tuple[str, int | None]]] = field(default_factory=dict)
    #: Per dimension, the response rate (a percentage) of each row shown in ``audience``.
    rates: dict[str, dict[str, int]] = field(default_factory=dict)
    loyalty: list[tuple[str, int | None]] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)
    rising: list[textinsights.Topic] = field(default_factory=list)
    falling: list[textinsights.Topic] = field(default_factory=list)


def build(survey: Survey) -> Insights:
    k = anonymity.min_group_size()
    rounds = load_rounds(survey)
    result = Insights(k=k, rounds=rounds)
    latest = rounds[-1] if rounds else None
    if latest is None:
        return result
    today = timezone.localdate()
    participations = list(
        Participation.objects.filter(round=latest.round).select_related("person__team")
    )
    attrs = [
        (anonymity.person_attributes(p.person, today), p.responded_on is not None)
        for p in participations
    ]
    for dimension in ("team", "role", "location", "tenure"):
        label = anonymity.DIMENSION_LABELS[dimension]
        values = [a.get(dimension, "") or anonymity.NOT_RECORDED for a, _ in attrs]
        rows = anonymity.bucket_counts(values, k)
        result.audience[label] = rows
        result.rates[label] = _response_rates(rows, values, [done for _, done in attrs])
    result.loyalty = _loyalty(survey, rounds, k)
    # Topics come only from comment lists the results pages show for Everyone, as they show
    # them (closed rounds; public links in steps): nothing here that the results do not list.
    texts = [q for q in survey.questions.all() if q.kind in Question.TEXT_KINDS]
    by_number = results.releases(survey, rounds)
    shown = [
        by_number[r.round.number]
        for r in rounds
        if by_number[r.round.number].comments(texts, EVERYONE)
    ]
    if shown:
        result.topics = textinsights.keywords(shown[-1].comments(texts, EVERYONE), top=10)
    if len(shown) >= 2:
        before, after = shown[-2], shown[-1]
        both = [
            q for q in texts if before.comments([q], EVERYONE) and after.comments([q], EVERYONE)
        ]
        result.rising, result.falling = textinsights.topic_changes(
            before.comments(both, EVERYONE), after.comments(both, EVERYONE)
        )
    return result


def _response_rates(
    rows: list[tuple[str, int | None]], values: list[str], answered: list[bool]
) -> dict[str, int]:
    """The response rate of each row that shows a count (so of at least k people), the
    folded "Other" row included: each person counts in the row their value is shown in."""
    shown = {value for value, n in rows if n is not None and value != anonymity.OTHER}
    asked: Counter[str] = Counter()
    done: Counter[str] = Counter()
    for value, has_answered in zip(values, answered, strict=True):
        row = value if value in shown else anonymity.OTHER
        asked[row] += 1
        done[row] += has_answered
    return {
        value: round(100 * done[value] / asked[value])
        for value, n in rows
        if n is not None and asked[value]
    }


def _loyalty(survey: Survey, rounds: list[RoundResult], k: int) -> list[tuple[str, int | None]]:
    """How many people answered every round, some rounds, or none (counts under k withheld)."""
    if len(rounds) < 2 or survey.is_public:
        return []
    answered: Counter[int] = Counter()
    asked: Counter[int] = Counter()
    for person_id, day in Participation.objects.filter(round__survey=survey).values_list(
        "person_id", "responded_on"
    ):
        asked[person_id] += 1
        if day:
            answered[person_id] += 1
    buckets = Counter(
        "Every round they were asked"
        if answered[p] == n
        else ("Some rounds" if answered[p] else "No round yet")
        for p, n in asked.items()
    )
    return [
        (label, n if n >= k else None)
        for label in ("Every round they were asked", "Some rounds", "No round yet")
        if (n := buckets.get(label, 0))
    ]
