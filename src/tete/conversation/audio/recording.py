"""Recordings to transcripts of who spoke when: one file with a channel per person, one
file per person (tracks), or one microphone (an estimate)."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from ..model import Recording, RecordingKind, Segment, Transcript, Voice
from .crosstalk import lag, same_sound, separate
from .decode import Decoded, StreamInfo, probe, stream
from .diarize import diarize, excerpts
from .errors import AudioError
from .frames import FRAME_S, SILENCE_DB, ChannelReader, Frames
from .limits import (
    MAX_CHANNELS,
    MAX_OFFSET_S,
    MAX_TRACK_SPREAD_S,
    MIN_DURATION_S,
    WIDEBAND_SAMPLE_RATE,
)
from .names import name_from_file
from .speech import intervals
from .vad import DEFAULT_DETECTOR

#: ``progress(done, stage)``: ``done`` from 0 to 1, ``stage`` in words ("decoding",
#: "telling voices apart").
Progress = Callable[[float, str], None]

#: Share of the work that decoding a one-microphone recording is; telling the voices
#: apart is the rest.
_DECODE_SHARE_MONO = 0.6


def read_recording(
    path: str | os.PathLike[str],
    *,
    name: str | None = None,
    speakers: Sequence[str] = (),
    progress: Progress | None = None,
    vad: str = DEFAULT_DETECTOR,
) -> Transcript:
    """Who spoke when in one recording.

    Two or more channels: one person per channel (``left``, ``right``, ``channel 3``…).
    One channel, or channels that all carry the same sound: one microphone, two voices told
    apart by how they sound (an estimate: ``transcript.recording.estimate``). ``speakers``
    names the channels or voices in order; ``name`` is the source shown in reports and
    errors. ``progress(done, stage)`` is called as the work advances. Raises
    :class:`AudioError`, and only that, for anything that cannot be analysed.
    """
    source = name or os.fspath(path)
    report = _Reporter(progress)
    try:
        transcript = _read_recording(os.fspath(path), source, list(speakers), report, vad)
        report.done()
        return transcript
    except AudioError:
        raise
    except MemoryError:
        raise AudioError(source, "not enough memory to analyse this recording") from None
    except Exception as error:
        # A last guard so callers only ever handle AudioError.
        raise AudioError(source, f"internal error while analysing ({error!r})") from None


def read_tracks(
    paths: Sequence[str | os.PathLike[str]],
    *,
    offsets: Sequence[float] | None = None,
    names: Sequence[str] | None = None,
    speakers: Sequence[str] = (),
    progress: Progress | None = None,
    vad: str = DEFAULT_DETECTOR,
) -> Transcript:
    """Who spoke when, from one recording per person (Zoom's separate audio files, a
    podcast recorder's tracks).

    ``offsets`` says, per file, when it starts in the conversation (seconds, default 0).
    Each file is one person, named after the file (``audioAliceSmith11.m4a`` → ``Alice
    Smith``) unless ``speakers`` names them in order. ``names`` are the sources shown in
    reports and errors. Raises :class:`AudioError`, and only that.
    """
    sources = list(names) if names else [os.fspath(path) for path in paths]
    label = " + ".join(sources) or "<no tracks>"
    report = _Reporter(progress)
    try:
        transcript = _read_tracks(
            [os.fspath(p) for p in paths], sources, offsets, list(speakers), report, vad
        )
        report.done()
        return transcript
    except AudioError:
        raise
    except MemoryError:
        raise AudioError(label, "not enough memory to analyse these recordings") from None
    except Exception as error:
        raise AudioError(label, f"internal error while analysing ({error!r})") from None


class _Reporter:
    """Progress over several steps of known weight, never going back."""

    def __init__(self, callback: Progress | None) -> None:
        self.callback = callback
        self.base = 0.0
        self.weight = 0.0
        self.low = 0.0  # where the steps start (see narrow)
        self.latest = 0.0

    def step(self, weight: float) -> None:
        """Start the next step, worth ``weight`` of the whole."""
        self.base = min(1.0, self.base + self.weight)
        self.weight = weight

    def narrow(self) -> None:
        """Steps from here on share what is left between the progress so far and 1: for
        work found to be needed only after the first pass."""
        self.low, self.base, self.weight = self.latest, 0.0, 0.0

    def done(self) -> None:
        if self.callback is not None:
            self.callback(1.0, "done")

    def __call__(self, within: float, stage: str) -> None:
        if self.callback is not None:
            done = self.base + self.weight * min(1.0, within)
            self.latest = max(self.latest, self.low + (1.0 - self.low) * min(1.0, done))
            self.callback(self.latest, stage)


def _decode_frames(
    path: str,
    source: str,
    *,
    mono: bool,
    spectral: bool,
    vad: str,
    report: _Reporter,
    expected_s: float | None,
) -> tuple[StreamInfo, list[Frames], Decoded]:
    """Every channel's frames (or the mix's, when ``mono``), decoding as a stream."""
    decoded = Decoded()
    readers: list[ChannelReader] = []

    def seconds(done: float) -> None:
        report(done / expected_s if expected_s else 0.0, "decoding")

    for chunk in stream(path, source, mono=mono, decoded=decoded, on_seconds=seconds):
        if not readers:
            readers = [ChannelReader(vad, spectral) for _ in range(len(chunk))]
        for reader, row in zip(readers, chunk, strict=True):
            reader.feed(row)
    info = decoded.info
    if info is None or not readers:
        raise AudioError(source, "no sound in this file")
    if decoded.duration_s < MIN_DURATION_S:
        raise AudioError(
            source,
            f"only {decoded.duration_s:.1f} s of sound; at least {MIN_DURATION_S:.0f} s is "
            "needed (MIN_DURATION_S)",
        )
    return info, [reader.finish() for reader in readers], decoded


def _read_recording(
    path: str, source: str, speakers: list[str], report: _Reporter, vad: str
) -> Transcript:
    info = probe(path, source)
    warnings: list[str] = []
    if info.channels > 1:
        report.step(1.0)
        info, channels, decoded = _decode_frames(
            path, source, mono=False, spectral=False, vad=vad, report=report,
            expected_s=info.duration_s,
        )  # fmt: skip
        if not same_sound(channels):
            warnings += decoded.warnings
            labels = ["left", "right"] if len(channels) == 2 else [
                f"channel {i + 1}" for i in range(len(channels))
            ]  # fmt: skip
            speech = [decided.speech for decided in separate(channels)]
            return _transcript(
                source, "channels", info, decoded, speech, labels, speakers, warnings,
                method=f"one person per channel: {vad} voice activity, crosstalk removed by level",
            )  # fmt: skip
        warnings.append(
            f"its {info.channels} channels carry the same sound: analysed as one microphone"
        )
        del channels
        report.narrow()
        report.step(_DECODE_SHARE_MONO)
    else:
        report.step(_DECODE_SHARE_MONO)
    info, (mix,), decoded = _decode_frames(
        path, source, mono=True, spectral=True, vad=vad, report=report,
        expected_s=info.duration_s,
    )  # fmt: skip
    warnings += decoded.warnings
    report.step(1.0 - _DECODE_SHARE_MONO)
    report(0.0, "telling voices apart")
    voices = diarize(mix)
    report(1.0, "telling voices apart")
    labels = [f"voice {i + 1}" for i in range(len(voices.speech))]
    return _transcript(
        source, "one_microphone", info, decoded, list(voices.speech), labels, speakers,
        warnings, method=f"one microphone: {vad} voice activity, voices told apart by MFCC "
        "clustering (an estimate)", confidence=voices.confidence,
    )  # fmt: skip


def _read_tracks(
    paths: list[str],
    sources: list[str],
    offsets: Sequence[float] | None,
    speakers: list[str],
    report: _Reporter,
    vad: str,
) -> Transcript:
    label = " + ".join(sources)
    if not paths:
        raise AudioError("<no tracks>", "no tracks given")
    if len(sources) != len(paths):
        raise AudioError(label, f"{len(sources)} names for {len(paths)} tracks")
    if len(paths) > MAX_CHANNELS:
        raise AudioError(
            label, f"{len(paths)} tracks; at most {MAX_CHANNELS} are read (MAX_CHANNELS)"
        )
    shifts = list(offsets) if offsets is not None else [0.0] * len(paths)
    if len(shifts) != len(paths):
        raise AudioError(label, f"{len(shifts)} offsets for {len(paths)} tracks")
    for source, shift in zip(sources, shifts, strict=True):
        if not np.isfinite(shift) or abs(shift) > MAX_OFFSET_S:
            raise AudioError(
                source,
                f"offset {shift} s; at most {MAX_OFFSET_S:.0f} s either way (MAX_OFFSET_S)",
            )
    infos = [probe(path, source) for path, source in zip(paths, sources, strict=True)]
    said = [info.duration_s for info in infos]
    if all(d is not None for d in said):
        _check_spread(sources, [d for d in said if d is not None], label)
    total = sum(d or 0.0 for d in said) or None
    tracks: list[Frames] = []
    lengths: list[float] = []
    warnings: list[str] = []
    rates: list[int] = []
    for path, source, info in zip(paths, sources, infos, strict=True):
        report.step((info.duration_s or 0.0) / total if total else 1 / len(paths))
        got, (frames,), decoded = _decode_frames(
            path, source, mono=True, spectral=False, vad=vad, report=report,
            expected_s=info.duration_s,
        )  # fmt: skip
        tracks.append(frames)
        lengths.append(decoded.duration_s)
        rates.append(got.sample_rate)
        warnings += [f"{source}: {warning}" for warning in decoded.warnings]
    _check_spread(sources, lengths, label)
    aligned, base = _align(tracks, shifts)
    # Offsets are rarely exact: a voice leaking into the other tracks shows by how much.
    moved = False
    for index in range(1, len(aligned)):
        late = lag(aligned[0], aligned[index])
        if late:
            moved = True
            shifts[index] -= late * FRAME_S
            warnings.append(
                f"{Path(sources[index]).name} starts {abs(late) * FRAME_S * 1000:.0f} ms "
                f"{'earlier' if late > 0 else 'later'} than its offset says (its voice is "
                f"heard in {Path(sources[0]).name}): aligned"
            )
    if moved:
        aligned, base = _align(tracks, shifts)
    speech = [decided.speech for decided in separate(aligned)]
    names = _unique([name_from_file(source) for source in sources])
    info = StreamInfo(len(paths), min(rates), "", None)
    decoded = Decoded(samples=round(len(aligned[0]) * FRAME_S * 16000))
    return _transcript(
        label, "tracks", info, decoded, speech, [Path(s).name for s in sources],
        speakers or names, warnings, offset_s=base,
        method=f"one person per track: {vad} voice activity, crosstalk removed by level",
    )  # fmt: skip


def _check_spread(sources: list[str], lengths: list[float], label: str) -> None:
    if max(lengths) - min(lengths) <= MAX_TRACK_SPREAD_S:
        return
    longest, shortest = int(np.argmax(lengths)), int(np.argmin(lengths))
    raise AudioError(
        label,
        f"the tracks differ in length by {_clock(lengths[longest] - lengths[shortest])} "
        f"({Path(sources[longest]).name} {_clock(lengths[longest])}, "
        f"{Path(sources[shortest]).name} {_clock(lengths[shortest])}); at most "
        f"{_clock(MAX_TRACK_SPREAD_S)} (MAX_TRACK_SPREAD_S): are they from the same "
        "conversation?",
    )


def _clock(seconds: float) -> str:
    hours, rest = divmod(round(seconds), 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}"


def _align(tracks: list[Frames], offsets: list[float]) -> tuple[list[Frames], float]:
    """The tracks' frames on one timeline, padded with silence; and the time (seconds) of
    its first frame."""
    shifts = [round(offset / FRAME_S) for offset in offsets]
    first = min(shifts)
    length = max(shift - first + len(track) for shift, track in zip(shifts, tracks, strict=True))
    aligned = []
    for shift, track in zip(shifts, tracks, strict=True):
        at = shift - first
        level = np.full(length, SILENCE_DB, dtype=np.float32)
        voiced = np.zeros(length, dtype=bool)
        level[at : at + len(track)] = track.level_db
        voiced[at : at + len(track)] = track.voiced
        aligned.append(Frames(level, voiced))
    return aligned, first * FRAME_S


def _unique(names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for name in names:
        seen[name] = seen.get(name, 0) + 1
        out.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
    return out


def _transcript(
    source: str,
    kind: RecordingKind,
    info: StreamInfo,
    decoded: Decoded,
    speech: list[np.ndarray],
    labels: list[str],
    speakers: list[str],
    warnings: list[str],
    *,
    method: str,
    offset_s: float = 0.0,
    confidence: np.ndarray | None = None,
) -> Transcript:
    """Segments of speech, no text, one speaker per channel, track or voice."""
    names = _unique(
        [
            (speakers[i].strip() if i < len(speakers) and speakers[i].strip() else label)
            for i, label in enumerate(labels)
        ]
    )
    heard = [index for index, mask in enumerate(speech) if mask.any()]
    if not heard:
        raise AudioError(source, "no speech found: the recording is silent or only noise")
    if info.sample_rate < WIDEBAND_SAMPLE_RATE:
        warnings.append(
            f"recorded at {info.sample_rate / 1000:g} kHz (telephone quality): voices are "
            "harder to hear apart, so the figures are less certain"
        )
    if len(heard) == 1:
        who = "one voice" if kind == "one_microphone" else f"only {labels[heard[0]]}"
        warnings.append(f"{who} heard: there is no balance to measure")
    segments = sorted(
        (
            Segment(names[index], start, end, "")
            for index in heard
            for start, end in intervals(speech[index], offset_s)
        ),
        key=lambda segment: (segment.start, segment.end),
    )
    estimate = kind == "one_microphone"
    voices = tuple(
        Voice(
            names[index],
            labels[index],
            excerpts(speech[index], confidence if estimate else None, offset_s),
        )
        for index in heard
    )
    recording = Recording(
        kind=kind,
        estimate=estimate,
        method=method,
        duration_s=decoded.duration_s,
        sample_rate=info.sample_rate,
        channels=info.channels,
        voices=voices,
    )
    return Transcript(
        source=source,
        format="audio",
        segments=tuple(segments),
        timing="cues",
        dialect=kind.replace("_", " "),
        warnings=tuple(warnings),
        recording=recording,
    )
