"""Every write in the reports area: upload, analyse, map speakers, decide suggestions, purge.

Views, the background task, management commands and the demo call these functions.

Faults, by design:
* analysis reads and computes first, then writes the report, its suggestions and the
  "done" status in one transaction, so a report is never half-written;
* running the analysis twice gives the same report (the row is replaced, decided
  suggestions are kept), so a task retried after a worker was killed is harmless;
* a transcript left "running" by a killed worker is queued again by
  :func:`requeue_stuck_transcripts` (a command, and whenever its meeting page polls);
* every change a one-on-one's pages show (a status, a report, a decided suggestion) bumps
  the one-on-one's content version in the same transaction (oneonones/versions.py), so
  that cached pages do not outlive it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.formats import date_format

from tete.conversation import TranscriptError, read
from tete.oneonones import actions as oneonone_actions
from tete.oneonones import versions
from tete.reports.analysis import Mapping_, analyse_for_oneonone, suggested_mapping
from tete.reports.models import (
    PENDING_STATUSES,
    ConversationReport,
    SpeakerAlias,
    SuggestedActionItem,
    SuggestionStatus,
    Transcript,
    TranscriptStatus,
)

if TYPE_CHECKING:
    from tete.accounts.models import Person
    from tete.oneonones.models import Meeting, OneOnOne

logger = logging.getLogger(__name__)

#: Seconds after which a transcript still "running" is taken for abandoned by a dead worker.
DEFAULT_STUCK_AFTER_S = 15 * 60


def _require_participant(oneonone: OneOnOne, person: Person) -> None:
    if not oneonone.is_participant(person):
        raise ValidationError("Only the one-on-one's two participants can do this.")


def max_upload_bytes() -> int:
    return int(settings.TETE_MAX_UPLOAD_BYTES)


def human_size(size: int) -> str:
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size / (1024 * 1024):.1f} MB"


# --- Upload and analysis ---------------------------------------------------------------------


@dataclass(frozen=True)
class UploadResult:
    transcript: Transcript
    #: True when this exact file was already uploaded to the one-on-one (nothing new stored).
    duplicate: bool = False

    @property
    def duplicate_message(self) -> str:
        when = date_format(timezone.localtime(self.transcript.meeting.scheduled_at), "j M Y")
        return f"This file was already uploaded for the meeting on {when}; showing that one."


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
        return UploadResult(earlier, duplicate=True)
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


def enqueue_analysis(transcript: Transcript) -> None:
    """Queue the analysis task (with the immediate backend it runs right here)."""
    from tete.reports.tasks import analyse_transcript

    analyse_transcript.enqueue(transcript.pk)


def _meeting_date(meeting: Meeting) -> dt.date:
    when = meeting.held_at or meeting.scheduled_at
    return timezone.localtime(when, meeting.oneonone.tzinfo).date()


def _fail(transcript_id: int, reason: str) -> str:
    with transaction.atomic():
        Transcript.objects.filter(pk=transcript_id).update(
            status=TranscriptStatus.FAILED,
            failure_reason=reason[:2000],
            finished_at=timezone.now(),
        )
        versions.bump_for_transcript(transcript_id)
    return TranscriptStatus.FAILED


def run_analysis(transcript_id: int) -> str:
    """Analyse a queued (or abandoned running) transcript; returns its status afterwards.

    Only the status fields change when the file cannot be read: no report, no suggestions.
    """
    with transaction.atomic():
        claimed = Transcript.objects.filter(pk=transcript_id, status__in=PENDING_STATUSES).update(
            status=TranscriptStatus.RUNNING,
            started_at=timezone.now(),
            attempts=F("attempts") + 1,
            failure_reason="",
        )
        if claimed:
            versions.bump_for_transcript(transcript_id)
    if not claimed:
        # Already done, failed, or deleted: a duplicate or late task has nothing to do.
        status = Transcript.objects.filter(pk=transcript_id).values_list("status", flat=True)
        return status.first() or "deleted"
    transcript = Transcript.objects.select_related(
        "meeting__oneonone__first", "meeting__oneonone__second"
    ).get(pk=transcript_id)
    if not transcript.has_content:
        return _fail(transcript_id, "The transcript's text was removed (retention period).")
    meeting = transcript.meeting
    oneonone = meeting.oneonone
    try:
        parsed = read(bytes(transcript.content or b""), name=transcript.filename)
        if not parsed.speakers:
            raise TranscriptError(
                transcript.filename,
                "no speaker names found: the report needs to know who said what "
                "(export the transcript with speaker names)",
            )
        remembered = _remembered_aliases(oneonone)
        mapping, confirmed = suggested_mapping(oneonone, parsed.speakers, remembered)
        outcome = analyse_for_oneonone(parsed, oneonone, mapping, _meeting_date(meeting))
    except TranscriptError as error:
        return _fail(transcript_id, str(error))
    except Exception:
        logger.exception("Analysing transcript %s failed", transcript_id)
        _fail(transcript_id, "The analysis failed unexpectedly. Try uploading the file again.")
        raise
    with transaction.atomic():
        locked = Transcript.objects.select_for_update().filter(pk=transcript_id).first()
        if locked is None or locked.status != TranscriptStatus.RUNNING:
            return locked.status if locked else "deleted"
        _store_report(locked, oneonone, outcome, mapping, confirmed)
        locked.status = TranscriptStatus.DONE
        locked.format = parsed.format
        locked.finished_at = timezone.now()
        locked.save(update_fields=["status", "format", "finished_at"])
        versions.bump(oneonone.pk)
    return TranscriptStatus.DONE


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
    if not transcript.has_content:
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


def requeue_stuck_transcripts(
    now: dt.datetime | None = None, stuck_after_s: float | None = None, **filters: Any
) -> list[int]:
    """Queue again the transcripts a killed worker left pending; returns their ids.

    "Running" longer than the timeout means the worker died (a kill -9 leaves no trace in
    the task queue); "queued" that long means the task was lost. Re-running is idempotent.
    """
    timeout = stuck_after_s
    if timeout is None:
        timeout = float(getattr(settings, "TETE_ANALYSIS_TIMEOUT_SECONDS", DEFAULT_STUCK_AFTER_S))
    cutoff = (now or timezone.now()) - dt.timedelta(seconds=timeout)
    stuck = Transcript.objects.filter(**filters).filter(
        Q(status=TranscriptStatus.RUNNING, started_at__lt=cutoff)
        | Q(status=TranscriptStatus.QUEUED, uploaded_at__lt=cutoff, started_at__isnull=True)
        | Q(status=TranscriptStatus.QUEUED, started_at__lt=cutoff)
    )
    ids = list(stuck.values_list("pk", flat=True))
    for transcript_id in ids:
        # Moving the clock on first keeps two pollers from queuing it twice.
        with transaction.atomic():
            updated = Transcript.objects.filter(
                pk=transcript_id, status__in=PENDING_STATUSES
            ).update(status=TranscriptStatus.QUEUED, started_at=timezone.now())
            if updated:
                versions.bump_for_transcript(transcript_id)
        if updated:
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
