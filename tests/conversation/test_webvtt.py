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


# The W3C parser algorithm (https://www.w3.org/TR/webvtt1/#file-parsing), rule by rule.
# Each case is read by the full algorithm and by whichever bulk path takes it; both must
# give what the standard says.


def both_ways(text: str) -> list[tuple[float, float, str | None, str]]:
    from tete.conversation.formats.webvtt import read_webvtt

    full = read_webvtt(text, "x.vtt", bulk=False)
    assert read_webvtt(text, "x.vtt") == full
    return [(s.start, s.end, s.speaker, s.text) for s in full.segments]


def test_a_timing_line_inside_the_header_ends_it_and_starts_a_cue():
    # "collect a WebVTT block" with "in header" set: a line holding "-->" makes the
    # parser rewind to it and end the header; the next block is that cue.
    text = "WEBVTT\nKind: captions\n00:00.000 --> 00:01.000\nfirst\n\n00:02.000 --> 00:03.000\nsecond\n"
    assert both_ways(text) == [(0.0, 1.0, None, "first"), (2.0, 3.0, None, "second")]


def test_the_header_runs_to_the_first_empty_line_not_a_line_of_spaces():
    # Only an empty line ends a block: a line of spaces or a tab is a header line, so the
    # text after it is header too (no arrow), and the cue comes after the empty line.
    text = "WEBVTT\n \nKind: captions\n\t\nLanguage: en\n\n00:01.000 --> 00:02.000\nhi\n"
    assert both_ways(text) == [(1.0, 2.0, None, "hi")]


def test_a_line_of_spaces_does_not_end_a_cue():
    # The line of spaces is cue text; the next line still belongs to the same cue.
    text = "WEBVTT\n\n00:01.000 --> 00:02.000\none\n   \ntwo\n\n00:03.000 --> 00:04.000\nthree\n"
    assert both_ways(text) == [(1.0, 2.0, None, "one two"), (3.0, 4.0, None, "three")]


@pytest.mark.parametrize(
    "timings",
    [
        "00:01.000 --> 00:02.000",
        "00:01.000-->00:02.000",
        " \t00:01.000\t-->\t00:02.000",
        "\f00:01.000\f-->\f00:02.000\f",
        "00:01.000 \f \t --> \t \f 00:02.000 align:start",
        "00:01.000 --> 00:02.000position:10%",  # settings need no white space before them
    ],
)
def test_spaces_tabs_and_form_feeds_around_and_between_the_timings(timings: str):
    text = f"WEBVTT\n\n{timings}\nhi\n"
    assert both_ways(text) == [(1.0, 2.0, None, "hi")]


@pytest.mark.parametrize(
    "timings",
    [
        "00:01.000 - -> 00:02.000",  # the arrow is three characters together
        "00:01.000 --> 00:02.0000",  # exactly three digits of thousandths
        "00:01.00 --> 00:02.000",
        "0:01.000 --> 00:02.000",  # one digit: hours, and then the seconds are missing
        "00:60.000 --> 01:00.000",  # seconds below 60
        "00:60:00.000 --> 01:00:00.000",  # minutes below 60
        "00:01.000 --> 00:02,000",
        "\u0660\u0660:01.000 --> 00:02.000",  # ASCII digits only (these are Arabic-Indic)
        "00:01.000 \u00a0--> 00:02.000",  # no-break space is not WebVTT white space
        "\v00:01.000 --> 00:02.000",
    ],
)
def test_timings_the_standard_refuses_skip_the_cue(timings: str):
    text = f"WEBVTT\n\n{timings}\ndropped\n\n00:05.000 --> 00:06.000\nkept\n"
    assert both_ways(text) == [(5.0, 6.0, None, "kept")]


def test_hours_may_have_any_number_of_digits():
    text = "WEBVTT\n\n1:00:01.000 --> 100:00:00.500\nlong\n"
    assert both_ways(text) == [(3601.0, 360000.5, None, "long")]


def test_a_nul_character_becomes_the_replacement_character():
    data = b"WEBVTT\n\n00:01.000 --> 00:02.000\n<v Ann>a\x00b</v>\n"
    segments = read(data, name="x.vtt").segments
    assert [(s.speaker, s.text) for s in segments] == [("Ann", "a\ufffdb")]
    # also in the signature's line and in a voice's name
    data = b"WEBVTT \x00\n\n00:01.000 --> 00:02.000\n<v A\x00n>x</v>\n"
    assert read(data, name="x.vtt").segments[0].speaker == "A\ufffdn"


def test_nul_is_still_refused_in_formats_without_that_rule():
    with pytest.raises(TranscriptError, match="NUL"):
        read(b"Ann: hello\x00\nBen: hi\n", name="x.txt")


@pytest.mark.parametrize("signature", ["WEBVTT", "WEBVTT ", "WEBVTT\t", "WEBVTT - title"])
def test_the_signature_is_webvtt_then_a_space_tab_or_line_end(signature: str):
    assert both_ways(f"{signature}\n\n00:01.000 --> 00:02.000\nhi\n")[0][2:] == (None, "hi")


@pytest.mark.parametrize("signature", ["WEBVTTX", "WEBVTT\f", "webvtt", " WEBVTT"])
def test_any_other_first_line_is_not_webvtt(signature: str):
    with pytest.raises(TranscriptError, match="WEBVTT"):
        read(f"{signature}\n\n00:01.000 --> 00:02.000\nhi\n".encode(), name="x.vtt")


def test_style_region_and_note_blocks_are_skipped_wherever_they_stand():
    text = (
        "WEBVTT\n\nSTYLE\n::cue { color: red }\n\nREGION\nid:r1 width:40%\n\n"
        "NOTE a comment\nover two lines\n\n00:01.000 --> 00:02.000 region:r1\n<v Ann>one</v>\n\n"
        "NOTE after the first cue\n\nSTYLE\n::cue { color: blue }\n\n"
        "00:03.000 --> 00:04.000\n<v Ben>two</v>\n"
    )
    assert both_ways(text) == [(1.0, 2.0, "Ann", "one"), (3.0, 4.0, "Ben", "two")]


def test_a_block_whose_second_line_holds_an_arrow_is_a_cue_with_an_identifier():
    # Even when the identifier reads NOTE or STYLE: the algorithm only looks for the arrow.
    text = "WEBVTT\n\nNOTE\n00:01.000 --> 00:02.000\nsaid\n\nSTYLE\n00:03.000 --> 00:04.000\nalso\n"
    assert both_ways(text) == [(1.0, 2.0, None, "said"), (3.0, 4.0, None, "also")]


def test_an_arrow_on_a_later_line_of_a_comment_starts_a_cue():
    text = "WEBVTT\n\nNOTE one\ntwo\n00:01.000 --> 00:02.000\nthree\n"
    assert both_ways(text) == [(1.0, 2.0, None, "three")]


def test_unknown_or_broken_cue_settings_keep_the_cue():
    text = (
        "WEBVTT\n\n00:01.000 --> 00:02.000 align:nowhere size:300% foo:bar :x vertical:\n"
        "kept\n\n00:03.000 --> 00:04.000 a --> b\nalso kept\n"
    )
    assert both_ways(text) == [(1.0, 2.0, None, "kept"), (3.0, 4.0, None, "also kept")]


def test_a_cue_with_no_text_is_a_cue_with_nothing_said():
    text = "WEBVTT\n\n00:01.000 --> 00:02.000\n\n00:03.000 --> 00:04.000\nhi\n"
    assert both_ways(text) == [(3.0, 4.0, None, "hi")]
