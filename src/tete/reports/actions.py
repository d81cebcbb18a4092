"""Every write in the reports area: upload, analyse, map speakers, decide suggestions, purge.

Views, the background task, management commands and the demo call these functions.

Faults, by design:
* analysis reads and computes first, then writes the report, its suggestions and the
  "done" status in one transaction, so a report is never half-written;
* running the analysis twice gives the same report (the row is replaced, decided
  suggestions are kept), so a task retried after a worker was killed is harmless;
* the analysis runs in a child process with a memory and a time limit (isolation.py);
  breaking one fails the transcript with a message naming the limit;
* a running analysis renews a lease (``heartbeat_at``) every few seconds; one whose lease
  ran out was abandoned by a killed worker, and :func:`requeue_stuck_transcripts` (every
  worker, every few seconds) queues it again, at most TETE_ANALYSIS_ATTEMPTS times in all;
* the person sees plain words about a failure; an unexpected error's details go to the log;
* either participant can also queue a stopped analysis again ("Try again" on its row,
  :func:`requeue_stuck_transcripts`); the status poll, a GET, only says that it stopped;
* every change a one-on-one's pages show (a status, a report, a decided suggestion) bumps
  the one-on-one's content version in the same transaction (oneonones/versions.py), so
  that cached pages do not outlive it.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.formats import date_format

from tete.conversation import Limits, TranscriptError, read
from tete.oneonones import actions as oneonone_actions
from tete.oneonones import versions
from tete.reports import isolation
from tete.reports.analysis import Mapping_, Outcome, analyse_for_oneonone, suggested_mapping
from tete.reports.models import (
    PENDING_STATUSES,
    ConversationReport,
    SpeakerAlias,
    SuggestedActionItem,
    SuggestionStatus,
    Transcript,
    TranscriptStatus,
)
from tete.uploads import human_size, max_upload_bytes

if TYPE_CHECKING:
    from tete.accounts.models import Person
    from tete.oneonones.models import Meeting, OneOnOne

logger = logging.getLogger(__name__)

#: A transcript row of this format stands for a recording (tete.recordings).
AUDIO_FORMAT = "audio"

#: The most seconds between two renewals of a running analysis's lease.
HEARTBEAT_S = 5.0


def _require_participant(oneonone: OneOnOne, person: Person) -> None:
    if not oneonone.is_participant(person):
        raise ValidationError("Only the one-on-one's two participants can do this.")


def transcript_limits() -> Limits:
    """What a transcript may hold, as the settings say (the rest as the library sets)."""
    return Limits(
        max_bytes=max_upload_bytes(),
        max_cues=int(settings.TETE_TRANSCRIPT_MAX_CUES),
        max_duration_s=float(settings.TETE_TRANSCRIPT_MAX_HOURS) * 3600,
    )


# --- Upload and analysis ---------------------------------------------------------------------


@dataclass(frozen=True)
class UploadResult:
    transcript: Transcript
    #: True when this exact file was already uploaded to the one-on-one (nothing new stored).
    duplicate: bool = False
    #: True when that earlier upload had failed or was abandoned, and is analysed again.
    retried: bool = False

    @property
    def duplicate_message(self) -> str:
        when = date_format(timezone.localtime(self.transcript.meeting.scheduled_at), "j M Y")
        said = f"This file was already uploaded for the meeting on {when}"
        if self.retried:
            return f"{said}; its analysis had not finished, so it is being analysed again."
        return f"{said}; showing that one."


def upload_transcript(
    meeting: Meeting, *, by: Person, filename: str, content: bytes
) -> UploadResult:
    """Store an uploaded transcript and queue its analysis.

    The same bytes uploaded again to any meeting of the one-on-one are recognised by their
    SHA-256 and give the earlier transcript back instead of a second report.
    """
    oneonone = meeting.oneonone
    _require_participant(oneonone, by)
    if not content:
        raise ValidationError("The file is empty.")
    if len(content) > max_upload_bytes():
        raise ValidationError(
            f"The file is {human_size(len(content))}; the largest transcript accepted is "
            f"{human_size(max_upload_bytes())}."
        )
    digest = hashlib.sha256(content).hexdigest()
    earlier = (
        Transcript.objects.filter(meeting__oneonone=oneonone, sha256=digest)
        .select_related("meeting")
        .defer("content")
        .first()
    )
    if earlier is not None:
        return _upload_again(earlier)
    try:
        with transaction.atomic():
            transcript = Transcript.objects.create(
                meeting=meeting,
                uploaded_by=by,
                filename=filename[-255:] or "transcript",
                size_bytes=len(content),
                sha256=digest,
                content=content,
            )
            versions.bump(oneonone.pk)
    except IntegrityError:
        # The same file uploaded twice at once: the other request stored it.
        earlier = Transcript.objects.defer("content").get(meeting=meeting, sha256=digest)
        return UploadResult(earlier, duplicate=True)
    enqueue_analysis(transcript)
    purge_expired_transcripts()  # opportunistic: retention holds even without a cron job
    transcript.refresh_from_db(fields=["status", "failure_reason", "format", "finished_at"])
    return UploadResult(transcript)


def _upload_again(earlier: Transcript) -> UploadResult:
    """The same file again: its report, its live analysis, or — when that failed or was
    abandoned — a fresh analysis with its attempts counted from zero."""
    if earlier.status == TranscriptStatus.DONE or not earlier.has_content:
        return UploadResult(earlier, duplicate=True)
    if earlier.status != TranscriptStatus.FAILED and not _abandoned(earlier):
        return UploadResult(earlier, duplicate=True)
    with transaction.atomic():
        # Unless another request or a worker changed it meanwhile.
        retried = Transcript.objects.filter(
            pk=earlier.pk, status=earlier.status, heartbeat_at=earlier.heartbeat_at
        ).update(
            status=TranscriptStatus.QUEUED,
            attempts=0,
            failure_reason="",
            # (while queued, started_at says since when: see requeue_stuck_transcripts)
            started_at=timezone.now(),
            heartbeat_at=None,
        )
        if retried:
            versions.bump_for_transcript(earlier.pk)
    if retried:
        enqueue_analysis(earlier)
    earlier.refresh_from_db(fields=["status", "failure_reason", "attempts", "finished_at"])
    return UploadResult(earlier, duplicate=True, retried=bool(retried))


def _abandoned(transcript: Transcript, now: dt.datetime | None = None) -> bool:
    """Whether a pending analysis has nobody working on it any more."""
    now = now or timezone.now()
    if transcript.status == TranscriptStatus.RUNNING:
        renewed = transcript.heartbeat_at or transcript.started_at
        return renewed is None or renewed < now - dt.timedelta(seconds=lease_seconds())
    if transcript.status == TranscriptStatus.QUEUED:
        since = transcript.started_at or transcript.uploaded_at
        return since < now - dt.timedelta(seconds=queued_timeout_seconds())
    return False


def lease_seconds() -> float:
    return float(settings.TETE_ANALYSIS_LEASE_SECONDS)


def heartbeat_seconds() -> float:
    """Renewed four times a lease at least, so a busy database does not lose it."""
    return min(HEARTBEAT_S, lease_seconds() / 4)


def queued_timeout_seconds() -> float:
    return float(settings.TETE_ANALYSIS_TIMEOUT_SECONDS)


def max_attempts() -> int:
    return int(settings.TETE_ANALYSIS_ATTEMPTS)


def enqueue_analysis(transcript: Transcript) -> None:
    """Queue the analysis task (with the immediate backend it runs right here)."""
    from tete.reports.tasks import analyse_transcript

    analyse_transcript.enqueue(transcript.pk)


def _meeting_date(meeting: Meeting) -> dt.date:
    when = meeting.held_at or meeting.scheduled_at
    return timezone.localtime(when, meeting.oneonone.tzinfo).date()


def fail_analysis(transcript_id: int, reason: str) -> str:
    """Mark an analysis failed with ``reason``, the words the two people read."""
    return _fail(transcript_id, reason)


def _fail(transcript_id: int, reason: str) -> str:
    with transaction.atomic():
        Transcript.objects.filter(pk=transcript_id).update(
            status=TranscriptStatus.FAILED,
            failure_reason=reason[:2000],
            finished_at=timezone.now(),
            heartbeat_at=None,
        )
        versions.bump_for_transcript(transcript_id)
    return TranscriptStatus.FAILED


def read_failure_message(error: TranscriptError) -> str:
    """What a person reads when their file cannot be read: the reason, and where."""
    where = f" (line {error.line})" if error.line is not None else ""
    return f"The file could not be read: {error.reason}{where}."


def _attempts_message() -> str:
    return (
        f"The analysis stopped before it finished {max_attempts()} times, the most it is "
        "tried. Upload the file again to try once more."
    )


UNEXPECTED_FAILURE = (
    "The analysis failed because of a fault in Tête-à-tête, not in your file. Try uploading "
    "it again later; the details are in the server's log."
)


def run_analysis(transcript_id: int) -> str:
    """Analyse a queued (or abandoned running) transcript; returns its status afterwards.

    Only the status fields change when the file cannot be read: no report, no suggestions.
    """
    # Before claiming: loading takes seconds the first time, and the lease starts now.
    load_analysis_models()
    now = timezone.now()
    # Queued, or running without a live lease (its worker died).
    claimable = Q(status=TranscriptStatus.QUEUED) | (
        Q(status=TranscriptStatus.RUNNING)
        & (
            Q(heartbeat_at__lt=now - dt.timedelta(seconds=lease_seconds()))
            | Q(heartbeat_at__isnull=True)
        )
    )
    with transaction.atomic():
        claimed = Transcript.objects.filter(
            claimable, pk=transcript_id, attempts__lt=max_attempts()
        ).update(
            status=TranscriptStatus.RUNNING,
            started_at=now,
            heartbeat_at=now,
            attempts=F("attempts") + 1,
            failure_reason="",
        )
        if claimed:
            versions.bump_for_transcript(transcript_id)
    if not claimed:
        if Transcript.objects.filter(claimable, pk=transcript_id).exists():
            return _fail(transcript_id, _attempts_message())
        # Done, failed, deleted, or running in a live worker: a duplicate or late task.
        status = Transcript.objects.filter(pk=transcript_id).values_list("status", flat=True)
        return status.first() or "deleted"
    transcript = Transcript.objects.select_related(
        "meeting__oneonone__first", "meeting__oneonone__second"
    ).get(pk=transcript_id)
    if transcript.format == AUDIO_FORMAT:
        # A recording: tete.recordings reads its sound, then ends as below (finish_analysis).
        from tete.recordings.analysis import analyse_recording

        return analyse_recording(transcript)
    if not transcript.has_content:
        return _fail(transcript_id, "The transcript's text was removed (retention period).")
    meeting = transcript.meeting
    oneonone = meeting.oneonone
    analysis = _Analysis(
        content=bytes(transcript.content or b""),
        filename=transcript.filename,
        oneonone=oneonone,
        remembered=_remembered_aliases(oneonone),
        meeting_date=_meeting_date(meeting),
        limits=transcript_limits(),
    )
    return finish_analysis(
        transcript_id,
        oneonone,
        analysis.run,
        seconds=float(settings.TETE_ANALYSIS_TIME_LIMIT_SECONDS),
    )


def finish_analysis(
    transcript_id: int,
    oneonone: OneOnOne,
    work: Callable[[], AnalysisResult],
    *,
    seconds: float,
    beat: Callable[[], None] | None = None,
    store: Callable[[Transcript, AnalysisResult], None] | None = None,
) -> str:
    """Run a claimed analysis's ``work`` within the limits, then store its report (and call
    ``store`` in the same transaction) or fail the transcript with a message."""

    def renew() -> None:
        _renew_lease(transcript_id)
        if beat is not None:
            beat()

    try:
        result = isolation.run_limited(
            work,
            memory_mb=int(settings.TETE_ANALYSIS_MEMORY_MB),
            seconds=seconds,
            beat=renew,
            beat_every=heartbeat_seconds(),
        )
    except TranscriptError as error:
        return _fail(transcript_id, read_failure_message(error))
    except isolation.LimitExceeded as error:
        logger.warning("Analysing transcript %s: %s", transcript_id, error.message)
        return _fail(transcript_id, error.message)
    except isolation.AnalysisCrashed as error:
        logger.error("Analysing transcript %s failed:\n%s", transcript_id, error.details)
        return _fail(transcript_id, UNEXPECTED_FAILURE)
    except Exception:
        logger.exception("Analysing transcript %s failed", transcript_id)
        return _fail(transcript_id, UNEXPECTED_FAILURE)
    with transaction.atomic():
        locked = Transcript.objects.select_for_update().filter(pk=transcript_id).first()
        if locked is None or locked.status != TranscriptStatus.RUNNING:
            return locked.status if locked else "deleted"
        _store_report(locked, oneonone, result.outcome, result.mapping, result.confirmed)
        if store is not None:
            store(locked, result)
        locked.status = TranscriptStatus.DONE
        locked.format = result.format
        locked.finished_at = timezone.now()
        locked.heartbeat_at = None
        locked.save(update_fields=["status", "format", "finished_at", "heartbeat_at"])
        versions.bump(oneonone.pk)
    return TranscriptStatus.DONE


@functools.cache
def load_analysis_models() -> None:
    """Load the text analysis's lexicons and models (seconds) once in this process, so that
    each analysis's child process starts with them (isolation.py forks it)."""
    import random

    from tete.conversation import analyze
    from tete.reports.samples import generate_webvtt

    sample = generate_webvtt(random.Random(0), "Ann", "Ben", lead_share=0.5, minutes=1)
    analyze(read(sample.encode()), text_analysis=True)


def _renew_lease(transcript_id: int) -> None:
    """The running analysis is alive: move its lease on (no page shows it: no version bump)."""
    Transcript.objects.filter(pk=transcript_id, status=TranscriptStatus.RUNNING).update(
        heartbeat_at=timezone.now()
    )


@dataclass(frozen=True)
class AnalysisResult:
    """What an analysis's child process hands back; ``extra`` is for the caller's ``store``."""

    format: str
    outcome: Outcome
    mapping: Mapping_
    confirmed: bool
    extra: Any = None


@dataclass(frozen=True)
class _Analysis:
    """Everything an analysis needs, gathered from the database before it starts: it runs
    in a child process that may not query (isolation.py)."""

    content: bytes
    filename: str
    oneonone: OneOnOne
    remembered: dict[str, int | None]
    meeting_date: dt.date
    limits: Limits

    def run(self) -> AnalysisResult:
        parsed = read(self.content, name=self.filename, limits=self.limits)
        if not parsed.speakers:
            raise TranscriptError(
                self.filename,
                "no speaker names found: the report needs to know who said what "
                "(export the transcript with speaker names)",
            )
        mapping, confirmed = suggested_mapping(self.oneonone, parsed.speakers, self.remembered)
        outcome = analyse_for_oneonone(parsed, self.oneonone, mapping, self.meeting_date)
        return AnalysisResult(parsed.format, outcome, mapping, confirmed)


def _remembered_aliases(oneonone: OneOnOne) -> dict[str, int | None]:
    return dict(SpeakerAlias.objects.filter(oneonone=oneonone).values_list("label", "person_id"))


def _store_report(
    transcript: Transcript, oneonone: OneOnOne, outcome: Any, mapping: Mapping_, confirmed: bool
) -> ConversationReport:
    first, second = oneonone.first_id, oneonone.second_id
    now = timezone.now()
    data = dict(outcome.data)
    # Remember which file label became which speaker, for the mapping form.
    data["speaker_labels"] = {label: person_id for label, person_id in mapping.items()}
    figures = {
        "meeting_id": transcript.meeting_id,
        "oneonone": oneonone,
        "data": data,
        "speaker_people": outcome.speaker_people,
        "mapping_confirmed": confirmed,
        "balance_status": outcome.balance_status,
        "duration_s": outcome.duration_s,
        "first_share": outcome.shares[first],
        "second_share": outcome.shares[second],
        "first_interruptions": outcome.interruptions[first],
        "second_interruptions": outcome.interruptions[second],
        "first_questions": outcome.questions[first],
        "second_questions": outcome.questions[second],
        "updated_at": now,
    }
    report, _created = ConversationReport.objects.update_or_create(
        transcript=transcript,
        defaults=figures,
        create_defaults={**figures, "created_at": now},
    )
    decided = {
        text.casefold()
        for text in report.suggestions.exclude(status=SuggestionStatus.OPEN).values_list(
            "text", flat=True
        )
    }
    report.suggestions.filter(status=SuggestionStatus.OPEN).delete()
    SuggestedActionItem.objects.bulk_create(
        SuggestedActionItem(report=report, **item)
        for item in outcome.suggestions
        if item["text"].casefold() not in decided
    )
    return report


# --- Speakers ----------------------------------------------------------------------------


def save_speaker_mapping(
    transcript: Transcript, *, by: Person, mapping: dict[str, int | None]
) -> Transcript:
    """Remember who each label is for the one-on-one and recompute this transcript's report."""
    oneonone = transcript.meeting.oneonone
    _require_participant(oneonone, by)
    allowed = {oneonone.first_id, oneonone.second_id, None}
    if any(person_id not in allowed for person_id in mapping.values()):
        raise ValidationError("A speaker can only be one of the two people, or someone else.")
    if not transcript.has_content and transcript.format != AUDIO_FORMAT:
        raise ValidationError(
            "The transcript's text was removed after the retention period, so its report "
            "cannot be recomputed."
        )
    now = timezone.now()
    with transaction.atomic():
        for label, person_id in mapping.items():
            SpeakerAlias.objects.update_or_create(
                oneonone=oneonone,
                label=label,
                defaults={"person_id": person_id, "updated_by": by, "updated_at": now},
            )
        Transcript.objects.filter(pk=transcript.pk).update(
            status=TranscriptStatus.QUEUED, failure_reason=""
        )
        versions.bump(oneonone.pk)
    enqueue_analysis(transcript)
    transcript.refresh_from_db(fields=["status", "failure_reason", "finished_at"])
    return transcript


# --- Deleting, retention, recovery ---------------------------------------------------------------


def delete_transcript(transcript: Transcript, *, by: Person) -> None:
    """Delete a transcript and its report. Action items already accepted stay."""
    oneonone = transcript.meeting.oneonone
    _require_participant(oneonone, by)
    with transaction.atomic():
        transcript.delete()
        versions.bump(oneonone.pk)


def purge_expired_transcripts(now: dt.datetime | None = None) -> int:
    """Remove the text of transcripts older than the retention period; figures stay.

    Removes the file's content, the words of each segment in the report (the timeline keeps
    who spoke when) and the quoted sentences of suggestions. Returns how many were purged.
    """
    days = int(getattr(settings, "TETE_TRANSCRIPT_RETENTION_DAYS", 0))
    if days <= 0:
        return 0
    cutoff = (now or timezone.now()) - dt.timedelta(days=days)
    expired = Transcript.objects.filter(
        uploaded_at__lt=cutoff, content_purged_at__isnull=True
    ).exclude(status__in=PENDING_STATUSES)
    purged = 0
    for transcript_id in expired.values_list("pk", flat=True):
        with transaction.atomic():
            Transcript.objects.filter(pk=transcript_id).update(
                content=None, content_purged_at=timezone.now()
            )
            report = ConversationReport.objects.filter(transcript_id=transcript_id).first()
            if report is not None:
                data = dict(report.data)
                data["segments"] = [{**segment, "text": ""} for segment in data.get("segments", [])]
                data["suggested_action_items"] = [
                    {**item, "text": ""} for item in data.get("suggested_action_items", [])
                ]
                report.data = data
                report.save(update_fields=["data"])
                report.suggestions.update(quote="")
            versions.bump_for_transcript(transcript_id)
        purged += 1
    return purged


def stuck_transcripts(now: dt.datetime | None = None, **filters: Any) -> QuerySet[Transcript]:
    """The analyses nobody is working on any more (read only; see below).

    A running analysis whose lease (``heartbeat_at``) was not renewed for
    TETE_ANALYSIS_LEASE_SECONDS lost its worker (a kill -9 leaves no trace in the task
    queue); one queued for TETE_ANALYSIS_TIMEOUT_SECONDS and never started lost its task.
    """
    now = now or timezone.now()
    lease_cutoff = now - dt.timedelta(seconds=lease_seconds())
    queued_cutoff = now - dt.timedelta(seconds=queued_timeout_seconds())
    abandoned = Q(status=TranscriptStatus.RUNNING) & (
        Q(heartbeat_at__lt=lease_cutoff) | Q(heartbeat_at__isnull=True, started_at__lt=lease_cutoff)
    )
    # While queued, started_at says since when it was queued again.
    lost = Q(status=TranscriptStatus.QUEUED) & (
        Q(started_at__isnull=True, uploaded_at__lt=queued_cutoff) | Q(started_at__lt=queued_cutoff)
    )
    return Transcript.objects.filter(**filters).filter(abandoned | lost)


def requeue_stuck_transcripts(now: dt.datetime | None = None, **filters: Any) -> list[int]:
    """Queue again the analyses nobody is working on any more; returns their ids.

    A running analysis whose lease (``heartbeat_at``) was not renewed for
    TETE_ANALYSIS_LEASE_SECONDS lost its worker (a kill -9 leaves no trace in the task
    queue); one queued for TETE_ANALYSIS_TIMEOUT_SECONDS and never started lost its task.
    One that was already tried TETE_ANALYSIS_ATTEMPTS times fails instead. Re-running is
    idempotent. Every worker calls this every few seconds (``tete worker``).
    """
    now = now or timezone.now()
    stuck = stuck_transcripts(now, **filters)
    ids = []
    for transcript_id, status, heartbeat, attempts in stuck.values_list(
        "pk", "status", "heartbeat_at", "attempts"
    ):
        if attempts >= max_attempts():
            _fail(transcript_id, _attempts_message())
            continue
        # Only if nobody renewed or took it meanwhile; moving the clock on keeps two
        # workers from queuing it twice.
        with transaction.atomic():
            updated = Transcript.objects.filter(
                pk=transcript_id, status=status, heartbeat_at=heartbeat
            ).update(status=TranscriptStatus.QUEUED, started_at=now)
            if updated:
                versions.bump_for_transcript(transcript_id)
        if updated:
            ids.append(transcript_id)
            from tete.reports.tasks import analyse_transcript

            analyse_transcript.enqueue(transcript_id)
    return ids


# --- Suggested action items ----------------------------------------------------------------


def accept_suggestion(
    suggestion: SuggestedActionItem,
    *,
    by: Person,
    owner: Person,
    due_date: dt.date | None,
    text: str | None = None,
) -> SuggestedActionItem:
    """Turn a suggestion into an action item of the meeting it was heard in."""
    report = suggestion.report
    _require_participant(report.oneonone, by)
    with transaction.atomic():
        locked = SuggestedActionItem.objects.select_for_update().get(pk=suggestion.pk)
        if locked.status != SuggestionStatus.OPEN:
            return locked  # the other participant decided first
        item = oneonone_actions.add_action_item(
            report.meeting, by=by, text=text or locked.text, owner=owner, due_date=due_date
        )
        locked.status = SuggestionStatus.ACCEPTED
        locked.action_item = item
        locked.owner = owner
        locked.due_date = due_date
        locked.decided_by = by
        locked.decided_at = timezone.now()
        locked.save()
        versions.bump(report.oneonone_id)
    return locked


def dismiss_suggestion(suggestion: SuggestedActionItem, *, by: Person) -> SuggestedActionItem:
    _require_participant(suggestion.report.oneonone, by)
    with transaction.atomic():
        dismissed = SuggestedActionItem.objects.filter(
            pk=suggestion.pk, status=SuggestionStatus.OPEN
        ).update(status=SuggestionStatus.DISMISSED, decided_by=by, decided_at=timezone.now())
        if dismissed:
            versions.bump(suggestion.report.oneonone_id)
    suggestion.refresh_from_db()
    return suggestion
