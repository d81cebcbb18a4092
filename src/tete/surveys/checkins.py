"""Check-ins: a short named survey one person fills in before each meeting of a one-on-one.

The answers belong to the one-on-one (DESIGN.md rule 1): they are read only through the
one-on-one's access helpers, shown on the meeting's agenda to both participants, and never
on survey pages (the survey access helper excludes check-ins).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import BigIntegerField
from django.utils import timezone

from tete.accounts.models import Person
from tete.oneonones import versions
from tete.prepared import Param, PreparedQuery
from tete.surveys import actions
from tete.surveys.bank import BANK, CHECKIN_QUESTIONS
from tete.surveys.models import Participation, Question, Response, Round, Survey

if TYPE_CHECKING:
    from tete.oneonones.models import Meeting, OneOnOne

TREND_MEETINGS = 12
#: The keys of the scale questions whose answers the one-on-one page charts.
TREND_KEYS = ("mood", "workload")

# The question kinds a participant can add to a check-in by hand: quick to answer before a
# meeting. Sets from the bank may bring others (0–10, choices); answering handles every kind.
CHECKIN_KINDS = ("scale", "short", "long", "yesno")


# Read on every one-on-one and meeting page: compiled once (tete/prepared.py).
_CHECKIN_OF = PreparedQuery(
    lambda: Survey.objects.filter(
        oneonone_id=Param("oneonone", BigIntegerField()), status=Survey.Status.OPEN
    ).select_related("checkin_respondent")[:1]
)
_RESPONSE_FOR_MEETING = PreparedQuery(
    lambda: (
        Response.objects.filter(round__meeting_id=Param("meeting", BigIntegerField()))
        .select_related("respondent", "round")
        .order_by("pk")[:1]
    )
)
# A check-in's questions, for the answers shown on every meeting page that has them.
_QUESTIONS_OF = PreparedQuery(
    lambda: Question.objects.filter(survey_id=Param("survey", BigIntegerField()))
)
# The check-ins charted on every one-on-one page that has one.
_LATEST_RESPONSES = PreparedQuery(
    lambda: (
        Response.objects.filter(round__survey__oneonone_id=Param("oneonone", BigIntegerField()))
        .select_related("round__meeting__oneonone")
        .order_by("-round__meeting__scheduled_at")[:TREND_MEETINGS]
    )
)


def checkin_of(oneonone: OneOnOne) -> Survey | None:
    """The one-on-one's active check-in, if one is attached."""
    found = _CHECKIN_OF.run(oneonone=oneonone.pk)
    return found[0] if found else None


@transaction.atomic
def attach_checkin(oneonone: OneOnOne, by: Person, respondent: Person) -> Survey:
    """Attach (or re-point) the check-in; `respondent` is one of the two participants."""
    if not (oneonone.is_participant(by) and oneonone.is_participant(respondent)):
        raise ValueError("Only the one-on-one's participants take part in its check-in.")
    survey = Survey.objects.filter(oneonone=oneonone).first()
    if survey is None:
        survey = actions.create_survey(
            by,
            title="Check-in",
            kind=Survey.Kind.CHECKIN,
            anonymous=False,
            audience=Survey.Audience.PEOPLE,
            oneonone=oneonone,
            checkin_respondent=respondent,
            status=Survey.Status.OPEN,
        )
        actions.add_questions_from_dicts(survey, CHECKIN_QUESTIONS)
    else:
        survey.checkin_respondent = respondent
        survey.status = Survey.Status.OPEN
        survey.save(update_fields=["checkin_respondent", "status"])
    # The one-on-one's pages show the check-in (oneonones/versions.py).
    versions.bump(oneonone.pk)
    return survey


@transaction.atomic
def detach_checkin(oneonone: OneOnOne) -> None:
    """Stop asking; earlier answers stay on their meetings."""
    Survey.objects.filter(oneonone=oneonone).update(status=Survey.Status.CLOSED)
    versions.bump(oneonone.pk)


# ---------------------------------------------------------------- the check-in's questions
# Either participant may change them. The survey actions do the work, so answered questions
# are versioned or retired rather than changed or deleted: earlier answers keep their wording.


def _questions_changed(survey: Survey) -> None:
    # The meeting pages show the check-in (oneonones/versions.py).
    if survey.oneonone_id is not None:
        versions.bump(survey.oneonone_id)


def current_questions(survey: Survey) -> list[Question]:
    return list(survey.questions.filter(retired=False).select_related("show_if_question"))


@transaction.atomic
def add_checkin_question(survey: Survey, **fields: Any) -> Question:
    question = actions.add_question(survey, **fields)
    _questions_changed(survey)
    return question


@transaction.atomic
def edit_checkin_question(question: Question, **fields: Any) -> Question:
    """Change a question; once it has answers, the change is a new version of it."""
    new = actions.edit_question(question, **fields)
    _questions_changed(question.survey)
    return new


@transaction.atomic
def move_checkin_question(question: Question, direction: str) -> None:
    actions.move_question(question, direction)
    _questions_changed(question.survey)


@transaction.atomic
def remove_checkin_question(question: Question) -> None:
    """Stop asking it; a question with answers is retired, so those answers stay readable."""
    actions.remove_question(question)
    _questions_changed(question.survey)


@transaction.atomic
def add_bank_set_to_checkin(survey: Survey, set_key: str) -> list[Question]:
    """Add a bank set's questions, leaving out those the check-in already asks (by key)."""
    asked = {q.key for q in survey.questions.filter(retired=False) if q.key}
    items = [item for item in BANK[set_key]["questions"] if item.get("key") not in asked]
    created = actions.add_questions_from_dicts(survey, items)
    _questions_changed(survey)
    return created


@transaction.atomic
def reset_checkin_questions(survey: Survey) -> None:
    """Back to the standard questions (mood, workload, a topic); old answers stay."""
    for question in survey.questions.filter(retired=False):
        actions.remove_question(question)
    actions.add_questions_from_dicts(survey, CHECKIN_QUESTIONS)
    _questions_changed(survey)


def _meeting_day(meeting: Meeting) -> dt.date:
    return timezone.localtime(meeting.scheduled_at, meeting.oneonone.tzinfo).date()


def round_for(meeting: Meeting, survey: Survey, create: bool = True) -> Round | None:
    """The check-in round of a meeting, created when first needed (before the meeting)."""
    round_ = Round.objects.filter(meeting=meeting).first()
    if round_ is not None or not create or survey.checkin_respondent is None:
        return round_
    day = _meeting_day(meeting)
    with transaction.atomic():
        last = survey.rounds.order_by("-number").first()
        round_ = Round.objects.create(
            survey=survey,
            number=(last.number + 1) if last else 1,
            opens_on=min(timezone.localdate(), day),
            closes_on=day,
            meeting=meeting,
        )
        Participation.objects.create(round=round_, person=survey.checkin_respondent)
    return round_


def can_fill_in(meeting: Meeting, survey: Survey | None, person: Person) -> bool:
    return (
        survey is not None
        and survey.checkin_respondent_id == person.pk
        and meeting.is_upcoming
        and _meeting_day(meeting) >= timezone.localdate()
    )


@transaction.atomic
def submit_checkin(meeting: Meeting, person: Person, answers: Mapping[str, Any]) -> None:
    survey = checkin_of(meeting.oneonone)
    if survey is None or not can_fill_in(meeting, survey, person):
        raise actions.NotOpen
    round_ = round_for(meeting, survey)
    assert round_ is not None
    actions.submit_response(round_, person, answers)
    versions.bump(meeting.oneonone_id)


@dataclass
class CheckinAnswers:
    respondent: Person | None
    items: list[tuple[str, str]]


def answers_for_meeting(meeting: Meeting) -> CheckinAnswers | None:
    """The check-in answers given before this meeting, as (question, answer) pairs."""
    found = _RESPONSE_FOR_MEETING.run(meeting=meeting.pk)
    response = found[0] if found else None
    if response is None:
        return None
    return answers_of(response, response.round.survey_id)


def answers_of(response: Response, survey_id: int) -> CheckinAnswers:
    """A response's answers as (question, answer) pairs, in the order of the questions of
    `survey_id`, its round's survey."""
    items = []
    for q in _QUESTIONS_OF.run(survey=survey_id):
        value = response.answers.get(str(q.id))
        if value in (None, "", []):
            continue
        labels = dict(q.options())
        shown = (
            ", ".join(str(labels.get(v, v)) for v in value)
            if isinstance(value, list)
            else labels.get(value, value)
        )
        items.append((q.text, str(shown)))
    return CheckinAnswers(response.respondent, items)


def trend(
    oneonone: OneOnOne,
    keys: tuple[str, ...] = TREND_KEYS,
    questions: Mapping[int, str] | None = None,
) -> dict[str, list]:
    """Per key, the answers (1–5) of the last meetings' check-ins, oldest first; under
    "meetings", when each of those meetings was (for the figures shown as text), and under
    "dates", the day of each (in the one-on-one's timezone), for the x-axis.

    Only 1–5 scale questions count: once participants remove the question with a key, or make
    it another kind, the trend gets no new points (None) and keeps the earlier ones. Those
    are `questions` (id → key, in the questions' order), when the caller has read them.
    """
    if questions is None:
        questions = {
            q.id: q.key
            for q in Question.objects.filter(
                survey__oneonone=oneonone, key__in=keys, kind=Question.Kind.SCALE
            )
        }
    responses = _LATEST_RESPONSES.run(oneonone=oneonone.pk)
    responses.reverse()
    series: dict[str, list] = {key: [] for key in keys}
    series["meetings"] = [
        response.round.meeting.scheduled_at if response.round.meeting else None
        for response in responses
    ]
    series["dates"] = [
        _meeting_day(response.round.meeting) if response.round.meeting else response.round.opens_on
        for response in responses
    ]
    for response in responses:
        values: dict[str, float | None] = dict.fromkeys(keys)
        for qid, key in questions.items():
            value = response.answers.get(str(qid))
            if value not in (None, ""):
                values[key] = float(value)
        for key in keys:
            series[key].append(values[key])
    return series
