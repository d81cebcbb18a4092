"""The corpus of exporter shapes (fixtures/corpus/, see its README): every file gives each
speaker's talk time to within 0.5 % of a reference worked out here, straight from the file
with a few lines of code of its own (not with the readers), and the compiled and
pure-Python paths give the same report."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tete.conversation import analyze, native, read

CORPUS = Path(__file__).parent / "fixtures" / "corpus"

_TIMES = re.compile(r"(\d\d):(\d\d):(\d\d)[.,](\d\d\d) --> (\d\d):(\d\d):(\d\d)[.,](\d\d\d)")


def seconds(h: str, m: str, s: str, ms: str) -> float:
    return int(h) * 3600 + int(m) * 60 + int(s) + int(ms) / 1000


def union(spans: list[tuple[float, float]]) -> float:
    total, reach = 0.0, float("-inf")
    for start, end in sorted(spans):
        if start > reach:
            total += end - start
        elif end > reach:
            total += end - reach
        reach = max(reach, end)
    return total


def text_of(path: Path) -> str:
    data = path.read_bytes()
    text = data.decode("utf-16") if data.startswith(b"\xff\xfe") else data.decode("utf-8-sig")
    return text.replace("\r\n", "\n")


def cue_reference(path: Path, names: list[str]) -> dict[str | None, float]:
    """Blocks split on empty lines; the speaker is the <v> voice or a known name before
    ': ' (file by file, the names are known)."""
    spans: dict[str | None, list[tuple[float, float]]] = {}
    for block in text_of(path).split("\n\n"):
        lines = block.split("\n")
        timing = next((i for i, line in enumerate(lines) if "-->" in line), None)
        if timing is None:
            continue
        match = _TIMES.match(lines[timing])
        assert match, lines[timing]
        start, end = seconds(*match.groups()[:4]), seconds(*match.groups()[4:])
        said = re.sub(r"<(?!v )[^>]*>", "", " ".join(lines[timing + 1 :]))
        voice = re.match(r"<v ([^>]+)>", said)
        who = (
            voice.group(1)
            if voice
            else next((name for name in names if said.startswith(name + ": ")), None)
        )
        spans.setdefault(who, []).append((start, end))
    return {who: union(found) for who, found in spans.items()}


def turns_reference(turns: list[tuple[str, float, str]]) -> dict[str | None, float]:
    """Starts only: a turn runs to the next one's start; the last one 2.5 words a second
    (at least one)."""
    talk: dict[str | None, float] = {}
    for index, (who, start, said) in enumerate(turns):
        end = (
            turns[index + 1][1]
            if index + 1 < len(turns)
            else start + max(1.0, len(said.split()) / 2.5)
        )
        talk[who] = talk.get(who, 0.0) + end - start
    return talk


def clock_reference(path: Path, header: str) -> dict[str | None, float]:
    lines = [line for line in text_of(path).split("\n") if line.strip()]
    turns = []
    for index, line in enumerate(lines):
        match = re.fullmatch(header, line)
        if match:
            minutes, secs = match.group("time").split(":")
            turns.append((match.group("name"), int(minutes) * 60 + int(secs), lines[index + 1]))
    return turns_reference(turns)


def docx_reference(path: Path) -> dict[str | None, float]:
    from docx import Document

    paragraphs = [p.text for p in Document(str(path)).paragraphs]
    turns = []
    for index, line in enumerate(paragraphs):
        match = re.fullmatch(r"(?P<name>.+?) {3}(?P<m>\d+):(?P<s>\d\d)", line)
        if match:
            turns.append(
                (
                    match.group("name"),
                    int(match.group("m")) * 60 + int(match.group("s")),
                    paragraphs[index + 1],
                )
            )
    return turns_reference(turns)


def json_reference(path: Path) -> dict[str | None, float]:
    spans: dict[str | None, list[tuple[float, float]]] = {}
    for segment in json.loads(path.read_text("utf-8"))["segments"]:
        spans.setdefault(segment.get("speaker"), []).append((segment["start"], segment["end"]))
    return {who: union(found) for who, found in spans.items()}


def youtube_reference(path: Path) -> tuple[float, int]:
    """Rolling captions: the time of the cues that say a new line (those with word
    timings), and each word once: the words of those lines."""
    spans, words = [], 0
    for block in text_of(path).split("\n\n"):
        if "<c>" not in block:
            continue
        match = _TIMES.search(block)
        assert match
        spans.append((seconds(*match.groups()[:4]), seconds(*match.groups()[4:])))
        timed = next(line for line in block.split("\n") if "<c>" in line)
        words += len(re.sub(r"<[^>]*>", "", timed).split())
    return union(spans), words


ZOOM_NAMES = [
    "Felix (Platform)",
    "Dr. Ana Ruiz",
    "rob.k",
    "Kofi — Sales",
    "Léa [she/her]",
    "Sam 🎧",
]
REFERENCES = {
    "zoom_numbered.vtt": lambda p: cue_reference(p, ZOOM_NAMES),
    "zoom_unnumbered.vtt": lambda p: cue_reference(p, ["Alice Moreau", "Bob Okafor"]),
    "teams.vtt": lambda p: cue_reference(p, []),
    "teams_utf16.vtt": lambda p: cue_reference(p, []),
    "meet.vtt": lambda p: cue_reference(p, []),
    "subtitles.srt": lambda p: cue_reference(p, ["SPEAKER 1", "SPEAKER 2"]),
    "otter.txt": lambda p: clock_reference(p, r"(?P<name>.+?)  (?P<time>\d+:\d\d)"),
    "rev.txt": lambda p: clock_reference(p, r"(?P<name>.+?) \((?P<time>\d\d:\d\d)\):"),
    "teams.docx": docx_reference,
    "whisper_segments.json": json_reference,
    "whisper_words.json": json_reference,
    "whisperx.json": json_reference,
}


def test_every_corpus_file_has_a_reference_and_a_readme_entry():
    files = sorted(path.name for path in CORPUS.iterdir() if path.name != "README.md")
    assert files == sorted([*REFERENCES, "youtube_auto.vtt"])
    readme = (CORPUS / "README.md").read_text("utf-8")
    assert all(f"`{name}`" in readme for name in files)


@pytest.mark.parametrize("name", sorted(REFERENCES))
def test_talk_time_per_speaker_is_within_half_a_percent_of_the_reference(
    name: str, each_implementation: str
):
    expected = REFERENCES[name](CORPUS / name)
    report = analyze(read(CORPUS / name))
    got = {speaker.name: speaker.talk_time_s for speaker in report.speakers}
    named = {who: talk for who, talk in expected.items() if who is not None}
    assert set(got) == set(named)
    for who, talk in named.items():
        assert got[who] == pytest.approx(talk, rel=0.005), who
    if None in expected:  # a file that names no one says so
        assert report.coverage.unattributed_s == pytest.approx(expected[None], rel=0.005)
        assert report.coverage.notices
    else:
        assert report.coverage.unattributed_segments == 0 and not report.coverage.notices


def test_rolling_captions_count_each_word_once(each_implementation: str):
    time, words = youtube_reference(CORPUS / "youtube_auto.vtt")
    report = analyze(read(CORPUS / "youtube_auto.vtt"))
    assert report.conversation.words == words
    assert report.coverage.unattributed_s == pytest.approx(time, rel=0.005)


@pytest.mark.parametrize("name", sorted([*REFERENCES, "youtube_auto.vtt"]))
def test_the_compiled_and_python_paths_give_the_same_report(name: str):
    from .conftest import compiled_speedups

    compiled = compiled_speedups()
    before = native.speedups
    try:
        native.speedups = compiled
        fast = analyze(read(CORPUS / name), text_analysis=True).to_dict()
        native.speedups = None
        slow = analyze(read(CORPUS / name), text_analysis=True).to_dict()
    finally:
        native.speedups = before
    assert fast == slow
