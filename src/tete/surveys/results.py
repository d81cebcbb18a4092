"""Survey results: distributions, averages, eNPS, trends between rounds and comments.

Everything here works on already-loaded rows, so a results page costs a fixed number of
queries however many rounds and responses there are. Which answers a round's results include,
and when, comes from `release`; for which groups and questions, from `suppression`. The page,
the CSV and XLSX exports and audience insights all read results through `build` and
`release`, so they show the same figures.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from tete.surveys import anonymity, suppression, textinsights
from tete.surveys.models import Participation, Question, Response, Round, Survey
from tete.surveys.suppression import EVERYONE, Group


@dataclass
class QuestionResult:
    question: Question
    shown: bool
    #: Answers the figures are computed over; None when they are not shown.
    answered: int | None = None
    #: Why the figures are not shown (suppression.FEW, DIFFERENCE or EVERY_GROUP), and the
    #: sentence that says so.
    why_hidden: str = ""
    reason: str = ""
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


def is_answered(response: Response, question: Question) -> bool:
    return response.answers.get(str(question.id)) not in (None, "", [])


# ---------------------------------------------------------------- releases


#: How a round's results are released (`Release.rule`).
NAMED = "named"  # named answers: everything as it arrives
AT_CLOSE = "at-close"  # anonymous with results by group: once, when the round has closed
IN_STEPS = "in-steps"  # public links: in steps of at least the minimum number of answers


@dataclass
class Release:
    """What results may show of one round: which responses, which answers per question, and
    for which groups (`plan`; None while the round shows nothing yet).

    Results read at two moments must not differ by fewer than the minimum number of answers,
    or the difference would be the newest answers:

    * Anonymous surveys for people with an account show results by group. Groups and time
      cannot be combined safely (a group's figures at the close minus Everyone's a day
      earlier would be that group's latest answers), so a round's results appear once, when
      it has closed and its stored attributes are final (`actions.finalise_round`).
    * Surveys answered by public link have no groups. Their results follow steps of at least
      the minimum number of responses (`actions.release_waiting`), and each question moves
      only at a step that brings it at least the minimum number of new answers; answers
      after the last such step wait for the next.
    * Named surveys show everything as it arrives: the owner sees names anyway.
    """

    round_result: RoundResult
    rule: str
    k: int
    responses: list[Response] = field(default_factory=list)
    #: Per question: which of `responses` (by position) its figures are computed over.
    answered: dict[int, frozenset[int]] = field(default_factory=dict)
    plan: suppression.Plan | None = None
    #: Responses received that results do not include yet (public links).
    waiting: int = 0

    @property
    def shows_everyone(self) -> bool:
        return self.offers(EVERYONE)

    def offers(self, key: str) -> bool:
        """Whether results show this set (a group's slug, or EVERYONE) at all."""
        return self.plan is not None and key in self.plan.members

    def members(self, key: str) -> frozenset[int]:
        if self.plan is None:
            return frozenset()
        return self.plan.members.get(key, frozenset())

    def values(self, question: Question, key: str) -> list[Any]:
        """The answers to `question` that the figures for `key` are computed over."""
        ids = self.answered.get(question.id, frozenset()) & self.members(key)
        return [self.responses[i].answers[str(question.id)] for i in sorted(ids)]

    def comments(self, questions: Sequence[Question], key: str) -> list[str]:
        """The comments shown for `key` on these questions."""
        return [
            str(value)
            for q in questions
            if self.plan is not None and self.plan.shows(q.id, key)
            for value in self.values(q, key)
        ]


def release(survey: Survey, round_result: RoundResult, questions: Sequence[Question]) -> Release:
    k = threshold(survey)
    stored = round_result.responses
    if not survey.anonymous:
        rule, responses = NAMED, list(stored)
    elif survey.is_public:
        rule, responses = IN_STEPS, [r for r in stored if r.release]
    elif round_result.round.finalised:
        rule, responses = AT_CLOSE, list(stored)
    else:
        return Release(round_result, AT_CLOSE, k)
    answered = {}
    for question in questions:
        key = str(question.id)
        ids = [i for i, r in enumerate(responses) if r.answers.get(key) not in (None, "", [])]
        if rule == IN_STEPS:
            step = _last_step([responses[i].release or 0 for i in ids], k)
            ids = [i for i in ids if (responses[i].release or 0) <= step]
        answered[question.id] = frozenset(ids)
    comment_ids = {q.id for q in questions if q.kind in Question.TEXT_KINDS}
    plan = suppression.plan([r.groups for r in responses], answered, comment_ids, k)
    waiting = len(stored) - len(responses)
    return Release(round_result, rule, k, responses, answered, plan, waiting)


def _last_step(releases: Sequence[int], k: int) -> int:
    """The latest step at which a question's shown answers grew by at least k (0: none yet).

    `releases` holds the step of each answer to the question. Every step a question moves
    at is computed the same way at any later time, so any two readings of it differ by zero
    or at least k answers.
    """
    per_step = Counter(releases)
    shown_until, shown_count, total = 0, 0, 0
    for step in sorted(per_step):
        total += per_step[step]
        if total - shown_count >= k:
            shown_until, shown_count = step, total
    return shown_until


# ---------------------------------------------------------------- one question


def question_result(question: Question, release_: Release, key: str) -> QuestionResult:
    plan = release_.plan
    if plan is None or not plan.shows(question.id, key):
        why = plan.why_hidden(question.id, key) if plan else suppression.FEW
        reason = hidden_reason(why, release_.k, in_group=key != EVERYONE)
        return QuestionResult(question, shown=False, why_hidden=why, reason=reason)
    values = release_.values(question, key)
    result = QuestionResult(question, shown=True, answered=len(values))
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


def _average(question: Question, release_: Release, key: str, digits: int) -> float | None:
    if release_.plan is None or not release_.plan.shows(question.id, key):
        return None
    numbers = [int(v) for v in release_.values(question, key)]
    return round(sum(numbers) / len(numbers), digits) if numbers else None


def _enps(question: Question, release_: Release, key: str) -> int | None:
    """A round's eNPS (−100 to +100) where its answers are shown, and only with at least the
    minimum group size of them: a percentage of a handful of people says more about each of
    them than about the team."""
    if release_.plan is None or not release_.plan.shows(question.id, key):
        return None
    numbers = [int(v) for v in release_.values(question, key)]
    if len(numbers) < anonymity.min_group_size():
        return None
    return enps(numbers)


def hidden_reason(why: str, k: int, in_group: bool) -> str:
    """One plain sentence on why a question's figures are not shown."""
    if why == suppression.DIFFERENCE:
        return (
            "Not shown for this group: with the figures shown for the others, it would "
            f"reveal the answers of fewer than {k} people."
        )
    if why == suppression.EVERY_GROUP:
        return (
            f"Comments are listed by group only when every group of this kind has at least {k}; "
            "see them under Everyone."
        )
    where = " in this group" if in_group else ""
    return f"Fewer than {k} answers{where}: not shown, to keep answers anonymous."


# ---------------------------------------------------------------- the whole page


@dataclass
class Results:
    survey: Survey
    k: int
    rounds: list[RoundResult]
    selected: RoundResult | None
    release: Release | None
    groups: list[Group]
    group: Group | None
    responses: list[Response]
    questions: list[QuestionResult]
    retired: list[QuestionResult]
    trends: dict[int, list[tuple[str, float | None]]]
    rising: list[textinsights.Topic]
    falling: list[textinsights.Topic]
    labels: dict[str, str] = field(default_factory=dict)
    # Per shown group, Everyone first: (label, slug, size, averages of the numeric questions).
    comparison: list[tuple[str, str, int, list[float | None]]] = field(default_factory=list)
    #: Groups among the stored answers that are not offered (too small, or subtractable).
    withheld_groups: int = 0

    @property
    def numeric_questions(self) -> list[Question]:
        return [qr.question for qr in self.questions if qr.question.kind in Question.NUMERIC_KINDS]

    @property
    def shown(self) -> bool:
        return self.release is not None and self.release.shows_everyone

    @property
    def awaits_close(self) -> bool:
        """The round is open and its results appear when it closes."""
        return self.release is not None and self.release.plan is None

    @property
    def pending_reason(self) -> str:
        """Why an open round shows no results yet, in one sentence."""
        closes = self.selected.round.closes_on if self.selected else None
        when = f"after {closes.day} {closes:%B %Y}" if closes else "when you close the survey"
        return (
            f"Results for this round appear once it has closed, {when}: figures that changed "
            "with every answer could be compared to read that answer"
        )


def load_rounds(survey: Survey) -> list[RoundResult]:
    """Every round with its counts and responses, in three queries."""
    rounds = list(survey.rounds.order_by("number"))
    invited: Counter[int] = Counter()
    responded: Counter[int] = Counter()
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


def releases(
    survey: Survey, rounds: Sequence[RoundResult], questions: Sequence[Question] | None = None
) -> dict[int, Release]:
    """Each round's release, by round number (the questions are read once)."""
    questions = list(survey.questions.all()) if questions is None else questions
    return {r.round.number: release(survey, r, questions) for r in rounds}


def _default_round(
    rounds: Sequence[RoundResult], by_number: dict[int, Release]
) -> RoundResult | None:
    """The latest round whose results show, else the latest with answers, else the latest."""
    for candidates in (
        [r for r in rounds if by_number[r.round.number].shows_everyone],
        [r for r in rounds if r.responses],
        list(rounds),
    ):
        if candidates:
            return candidates[-1]
    return None


def build(survey: Survey, round_number: int | None, group_slug: str | None) -> Results:
    k = threshold(survey)
    rounds = load_rounds(survey)
    questions = list(survey.questions.all())
    by_number = releases(survey, rounds, questions)
    selected = next((r for r in rounds if r.round.number == round_number), None)
    selected = selected or _default_round(rounds, by_number)
    current = by_number[selected.round.number] if selected else None
    plan = current.plan if current else None
    groups = plan.groups if plan and survey.anonymous else []
    group = next((g for g in groups if g.slug == group_slug), None)
    key = group.slug if group else EVERYONE
    responses = [current.responses[i] for i in sorted(current.members(key))] if current else []

    active = [q for q in questions if not q.retired]
    retired = [q for q in questions if q.retired and any(is_answered(r, q) for r in responses)]
    numeric = [q for q in active if q.kind in Question.NUMERIC_KINDS]
    texts = [q for q in questions if q.kind in Question.TEXT_KINDS]

    trends = {
        q.id: [
            (
                f"#{r.round.number}",
                _enps(q, by_number[r.round.number], key)
                if q.kind == "nps"
                else _average(q, by_number[r.round.number], key, 2),
            )
            for r in rounds
        ]
        for q in numeric
    }
    rising: list[textinsights.Topic] = []
    falling: list[textinsights.Topic] = []
    if selected and current and current.offers(key):
        earlier = [
            by_number[r.round.number]
            for r in rounds
            if r.round.number < selected.round.number and by_number[r.round.number].offers(key)
        ]
        if earlier and current.plan:
            before = earlier[-1]
            # Only questions whose comments both rounds show for this set: like with like,
            # and nothing the pages do not list.
            both = [
                q
                for q in texts
                if before.plan and before.plan.shows(q.id, key) and current.plan.shows(q.id, key)
            ]
            rising, falling = textinsights.topic_changes(
                before.comments(both, key), current.comments(both, key)
            )

    labels = group_labels(groups)
    comparison = []
    if current and groups and numeric:
        rows = [("Everyone", EVERYONE), *((labels[g.slug], g.slug) for g in groups)]
        comparison = [
            (
                label,
                slug,
                len(current.members(slug)),
                [_average(q, current, slug, 1) for q in numeric],
            )
            for label, slug in rows
        ]
    withheld = 0
    if current and current.plan and survey.anonymous:
        stored = suppression.group_members([r.groups for r in current.responses])
        withheld = len(stored) - 1 - len(groups)
    return Results(
        survey=survey,
        k=k,
        rounds=rounds,
        selected=selected,
        release=current,
        groups=groups,
        group=group,
        responses=responses,
        questions=[question_result(q, current, key) for q in active] if current else [],
        retired=[question_result(q, current, key) for q in retired] if current else [],
        trends=trends,
        rising=rising,
        falling=falling,
        labels=labels,
        comparison=comparison,
        withheld_groups=withheld,
    )


def group_labels(groups: Sequence[Group]) -> dict[str, str]:
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
