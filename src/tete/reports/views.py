"""Conversation report views: thin — parse, fetch through an access helper, call an action."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRefresh

from tete import limits, uploads
from tete.access import access
from tete.oneonones.access import get_meeting_for, get_oneonone_for
from tete.reports import actions, sections
from tete.reports.access import get_suggestion_for, get_transcript_for
from tete.reports.forms import AcceptSuggestionForm, SpeakerMappingForm, TranscriptUploadForm
from tete.reports.models import ConversationReport, SuggestionStatus, Transcript
from tete.reports.presenters import present
from tete.reports.trends import build_trends
from tete.throttle import Throttle, throttle

if TYPE_CHECKING:
    from tete.accounts.models import Person


def _viewer(request: HttpRequest) -> Person:
    """The signed-in person (every view here requires signing in)."""
    return cast("Person", request.user)


def _report_of(transcript: Transcript) -> ConversationReport | None:
    try:
        return transcript.report
    except ConversationReport.DoesNotExist:
        return None


@access("participant")
@require_http_methods(["GET", "POST"])
def upload_transcript(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = get_meeting_for(_viewer(request), meeting_id)
    if request.method == "POST":
        form = TranscriptUploadForm(request.POST, request.FILES, refusal=uploads.refusal(request))
        allowed = _upload_allowed(request, form)
    else:
        form, allowed = TranscriptUploadForm(), None
    if allowed is not None and allowed.allowed and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = actions.upload_transcript(
                meeting,
                by=_viewer(request),
                filename=upload.name,
                content=upload.read(),
            )
        except ValidationError as error:
            form.add_error("file", error)
        else:
            if result.duplicate:
                messages.info(request, result.duplicate_message)
            return redirect("reports:report", result.transcript.pk)
    response = render(
        request,
        "reports/upload.html",
        {"meeting": meeting, "oneonone": meeting.oneonone, "form": form, "nav": "oneonones"},
        status=429 if allowed and not allowed.allowed else 400 if form.errors else 200,
    )
    if allowed and not allowed.allowed:
        response["Retry-After"] = str(allowed.retry_after)
    return response


def _upload_allowed(request: HttpRequest, form: TranscriptUploadForm) -> Throttle:
    """Count this upload against the person's hourly limit; the form says when it is over."""
    result = throttle(
        f"transcript-upload:{_viewer(request).pk}",
        limit=int(settings.TETE_UPLOADS_PER_HOUR),
        per_seconds=3600,
    )
    if not result.allowed:
        form.add_error(
            "file",
            f"You can upload {result.limit} transcripts {limits.per_text(result.per_seconds)}, "
            f"and have reached that limit. You can upload again in "
            f"{limits.duration_text(result.retry_after)}.",
        )
    return result


@access("participant")
@require_GET
def transcript_report(request: HttpRequest, pk: int) -> HttpResponse:
    transcript = get_transcript_for(_viewer(request), pk)
    oneonone = transcript.meeting.oneonone
    report = _report_of(transcript)
    context: dict[str, Any] = {
        "transcript": transcript,
        "meeting": transcript.meeting,
        "oneonone": oneonone,
        "report": report,
        "stuck": _is_stuck(transcript),
        "nav": "oneonones",
    }
    if report is not None:
        context["view"] = present(report, oneonone)
        context["suggestions"] = [
            (s, AcceptSuggestionForm(suggestion=s, viewer=_viewer(request)))
            for s in report.suggestions.select_related(
                "owner", "report__oneonone__first", "report__oneonone__second", "action_item"
            )
        ]
    return render(request, "reports/report.html", context)


@access("participant")
@require_GET
def transcript_status(request: HttpRequest, pk: int) -> HttpResponse:
    """The status row the meeting page polls every 2 s while the analysis is pending.

    A GET never writes: an analysis whose worker died is queued again by the workers
    (reports/recovery.py) or by "Try again" (retry_transcript), never by this poll, which
    shows it as stopped and ends."""
    transcript = get_transcript_for(_viewer(request), pk)
    stuck = _is_stuck(transcript)
    if not request.htmx:  # type: ignore[attr-defined]
        return redirect("reports:report", transcript.pk)
    if request.GET.get("on") == "report":
        # The report page polls to reload itself once there is something new to show.
        waiting = transcript.is_pending and not stuck
        return HttpResponse(status=204) if waiting else HttpResponseClientRefresh()
    return _transcript_row(request, transcript, stuck)


def _transcript_row(request: HttpRequest, transcript: Transcript, stuck: bool) -> HttpResponse:
    """The transcript's row on its meeting's page, as the page lists it."""
    progress = None if stuck else sections.analysis_progress(transcript)
    context = {"transcript": transcript, "stuck": stuck, "progress": progress}
    return render(request, "reports/_transcript_row.html", context)


def _is_stuck(transcript: Transcript) -> bool:
    return transcript.is_pending and actions.stuck_transcripts(pk=transcript.pk).exists()


@access("participant")
@require_POST
def retry_transcript(request: HttpRequest, pk: int) -> HttpResponse:
    """Queue again an analysis that a stopped worker left unfinished (nothing if it is not)."""
    transcript = get_transcript_for(_viewer(request), pk)
    if actions.requeue_stuck_transcripts(pk=transcript.pk):
        transcript.refresh_from_db(fields=["status", "failure_reason", "started_at"])
    if request.htmx:  # type: ignore[attr-defined]
        return _transcript_row(request, transcript, _is_stuck(transcript))
    return redirect("reports:report", transcript.pk)


@access("participant")
@require_http_methods(["GET", "POST"])
def speaker_mapping(request: HttpRequest, pk: int) -> HttpResponse:
    transcript = get_transcript_for(_viewer(request), pk)
    oneonone = transcript.meeting.oneonone
    report = _report_of(transcript)
    labels = dict(report.data.get("speaker_labels", {})) if report else {}
    data = request.POST if request.method == "POST" else None
    form = SpeakerMappingForm(data, oneonone=oneonone, labels=labels)
    refusal = None
    if request.method == "POST" and form.is_valid():
        # Saving recomputes the report: counted; when refused, the form stays as filled in.
        refusal = limits.check("report_rebuilds", limits.person_key(request))
        if refusal is None:
            try:
                actions.save_speaker_mapping(
                    transcript, by=_viewer(request), mapping=form.mapping()
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, "Speakers saved; the report uses them from now on.")
                return redirect("reports:report", transcript.pk)
    response = render(
        request,
        "reports/speakers.html",
        {
            "transcript": transcript,
            "meeting": transcript.meeting,
            "oneonone": oneonone,
            "report": report,
            "form": form,
            "refusal": refusal,
            "nav": "oneonones",
        },
        status=429 if refusal else 400 if form.errors else 200,
    )
    if refusal:
        response["Retry-After"] = str(refusal.result.retry_after)
    return response


@access("participant")
@require_http_methods(["GET", "POST"])
def delete_transcript(request: HttpRequest, pk: int) -> HttpResponse:
    transcript = get_transcript_for(_viewer(request), pk)
    meeting = transcript.meeting
    if request.method == "POST":
        actions.delete_transcript(transcript, by=_viewer(request))
        messages.success(request, f"Deleted {transcript.filename} and its report.")
        return redirect("oneonones:meeting", meeting.pk)
    return render(
        request,
        "reports/delete.html",
        {
            "transcript": transcript,
            "meeting": meeting,
            "oneonone": meeting.oneonone,
            "nav": "oneonones",
        },
    )


@access("participant")
@require_POST
def accept_suggestion(request: HttpRequest, pk: int) -> HttpResponse:
    suggestion = get_suggestion_for(_viewer(request), pk)
    form = AcceptSuggestionForm(request.POST, suggestion=suggestion, viewer=_viewer(request))
    if form.is_valid() and suggestion.status == SuggestionStatus.OPEN:
        try:
            suggestion = actions.accept_suggestion(
                suggestion,
                by=_viewer(request),
                owner=form.chosen_owner(),
                due_date=form.cleaned_data["due_date"],
                text=form.cleaned_data["text"],
            )
        except ValidationError as error:
            form.add_error(None, error)
    return _suggestion_response(request, suggestion, form)


@access("participant")
@require_POST
def dismiss_suggestion(request: HttpRequest, pk: int) -> HttpResponse:
    suggestion = get_suggestion_for(_viewer(request), pk)
    suggestion = actions.dismiss_suggestion(suggestion, by=_viewer(request))
    form = AcceptSuggestionForm(suggestion=suggestion, viewer=_viewer(request))
    return _suggestion_response(request, suggestion, form)


def _suggestion_response(
    request: HttpRequest, suggestion: Any, form: AcceptSuggestionForm
) -> HttpResponse:
    if request.htmx:  # type: ignore[attr-defined]
        return render(
            request,
            "reports/_suggestion.html",
            {"suggestion": suggestion, "form": form},
            status=400 if form.errors else 200,
        )
    if form.errors:
        messages.error(
            request,
            "The action item was not added: "
            + " ".join(str(e) for errors in form.errors.values() for e in errors),
        )
    url = reverse("reports:report", args=[suggestion.report.transcript_id])
    return redirect(f"{url}#suggestion-{suggestion.pk}")


@access("participant")
@require_GET
def oneonone_trends(request: HttpRequest, oneonone_id: int) -> HttpResponse:
    oneonone = get_oneonone_for(_viewer(request), oneonone_id)
    trends = build_trends(oneonone, _viewer(request))
    return render(
        request,
        "reports/trends.html",
        {"oneonone": oneonone, "trends": trends, "nav": "oneonones"},
    )
