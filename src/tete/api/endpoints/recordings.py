"""Recordings of a meeting: upload (the upload page's form, limits and hourly count), the
analysis status, the report in the JSON contract, and deleting one. Everything goes through
the recordings app's access helper, form and actions (tete/recordings)."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from typing import Literal

from django.core.files.uploadedfile import UploadedFile as DjangoUploadedFile
from django.http import HttpRequest
from ninja import File, Form, Query, Router, Status
from ninja.files import UploadedFile
from pydantic import Field

from tete import uploads
from tete.api.endpoints.common import caller, link, responses
from tete.api.endpoints.oneonones import PageQuery
from tete.api.endpoints.reports import report_out
from tete.api.pagination import Page, paginate
from tete.api.problems import Problem, ProblemOut
from tete.api.schemas import In, RecordingFileOut, RecordingOut, ReportOut
from tete.conversation.audio import AudioError
from tete.oneonones.access import get_meeting_for, get_meeting_only_for
from tete.recordings import actions
from tete.recordings.access import get_recording_for
from tete.recordings.analysis import check_recording_file
from tete.recordings.forms import RecordingUploadForm
from tete.recordings.models import Recording, RecordingState
from tete.reports.models import TranscriptStatus

router = Router(tags=["recordings"])

#: The upload operation's URL name: urls_v1 lets its requests carry files up to
#: TETE_MAX_RECORDING_BYTES, as the upload page does.
UPLOAD_URL_NAME = "meeting_recordings"

#: Reasons a file is not sound at all (415), rather than sound outside a limit (422).
_NOT_SOUND = ("not a recording", "no audio", "empty file")


def recording_out(request: HttpRequest, r: Recording) -> RecordingOut:
    transcript = r.transcript
    if r.state == RecordingState.RECORDING or transcript is None:
        status = "recording"
    else:
        status = transcript.status
    done = transcript is not None and transcript.status == TranscriptStatus.DONE
    return RecordingOut(
        id=r.pk,
        meeting_id=r.meeting_id,
        kind=r.kind,
        status=status,
        progress=r.progress,
        failure_reason=transcript.failure_reason if transcript else "",
        created_by_id=r.created_by_id,
        created_at=r.created_at,
        consent_given_at=r.consent_given_at,
        sound_deleted_at=r.sound_deleted_at,
        files=[
            RecordingFileOut(
                filename=f.filename,
                size_bytes=f.size_bytes,
                offset_s=f.offset_s,
                person_id=f.person_id,
            )
            for f in r.files.all()
        ],
        transcript_id=r.transcript_id,
        report_url=link(request, "api-v1:recording_report", r.pk) if done else None,
    )


@router.get(
    "/meetings/{meeting_id}/recordings",
    response=responses(Page[RecordingOut]),
    summary="A meeting's recordings and their analysis status",
    url_name=UPLOAD_URL_NAME,
)
def list_recordings(request: HttpRequest, meeting_id: int, page: Query[PageQuery]) -> dict:
    meeting = get_meeting_only_for(caller(request), meeting_id)
    rows = (
        Recording.objects.filter(meeting=meeting)
        .select_related("transcript")
        .defer("speech", "transcript__content")
        .prefetch_related("files")
    )
    return paginate(
        rows,
        cursor=page.cursor,
        limit=page.limit,
        kind=f"recordings:{meeting.pk}",
        present=lambda found: [recording_out(request, r) for r in found],
    )


class RecordingUploadIn(In):
    """The upload page's fields. People are given by id: one of the one-on-one's two."""

    kind: Literal["tracks", "channels", "one_microphone"] = Field(
        description="tracks: one file per person (send second_file too); channels: one "
        "file, a person per channel; one_microphone: one file, one microphone (an estimate)."
    )
    person: int | None = Field(default=None, description="Whose voice is in `file` (tracks).")
    offset: float | None = Field(
        default=None, description="Seconds after the conversation began that `file` starts."
    )
    second_person: int | None = Field(default=None, description="Whose voice is in `second_file`.")
    second_offset: float | None = None
    left_person: int | None = Field(default=None, description="Who is on the left channel.")
    right_person: int | None = Field(default=None, description="Who is on the right channel.")


@router.post(
    "/meetings/{meeting_id}/recordings",
    response={
        **responses(RecordingOut, 201, write=True),
        413: ProblemOut,
        415: ProblemOut,
    },
    summary="Upload a recording (multipart: `kind`, `file`, and for tracks `second_file`); "
    "its analysis is queued",
    url_name=UPLOAD_URL_NAME,
)
def upload_recording(
    request: HttpRequest,
    meeting_id: int,
    data: Form[RecordingUploadIn],
    file: File[UploadedFile],
    second_file: File[UploadedFile | None] = None,
) -> Status[RecordingOut]:
    me = caller(request)
    meeting = get_meeting_for(me, meeting_id)
    if refusal := uploads.refusal(request):
        raise Problem(413, refusal)
    # The page's own form: the same sizes, kinds and people, and the same messages.
    form = RecordingUploadForm(request.POST, request.FILES, oneonone=meeting.oneonone)
    if not form.is_valid():
        errors = [
            {"field": name if name != "__all__" else "body", "message": str(message)}
            for name, messages in form.errors.items()
            for message in messages
        ]
        too_large = any("largest recording accepted" in e["message"] for e in errors)
        raise Problem(
            413 if too_large else 422,
            " ".join(e["message"] for e in errors),
            errors=errors,
        )
    allowed = actions.count_upload(me)
    if not allowed.allowed:
        raise Problem(
            429,
            actions.upload_refusal_text(allowed),
            headers={"Retry-After": str(allowed.retry_after)},
        )
    for track in form.tracks():
        _check_sound(track.file)  # type: ignore[arg-type]
    recording = actions.upload_recording(
        meeting,
        by=me,
        kind=form.cleaned_data["kind"],
        tracks=form.tracks(),
        channel_people=form.channel_people(),
    )
    recording = get_recording_for(me, recording.pk)
    return Status(201, recording_out(request, recording))


def _check_sound(upload: DjangoUploadedFile) -> None:
    """415 for a file that is not sound, 422 for sound past a limit, before anything is
    stored (the analysis would fail on it later, with the same words)."""
    name = upload.name or "recording"
    try:
        with _on_disk(upload) as path:
            check_recording_file(path, name)
    except AudioError as error:
        status = 415 if error.reason.startswith(_NOT_SOUND) else 422
        raise Problem(status, str(error)) from None


@contextlib.contextmanager
def _on_disk(upload: DjangoUploadedFile) -> Iterator[str]:
    """The upload's path: its temporary file, or a copy of a small upload held in memory."""
    if hasattr(upload, "temporary_file_path"):
        yield upload.temporary_file_path()
        return
    suffix = os.path.splitext(upload.name or "")[1][:10]
    with tempfile.NamedTemporaryFile(suffix=suffix) as copy:
        for piece in upload.chunks():
            copy.write(piece)
        copy.flush()
        upload.seek(0)
        yield copy.name


@router.get(
    "/recordings/{recording_id}",
    response=responses(RecordingOut),
    summary="A recording and its analysis status",
)
def get_recording(request: HttpRequest, recording_id: int) -> RecordingOut:
    return recording_out(request, get_recording_for(caller(request), recording_id))


@router.get(
    "/recordings/{recording_id}/report",
    response=responses(ReportOut),
    summary="A recording's conversation report (docs/metrics.md); 404 until it is done",
    url_name="recording_report",
)
def get_recording_report(request: HttpRequest, recording_id: int) -> ReportOut:
    recording = get_recording_for(caller(request), recording_id)
    if recording.transcript is None:
        raise Problem(404, "The recording is still taking sound; the report comes after.")
    return report_out(recording.transcript)


@router.delete(
    "/recordings/{recording_id}",
    response=responses(None, 204, write=True),
    summary="Delete a recording, its sound and its report",
)
def delete_recording(request: HttpRequest, recording_id: int) -> Status[None]:
    me = caller(request)
    actions.delete_recording(get_recording_for(me, recording_id), by=me)
    return Status(204, None)
