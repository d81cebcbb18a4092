"""Property tests: every writer's output reads back the same; invariants; fuzzed input."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tete.conversation import Segment, TranscriptError, analyze, read

# Readers and metrics: with the compiled speed-ups and on the pure-Python paths.
pytestmark = pytest.mark.usefixtures("each_implementation")

NAMES = st.sampled_from(["Alice Moreau", "Bob Okafor", "Chen Li", "Dana"])
WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=8)
TEXT = st.lists(WORD, min_size=1, max_size=8).map(" ".join)
FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def conversations(draw: st.DrawFn) -> list[Segment]:
    segments, time = [], 0.0
    for _ in range(draw(st.integers(1, 12))):
        time += draw(st.integers(0, 3000)) / 1000
        length = draw(st.integers(1, 20000)) / 1000
        segments.append(Segment(draw(NAMES), round(time, 3), round(time + length, 3), draw(TEXT)))
        time += length * draw(st.sampled_from([0.5, 1.0]))
    return segments


def clock(seconds: float, comma: bool = False) -> str:
    millis = round(seconds * 1000)
    h, rest = divmod(millis, 3_600_000)
    m, rest = divmod(rest, 60_000)
    return f"{h:02d}:{m:02d}:{rest // 1000:02d}{',' if comma else '.'}{rest % 1000:03d}"


def as_webvtt(segments: list[Segment]) -> str:
    cues = [f"{clock(s.start)} --> {clock(s.end)}\n<v {s.speaker}>{s.text}</v>" for s in segments]
    return "WEBVTT\n\n" + "\n\n".join(cues) + "\n"


def as_zoom_webvtt(segments: list[Segment]) -> str:
    cues = [
        f"{i}\n{clock(s.start)} --> {clock(s.end)}\n{s.speaker}: {s.text}"
        for i, s in enumerate(segments, 1)
    ]
    return "WEBVTT\n\n" + "\n\n".join(cues) + "\n"


def as_srt(segments: list[Segment]) -> str:
    cues = [
        f"{i}\n{clock(s.start, True)} --> {clock(s.end, True)}\n{s.speaker}: {s.text}"
        for i, s in enumerate(segments, 1)
    ]
    return "\n\n".join(cues) + "\n"


def as_whisperx(segments: list[Segment]) -> str:
    return json.dumps(
        {
            "segments": [
                {"start": s.start, "end": s.end, "text": " " + s.text, "speaker": s.speaker}
                for s in segments
            ]
        }
    )


WRITERS = {"vtt": as_webvtt, "zoom.vtt": as_zoom_webvtt, "srt": as_srt, "json": as_whisperx}


@pytest.mark.parametrize("suffix", sorted(WRITERS))
@FAST
@given(segments=conversations())
def test_a_written_transcript_reads_back_the_same(suffix: str, segments: list[Segment]):
    transcript = read(WRITERS[suffix](segments).encode(), name=f"generated.{suffix}")
    assert [(s.speaker, s.start, s.end, s.text) for s in transcript.segments] == [
        (s.speaker, s.start, s.end, s.text) for s in segments
    ]


@FAST
@given(segments=conversations())
def test_plain_lines_read_back_the_same_speakers_and_text(segments: list[Segment]):
    text = "\n".join(f"{s.speaker}: {s.text}" for s in segments)
    transcript = read(text.encode(), name="generated.txt")
    assert [(s.speaker, s.text) for s in transcript.segments] == [
        (s.speaker, s.text) for s in segments
    ]


@FAST
@given(segments=conversations())
def test_report_invariants(segments: list[Segment]):
    report = analyze(read(as_webvtt(segments).encode(), name="g.vtt"))
    shares = [s.talk_share for s in report.speakers]
    assert math.isclose(sum(shares), 1.0, rel_tol=1e-9)
    for speaker in report.speakers:
        assert speaker.talk_time_s <= report.duration_s + 1e-9
        assert speaker.longest_monologue_s <= report.duration_s + 1e-9
        own = [s for s in segments if s.speaker == speaker.name]
        if any(not _only_backchannel(s.text) for s in own):
            assert speaker.turns >= 1
    c = report.conversation
    assert c.silence_s is not None and 0 <= c.silence_s <= report.duration_s + 1e-9
    assert c.overlap_s is not None and c.overlap_s >= 0


def _only_backchannel(text: str) -> bool:
    from tete.conversation.metrics import is_backchannel

    return is_backchannel(text)


SAMPLES = [
    as_webvtt([Segment("Ann", 0, 1.5, "hello there"), Segment("Ben", 2, 3, "hi")]).encode(),
    as_srt([Segment("Ann", 0, 1.5, "hello there"), Segment("Ben", 2, 3, "hi")]).encode(),
    as_whisperx([Segment("Ann", 0, 1.5, "hello there")]).encode(),
    b"Alice Moreau  0:00\nHello\n\nBob Okafor  0:04\nHi\n",
    b"00:00:00\n\nAnn: hello\nBen: hi\n",
]


def _read_or_error(data: bytes, name: str) -> None:
    try:
        read(data, name=name)
    except TranscriptError as error:
        assert "internal error" not in str(error), str(error)
        assert str(error).startswith(name)


@settings(max_examples=300, deadline=None)
@given(data=st.binary(max_size=300), suffix=st.sampled_from(["vtt", "srt", "txt", "json", "docx"]))
def test_random_bytes_give_an_error_or_a_transcript_never_a_crash(data: bytes, suffix: str):
    _read_or_error(data, f"random.{suffix}")


@settings(max_examples=200, deadline=None)
@given(
    sample=st.sampled_from(SAMPLES),
    cut=st.integers(0, 200),
    flip=st.integers(0, 255),
    at=st.integers(0, 200),
)
def test_truncated_and_damaged_files_never_crash(sample: bytes, cut: int, flip: int, at: int):
    truncated = sample[: cut % (len(sample) + 1)]
    damaged = bytearray(sample)
    damaged[at % len(damaged)] = flip
    _read_or_error(truncated, "cut.vtt")
    _read_or_error(bytes(damaged), "damaged.srt")


def test_a_damaged_docx_is_a_transcript_error():
    _read_or_error(b"PK\x03\x04" + b"\x00" * 60, "broken.docx")
    with pytest.raises(TranscriptError, match="damaged"):
        read(b"PK\x03\x04" + b"\x00" * 60, name="broken.docx")


CORPUS = sorted(
    path
    for path in (Path(__file__).parent / "fixtures" / "corpus").iterdir()
    if path.suffix != ".md"
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    path=st.sampled_from(CORPUS),
    edits=st.lists(
        st.tuples(st.integers(0, 1 << 20), st.integers(0, 3), st.binary(min_size=0, max_size=4)),
        max_size=6,
    ),
    cut=st.one_of(st.none(), st.integers(0, 1 << 20)),
)
def test_mutated_files_of_every_format_give_a_report_or_a_transcript_error(
    path: Path, edits: list[tuple[int, int, bytes]], cut: int | None
):
    """Bytes replaced, inserted or removed anywhere in a real-shaped file of each format,
    or its end cut off: the reader reads it or says why not, and the report is made."""
    data = bytearray(path.read_bytes())
    for at, removed, inserted in edits:
        at %= len(data) + 1
        data[at : at + removed] = inserted
    if cut is not None:
        del data[cut % (len(data) + 1) :]
    try:
        transcript = read(bytes(data), name=path.name)
    except TranscriptError as error:
        assert "internal error" not in str(error), str(error)
        assert str(error).startswith(path.name)
        return
    report = analyze(transcript)
    json.dumps(report.to_dict())
