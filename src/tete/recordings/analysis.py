"""A recording's analysis: its sound to who spoke when, then the same report as a transcript.

It runs as a transcript's does (reports/actions.py: claimed by one worker, a lease renewed
while it runs, redone when a worker dies) and in the same kind of child process, with the
memory limit TETE_ANALYSIS_MEMORY_MB and its own time limit TETE_RECORDING_TIME_LIMIT_SECONDS
(decoding an hour takes tens of seconds, not the fraction of a second a transcript takes).

The child may not use the database, so the parent first writes the sound from its chunks to
files in a private temporary directory, deleted when the analysis ends whatever happens. A
browser recording that was continued after its page closed is several streams, each with its
own header: each is written to a file of its own, and the child joins them, one after the
other (tete.conversation.audio.join), before reading the whole.
The child reports its progress through a few bytes of memory shared with the parent, which
writes it to the recording for the meeting page.

After a success, in the transaction that stores the report: who spoke when is kept by label
(no sound), the sound's chunks are deleted, and a one-microphone recording keeps a few
seconds of each voice until TETE_VOICE_SAMPLE_HOURS have passed. Saying who is who later
recomputes the report from what was kept, without the sound.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import importlib
import io
import itertools
import mmap
import os
import struct
import tempfile
import wave
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.utils import timezone

from tete.conversation import Segment
from tete.conversation import Transcript as ParsedTranscript
from tete.conversation.model import Recording as RecordingInfo
from tete.conversation.model import Voice
from tete.oneonones import versions
from tete.recordings.actions import part_starts
from tete.recordings.models import AudioChunk, AudioFile, Recording, RecordingKind, VoiceSample
from tete.reports import actions as report_actions
from tete.reports.analysis import analyse_for_oneonone, suggested_mapping
from tete.reports.models import SpeakerAlias, Transcript, TranscriptStatus

if TYPE_CHECKING:
    import numpy as np

    from tete.oneonones.models import OneOnOne

#: Bytes read from the database at a time when writing the sound out for the analysis.
_CHUNKS_PER_QUERY = 64


def time_limit_seconds() -> float:
    return float(settings.TETE_RECORDING_TIME_LIMIT_SECONDS)


def max_duration_s() -> float:
    return float(settings.TETE_RECORDING_MAX_HOURS) * 3600


@functools.cache
def load_audio_modules() -> None:
    """Import what reading a recording needs (seconds the first time: scikit-learn, SciPy,
    FFmpeg) once in this process, so that each analysis's forked child starts with it."""
    for module in (
        "av",
        "scipy.fft",
        "sklearn.decomposition",
        "sklearn.exceptions",
        "sklearn.mixture",
        "sklearn.preprocessing",
        "threadpoolctl",
        "webrtcvad",
    ):
        importlib.import_module(module)


def analyse_recording(transcript: Transcript) -> str:
    """Analyse the recording behind a claimed transcript row; returns its status."""
    load_audio_modules()
    recording = Recording.objects.filter(transcript=transcript).prefetch_related("files").first()
    if recording is None:
        return report_actions.fail_analysis(transcript.pk, "The recording is missing.")
    oneonone = transcript.meeting.oneonone
    remembered = dict(
        SpeakerAlias.objects.filter(oneonone=oneonone).values_list("label", "person_id")
    )
    common: dict[str, Any] = {
        "oneonone": oneonone,
        "remembered": remembered,
        "meeting_date": timezone.localtime(transcript.meeting.scheduled_at).date(),
    }
    if recording.speech is not None:
        # Analysed before (the sound may be gone): recompute from who spoke when.
        again = _FromSpeech(speech=recording.speech, **common)
        return report_actions.finish_analysis(
            transcript.pk, oneonone, again.run, seconds=time_limit_seconds()
        )
    if recording.sound_deleted_at is not None:
        return report_actions.fail_analysis(transcript.pk, "The recording's sound was deleted.")
    progress = _SharedProgress()
    with tempfile.TemporaryDirectory(prefix="tete-recording-") as folder:
        files = list(recording.files.all())
        starts = part_starts(recording) if recording.kind == RecordingKind.BROWSER else [0]
        if len(starts) > 1:
            parts = _write_parts(files[0], starts, Path(folder))
            paths = [os.fspath(Path(folder) / "joined.mka")]
        else:
            parts = []
            paths = _write_sound(files, Path(folder))
        work = _FromSound(
            kind=recording.kind,
            paths=paths,
            parts=parts,
            names=[file.filename for file in files],
            offsets=[file.offset_s for file in files],
            progress=progress,
            max_duration_s=max_duration_s(),
            **common,
        )

        def beat() -> None:
            Recording.objects.filter(pk=recording.pk).update(progress=progress.percent())

        status = report_actions.finish_analysis(
            transcript.pk,
            oneonone,
            work.run,
            seconds=time_limit_seconds(),
            beat=beat,
            store=lambda locked, result: _keep_speech(recording, result.extra),
        )
    if status == TranscriptStatus.FAILED:
        # Failed for good (bad input or a limit; not tried again): the sound goes too.
        from tete.recordings.actions import delete_sound

        delete_sound(recording.pk)
    return status


def _write_sound(files: Sequence[AudioFile], folder: Path) -> list[str]:
    """Each file's chunks, in order, to a file in ``folder`` (a few chunks in memory at once)."""
    paths = []
    for position, file in enumerate(files):
        path = folder / f"{position}{_suffix(file)}"
        _write_chunks(AudioChunk.objects.filter(file=file), path)
        paths.append(os.fspath(path))
    return paths


def _write_parts(file: AudioFile, starts: Sequence[int], folder: Path) -> list[str]:
    """Each part of a continued browser recording to a file of its own, in order."""
    paths = []
    bounds = [*starts, None]
    for number, (start, end) in enumerate(itertools.pairwise(bounds)):
        chunks = AudioChunk.objects.filter(file=file, index__gte=start)
        if end is not None:
            chunks = chunks.filter(index__lt=end)
        path = folder / f"part{number}{_suffix(file)}"
        _write_chunks(chunks, path)
        paths.append(os.fspath(path))
    return paths


def _suffix(file: AudioFile) -> str:
    return Path(file.filename).suffix.lower()[:8] or ".audio"


def _write_chunks(chunks: Any, path: Path) -> None:
    with open(path, "wb") as out:
        ids = list(chunks.values_list("pk", flat=True))
        for start in range(0, len(ids), _CHUNKS_PER_QUERY):
            batch = ids[start : start + _CHUNKS_PER_QUERY]
            rows = AudioChunk.objects.filter(pk__in=batch).order_by("index")
            for data in rows.values_list("data", flat=True):
                out.write(bytes(data))


def _keep_speech(recording: Recording, extra: dict[str, Any]) -> None:
    """After a success: keep who spoke when and the voice samples; delete the sound."""
    now = timezone.now()
    AudioChunk.objects.filter(file__recording=recording).delete()
    VoiceSample.objects.filter(recording=recording).delete()
    samples = extra.get("samples") or {}
    VoiceSample.objects.bulk_create(
        VoiceSample(recording=recording, label=label, data=data) for label, data in samples.items()
    )
    hours = float(settings.TETE_VOICE_SAMPLE_HOURS)
    Recording.objects.filter(pk=recording.pk).update(
        speech=extra["speech"],
        sound_deleted_at=now,
        samples_expire_at=now + dt.timedelta(hours=hours) if samples else None,
        progress=100,
    )
    versions.bump(recording.meeting.oneonone_id)


class _SharedProgress:
    """A fraction from 0 to 1 that the child writes and the parent reads (memory shared
    across fork: the child may not use the database)."""

    def __init__(self) -> None:
        self.memory = mmap.mmap(-1, 8)

    def set(self, done: float) -> None:
        struct.pack_into("d", self.memory, 0, done)

    def percent(self) -> int:
        (done,) = struct.unpack_from("d", self.memory, 0)
        return max(0, min(99, int(done * 100)))


# --- In the child process (no database) -------------------------------------------------------


@dataclass(frozen=True)
class _Common:
    oneonone: OneOnOne
    remembered: dict[str, int | None]
    meeting_date: dt.date

    def report(self, parsed: ParsedTranscript, extra: dict[str, Any]) -> Any:
        mapping, confirmed = suggested_mapping(self.oneonone, parsed.speakers, self.remembered)
        outcome = analyse_for_oneonone(parsed, self.oneonone, mapping, self.meeting_date)
        # A recording has no words (questions) and one microphone hears no overlap
        # (interruptions): the report says "not measured"; the columns that chart trends
        # count nothing rather than hold a figure nobody measured.
        outcome.questions = {pk: count or 0 for pk, count in outcome.questions.items()}
        outcome.interruptions = {pk: count or 0 for pk, count in outcome.interruptions.items()}
        return report_actions.AnalysisResult("audio", outcome, mapping, confirmed, extra)


@dataclass(frozen=True)
class _FromSpeech(_Common):
    speech: dict[str, Any]

    def run(self) -> Any:
        return self.report(speech_to_transcript(self.speech), {"speech": self.speech})


@dataclass(frozen=True)
class _FromSound(_Common):
    kind: str
    paths: list[str]
    #: The parts of a continued browser recording, joined into ``paths[0]`` first.
    parts: list[str]
    names: list[str]
    offsets: list[float]
    progress: _SharedProgress
    max_duration_s: float

    def run(self) -> Any:
        from tete.conversation.audio import AudioError, read_recording, read_tracks
        from tete.conversation.audio.decode import probe
        from tete.conversation.audio.join import join_parts

        joined: tuple[str, ...] = ()
        if self.parts:
            joined = join_parts(self.parts, self.paths[0], self.names[0])
        for path, name in zip(self.paths, self.names, strict=True):
            _check_duration(name, probe(path, name).duration_s, self.max_duration_s)

        def progress(done: float, stage: str) -> None:
            self.progress.set(done)

        # Speakers are named by the readers: a track after its file, a channel by its
        # place ("left"), a voice by its number; the one-on-one's remembered labels (and
        # the people chosen when uploading) say who each is.
        if self.kind == RecordingKind.TRACKS:
            parsed = read_tracks(
                self.paths, offsets=self.offsets, names=self.names, progress=progress
            )
        else:
            parsed = read_recording(self.paths[0], name=self.names[0], progress=progress)
        if parsed.recording is None:  # pragma: no cover - the readers always set it
            raise AudioError(self.names[0], "not read as a recording")
        _check_duration(" + ".join(self.names), parsed.recording.duration_s, self.max_duration_s)
        samples = {}
        if parsed.recording.estimate:
            samples = voice_samples(self.paths[0], self.names[0], parsed.recording.voices)
        if joined:
            parsed = dataclasses.replace(parsed, warnings=(*joined, *parsed.warnings))
        return self.report(parsed, {"speech": transcript_to_speech(parsed), "samples": samples})


def check_recording_file(path: str, name: str) -> None:
    """What can be told of an uploaded file before it is stored: that it is sound PyAV can
    decode, within the readers' limits, and not said by its header to last longer than
    TETE_RECORDING_MAX_HOURS. Raises AudioError naming the file and the problem. (The
    analysis checks the decoded length again: a header can lie, or say nothing.)"""
    from tete.conversation.audio.decode import probe

    _check_duration(name, probe(path, name).duration_s, max_duration_s())


def _check_duration(name: str, seconds: float | None, limit: float) -> None:
    from tete.conversation.audio import AudioError

    if seconds is not None and seconds > limit:
        raise AudioError(
            name,
            f"the recording lasts {_hours(seconds)}; the longest taken is {_hours(limit)} "
            "(TETE_RECORDING_MAX_HOURS)",
        )


def _hours(seconds: float) -> str:
    """4 h 05 min; 12 min; 40 s."""
    hours, rest = divmod(round(seconds), 3600)
    if hours:
        return f"{hours} h {rest // 60:02d} min"
    return f"{rest // 60} min" if rest >= 60 else f"{rest} s"


def voice_samples(path: str, name: str, voices: Sequence[Voice]) -> dict[str, bytes]:
    """Each voice's excerpts, one after the other with a short pause, as a WAV file."""
    import numpy as np

    from tete.conversation.audio.decode import SAMPLE_RATE, stream

    wanted = [
        (voice.name, round(start * SAMPLE_RATE), round(end * SAMPLE_RATE))
        for voice in voices
        for start, end in voice.excerpts
    ]
    pieces: dict[str, list[np.ndarray]] = {voice.name: [] for voice in voices}
    position = 0
    for chunk in stream(path, name, mono=True):
        samples = chunk[0]
        end = position + len(samples)
        for voice, start, stop in wanted:
            if start < end and stop > position:
                pieces[voice].append(samples[max(0, start - position) : max(0, stop - position)])
        position = end
    pause = np.zeros(SAMPLE_RATE // 2, dtype=np.float32)
    out = {}
    for voice, parts in pieces.items():
        if parts:
            joined = np.concatenate([part for piece in parts for part in (piece, pause)])
            out[voice] = _wav(joined, SAMPLE_RATE)
    return out


def _wav(samples: np.ndarray, rate: int) -> bytes:
    import numpy as np

    peak = float(np.abs(samples).max()) or 1.0
    pcm = (np.clip(samples / peak * 0.9, -1.0, 1.0) * 32767).astype("<i2")
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(pcm.tobytes())
    return buffer.getvalue()


# --- Who spoke when, without the sound ------------------------------------------------------------


def transcript_to_speech(parsed: ParsedTranscript) -> dict[str, Any]:
    """What is kept of a recording's analysis: labels and times, no sound, no words."""
    assert parsed.recording is not None
    return {
        "source": parsed.source,
        "dialect": parsed.dialect,
        "warnings": list(parsed.warnings),
        "recording": parsed.recording.to_dict(),
        "segments": [
            [segment.speaker, round(segment.start, 3), round(segment.end, 3)]
            for segment in parsed.segments
        ],
    }


def speech_to_transcript(speech: dict[str, Any]) -> ParsedTranscript:
    info = speech["recording"]
    recording = RecordingInfo(
        kind=info["kind"],
        estimate=bool(info["estimate"]),
        method=info["method"],
        duration_s=float(info["duration_s"]),
        sample_rate=int(info["sample_rate"]),
        channels=int(info["channels"]),
        voices=tuple(
            Voice(voice["name"], voice["label"], tuple(tuple(pair) for pair in voice["excerpts"]))
            for voice in info.get("voices", [])
        ),
    )
    segments = tuple(Segment(label, float(a), float(b), "") for label, a, b in speech["segments"])
    return ParsedTranscript(
        source=speech["source"],
        format="audio",
        segments=segments,
        timing="cues",
        dialect=speech.get("dialect", ""),
        warnings=tuple(speech.get("warnings", [])),
        recording=recording,
    )
