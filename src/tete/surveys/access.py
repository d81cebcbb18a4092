"""Access helpers: every survey object a view shows is fetched here, or the view gives 404."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from tete.accounts.models import Person
from tete.surveys.models import Invitation, Participation, Question, Round, Survey


def get_survey_for_owner(person: Person, pk: int) -> Survey:
    """The survey if `person` owns it; staff status grants nothing (404 for everyone else).

    Check-ins belong to a one-on-one and are reached through it, not through survey pages.
    """
    return get_object_or_404(Survey.objects.exclude(kind=Survey.Kind.CHECKIN), pk=pk, owner=person)


def get_question_for_owner(person: Person, survey: Survey, pk: int) -> Question:
    assert survey.owner_id == person.pk
    return get_object_or_404(Question, pk=pk, survey=survey, retired=False)


def get_round_to_answer(
    person: Person, survey_pk: int, *, open_due: bool = False
) -> tuple[Survey, Round, Participation]:
    """The open round of a survey `person` is asked to answer, and their participation.

    A round that is due but not opened yet is opened only with `open_due` (answering, a
    POST); otherwise it comes unsaved, with an unsaved participation when `person` is in the
    survey's audience, so that a page can show the questions without writing.

    404 when the person is not in the round's audience, so a survey's existence is not revealed.
    """
    from tete.surveys.actions import audience_people, current_round, ensure_current_round

    survey = get_object_or_404(
        Survey.objects.select_related("owner").exclude(kind=Survey.Kind.CHECKIN),
        pk=survey_pk,
        status__in=[Survey.Status.OPEN, Survey.Status.CLOSED],
    )
    if survey.is_public:
        raise Http404
    today = timezone.localdate()
    found = ensure_current_round(survey, today) if open_due else current_round(survey, today)
    round_ = found or survey.rounds.last()
    if round_ is None:
        raise Http404
    if round_.pk is None:
        if not audience_people(survey).filter(pk=person.pk).exists():
            raise Http404
        return survey, round_, Participation(round=round_, person=person)
    participation = Participation.objects.filter(round=round_, person=person).first()
    if participation is None:
        raise Http404
    return survey, round_, participation


def get_invitation(token: str) -> Invitation | None:
    """The public link for a token, or None (the view explains; nothing is stored)."""
    if not token or len(token) > 64:
        return None
    return Invitation.objects.select_related("survey__owner").filter(token=token).first()
