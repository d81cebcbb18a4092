"""The bulk paths give exactly what the straightforward ones give.

The WebVTT reader's bulk path (:mod:`tete.conversation.formats.webvtt_fast`) against the full
W3C algorithm, and the column-wise metrics against the per-segment reference implementation
in ``reference_metrics.py``, on generated input meant to hit every edge.
"""

from __future__ import annotations

import pickle
from dataclasses import asdict, replace
from itertools import accumulate

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tete.conversation import Segment, Transcript
from tete.conversation.formats.webvtt import read_webvtt
from tete.conversation.formats.webvtt_fast import fast_segments
from tete.conversation.metrics import _running_max, measure

from . import reference_metrics

# Readers and metrics: with the compiled speed-ups and on the pure-Python paths.
pytestmark = pytest.mark.usefixtures("each_implementation")

MANY = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

NAMES = st.sampled_from(["Alice Moreau", "Bob", "Chen Li", "Ünal Çelik", None])
PHRASES = st.sampled_from(
    [
        "Mm-hmm.",
        "yeah",
        "Yeah, right.",
        "I see",
        "ok ok ok ok ok",
        "Did you ship it?",
        "Really??",
        "what? why?",
        "um, you know, it depends",
        "Um umm uh uhh uhm erm er ah",
        "I mean basically literally",
        "you\tknow",
        "number summer over ahead",
        "Basically…",
        "ÉTÉ – très bien",
        "tab\there",
        "  spaced   out  ",
        "",
        "so I think the plan is going well and I will send the notes by Friday",
        "ΣΊΣΥΦΟΣ",
        "x\u00a0y",
    ]
)
TEXT = st.lists(PHRASES, min_size=1, max_size=3).map(" ".join)


@st.composite
def transcripts(draw: st.DrawFn) -> Transcript:
    segments = []
    time = 0
    for _ in range(draw(st.integers(0, 14))):
        time += draw(st.integers(-3000, 3000))
        start = max(0, time)
        length = draw(st.sampled_from([0, 1, 500, 800, 2000, 9000, -200]))
        end = start + length
        segments.append(Segment(draw(NAMES), start / 1000, end / 1000, draw(TEXT)))
        time = max(time, end) if draw(st.booleans()) else time
    timing = draw(st.sampled_from(["cues", "cues", "starts", "none"]))
    return Transcript("generated", "webvtt", tuple(segments), timing)


@MANY
@given(transcript=transcripts())
@example(transcript=Transcript("empty", "webvtt", ()))
@example(
    transcript=Transcript(
        "x",
        "webvtt",
        (
            Segment("A", 0.0, 4.3, "first part"),
            Segment("A", 4.2, 8.0, "still talking"),
            Segment("B", 4.1, 6.0, "but wait"),
        ),
    )
)
def test_bulk_metrics_equal_the_reference(transcript: Transcript):
    speakers, conversation = measure(transcript)
    expected_speakers, expected_conversation = reference_metrics.measure(transcript)
    assert [asdict(s) for s in speakers] == [asdict(s) for s in expected_speakers]
    assert asdict(conversation) == asdict(expected_conversation)


def clock(millis: int, hours: bool) -> str:
    h, rest = divmod(millis, 3_600_000)
    m, rest = divmod(rest, 60_000)
    head = f"{h:02d}:" if hours or h else ""
    return f"{head}{m:02d}:{rest // 1000:02d}.{rest % 1000:03d}"


PLAIN_CUES = [
    "<v Alice>Hello there</v>",
    "<v Bob Okafor>How did it go?</v>",
    "<v Ünal>ünïcödé ✓ — “quoted”</v>",
    "<v A&B>ampersand name</v>",
    "<v Ann>x</v>",
    "<v Ann>no close",
    "<v Ann>two\nlines</v>",
    "<v Ann>three\nshort\nlines",
    "Plain text",
    "Alice: labelled",
    "Felix (Platform): a label with a team",
    "Dr. Ana Ruiz: Léa [she/her]: two colons",
    "Zoë 🙂 : a space before the colon",
    "Kofi — Sales:\nsaid on the next line",
    "Note: maybe a label",
    "10:30 works",
    "see https://example.com: a link",
    "2nd point: no label",
    "one two three four five six seven eight nine ten eleven: too many words",
    "Hello there",
]
OTHER_CUES = [
    "<v  Bob>spaced name</v>",
    "<v Ann>two  spaces</v>",
    "<v Ann> leading</v>",
    "<v Ann>trailing </v>",
    "<v Ann>tab\there</v>",
    "<v Ann>nbsp\u00a0here</v>",
    "<v Ann>unit\x1fseparator</v>",
    "<v Ann>Tom &amp; Jerry</v>",
    "<v Ann>arrow --> in text</v>",
    "<v Ann><b>bold</b></v>",
    "<v.loud Ann>classed</v>",
    "<v Ann>no close",
    "<v >nameless</v>",
    "<v Ann></v>",
    "<v Ann>x</v> after",
    "[Bob] bracketed",
    "[Music] not a name",
    "Ann:\ttab after the colon",
    "<v Ann>one</v><v Ben>two</v>",
    "<v Ann>closed</v>\nthen more",
    " \nwhite space line",
    "<v Ann>two\nlines</v>",
]
IDENTS = ["", "1\n", "abc-def/1-0\n", "  \n"]
SETTINGS = ["", " align:start", "\tline:0 position:10%"]


@st.composite
def webvtt_files(draw: st.DrawFn) -> str:
    """Mostly files the bulk path takes, else files with one unusual part."""
    plain = draw(st.integers(0, 2)) > 0
    hours = draw(st.booleans())
    cues = st.sampled_from(PLAIN_CUES if plain else PLAIN_CUES + OTHER_CUES)
    idents = st.sampled_from(IDENTS if plain else [*IDENTS, "x --> y\n", "7"])
    settings_ = st.sampled_from(
        SETTINGS if plain else [*SETTINGS, "x", "0", " a --> b", "\f", " \f", "\fx"]
    )
    blocks = []
    cue = draw(cues)
    for _ in range(draw(st.integers(1, 8))):
        start = draw(st.integers(0, 5_000_000))
        end = start + draw(st.integers(0 if plain else -500, 9000))
        timing = f"{clock(start, hours)} --> {clock(end, hours)}{draw(settings_)}"
        # the cue before again, at times (rolling captions repeat every line)
        cue = cue if draw(st.integers(0, 3)) == 0 else draw(cues)
        blocks.append(f"{draw(idents)}{timing}\n{cue}")
        if not plain and draw(st.integers(0, 4)) == 0:
            blocks.append(draw(st.sampled_from(["NOTE a note", "STYLE\n::cue {}", "stray line"])))
    separator = draw(st.sampled_from(["\n\n", "\n\n", "\n\n\n"]))
    header = draw(st.sampled_from(["WEBVTT", "WEBVTT - title\nKind: captions"]))
    return header + "\n\n" + separator.join(blocks) + draw(st.sampled_from(["", "\n", "\n\n\n"]))


@MANY
@given(text=webvtt_files())
def test_the_bulk_webvtt_reader_equals_the_full_algorithm(text: str):
    assert read_webvtt(text, "g.vtt") == read_webvtt(text, "g.vtt", bulk=False)


def test_the_bulk_webvtt_reader_takes_plain_voice_cues():
    text = (
        "WEBVTT\n\n1\n00:00:01.250 --> 00:00:05.800 align:start\n<v Alice Moreau>Hi Bob?</v>\n\n"
        "00:06.100 --> 01:00:14.400\n<v Bob>It went well.</v>\n"
    )
    segments = fast_segments(text[text.index("\n\n") :])
    assert segments == [
        Segment("Alice Moreau", 1.25, 5.8, "Hi Bob?"),
        Segment("Bob", 6.1, 3614.4, "It went well."),
    ]
    assert read_webvtt(text, "x.vtt") == read_webvtt(text, "x.vtt", bulk=False)


@pytest.mark.parametrize(
    "cues",
    [
        ["1\n00:00:01.250 --> 00:00:05.800\n<v Alice Moreau>Hi Bob?</v>"],
        [
            "00:01.000 --> 00:02.500\n<v Ünal Çelik>Ça va — “bien”?</v>",
            "a-b/2\n00:03.000 --> 00:04.000\n<v Bob>Fine, thanks.</v>",
        ],
    ],
)
def test_the_uniform_bulk_path_takes_files_of_one_timestamp_width(cues: list[str]):
    text = "WEBVTT\n\n" + "\n\n".join(cues) + "\n"
    transcript = read_webvtt(text, "x.vtt")
    # Only the uniform path hands over the times as numpy arrays.
    assert transcript.columns is not None and transcript.columns.times is not None
    assert transcript == read_webvtt(text, "x.vtt", bulk=False)


@pytest.mark.parametrize(
    "cue",
    [
        "<v Ann-->x</v>",
        "<v Ann>a > b</v>",
        "<v Ann>a --> b</v>",
        "<v Ann> x</v>",
        "<v Ann >x</v>",
        "<v Ann>x </v>",
        "<v Ann>x\ty</v>",
        "<v Ann></v>",
        "<v >x</v>",
    ],
)
def test_the_uniform_bulk_path_refuses_what_the_algorithm_reads_otherwise(cue: str):
    text = f"WEBVTT\n\n00:00.000 --> 00:01.000\n<v Bob>one</v>\n\n00:02.000 --> 00:03.000\n{cue}\n"
    transcript = read_webvtt(text, "x.vtt")
    assert transcript.columns is None or transcript.columns.times is None
    assert transcript == read_webvtt(text, "x.vtt", bulk=False)


def test_the_bulk_webvtt_reader_leaves_anything_else_to_the_full_algorithm():
    head = "WEBVTT\n\n00:00.000 --> 00:01.000\n"
    for cue in ["<v Ann>a</v>\nmore", "<v Ann>a &amp; b</v>", "<v Ann>a  b</v>", "Ann:  hi"]:
        assert fast_segments((head + cue + "\n")[6:]) is None
    assert fast_segments("\n\nNOTE hi\n\n00:00.000 --> 00:01.000\n<v A>x</v>\n") is None
    assert fast_segments("\n\n00:02.000 --> 00:01.000\n<v A>x</v>\n") is None
    # an identifier and the timings on one line
    assert fast_segments("\n\n7 00:00.000 --> 00:01.000\n<v A>x</v>\n") is None
    assert fast_segments("\n\n700:00.000 --> 00:01.000\n<v A>x</v>\n") is None


@MANY
@given(text=webvtt_files())
def test_metrics_from_the_readers_columns_equal_those_from_the_segments(text: str):
    transcript = read_webvtt(text, "g.vtt")
    without_columns = Transcript(
        transcript.source, transcript.format, transcript.segments, transcript.timing
    )
    if transcript.columns is not None:
        assert transcript.columns.segments is transcript.segments
        assert transcript.columns.plain
    speakers, conversation = measure(transcript)
    expected_speakers, expected_conversation = reference_metrics.measure(without_columns)
    assert [asdict(s) for s in speakers] == [asdict(s) for s in expected_speakers]
    assert asdict(conversation) == asdict(expected_conversation)


def test_columns_of_other_segments_are_not_used():
    text = "WEBVTT\n\n00:00.000 --> 00:02.000\n<v Ann>one two</v>\n"
    transcript = read_webvtt(text, "x.vtt")
    assert transcript.columns is not None
    other = replace(transcript, segments=(Segment("Bob", 0.0, 1.0, "three"),))
    assert other.speakers == ("Bob",)
    (bob,), _ = measure(other)
    assert (bob.name, bob.words, bob.talk_time_s) == ("Bob", 1, 1.0)


@given(values=st.lists(st.sampled_from([-1.0, 0.0, 1.0, 2.0, 2.5, 3.0]), max_size=20))
def test_the_running_maximum(values: list[float]):
    assert _running_max(values) == list(accumulate(values, max))


def test_segments_held_as_columns_behave_as_their_tuple():
    text = "WEBVTT\n\n00:00.000 --> 00:02.000\n<v Ann>one two</v>\n\n00:03.000 --> 00:04.000\n<v Bo>x</v>\n"
    segments = read_webvtt(text, "x.vtt").segments
    expected = (Segment("Ann", 0.0, 2.0, "one two"), Segment("Bo", 3.0, 4.0, "x"))
    assert segments == expected and expected == segments
    assert segments != expected[:1] and segments != list(expected)
    assert len(segments) == 2 and segments[1] == expected[1] and segments[:1] == expected[:1]
    assert list(segments) == list(expected) and hash(segments) == hash(expected)
    assert pickle.loads(pickle.dumps(segments)) == expected


# Words that are fillers, parts of filler phrases, near misses, and the marks between them.
TOKENS = st.sampled_from(
    ["um", "Um", "UMM", "uh", "uhh", "uhm", "er", "Erm", "ah", "you", "know", "You know",
     "I", "mean", "i mean", "basically", "Literally", "mum", "uh_", "er2", "hmm", "knows",
     "?", "??", "?!?", ",", ".", "-", "'", "...", "(um)", "you-know", "I,mean"]
)  # fmt: skip


@st.composite
def ascii_voice_cues(draw: st.DrawFn) -> str:
    """Files of plain ASCII one-voice cues, all of one timestamp width, with fillers, near
    misses and question marks: what the uniform bulk path reads."""
    blocks = []
    time = 0
    for index in range(draw(st.integers(1, 10))):
        start = time + draw(st.integers(0, 3000))
        end = start + draw(st.integers(0, 6000))
        time = start if draw(st.booleans()) else end
        tokens = draw(st.lists(TOKENS, min_size=1, max_size=12))
        glue = draw(st.lists(st.sampled_from([" ", ""]), min_size=len(tokens)))
        text = "".join(token + space for token, space in zip(tokens, glue, strict=False))
        name = draw(st.sampled_from(["Ann", "Bo Li", "um"]))
        ident = draw(st.sampled_from(["", f"{index}\n"]))
        blocks.append(
            f"{ident}{clock(start, True)} --> {clock(end, True)}\n<v {name}>{text.strip()}</v>"
        )
    return "WEBVTT\n\n" + "\n\n".join(blocks) + "\n"


@MANY
@given(text=ascii_voice_cues())
def test_word_counts_from_the_bulk_readers_columns_equal_the_reference(text: str):
    transcript = read_webvtt(text, "g.vtt")
    assert transcript.columns is not None and transcript.columns.times is not None
    without_columns = Transcript(
        transcript.source, transcript.format, transcript.segments, transcript.timing
    )
    speakers, _ = measure(transcript)
    expected, _ = reference_metrics.measure(without_columns)
    fields = ("name", "words", "questions", "filler_words", "segments")
    assert [[getattr(s, f) for f in fields] for s in speakers] == [
        [getattr(s, f) for f in fields] for s in expected
    ]


def test_short_texts_are_measured_in_characters_not_bytes():
    # 39 characters, 55 bytes in UTF-8: short enough to be a backchannel.
    reply = "Absolutely…… exactly…… totally…… sure……"
    assert len(reply) <= 40 < len(reply.encode())
    text = (
        "WEBVTT\n\n00:00.000 --> 00:10.000\n<v Ann>I was saying that the plan works</v>\n\n"
        f"00:05.000 --> 00:06.000\n<v Bo>{reply}</v>\n\n"
        "00:10.500 --> 00:20.000\n<v Ann>and then we ship it next week</v>\n"
    )
    transcript = read_webvtt(text, "x.vtt")
    assert transcript.columns is not None and transcript.columns.lengths is not None
    speakers, conversation = measure(transcript)
    assert [s.backchannels for s in speakers] == [0, 1]
    without_columns = Transcript("x.vtt", "webvtt", tuple(transcript.segments))
    expected_speakers, expected_conversation = reference_metrics.measure(without_columns)
    assert [asdict(s) for s in speakers] == [asdict(s) for s in expected_speakers]
    assert asdict(conversation) == asdict(expected_conversation)


def test_a_file_with_many_speakers_reads_as_the_full_algorithm_does():
    # Past 32 speakers the reader slices every name instead of numbering them by rounds.
    cues = [
        f"{clock(index * 2000, True)} --> {clock(index * 2000 + 1500, True)}\n"
        f"<v Speaker {index % 40}>Turn {index} here</v>"
        for index in range(120)
    ]
    text = "WEBVTT\n\n" + "\n\n".join(cues) + "\n"
    transcript = read_webvtt(text, "x.vtt")
    assert transcript.columns is not None and transcript.columns.times is not None
    assert transcript == read_webvtt(text, "x.vtt", bulk=False)
    assert transcript.speakers == tuple(f"Speaker {index}" for index in range(40))
    speakers, _ = measure(transcript)
    assert [s.segments for s in speakers] == [3] * 40


@st.composite
def rolling_files(draw: st.DrawFn) -> str:
    """Captions that roll as YouTube's automatic ones do, now and then not: each cue the
    line before and a new one, a 10 ms cue of the finished line, or a cue of its own."""
    words = st.sampled_from(["so", "today", "we", "talk", "about", "the", "plan", "yeah", "ok"])
    line = st.lists(words, min_size=1, max_size=4).map(" ".join)
    blocks, previous, time = [], " ", 0
    for _ in range(draw(st.integers(1, 10))):
        new = draw(line)
        kind = draw(st.sampled_from(["roll", "roll", "roll", "short", "alone", "voiced"]))
        if kind == "roll":
            text = f"{previous}\n{new}"
        elif kind == "short":
            text, new = f"{previous}\n ", previous
        elif kind == "alone":
            text = new
        else:
            text = f"<v Ann>{previous}\n{new}</v>"
        blocks.append(f"{clock(time, True)} --> {clock(time + 900, True)} align:start\n{text}")
        previous, time = new, time + 900
    return "WEBVTT\nKind: captions\n\n" + "\n\n".join(blocks) + "\n"


@MANY
@given(text=rolling_files())
def test_rolling_captions_read_in_bulk_or_not_as_the_full_algorithm_reads_them(text: str):
    assert read_webvtt(text, "r.vtt") == read_webvtt(text, "r.vtt", bulk=False)
