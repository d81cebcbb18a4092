"""Speaker labels as people write them, decided per file, and nothing dropped silently."""

from __future__ import annotations

import json

import pytest

from tete.conversation import analyze, read
from tete.conversation.labels import split_label

# Readers and metrics: with the compiled speed-ups and on the pure-Python paths.
pytestmark = pytest.mark.usefixtures("each_implementation")


def clock(seconds: int) -> str:
    return f"{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}.000"


def zoom(*texts: str, seconds: int = 60) -> bytes:
    """Zoom's WebVTT: numbered cues of ``seconds`` each, one after the other."""
    cues = [
        f"{n}\n{clock((n - 1) * seconds)} --> {clock(n * seconds)}\n{text}"
        for n, text in enumerate(texts, 1)
    ]
    return ("WEBVTT\n\n" + "\n\n".join(cues) + "\n").encode()


NAMES = [
    "Felix (Platform)",
    "Dr. Ana Ruiz",
    "rob.k",
    "Kofi — Sales",
    "Léa [she/her]",
    "Sam 🎧",
    "Moreau, Alice",
    "李雷",
    "SPEAKER 1",
]


@pytest.mark.parametrize("name", NAMES)
def test_a_label_is_kept_exactly_as_written(name: str):
    assert split_label(f"{name}: Shall we start?") == (name, "Shall we start?")
    transcript = read(zoom(f"{name}: Shall we start?", "Bob: Yes."), name="z.vtt")
    assert transcript.speakers == (name, "Bob")
    assert transcript.segments[0].text == "Shall we start?"


@pytest.mark.parametrize(
    "text",
    [
        "10:30 works for me",
        "See https://example.com/a:b for details",
        "2nd point: the budget",
        "one two three four five six seven eight nine ten eleven: too long for a name",
        "[laughs] that was good",
        "No colon at all",
    ],
)
def test_text_that_is_no_label(text: str):
    assert split_label(text) == (None, text)


def test_four_people_with_teams_in_their_names_all_get_their_time():
    # The call that was reported: parenthesised labels came out with no speaker at all.
    people = ["Felix (Platform)", "Dr. Ana Ruiz", "Kofi — Sales", "Léa [she/her]", "Bob"]
    texts = [f"{people[n % 5]}: point number {n}" for n in range(20)]
    report = analyze(read(zoom(*texts), name="call.vtt"))
    assert [s.name for s in report.speakers] == people
    assert all(s.talk_time_s == 240.0 for s in report.speakers)
    assert report.coverage.unattributed_segments == 0
    assert report.coverage.notices == ()


@pytest.mark.parametrize("prefix", ["Note", "Q", "Summary"])
def test_a_prefix_in_a_file_without_labels_stays_text(prefix: str):
    transcript = read(
        zoom(f"{prefix}: said", "and this", "and this", f"{prefix}: again", "and this"),
        name="x.vtt",
    )
    assert [s.speaker for s in transcript.segments] == [None] * 5
    assert transcript.segments[0].text == f"{prefix}: said"


def test_when_most_cues_are_labelled_a_rare_prefix_is_a_speaker_too():
    transcript = read(zoom("Ann: one", "Ben: two", "Ann: three", "Note: four"), name="x.vtt")
    assert transcript.speakers == ("Ann", "Ben", "Note")


def test_cues_without_a_label_in_a_labelled_file_are_counted_and_said():
    report = analyze(
        read(
            zoom("Ann: one", "Ben: two", "Ann: three", "Ben: four", "five", "six", "seven"),
            name="x.vtt",
        )
    )
    coverage = report.coverage
    assert (coverage.unattributed_segments, coverage.unattributed_s) == (3, 180.0)
    assert coverage.unattributed_share == pytest.approx(3 / 7)
    assert coverage.notices == ("3 cues (3 min, 43%) have no speaker",)
    data = report.to_dict()["coverage"]
    assert data["unattributed_segments"] == 3 and data["notices"] == list(coverage.notices)
    json.dumps(data)


def test_a_trace_without_a_speaker_gets_no_notice():
    texts = [f"{'Ann' if n % 2 else 'Ben'}: line {n}" for n in range(150)] + ["stray"]
    report = analyze(read(zoom(*texts, seconds=60), name="x.vtt"))
    assert report.coverage.unattributed_segments == 1
    assert report.coverage.unattributed_share < 0.01
    assert report.coverage.notices == ()


def test_cues_left_out_are_listed_with_their_lines_and_reasons():
    cues = "\n\n".join(
        [
            "00:00.000 --> 00:01.000\n<v Ann>fine",
            "00:02.000 --> 00:01.000\n<v Ann>backwards",
            "00:03.000 --> 00:0x.000\n<v Ann>broken",
            "00:05.000 --> 00:04.000\n<v Ben>backwards too",
            "00:06.000 --> 00:07.000\n<v Ben>fine",
        ]
    )
    report = analyze(read(f"WEBVTT\n\n{cues}\n".encode(), name="x.vtt"))
    assert report.to_dict()["coverage"]["skipped"] == [
        {"line": 6, "reason": "cue ends before it starts"},
        {"line": 9, "reason": "cue timings not understood"},
        {"line": 12, "reason": "cue ends before it starts"},
    ]
    assert report.coverage.notices == (
        "3 cues were left out: cue ends before it starts (lines 6, 12); "
        "cue timings not understood (line 9)",
    )


def test_a_file_with_no_speakers_at_all_says_so():
    data = json.dumps({"segments": [{"start": i, "end": i + 1, "text": "hi"} for i in range(5)]})
    report = analyze(read(data.encode(), name="w.json"))
    assert report.coverage.notices == ("All 5 segments (5 s, 100%) have no speaker",)


def test_the_terminal_and_html_reports_show_the_notice():
    from rich.console import Console

    from tete.conversation.render_html import render_html
    from tete.conversation.render_text import render_report

    report = analyze(read(zoom("Ann: one", "Ben: two", "Ann: three", "four", "five"), name="x.vtt"))
    console = Console(width=120, record=True)
    render_report(report, console)
    assert "2 cues (2 min, 40%) have no speaker." in console.export_text()
    assert '<p class="notice" role="note">2 cues (2 min, 40%) have no speaker.</p>' in render_html(
        [report]
    )
