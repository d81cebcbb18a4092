"""WebVTT as the W3C parsing algorithm reads it."""

from __future__ import annotations

import pytest

from tete.conversation import TranscriptError, read

from .support import fixture

# Readers and metrics: with the compiled speed-ups and on the pure-Python paths.
pytestmark = pytest.mark.usefixtures("each_implementation")


def test_it_skips_header_style_region_and_note_blocks():
    transcript = read(fixture("spec.vtt"))
    texts = [s.text for s in transcript.segments]
    assert not any("cue(" in t or "fred" in t or "note" in t.lower() for t in texts)


def test_it_removes_tags_and_resolves_character_references():
    segments = read(fixture("spec.vtt")).segments
    assert segments[0].text == "Welcome & hello, Bob <3"
    assert segments[-1].text == "Busy, but \u201cgood\u201d\u00a0overall." or segments[-1].text == (
        "Busy, but \u201cgood\u201d overall."
    )


def test_it_reads_timestamps_with_and_without_hours_and_cue_settings():
    segments = read(fixture("spec.vtt")).segments
    assert (segments[0].start, segments[0].end) == (1.0, 4.0)
    assert segments[2].end == 8.0


def test_it_splits_a_cue_with_several_voices_in_proportion_to_words():
    segments = read(fixture("spec.vtt")).segments
    bob, alice = segments[1], segments[2]
    assert (bob.speaker, alice.speaker) == ("Bob", "Alice")
    assert bob.start == 4.0 and alice.end == 8.0
    assert bob.end == alice.start == pytest.approx(4.0 + 4.0 * 1 / 6)


def test_it_drops_a_cue_with_broken_timings_with_a_warning():
    transcript = read(fixture("spec.vtt"))
    assert "This cue is skipped." not in [s.text for s in transcript.segments]
    assert transcript.warnings == ("line 24: cue timings not understood, cue skipped",)


def test_it_needs_the_signature():
    with pytest.raises(TranscriptError, match="WEBVTT") as error:
        read(b"WEBVTTX\n\n00:01.000 --> 00:02.000\nhi\n", name="x.vtt")
    assert error.value.line == 1


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_it_accepts_every_line_end(newline: str):
    text = "WEBVTT\n\n1\n00:00.000 --> 00:01.500\n<v Ann>One</v>\n\n00:02.000 --> 00:03.000\n<v Ben>Two</v>\n"
    transcript = read(("\ufeff" + text.replace("\n", newline)).encode(), name="x.vtt")
    assert [(s.speaker, s.start, s.end) for s in transcript.segments] == [
        ("Ann", 0.0, 1.5),
        ("Ben", 2.0, 3.0),
    ]


def test_an_arrow_line_inside_a_cue_starts_the_next_cue():
    text = "WEBVTT\n\n00:00.000 --> 00:01.000\n<v Ann>One\n00:01.000 --> 00:02.000\n<v Ben>Two\n"
    segments = read(text.encode(), name="x.vtt").segments
    assert [(s.speaker, s.text) for s in segments] == [("Ann", "One"), ("Ben", "Two")]


def test_an_arrow_in_the_header_is_not_a_cue():
    text = "WEBVTT\n00:00.000 --> 00:01.000\nheader text\n\n00:02.000 --> 00:03.000\n<v Ann>Hi\n"
    segments = read(text.encode(), name="x.vtt").segments
    assert [(s.start, s.text) for s in segments] == [(2.0, "Hi")]


def test_cues_without_a_speaker_stay_unlabelled():
    text = "WEBVTT\n\n00:00.000 --> 00:01.000\nHello there\n\n00:01.000 --> 00:02.000\nGeneral Kenobi\n"
    segments = read(text.encode(), name="x.vtt").segments
    assert [s.speaker for s in segments] == [None, None]


def test_a_single_colon_phrase_is_not_mistaken_for_a_speaker():
    text = (
        "WEBVTT\n\n00:00.000 --> 00:01.000\nNote: this matters\n\n"
        "00:01.000 --> 00:02.000\nand so does this\n\n00:02.000 --> 00:03.000\nand this\n"
    )
    assert read(text.encode(), name="x.vtt").segments[0].speaker is None


def test_the_bulk_path_and_the_full_algorithm_agree():
    from tete.conversation.formats.webvtt import read_webvtt
    from tete.conversation.formats.webvtt_fast import fast_segments

    text = fixture("teams.vtt").read_text()
    assert fast_segments(text[text.index("\n\n") :]) is not None
    assert read_webvtt(text, "x.vtt") == read_webvtt(text, "x.vtt", bulk=False)
