"""Transcripts and conversation reports: upload (the same action, limits and hourly count as
the upload page), the analysis status, and the report in the JSON contract."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from ninja import File, Query, Router, Status
from ninja.files import UploadedFile

from tete import limits, uploads
from tete.api.endpoints.common import caller, link, responses
from tete.api.endpoints.oneonones import PageQuery
from tete.api.pagination import Page, paginate
from tete.api.problems import Problem, ProblemOut
from tete.api.schemas import ReportOut, TranscriptOut
from tete.oneonones.access import get_meeting_for, get_meeting_only_for
from tete.reports import actions
from tete.reports.access import get_transcript_for
from tete.reports.models import ConversationReport, Transcript, TranscriptStatus
from tete.throttle import throttle

router = Router(tags=["transcripts and reports"])


def transcript_out(
    request: HttpRequest, t: Transcript, *, duplicate: bool = False
) -> TranscriptOut:
    return TranscriptOut(
        id=t.pk,
        meeting_id=t.meeting_id,
        filename=t.filename,
        format=t.format,
        size_bytes=t.size_bytes,
        status=t.status,
        failure_reason=t.failure_reason,
        uploaded_at=t.uploaded_at,
        finished_at=t.finished_at,
        duplicate=duplicate,
        report_url=link(request, "api-v1:transcript_report", t.pk)
        if t.status == TranscriptStatus.DONE
        else None,
    )


@router.get(
    "/meetings/{meeting_id}/transcripts",
    response=responses(Page[TranscriptOut]),
    summary="A meeting's transcripts and their analysis status",
)
def list_transcripts(request: HttpRequest, meeting_id: int, page: Query[PageQuery]) -> dict:
    meeting = get_meeting_only_for(caller(request), meeting_id)
    return paginate(
        meeting.transcripts.defer("content"),
        cursor=page.cursor,
        limit=page.limit,
        kind=f"transcripts:{meeting.pk}",
        present=lambda found: [transcript_out(request, t) for t in found],
    )


@router.post(
    "/meetings/{meeting_id}/transcripts",
    response={**responses(TranscriptOut, 201, write=True), 200: TranscriptOut, 413: ProblemOut},
    summary="Upload a transcript (multipart field `file`); its analysis is queued",
)
def upload_transcript(
    request: HttpRequest, meeting_id: int, file: File[UploadedFile]
) -> Status[TranscriptOut]:
    me = caller(request)
    meeting = get_meeting_for(me, meeting_id)
    if refusal := uploads.refusal(request):
        raise Problem(413, refusal)
    # The same hourly count as the upload page: a person has one allowance, whichever way.
    allowed = throttle(
        f"transcript-upload:{me.pk}", int(settings.TETE_UPLOADS_PER_HOUR), per_seconds=3600
    )
    if not allowed.allowed:
        raise Problem(
            429,
            f"You can upload {allowed.limit} transcripts "
            f"{limits.per_text(allowed.per_seconds)}; try again in "
            f"{limits.duration_text(allowed.retry_after)}.",
            headers={"Retry-After": str(allowed.retry_after)},
        )
    if file.size is not None and file.size > uploads.max_upload_bytes():
        raise Problem(413, uploads.too_large_message(file.size))
    result = actions.upload_transcript(
        meeting, by=me, filename=file.name or "transcript", content=file.read()
    )
    status = 200 if result.duplicate else 201
    return Status(status, transcript_out(request, result.transcript, duplicate=result.duplicate))


@router.get(
    "/transcripts/{transcript_id}",
    response=responses(TranscriptOut),
    summary="A transcript's analysis status",
)
def get_transcript(request: HttpRequest, transcript_id: int) -> TranscriptOut:
    return transcript_out(request, get_transcript_for(caller(request), transcript_id))


@router.get(
    "/transcripts/{transcript_id}/report",
    response=responses(ReportOut),
    summary="The conversation report (docs/metrics.md); 404 until the analysis is done",
    url_name="transcript_report",
)
def get_report(request: HttpRequest, transcript_id: int) -> ReportOut:
    return report_out(get_transcript_for(caller(request), transcript_id))


def report_out(transcript: Transcript) -> ReportOut:
    """The conversation report of a transcript or a recording; 404 until it is done."""
    report = ConversationReport.objects.filter(transcript=transcript).first()
    if report is None:
        raise Problem(
            404,
            f"The analysis is {transcript.get_status_display().lower()}; "
            "the report exists once it is done.",
        )
    return ReportOut(
        transcript_id=transcript.pk,
        meeting_id=transcript.meeting_id,
        mapping_confirmed=report.mapping_confirmed,
        report=report.data,
    )
