"""Recordings to 16 kHz float samples, one row per channel, as a stream of chunks.

PyAV ships FFmpeg, so wav, flac, mp3, m4a/aac, ogg/opus and webm decode with no system
ffmpeg. Only one chunk (30 s) of decoded sound is held at a time, so memory does not grow
with the recording's length; nothing a header says is trusted beyond the limits.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np

from .errors import AudioError
from .limits import MAX_CHANNELS, MAX_DURATION_S, MAX_FILE_BYTES, MIN_SAMPLE_RATE

#: Every recording is analysed at this sample rate.
SAMPLE_RATE = 16000
#: Samples per analysis frame (10 ms): every per-frame array uses this grid.
HOP = 160
#: Decoded sound is handed on in chunks of this many samples (30 s: a multiple of the
#: 30 ms frames voice activity detection reads).
CHUNK = 30 * SAMPLE_RATE


@dataclass(frozen=True, slots=True)
class StreamInfo:
    """What a recording's container says about its sound (before decoding it)."""

    channels: int
    sample_rate: int
    codec: str
    #: What the header says, when it says anything; never trusted beyond the limits.
    duration_s: float | None


def _fmt_duration(seconds: float) -> str:
    hours, rest = divmod(round(seconds), 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def _open(path: str, source: str) -> Any:
    import av

    try:
        size = os.stat(path).st_size
    except OSError as error:
        raise AudioError(source, f"cannot read file: {error.strerror or error}") from None
    if size == 0:
        raise AudioError(source, "empty file (0 bytes)")
    if size > MAX_FILE_BYTES:
        raise AudioError(
            source,
            f"file is {_bytes(size)}; the limit is {_bytes(MAX_FILE_BYTES)} (MAX_FILE_BYTES)",
        )
    try:
        return av.open(path, metadata_errors="ignore")
    except (av.FFmpegError, OSError, ValueError, UnicodeDecodeError) as error:
        raise AudioError(
            source, f"not a recording that can be decoded ({_reason(error)})"
        ) from None


def _bytes(size: float) -> str:
    for unit in ("bytes", "KiB", "MiB"):
        if size < 1024:
            return f"{size:.0f} {unit}" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{size:.1f} GiB"


def _reason(error: BaseException) -> str:
    text = re.sub(r"^\[Errno -?\d+\]\s*", "", str(error))
    # FFmpeg's messages end with the path: the caller names the file already.
    return text.split(": '", 1)[0].strip() if text else type(error).__name__


def probe(path: str, source: str) -> StreamInfo:
    """Check a recording against the limits without decoding it."""
    container = _open(path, source)
    try:
        info = _info(container, source)
    finally:
        container.close()
    _check_claimed_duration(info, source)
    return info


def _info(container: Any, source: str) -> StreamInfo:
    if not container.streams.audio:
        raise AudioError(source, "no audio in this file")
    stream = container.streams.audio[0]
    context = stream.codec_context
    channels = int(context.channels or 0)
    rate = int(context.sample_rate or stream.rate or 0)
    if channels <= 0 or rate <= 0:
        raise AudioError(source, "the audio stream says neither its channels nor its sample rate")
    if channels > MAX_CHANNELS:
        raise AudioError(
            source, f"{channels} channels; at most {MAX_CHANNELS} are read (MAX_CHANNELS)"
        )
    if rate < MIN_SAMPLE_RATE:
        raise AudioError(
            source,
            f"sampled at {rate} Hz; speech needs at least {MIN_SAMPLE_RATE} Hz (MIN_SAMPLE_RATE)",
        )
    duration = None
    if stream.duration is not None and stream.time_base is not None:
        duration = float(stream.duration * stream.time_base)
    elif container.duration is not None:
        duration = container.duration / 1_000_000
    return StreamInfo(channels, rate, context.name or "", duration)


def _check_claimed_duration(info: StreamInfo, source: str) -> None:
    """Refuse at once a recording whose header says it is too long (the decoded length is
    checked too: a header can lie, or say nothing)."""
    if info.duration_s is not None and info.duration_s > MAX_DURATION_S:
        raise AudioError(
            source,
            f"the file says it lasts {_fmt_duration(info.duration_s)}; the limit is "
            f"{_fmt_duration(MAX_DURATION_S)} (MAX_DURATION_S)",
        )


@dataclass
class Decoded:
    """Filled in while a recording streams: how long it turned out to be, and what went
    wrong on the way (a damaged or cut-off end), as warnings."""

    samples: int = 0
    warnings: tuple[str, ...] = ()
    info: StreamInfo | None = None
    #: Why decoding stopped before the end of the file, if it did.
    damage: str | None = None

    @property
    def duration_s(self) -> float:
        return self.samples / SAMPLE_RATE


def stream(
    path: str,
    source: str,
    *,
    mono: bool = False,
    decoded: Decoded | None = None,
    on_seconds: Callable[[float], None] | None = None,
) -> Iterator[np.ndarray]:
    """Decode a recording: chunks of float32 samples at :data:`SAMPLE_RATE`, shape
    ``(channels, n)`` (one channel when ``mono``: the channels mixed down), ``n`` a
    multiple of :data:`HOP` (the last chunk is padded with silence to one).

    ``decoded`` receives what the header says, the true length and warnings; ``on_seconds`` is called with the
    seconds decoded so far. Raises :class:`AudioError` for anything that cannot be read.
    """
    import av

    container = _open(path, source)
    decoded = decoded if decoded is not None else Decoded()
    try:
        info = decoded.info = _info(container, source)
        _check_claimed_duration(info, source)
        channels = 1 if mono else info.channels
        resampler = av.AudioResampler(
            format="fltp", layout="mono" if mono else None, rate=SAMPLE_RATE
        )
        pending: list[np.ndarray] = []
        held = 0
        limit = int(MAX_DURATION_S * SAMPLE_RATE)
        for frame in _frames(container, source, decoded):
            for out in resampler.resample(frame):
                block = out.to_ndarray()
                if block.shape[0] != channels:  # a stream whose layout changes mid-way
                    raise AudioError(source, "the number of channels changes within the file")
                pending.append(block)
                held += block.shape[1]
                if decoded.samples + held > limit:
                    raise AudioError(
                        source,
                        f"longer than {_fmt_duration(MAX_DURATION_S)} (MAX_DURATION_S)",
                    )
            while held >= CHUNK:
                chunk, pending, held = _take(pending, CHUNK, channels)
                decoded.samples += CHUNK
                if on_seconds is not None:
                    on_seconds(decoded.samples / SAMPLE_RATE)
                yield chunk
        for out in resampler.resample(None):
            pending.append(out.to_ndarray())
            held += pending[-1].shape[1]
        while held:
            size = min(held, CHUNK)
            chunk, pending, held = _take(pending, size, channels)
            decoded.samples += size
            padded = -size % HOP
            if padded:
                chunk = np.pad(chunk, ((0, 0), (0, padded)))
            if on_seconds is not None:
                on_seconds(decoded.samples / SAMPLE_RATE)
            yield chunk
        if decoded.damage is not None:
            decoded.warnings += (
                f"the file is damaged after {_fmt_duration(decoded.duration_s)} "
                f"({decoded.damage}): analysed what comes before",
            )
        elif info.duration_s is not None and decoded.duration_s < info.duration_s - max(
            2.0, 0.02 * info.duration_s
        ):
            decoded.warnings += (
                f"the sound ends at {_fmt_duration(decoded.duration_s)}, before the "
                f"{_fmt_duration(info.duration_s)} the file says: analysed what is there",
            )
    finally:
        container.close()


def _frames(container: Any, source: str, decoded: Decoded) -> Iterator[Any]:
    """The audio frames, stopping with a warning where the file is damaged after some
    sound was read (a cut-off download), with an error where none could be read."""
    import av

    stream = container.streams.audio[0]
    got_any = False
    try:
        for frame in container.decode(stream):
            got_any = True
            yield frame
    except (av.FFmpegError, ValueError, EOFError) as error:
        if not got_any:
            raise AudioError(source, f"the sound cannot be decoded ({_reason(error)})") from None
        decoded.damage = _reason(error)


def _take(
    pending: list[np.ndarray], size: int, channels: int
) -> tuple[np.ndarray, list[np.ndarray], int]:
    """The first ``size`` samples of the pending blocks as one array, and the rest."""
    joined = pending[0] if len(pending) == 1 else np.concatenate(pending, axis=1)
    chunk = np.ascontiguousarray(joined[:, :size], dtype=np.float32)
    rest = joined[:, size:]
    return chunk, ([rest] if rest.shape[1] else []), rest.shape[1]
