"""Recording views: thin — parse, fetch through an access helper, call an action.

The browser recorder (static/recordings/recorder.js) talks to start, chunk, state and
finish in JSON; every other view is a page that works without JavaScript.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tete import uploads
from tete.access import access
from tete.oneonones.access import get_meeting_for
from tete.recordings import actions
from tete.recordings.access import get_recording_for
from tete.recordings.forms import ConsentForm, RecordingUploadForm
from tete.recordings.models import Recording, VoiceSample
from tete.throttle import Throttle

if TYPE_CHECKING:
    from tete.accounts.models import Person


#: The browser recorder sends its sound every this many seconds: at most this much is lost
#: when the tab closes or the device crashes.
CHUNK_SECONDS = 10


def _viewer(request: HttpRequest) -> Person:
    return cast("Person", request.user)


def _throttle_upload(request: HttpRequest) -> Throttle:
    return actions.count_upload(_viewer(request))


def _throttled_text(result: Throttle) -> str:
    return actions.upload_refusal_text(result)


@access("participant")
@uploads.accepts_files_up_to(actions.max_recording_bytes)
@require_http_methods(["GET", "POST"])
def upload_recording(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = get_meeting_for(_viewer(request), meeting_id)
    oneonone = meeting.oneonone
    allowed = None
    if request.method == "POST":
        form = RecordingUploadForm(
            request.POST, request.FILES, oneonone=oneonone, refusal=uploads.refusal(request)
        )
        if form.is_valid():
            allowed = _throttle_upload(request)
            if not allowed.allowed:
                form.add_error(None, _throttled_text(allowed))
            else:
                try:
                    recording = actions.upload_recording(
                        meeting,
                        by=_viewer(request),
                        kind=form.cleaned_data["kind"],
                        tracks=form.tracks(),
                        channel_people=form.channel_people(),
                    )
                except ValidationError as error:
                    form.add_error(None, error)
                else:
                    assert recording.transcript_id is not None
                    return redirect("reports:report", recording.transcript_id)
    else:
        form = RecordingUploadForm(oneonone=oneonone)
    refused = allowed is not None and not allowed.allowed
    response = render(
        request,
        "recordings/upload.html",
        {
            "meeting": meeting,
            "oneonone": oneonone,
            "form": form,
            "consent_form": ConsentForm(),
            "continuing": _continuing(request, meeting_id),
            "chunk_seconds": CHUNK_SECONDS,
            "nav": "oneonones",
        },
        status=429 if refused else 400 if form.errors else 200,
    )
    if refused and allowed is not None:
        response["Retry-After"] = str(allowed.retry_after)
    return response


def _continuing(request: HttpRequest, meeting_id: int) -> Recording | None:
    """The unfinished recording of this meeting that ``?continue=<id>`` names, when the
    viewer may continue it; otherwise the page offers a new recording (read only: a GET)."""
    wanted = request.GET.get("continue", "")
    if request.method != "GET" or not wanted.isdigit():
        return None
    try:
        recording = get_recording_for(_viewer(request), int(wanted))
    except Http404:
        return None
    if recording.meeting_id != meeting_id or not actions.can_continue(recording, _viewer(request)):
        return None
    return recording


def _json_error(message: str, status: int = 400) -> JsonResponse:
    return JsonResponse({"error": message}, status=status)


def _recording_state(recording: Recording) -> dict[str, object]:
    file = recording.files.get()
    return {
        "id": recording.pk,
        "state": recording.state,
        "received": actions.received_in_a_row(file),
        # The recorder adds "<index>/".
        "chunk_url": reverse("recordings:chunk", args=[recording.pk, 0]).removesuffix("0/"),
        "finish_url": reverse("recordings:finish", args=[recording.pk]),
        "state_url": reverse("recordings:state", args=[recording.pk]),
        "report_url": reverse("reports:report", args=[recording.transcript_id])
        if recording.transcript_id
        else None,
    }


@access("participant")
@require_POST
def start_recording(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """Begin a browser recording, once both people agreed (the consent box)."""
    meeting = get_meeting_for(_viewer(request), meeting_id)
    form = ConsentForm(request.POST)
    if not form.is_valid():
        return _json_error("Confirm that both of you agree to record before starting.")
    allowed = _throttle_upload(request)
    if not allowed.allowed:
        response = _json_error(_throttled_text(allowed), status=429)
        response["Retry-After"] = str(allowed.retry_after)
        return response
    try:
        recording = actions.start_browser_recording(
            meeting,
            by=_viewer(request),
            consent=True,
            content_type=request.POST.get("content_type", ""),
        )
    except ValidationError as error:
        return _json_error(" ".join(error.messages))
    return JsonResponse(_recording_state(recording), status=201)


@access("participant")
@require_POST
def continue_recording(request: HttpRequest, pk: int) -> HttpResponse:
    """Take an unfinished browser recording up again (its page was reloaded or closed):
    only the person who started it; the chunks are numbered on from ``next_index``."""
    recording = get_recording_for(_viewer(request), pk)
    after = request.POST.get("after", "0")
    try:
        continuation = actions.continue_browser_recording(
            recording,
            by=_viewer(request),
            content_type=request.POST.get("content_type", ""),
            after=int(after) if after.isdigit() else 0,
        )
    except PermissionDenied as error:
        return _json_error(str(error), status=403)
    except ValidationError as error:
        return _json_error(" ".join(error.messages), status=409)
    state = _recording_state(recording)
    state["next_index"] = continuation.first_index
    return JsonResponse(state)


@access("participant")
@require_POST
def add_chunk(request: HttpRequest, pk: int, index: int) -> HttpResponse:
    """One chunk of a browser recording, as the request's raw body."""
    recording = get_recording_for(_viewer(request), pk)
    try:
        received = actions.add_chunk(recording, by=_viewer(request), index=index, data=request.body)
    except ValidationError as error:
        return _json_error(" ".join(error.messages), status=409)
    return JsonResponse({"received": received})


@access("participant")
@require_GET
def recording_state(request: HttpRequest, pk: int) -> HttpResponse:
    """Where a browser recording stands (the recorder resumes after ``received``), and the
    analysis's progress."""
    recording = get_recording_for(_viewer(request), pk)
    state = _recording_state(recording)
    if recording.transcript is not None:
        state["status"] = recording.transcript.status
        state["progress"] = recording.progress
    return JsonResponse(state)


@access("participant")
@require_POST
def finish_recording(request: HttpRequest, pk: int) -> HttpResponse:
    recording = get_recording_for(_viewer(request), pk)
    try:
        recording = actions.finish_browser_recording(recording, by=_viewer(request))
    except ValidationError as error:
        if request.headers.get("Accept", "").startswith("application/json"):
            return _json_error(" ".join(error.messages))
        messages.error(request, " ".join(error.messages))
        return redirect("oneonones:meeting", recording.meeting_id)
    if request.headers.get("Accept", "").startswith("application/json"):
        return JsonResponse(_recording_state(recording))
    return redirect("reports:report", recording.transcript_id)


@access("participant")
@require_http_methods(["GET", "POST"])
def delete_recording(request: HttpRequest, pk: int) -> HttpResponse:
    recording = get_recording_for(_viewer(request), pk)
    meeting = recording.meeting
    if request.method == "POST":
        actions.delete_recording(recording, by=_viewer(request))
        messages.success(request, "Deleted the recording, its sound and its report.")
        return redirect("oneonones:meeting", meeting.pk)
    return render(
        request,
        "recordings/delete.html",
        {"recording": recording, "meeting": meeting, "oneonone": meeting.oneonone},
    )


@access("participant")
@require_GET
def voice_sample(request: HttpRequest, pk: int, sample_id: int) -> HttpResponse:
    """A few seconds of one voice, to tell who is who; only while the sample is kept."""
    recording = get_recording_for(_viewer(request), pk)
    sample = VoiceSample.objects.filter(recording=recording, pk=sample_id).first()
    if sample is None:
        raise Http404("No such voice sample.")
    response = HttpResponse(bytes(sample.data), content_type="audio/wav")
    response["Content-Disposition"] = "inline"
    return response
