"""What the meeting and one-on-one pages show of the check-in (surveys/jinja2/surveys/_checkin_*.html).

The pages call these from their Jinja2 templates (tete/jinja.py). Neither checks access: the
including page has already checked, through its access helper, that the viewer takes part in
the one-on-one. The queries are compiled once (tete/prepared.py): every view runs them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import BigIntegerField, FilteredRelation

from tete.oneonones.models import Meeting
from tete.prepared import Param, PreparedQuery
from tete.surveys import checkins
from tete.surveys.models import Survey

if TYPE_CHECKING:
    from tete.accounts.models import Person


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


def checkin_on_meeting(meeting: Meeting, viewer: Person) -> MeetingCheckin:
    """The meeting's check-in answers, or whether `viewer` can fill it in, or who has not."""
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
