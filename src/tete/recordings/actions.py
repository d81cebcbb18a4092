"""Every write about recordings: upload, record in the browser, finish, delete, clean up.

The sound is stored as numbered chunks (models.AudioChunk) as it arrives, never read whole
into memory. Once a recording is complete, a ``reports.Transcript`` row of format "audio"
is made for it and its analysis queued: from there on it is a transcript's analysis, with
its status, lease, retries, report and speaker mapping (recordings/analysis.py).

Faults, by design:
* a browser numbers its chunks: one sent twice is stored once, one arriving late is put in
  its place, and finishing uses the chunks from the first up to the first one missing (a
  stream cut in the middle cannot be decoded past the cut), saying so;
* a browser recording left unfinished (closed tab, crash) keeps what arrived: either person
  can finish it from the meeting page, and the person who started it can continue it
  (:func:`continue_browser_recording`: a new part, numbered on); after TETE_UNFINISHED_RECORDING_HOURS without a
  chunk, :func:`delete_expired_sound` deletes it;
* the sound is deleted when its analysis succeeds; voice samples after
  TETE_VOICE_SAMPLE_HOURS (:func:`delete_expired_sound`, run by every upload, by
  ``tete worker`` and by ``tete manage purge_recordings``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import secrets
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from tete import limits
from tete.conversation.audio import name_from_file
from tete.conversation.audio.limits import MAX_CHANNELS, MAX_OFFSET_S
from tete.oneonones import versions
from tete.recordings.models import (
    AudioChunk,
    AudioFile,
    Continuation,
    Recording,
    RecordingKind,
    RecordingState,
    VoiceSample,
)
from tete.reports import actions as report_actions
from tete.reports.models import SpeakerAlias, Transcript, TranscriptStatus
from tete.throttle import Throttle, throttle
from tete.uploads import human_size

if TYPE_CHECKING:
    from tete.accounts.models import Person
    from tete.oneonones.models import Meeting

#: Bytes per stored chunk of an uploaded file.
CHUNK_BYTES = 1024 * 1024
#: The most chunks one browser recording takes (10 s each: 4 hours and more).
MAX_BROWSER_CHUNKS = 2000


def max_recording_bytes() -> int:
    return int(settings.TETE_MAX_RECORDING_BYTES)


def count_upload(person: Person) -> Throttle:
    """Count an upload against the person's hourly allowance (TETE_UPLOADS_PER_HOUR), as
    transcripts count: the upload page and the API share it."""
    return throttle(
        f"recording-upload:{person.pk}",
        limit=int(settings.TETE_UPLOADS_PER_HOUR),
        per_seconds=3600,
    )


def upload_refusal_text(result: Throttle) -> str:
    return (
        f"You can upload {result.limit} recordings {limits.per_text(result.per_seconds)}, "
        f"and have reached that limit. You can upload again in "
        f"{limits.duration_text(result.retry_after)}."
    )


class UploadedAudio(Protocol):
    """An uploaded file as Django hands it over (only what is used here)."""

    name: str
    size: int

    def chunks(self, chunk_size: int | None = None) -> Iterator[bytes]: ...


@dataclass(frozen=True)
class Track:
    """One uploaded file, with when it starts and who it is (when the uploader said)."""

    file: UploadedAudio
    offset_s: float = 0.0
    person: Person | None = None


def _require_participant(meeting: Meeting, person: Person) -> None:
    if not meeting.oneonone.is_participant(person):
        raise ValidationError("Only the one-on-one's two participants can do this.")


def _check_size(file: UploadedAudio) -> None:
    if file.size == 0:
        raise ValidationError(f"{file.name} is empty.")
    if file.size > max_recording_bytes():
        raise ValidationError(
            f"{file.name} is {human_size(file.size)}; the largest recording accepted is "
            f"{human_size(max_recording_bytes())}."
        )


def upload_recording(
    meeting: Meeting,
    *,
    by: Person,
    kind: str,
    tracks: Sequence[Track],
    channel_people: Sequence[Person | None] = (),
) -> Recording:
    """Store uploaded recordings of a meeting and queue their analysis.

    ``kind`` says how people are told apart: ``tracks`` (a file per person, each with an
    offset), ``channels`` (one file, a person per channel, ``channel_people`` in order) or
    ``one_microphone`` (one file; an estimate). A person given for a track or a channel is
    remembered for the one-on-one under that track's or channel's label.
    """
    _require_participant(meeting, by)
    if kind == RecordingKind.TRACKS:
        if not 2 <= len(tracks) <= MAX_CHANNELS:
            raise ValidationError(
                f"Upload one file per person: between 2 and {MAX_CHANNELS} files."
            )
    elif kind in (RecordingKind.CHANNELS, RecordingKind.ONE_MICROPHONE):
        if len(tracks) != 1:
            raise ValidationError("Upload one file.")
    else:
        raise ValidationError(f"Unknown kind of recording: {kind!r}.")
    for track in tracks:
        _check_size(track.file)
        if abs(track.offset_s) > MAX_OFFSET_S:
            raise ValidationError(
                f"The offset of {track.file.name} is {track.offset_s:g} s; at most "
                f"{MAX_OFFSET_S:.0f} s either way."
            )
    digest = hashlib.sha256()
    for track in tracks:
        for piece in track.file.chunks(CHUNK_BYTES):
            digest.update(piece)
        digest.update(f"|{track.offset_s}|".encode())
    sha256 = digest.hexdigest()
    earlier = Transcript.objects.filter(meeting__oneonone=meeting.oneonone, sha256=sha256)
    if earlier.exclude(status=TranscriptStatus.FAILED).exists():
        raise ValidationError("This recording was already uploaded to this one-on-one.")
    aliases: dict[str, Person | None] = {}
    if kind == RecordingKind.TRACKS:
        for track in tracks:
            if track.person is not None:
                aliases[name_from_file(track.file.name)] = track.person
    elif kind == RecordingKind.CHANNELS:
        labels = channel_labels(len(channel_people))
        aliases.update(
            (label, person)
            for label, person in zip(labels, channel_people, strict=True)
            if person is not None
        )
    try:
        with transaction.atomic():
            # The same file after a failed analysis (its sound is gone): analysed afresh.
            earlier.filter(status=TranscriptStatus.FAILED).delete()
            recording = Recording.objects.create(meeting=meeting, kind=kind, created_by=by)
            for position, track in enumerate(tracks):
                _store_file(recording, position, track)
            _remember(meeting, by, aliases)
            transcript = _make_transcript(
                recording,
                by,
                [t.file.name for t in tracks],
                sha256,
                sum(t.file.size for t in tracks),
            )
    except IntegrityError:
        raise ValidationError("This recording was already uploaded to this meeting.") from None
    report_actions.enqueue_analysis(transcript)
    delete_expired_sound()  # opportunistic: the retention holds without a cron job
    return recording


def channel_labels(count: int) -> list[str]:
    """The labels the reader gives channels (recording.py): left and right, or numbers."""
    if count == 2:
        return ["left", "right"]
    return [f"channel {index + 1}" for index in range(count)]


def _store_file(recording: Recording, position: int, track: Track) -> AudioFile:
    file = AudioFile.objects.create(
        recording=recording,
        position=position,
        filename=track.file.name[-255:] or "recording",
        offset_s=track.offset_s,
        person=track.person,
        size_bytes=track.file.size,
    )
    _store_chunks(file, track.file.chunks(CHUNK_BYTES))
    return file


def _store_chunks(file: AudioFile, pieces: Iterable[bytes]) -> None:
    """Store ``pieces`` as chunks of about CHUNK_BYTES, a few in memory at a time."""
    batch: list[AudioChunk] = []
    pending = bytearray()
    index = 0
    for piece in pieces:
        pending += piece
        while len(pending) >= CHUNK_BYTES:
            batch.append(AudioChunk(file=file, index=index, data=bytes(pending[:CHUNK_BYTES])))
            del pending[:CHUNK_BYTES]
            index += 1
            if len(batch) >= 8:
                AudioChunk.objects.bulk_create(batch)
                batch = []
    if pending:
        batch.append(AudioChunk(file=file, index=index, data=bytes(pending)))
    AudioChunk.objects.bulk_create(batch)


def _remember(meeting: Meeting, by: Person, aliases: dict[str, Person | None]) -> None:
    now = timezone.now()
    for label, person in aliases.items():
        SpeakerAlias.objects.update_or_create(
            oneonone=meeting.oneonone,
            label=label,
            defaults={"person": person, "updated_by": by, "updated_at": now},
        )


def _make_transcript(
    recording: Recording, by: Person, names: list[str], sha256: str, size: int
) -> Transcript:
    transcript = Transcript.objects.create(
        meeting=recording.meeting,
        uploaded_by=by,
        filename=" + ".join(names)[-255:] or "recording",
        format=report_actions.AUDIO_FORMAT,
        size_bytes=min(size, 2**31 - 1),
        sha256=sha256,
        content=None,
    )
    Recording.objects.filter(pk=recording.pk).update(
        transcript=transcript, state=RecordingState.COMPLETE
    )
    recording.transcript = transcript
    recording.state = RecordingState.COMPLETE
    versions.bump(recording.meeting.oneonone_id)
    return transcript


# --- Recording in the browser -----------------------------------------------------------------


def start_browser_recording(
    meeting: Meeting, *, by: Person, consent: bool, content_type: str
) -> Recording:
    """Begin a recording in the browser, once the recorder confirms both people agreed."""
    _require_participant(meeting, by)
    if not consent:
        raise ValidationError("Confirm that both of you agree to record before starting.")
    container = _container(content_type)
    if container not in ("audio/webm", "audio/mp4", "audio/ogg"):
        raise ValidationError(f"The browser records {content_type or 'nothing'}; not audio.")
    suffix = {"audio/webm": ".webm", "audio/mp4": ".m4a", "audio/ogg": ".ogg"}[container]
    now = timezone.now()
    with transaction.atomic():
        recording = Recording.objects.create(
            meeting=meeting,
            kind=RecordingKind.BROWSER,
            state=RecordingState.RECORDING,
            created_by=by,
            consent_given_at=now,
            last_chunk_at=now,
        )
        AudioFile.objects.create(
            recording=recording,
            filename=f"recording-{timezone.localtime(now):%Y-%m-%d-%H%M}{suffix}",
            content_type=content_type[:100],
        )
        versions.bump(meeting.oneonone_id)
    return recording


def add_chunk(recording: Recording, *, by: Person, index: int, data: bytes) -> int:
    """Store chunk ``index`` of a browser recording (again: nothing changes); returns the
    number of chunks received in a row from the first, which the browser resumes after."""
    _require_participant(recording.meeting, by)
    if not 0 <= index < MAX_BROWSER_CHUNKS:
        raise ValidationError(f"Chunk {index} is out of range (0 to {MAX_BROWSER_CHUNKS - 1}).")
    if not data:
        raise ValidationError("The chunk is empty.")
    with transaction.atomic():
        # Locked so that a chunk never lands in a recording being finished or deleted at the
        # same moment (finishing decides which chunks make the recording).
        locked = _locked_browser_recording(recording.pk)
        file = locked.files.get()
        if file.size_bytes + len(data) > max_recording_bytes():
            raise ValidationError(
                f"The recording has reached {human_size(max_recording_bytes())}, the largest "
                "accepted. Stop it here."
            )
        _, created = AudioChunk.objects.get_or_create(
            file=file, index=index, defaults={"data": data}
        )
        if created:
            # Two chunks may arrive at once (a retry beside the next one): add in the database.
            AudioFile.objects.filter(pk=file.pk).update(size_bytes=F("size_bytes") + len(data))
            Recording.objects.filter(pk=recording.pk).update(last_chunk_at=timezone.now())
    return received_in_a_row(file)


def _locked_browser_recording(pk: int) -> Recording:
    """The recording, locked, while it still takes sound; ValidationError otherwise."""
    locked = Recording.objects.select_for_update().filter(pk=pk).first()
    if locked is None:
        raise ValidationError("This recording was deleted: it takes no more sound.")
    if locked.state != RecordingState.RECORDING or locked.kind != RecordingKind.BROWSER:
        raise ValidationError("This recording is finished: it takes no more sound.")
    return locked


def _container(content_type: str) -> str:
    return content_type.split(";")[0].strip().lower()


def can_continue(recording: Recording, person: Person) -> bool:
    """Whether ``person`` may take ``recording`` up again: only who started it, only while
    it is unfinished (the other person can finish or delete it)."""
    return (
        recording.kind == RecordingKind.BROWSER
        and recording.state == RecordingState.RECORDING
        and recording.created_by_id == person.pk
    )


def continue_browser_recording(
    recording: Recording, *, by: Person, content_type: str, after: int = 0
) -> Continuation:
    """Take up an unfinished browser recording again, after its page was reloaded or closed.

    The new part's chunks are numbered on after the last one stored, or after ``after``
    when the browser still holds later ones that have not reached the server. Consent is the
    one given when it started. Raises PermissionDenied for anyone but the person who started
    it, ValidationError when it is finished or deleted, or recorded in another format.
    """
    _require_participant(recording.meeting, by)
    if recording.created_by_id != by.pk:
        raise PermissionDenied("Only the person who started this recording can continue it.")
    with transaction.atomic():
        locked = _locked_browser_recording(recording.pk)
        file = locked.files.get()
        if _container(content_type) != _container(file.content_type):
            raise ValidationError(
                f"This recording was made as {file.content_type}, and this browser records "
                f"{content_type or 'nothing'}: continue it in the browser it was started in, "
                "or analyse it and start a new one."
            )
        last = AudioChunk.objects.filter(file=file).order_by("-index").first()
        first_index = max(last.index + 1 if last else 0, after)
        if first_index >= MAX_BROWSER_CHUNKS:
            raise ValidationError("This recording has as many pieces as one can take.")
        # A part that was continued and then got no sound is replaced, not kept empty.
        Continuation.objects.filter(recording=locked, first_index__gte=first_index).delete()
        now = timezone.now()
        continuation = Continuation.objects.create(
            recording=locked, first_index=first_index, continued_at=now, continued_by=by
        )
        # Continuing is activity: the unfinished recording is not deleted meanwhile.
        Recording.objects.filter(pk=locked.pk).update(last_chunk_at=now)
        versions.bump(locked.meeting.oneonone_id)
    return continuation


def part_starts(recording: Recording) -> list[int]:
    """The first chunk index of each part of a browser recording (0, then each
    continuation's)."""
    starts = Continuation.objects.filter(recording=recording).values_list("first_index", flat=True)
    return [0, *(index for index in starts if index > 0)]


def received_in_a_row(file: AudioFile) -> int:
    """How many chunks, from the first, arrived without a gap."""
    indexes = list(AudioChunk.objects.filter(file=file).values_list("index", flat=True))
    count = 0
    for expected, index in enumerate(indexes):
        if index != expected:
            break
        count += 1
    return count


def usable_indexes(file: AudioFile, starts: Sequence[int]) -> list[int]:
    """The chunks that make the recording: in each part, those from its first up to the
    first one missing (a stream cut in the middle cannot be decoded past the cut; the next
    part has a header of its own, so it still can)."""
    stored = set(AudioChunk.objects.filter(file=file).values_list("index", flat=True))
    usable = []
    bounds = [*starts, MAX_BROWSER_CHUNKS]
    for start, end in itertools.pairwise(bounds):
        index = start
        while index < end and index in stored:
            usable.append(index)
            index += 1
    return usable


def finish_browser_recording(recording: Recording, *, by: Person) -> Recording:
    """Stop taking sound and queue the analysis of what arrived (in each part, the chunks
    up to its first gap)."""
    _require_participant(recording.meeting, by)
    with transaction.atomic():
        locked = Recording.objects.select_for_update().get(pk=recording.pk)
        if locked.state != RecordingState.RECORDING:
            return locked  # the other participant (or another tab) finished it first
        file = locked.files.get()
        starts = part_starts(locked)
        usable = usable_indexes(file, starts)
        if not usable:
            raise ValidationError(
                "No sound arrived from this recording, so there is nothing to analyse. "
                "Delete it and record again."
            )
        AudioChunk.objects.filter(file=file).exclude(index__in=usable).delete()
        # A part none of whose chunks arrived is no part.
        Continuation.objects.filter(recording=locked).exclude(first_index__in=usable).delete()
        size = sum(
            len(data)
            for data in AudioChunk.objects.filter(file=file).values_list("data", flat=True)
        )
        AudioFile.objects.filter(pk=file.pk).update(size_bytes=size)
        transcript = _make_transcript(locked, by, [file.filename], secrets.token_hex(32), size)
    report_actions.enqueue_analysis(transcript)
    locked.refresh_from_db()
    return locked


# --- Deleting ----------------------------------------------------------------------------------


def delete_recording(recording: Recording, *, by: Person) -> None:
    """Delete a recording, its sound, samples and report."""
    _require_participant(recording.meeting, by)
    with transaction.atomic():
        if recording.transcript_id is not None:
            Transcript.objects.filter(pk=recording.transcript_id).delete()
        recording.delete()
        versions.bump(recording.meeting.oneonone_id)


def delete_sound(recording_id: int, now: dt.datetime | None = None) -> None:
    """Delete a recording's sound (its chunks); what the analysis found stays."""
    with transaction.atomic():
        AudioChunk.objects.filter(file__recording_id=recording_id).delete()
        Recording.objects.filter(pk=recording_id).update(sound_deleted_at=now or timezone.now())


def delete_expired_sound(now: dt.datetime | None = None) -> int:
    """Delete voice samples past TETE_VOICE_SAMPLE_HOURS and browser recordings left
    unfinished for TETE_UNFINISHED_RECORDING_HOURS. Returns how many recordings changed."""
    now = now or timezone.now()
    changed = 0
    # An analysis that failed for good (it is not tried again) needs the sound no more.
    failed = Recording.objects.filter(
        transcript__status=TranscriptStatus.FAILED, sound_deleted_at__isnull=True
    )
    for recording_id in failed.values_list("pk", flat=True):
        delete_sound(recording_id, now)
        changed += 1
    expired = Recording.objects.filter(samples_expire_at__lte=now)
    for recording_id, oneonone_id in expired.values_list("pk", "meeting__oneonone_id"):
        with transaction.atomic():
            VoiceSample.objects.filter(recording_id=recording_id).delete()
            Recording.objects.filter(pk=recording_id).update(samples_expire_at=None)
            versions.bump(oneonone_id)
        changed += 1
    left_before = now - dt.timedelta(hours=float(settings.TETE_UNFINISHED_RECORDING_HOURS))
    left = Recording.objects.filter(state=RecordingState.RECORDING, last_chunk_at__lt=left_before)
    for recording_id, oneonone_id in left.values_list("pk", "meeting__oneonone_id"):
        with transaction.atomic():
            Recording.objects.filter(pk=recording_id).delete()
            versions.bump(oneonone_id)
        changed += 1
    return changed
