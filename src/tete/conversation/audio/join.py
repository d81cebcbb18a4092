"""A recording made in parts, joined into one file before it is read.

A browser recording that was continued after its page closed is several streams, each with
a header of its own (a new MediaRecorder each time). Putting their bytes end to end works only
by luck: FFmpeg reads past a second WebM header and past a second fragmented-MP4 header when
no index (mfra) precedes it, but stops without a word after an MP4 whose index or moov ends
the first part, and everything after it is lost. So each part's packets are copied, without
decoding, into one Matroska file (it takes Opus and AAC alike), each part's timestamps moved
to start where the part before it ended: the time between the parts is left out, as a pause
is.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .decode import _fmt_duration, _open, _reason
from .errors import AudioError


def join_parts(parts: Sequence[str], out: str, source: str) -> tuple[str, ...]:
    """Copy the audio of ``parts``, one after the other, into the Matroska file ``out``.

    Returns warnings for the report: where the parts were joined, and any part left out
    (recorded in another format, or unreadable). Raises :class:`AudioError` when the first
    part cannot be read.
    """
    import av

    first = _open(parts[0], source)
    try:
        if not first.streams.audio:
            raise AudioError(source, "no audio in the first part")
        template = first.streams.audio[0]
        shape = _shape(template)
        output = av.open(out, "w", format="matroska")
        try:
            target = output.add_stream_from_template(template)
            warnings: list[str] = []
            joins: list[float] = []
            at = _copy(first, template, target, output, 0.0, source, 1, warnings)
            for number, path in enumerate(parts[1:], start=2):
                try:
                    container = _open(path, source)
                except AudioError as error:
                    warnings.append(f"part {number} was left out: {error.reason}")
                    continue
                try:
                    streams = container.streams.audio
                    if not streams or _shape(streams[0]) != shape:
                        warnings.append(
                            f"part {number} was left out: recorded in another format "
                            f"({_describe(streams[0]) if streams else 'no audio'}, not "
                            f"{_describe(template)})"
                        )
                        continue
                    joins.append(at)
                    at = _copy(container, streams[0], target, output, at, source, number, warnings)
                finally:
                    container.close()
        finally:
            output.close()
    finally:
        first.close()
    if joins:
        where = ", ".join(_fmt_duration(seconds) for seconds in joins)
        warnings.insert(
            0,
            f"recorded in {len(joins) + 1} parts (continued after the page was closed), "
            f"joined at {where}: the time between them is not in the timeline",
        )
    return tuple(warnings)


def _shape(stream: Any) -> tuple[str, int, int]:
    context = stream.codec_context
    return (context.name or "", int(context.sample_rate or 0), int(context.channels or 0))


def _describe(stream: Any) -> str:
    name, rate, channels = _shape(stream)
    return f"{name}, {rate} Hz, {channels} channel(s)"


def _copy(
    container: Any,
    stream: Any,
    target: Any,
    output: Any,
    start_s: float,
    source: str,
    number: int,
    warnings: list[str],
) -> float:
    """Copy ``stream``'s packets to ``target``, moved to begin at ``start_s``; returns where
    the part ends (seconds)."""
    import av

    base = stream.time_base
    first: int | None = None
    end_s = start_s
    try:
        for packet in container.demux(stream):
            if packet.dts is None or packet.pts is None:
                continue  # the demuxer's empty packet at the end
            if first is None:
                first = packet.dts
            shift = round(start_s / base) - first
            packet.pts += shift
            packet.dts += shift
            packet.stream = target
            end_s = max(end_s, float((packet.pts + (packet.duration or 0)) * base))
            output.mux(packet)
    except (av.FFmpegError, ValueError, EOFError) as error:
        warnings.append(
            f"part {number} is damaged after {_fmt_duration(end_s - start_s)} "
            f"({_reason(error)}): joined what comes before"
        )
    return end_s
