"""Survey results for their owner, read through surveys/results.py: the same minimum group
size, the same suppression and release rules as the results page (nothing recomputed here)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Router
from pydantic import BaseModel, Field

from tete.api.endpoints.common import caller, responses
from tete.api.endpoints.oneonones import PageQuery
from tete.api.pagination import Page, paginate
from tete.api.schemas import GroupOut, QuestionResultOut, SurveyOut, SurveyResultsOut
from tete.surveys import results
from tete.surveys.access import get_survey_for_owner
from tete.surveys.models import Survey

router = Router(tags=["surveys"])


class ResultsQuery(BaseModel):
    round: int | None = Field(default=None, ge=1)
    group: str | None = Field(default=None, max_length=300)


def survey_out(s: Survey) -> SurveyOut:
    return SurveyOut(
        id=s.pk,
        title=s.title,
        kind=s.kind,
        status=s.status,
        anonymous=s.anonymous,
        created_at=s.created_at,
    )


@router.get("/surveys", response=responses(Page[SurveyOut]), summary="The surveys you own")
def list_surveys(request: HttpRequest, page: Query[PageQuery]) -> dict:
    rows = Survey.objects.filter(owner=caller(request)).exclude(kind=Survey.Kind.CHECKIN)
    return paginate(
        rows,
        cursor=page.cursor,
        limit=page.limit,
        kind="surveys",
        present=lambda found: [survey_out(s) for s in found],
    )


@router.get(
    "/surveys/{survey_id}/results",
    response=responses(SurveyResultsOut),
    summary="A survey's results, as its results page shows them",
)
def survey_results(
    request: HttpRequest, survey_id: int, query: Query[ResultsQuery]
) -> SurveyResultsOut:
    survey = get_survey_for_owner(caller(request), survey_id)
    data = results.build(survey, query.round, query.group or None)
    selected = data.selected
    return SurveyResultsOut(
        survey_id=survey.pk,
        min_group_size=data.k,
        round=selected.round.number if selected else None,
        rounds=[r.round.number for r in data.rounds],
        responded=selected.responded if selected else None,
        invited=selected.invited if selected else None,
        shown=data.shown,
        pending_reason=data.pending_reason if data.awaits_close else "",
        group=data.group.slug if data.group else None,
        groups=[GroupOut(slug=g.slug, label=data.labels.get(g.slug, g.value)) for g in data.groups],
        questions=[
            QuestionResultOut(
                question_id=qr.question.pk,
                text=qr.question.text,
                kind=qr.question.kind,
                shown=qr.shown,
                reason=qr.reason,
                answered=qr.answered if qr.shown else None,
                distribution=qr.distribution if qr.shown else [],
                average=qr.average if qr.shown else None,
                enps=qr.enps if qr.shown else None,
                comments=qr.comments if qr.shown else [],
            )
            for qr in data.questions
        ],
    )
