"""The check-in blocks of the meeting and one-on-one pages (surveys/_checkin_*.html).

The pages call these from their Jinja2 templates (tete/jinja.py). Neither checks access: the
including page has already checked, through its access helper, that the viewer takes part in
the one-on-one. The queries are compiled once (tete/prepared.py): every view runs them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import BigIntegerField, Exists, F, FilteredRelation, OuterRef, Q

from tete.oneonones.models import Meeting
from tete.prepared import Param, PreparedQuery, known_none
from tete.surveys import charts, checkins
from tete.surveys.models import Question, Survey

if TYPE_CHECKING:
    from django.utils.safestring import SafeString

    from tete.accounts.models import Person
    from tete.oneonones.models import OneOnOne


@dataclass(frozen=True)
class MeetingCheckin:
    """The check-in block of a meeting's page."""

    #: The one-on-one's check-in, while it is on.
    survey: Survey | None
    #: The answers given before this meeting, even after the check-in was stopped.
    answers: checkins.CheckinAnswers | None
    #: Whether the viewer is the one who fills it in, and can now.
    can_fill_in: bool


# One query for what checkin_of and answers_for_meeting read in two: from the meeting, its
# one-on-one's check-in (at most one: a one-to-one), and the response to its round. A
# check-in round has one response, its respondent's; as answers_for_meeting, the first by id
# is the one shown. A FilteredRelation is how select_related follows the round's responses
# (django-stubs does not know of it).
_CHECKIN_ON_MEETING = PreparedQuery(
    lambda: (
        Meeting.objects.filter(pk=Param("meeting", BigIntegerField()))  # type: ignore[misc]
        .annotate(response=FilteredRelation("checkin_round__responses"))
        .select_related(
            "oneonone__checkin__checkin_respondent", "checkin_round", "response__respondent"
        )
        .only(
            "oneonone__checkin__status",
            "oneonone__checkin__checkin_respondent__name",
            "oneonone__checkin__checkin_respondent__email",
            "checkin_round__survey_id",
        )
        .order_by("response__pk")[:1]
    )
)


def oneonone_annotations() -> dict[str, Exists]:
    """For a page's query of a one-on-one: whether it has a check-in (on or stopped). Without
    one, `checkin_trend` reads none (tete.prepared.known_none)."""
    return {"has_checkin": Exists(Survey.objects.filter(oneonone=OuterRef("pk")))}


def meeting_annotations() -> dict[str, Exists]:
    """For a page's query of a meeting: whether its one-on-one has a check-in. Without one,
    there are no answers either (they go with it): `checkin_on_meeting` reads nothing."""
    return {"has_checkin": Exists(Survey.objects.filter(oneonone=OuterRef("oneonone_id")))}


def checkin_on_meeting(meeting: Meeting, viewer: Person) -> MeetingCheckin:
    """The meeting's check-in answers, or whether `viewer` can fill it in, or who has not."""
    if known_none(meeting, "has_checkin"):
        return MeetingCheckin(survey=None, answers=None, can_fill_in=False)
    found = _CHECKIN_ON_MEETING.run(meeting=meeting.pk)
    if not found:
        return MeetingCheckin(survey=None, answers=None, can_fill_in=False)
    row = found[0]
    checkin = getattr(row.oneonone, "checkin", None)
    survey = checkin if checkin is not None and checkin.status == Survey.Status.OPEN else None
    # select_related sets a FilteredRelation only when it found a row.
    response = getattr(row, "response", None)
    if response is not None:
        answers = checkins.answers_of(response, row.checkin_round.survey_id)
        return MeetingCheckin(survey=survey, answers=answers, can_fill_in=False)
    return MeetingCheckin(
        survey=survey,
        answers=None,
        can_fill_in=checkins.can_fill_in(meeting, survey, viewer),
    )


@dataclass(frozen=True)
class CheckinTrend:
    """The check-in block of a one-on-one's page: its trend, and the switch to start or stop it."""

    #: The check-in, while it is on.
    survey: Survey | None
    #: A sparkline per question charted ("Mood", "Workload"): those answered twice or more.
    charts: dict[str, SafeString]
    #: The charts' figures as text, newest meeting first: (when, a figure per chart).
    figures: list[tuple[dt.datetime | None, list[str]]]
    #: checkins.trend's series.
    series: dict[str, list[Any]]


# The one-on-one's check-ins (at most one: a one-to-one) with the questions their trend
# reads, a row per question, which checkins.trend would read in a query of its own.
_CHECKINS_OF = PreparedQuery(
    lambda: (
        Survey.objects.filter(oneonone_id=Param("oneonone", BigIntegerField()))
        .annotate(
            trend_question=FilteredRelation(
                "questions",
                condition=Q(
                    questions__key__in=checkins.TREND_KEYS,
                    questions__kind=Question.Kind.SCALE,
                ),
            ),
            trend_question_id=F("trend_question__id"),
            trend_question_key=F("trend_question__key"),
        )
        .select_related("checkin_respondent")
        .order_by("pk", "trend_question__position", "trend_question__id")
    )
)


def checkin_trend(oneonone: OneOnOne) -> CheckinTrend:
    """Mood and workload across the one-on-one's meetings, and its check-in if it is on."""
    rows = [] if known_none(oneonone, "has_checkin") else _CHECKINS_OF.run(oneonone=oneonone.pk)
    surveys = {row.pk: row for row in rows}
    survey = next((s for s in surveys.values() if s.status == Survey.Status.OPEN), None)
    # Without a check-in (the usual case) there are no answers to chart: no more queries.
    series = (
        checkins.trend(
            oneonone,
            checkins.TREND_KEYS,
            {
                row.trend_question_id: row.trend_question_key
                for row in rows
                if row.trend_question_id is not None
            },
        )
        if surveys
        else {"mood": [], "workload": [], "meetings": [], "dates": []}
    )
    dates = [charts.day_label(day) for day in series["dates"]]
    shown = [
        (key, label)
        for key, label in (("mood", "Mood"), ("workload", "Workload"))
        if sum(1 for v in series[key] if v is not None) >= 2
    ]
    return CheckinTrend(
        survey=survey,
        charts={
            label: charts.sparkline(series[key], dates, _sparkline_label(label, series[key]), 1, 5)
            for key, label in shown
        },
        figures=[
            (when, [_score(series[key][index]) for key, _ in shown])
            for index, when in reversed(list(enumerate(series["meetings"])))
        ],
        series=series,
    )


def _score(value: float | None) -> str:
    return "—" if value is None else f"{value:g}"


def _sparkline_label(label: str, values: Sequence[float | None]) -> str:
    """What a sparkline shows, in words: "Mood before each meeting, 1 to 5: latest 3, …"."""
    answered = [v for v in values if v is not None]
    return (
        f"{label} before each meeting, from 1 to 5: latest {_score(answered[-1])}, "
        f"lowest {_score(min(answered))}, highest {_score(max(answered))}"
    )
