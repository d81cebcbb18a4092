"""Survey results: distributions, averages, eNPS, trends between rounds and comments.

Everything here works on already-loaded rows, so a results page costs a fixed number of
queries however many rounds and responses there are. Thresholds come from `anonymity`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from tete.surveys import anonymity, textinsights
from tete.surveys.models import Question, Response, Round, Survey


@dataclass
class QuestionResult:
    question: Question
    answered: int
    shown: bool
    distribution: list[tuple[str, int]] = field(default_factory=list)
    average: float | None = None
    enps: int | None = None
    comments: list[str] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)
    sentiment: textinsights.Sentiment | None = None


@dataclass
class RoundResult:
    round: Round
    invited: int
    responded: int
    responses: list[Response]

    @property
    def rate(self) -> int | None:
        return round(100 * self.responded / self.invited) if self.invited else None


def threshold(survey: Survey) -> int:
    """Named surveys show who said what anyway; anonymous ones need the minimum group size."""
    return anonymity.min_group_size() if survey.anonymous else 1


def enps(scores: Sequence[int]) -> int | None:
    """eNPS: % promoters (9–10) minus % detractors (0–6), from −100 to +100."""
    if not scores:
        return None
    promoters = sum(1 for s in scores if s >= 9)
    detractors = sum(1 for s in scores if s <= 6)
    return round(100 * (promoters - detractors) / len(scores))


def _values(question: Question, responses: Sequence[Response]) -> list[Any]:
    key = str(question.id)
    return [r.answers[key] for r in responses if r.answers.get(key) not in (None, "", [])]


def question_result(question: Question, responses: Sequence[Response], k: int) -> QuestionResult:
    values = _values(question, responses)
    result = QuestionResult(question, answered=len(values), shown=len(values) >= k)
    if not result.shown:
        return result
    if question.kind in Question.CHOICE_KINDS:
        counts: Counter[str] = Counter()
        for value in values:
            counts.update(value if isinstance(value, list) else [value])
        result.distribution = [(label, counts[value]) for value, label in question.options()]
    if question.kind in Question.NUMERIC_KINDS:
        numbers = [int(v) for v in values]
        result.average = round(sum(numbers) / len(numbers), 1)
        if question.kind == "nps":
            result.enps = enps(numbers)
    if question.kind in Question.TEXT_KINDS:
        # Alphabetical, never in the order they arrived.
        result.comments = sorted((str(v) for v in values), key=str.casefold)
        result.keywords = textinsights.keywords(result.comments)
        result.sentiment = textinsights.sentiment(result.comments)
    return result


def in_group(responses: Sequence[Response], slug: str) -> list[Response]:
    dimension, _, value = slug.partition(":")
    return [r for r in responses if r.groups.get(dimension) == value]


@dataclass
class Results:
    survey: Survey
    k: int
    rounds: list[RoundResult]
    selected: RoundResult | None
    groups: list[anonymity.Group]
    group: anonymity.Group | None
    responses: list[Response]
    questions: list[QuestionResult]
    retired: list[QuestionResult]
    trends: dict[int, list[tuple[str, float | None]]]
    rising: list[textinsights.Topic]
    falling: list[textinsights.Topic]
    labels: dict[str, str] = field(default_factory=dict)
    # Averages of the numeric questions per shown group: (label, size, averages).
    comparison: list[tuple[str, int, list[float | None]]] = field(default_factory=list)

    @property
    def numeric_questions(self) -> list[Question]:
        return [qr.question for qr in self.questions if qr.question.kind in Question.NUMERIC_KINDS]

    @property
    def shown(self) -> bool:
        return len(self.responses) >= self.k


def load_rounds(survey: Survey) -> list[RoundResult]:
    """Every round with its counts and responses, in three queries."""
    rounds = list(survey.rounds.order_by("number"))
    invited: Counter[int] = Counter()
    responded: Counter[int] = Counter()
    from tete.surveys.models import Participation

    for round_id, day in Participation.objects.filter(round__survey=survey).values_list(
        "round_id", "responded_on"
    ):
        invited[round_id] += 1
        if day:
            responded[round_id] += 1
    by_round: dict[int, list[Response]] = {r.id: [] for r in rounds}
    for response in Response.objects.filter(round__survey=survey).select_related("respondent"):
        by_round[response.round_id].append(response)
    if survey.is_public:
        links = list(survey.invitations.values_list("responded_on", flat=True))
        # Public links are not tied to a round: count them against the rounds they answered.
        for r in rounds:
            invited[r.id] = len(links)
            responded[r.id] = len(by_round[r.id])
    return [RoundResult(r, invited[r.id], responded[r.id], by_round[r.id]) for r in rounds]


def _comments(question_ids: set[int], responses: Sequence[Response]) -> list[str]:
    return [
        str(value)
        for r in responses
        for key, value in r.answers.items()
        if int(key) in question_ids and isinstance(value, str) and value.strip()
    ]


def build(survey: Survey, round_number: int | None, group_slug: str | None) -> Results:
    k = threshold(survey)
    rounds = load_rounds(survey)
    with_answers = [r for r in rounds if r.responses] or rounds
    selected = next((r for r in rounds if r.round.number == round_number), None)
    if selected is None and with_answers:
        selected = with_answers[-1]
    responses = selected.responses if selected else []
    groups = anonymity.shown_groups([r.groups for r in responses], k) if survey.anonymous else []
    group = next((g for g in groups if g.slug == group_slug), None)
    if group:
        responses = in_group(responses, group.slug)
    questions = list(survey.questions.all())
    current = [q for q in questions if not q.retired]
    retired = [q for q in questions if q.retired and _values(q, responses)]

    trends: dict[int, list[tuple[str, float | None]]] = {}
    for q in current:
        if q.kind in Question.NUMERIC_KINDS:
            trends[q.id] = [(f"#{r.round.number}", _round_average(q, r, group, k)) for r in rounds]

    text_ids = {q.id for q in questions if q.kind in Question.TEXT_KINDS}
    rising: list[textinsights.Topic] = []
    falling: list[textinsights.Topic] = []
    if selected and len(responses) >= k:
        earlier = [r for r in rounds if r.round.number < selected.round.number and r.responses]
        if earlier:
            before = _group_responses(earlier[-1], group, k)
            if before is not None:
                rising, falling = textinsights.topic_changes(
                    _comments(text_ids, before), _comments(text_ids, responses)
                )
    shown = len(responses) >= k
    labels = group_labels(groups)
    numeric = [q for q in current if q.kind in Question.NUMERIC_KINDS]
    comparison = []
    if selected and groups and numeric:
        # Every group here already passed the threshold and difference checks together.
        everyone = selected.responses
        rows = [("Everyone", everyone)] + [
            (labels[g.slug], in_group(everyone, g.slug)) for g in groups
        ]
        comparison = [
            (label, len(rows_), [_average(q, rows_, k) for q in numeric]) for label, rows_ in rows
        ]
    return Results(
        labels=labels,
        comparison=comparison,
        survey=survey,
        k=k,
        rounds=rounds,
        selected=selected,
        groups=groups,
        group=group,
        responses=responses,
        questions=[question_result(q, responses if shown else [], k) for q in current],
        retired=[question_result(q, responses if shown else [], k) for q in retired],
        trends=trends,
        rising=rising,
        falling=falling,
    )


def group_labels(groups: Sequence[anonymity.Group]) -> dict[str, str]:
    """Readable labels; a manager group is named after the manager (never a respondent)."""
    from tete.accounts.models import Person

    ids = [int(g.value) for g in groups if g.dimension == "manager" and g.value.isdigit()]
    names = dict(Person.objects.filter(pk__in=ids).values_list("pk", "name")) if ids else {}
    labels = {}
    for g in groups:
        if g.value == anonymity.OTHER:
            labels[g.slug] = f"Other ({anonymity.DIMENSION_LABELS[g.dimension].lower()})"
        elif g.dimension == "manager" and g.value.isdigit():
            labels[g.slug] = f"{names.get(int(g.value), 'A manager')}'s reports"
        else:
            labels[g.slug] = g.value
    return labels


def _group_responses(
    round_result: RoundResult, group: anonymity.Group | None, k: int
) -> list[Response] | None:
    """A round's responses for the group, or None when that round may not show it."""
    responses = round_result.responses
    if len(responses) < k:
        return None
    if group is None:
        return responses
    allowed = anonymity.shown_groups([r.groups for r in responses], k)
    if not any(g.slug == group.slug for g in allowed):
        return None
    return in_group(responses, group.slug)


def _average(question: Question, responses: Sequence[Response], k: int) -> float | None:
    numbers = [int(v) for v in _values(question, responses)]
    return round(sum(numbers) / len(numbers), 1) if len(numbers) >= k else None


def _round_average(
    question: Question, round_result: RoundResult, group: anonymity.Group | None, k: int
) -> float | None:
    responses = _group_responses(round_result, group, k)
    if responses is None:
        return None
    numbers = [int(v) for v in _values(question, responses)]
    if len(numbers) < k or not numbers:
        return None
    return round(sum(numbers) / len(numbers), 2)
