"""The compiled speed-ups (``_speedups.c``) give exactly what the pure-Python paths give.

The readers and metrics tests run with and without them (``each_implementation`` in
conftest.py); here each compiled function is checked directly against its pure-Python
equivalent, on generated input meant to hit every edge, and fed arbitrary text.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tete.conversation import analyze, native, read
from tete.conversation.formats.webvtt import read_webvtt
from tete.conversation.formats.webvtt_fast import _uniform_segments
from tete.conversation.metrics import FILLERS, count_fillers, count_questions

from .conftest import compiled_speedups
from .support import fixture

MANY = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.fixture(scope="module")
def compiled():
    return compiled_speedups()


def test_the_speedups_are_built_and_used(compiled):
    if os.environ.get("TETE_PURE_PYTHON"):
        assert native.speedups is None
    else:
        assert native.speedups is compiled


# Names and texts: plain ones in every string width Python has (ASCII, Latin-1, two and
# four bytes a character), and near misses the full algorithm reads differently.
NAMES = [
    "Alice Moreau",
    "Bob",
    "Ünal Çelik",
    "李 雷",
    "Zoë 🙂",
    "Ann-Marie",
    "A&B",
    "Ann--",
    " Ann",
    "Ann ",
    "Ann  Lee",
    "Ann\tLee",
    "Ann\u00a0Lee",
    "",
    "A<b",
]
TEXTS = [
    "Hello there",
    "How did it go?",
    "ünïcödé — “quoted”",
    "好的",
    "ok 👍",
    "x",
    "a > b",
    "a --> b",
    " leading",
    "trailing ",
    "two  spaces",
    "tab\there",
    "em\u2003space",
    "unit\x1fseparator",
    "bell\x07",
    "Tom &amp; Jerry",
    "",
    "<b>bold</b>",
]
TAGS = ["<v {name}>{text}</v>", "<v {name}>{text}</v>", "<v.loud {name}>{text}</v>", "{text}"]
IDENTS = ["", "", "1\n", "abc-def/1-0\n", "  \n", "x --> y\n", "a>b\n", "\n"]
SEPARATORS = ["\n\n", "\n\n", "\n\n", "\n\n\n", "\n"]


def clock(millis: int, hours: bool) -> str:
    h, rest = divmod(millis, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, ms = divmod(rest, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}.{ms:03d}" if hours or h else f"{m:02d}:{s:02d}.{ms:03d}"


@st.composite
def webvtt_bodies(draw: st.DrawFn) -> str:
    """A WebVTT file: mostly of the uniform shape, often with one part that is not."""
    plain = draw(st.booleans())
    names = st.sampled_from(NAMES[:6] if plain else NAMES)
    texts = st.sampled_from(TEXTS[:6] if plain else TEXTS)
    blocks = []
    for _ in range(draw(st.integers(1, 6))):
        start = draw(st.integers(0, 4_000_000))
        end = start + draw(st.integers(0 if plain else -300, 9000))
        timing = f"{clock(start, draw(st.booleans()))} --> {clock(end, draw(st.booleans()))}"
        if not plain:
            timing += draw(st.sampled_from(["", "", " align:start", " "]))
        tag = "<v {name}>{text}</v>" if plain else draw(st.sampled_from(TAGS))
        ident = draw(st.sampled_from(IDENTS[:4] if plain else IDENTS))
        blocks.append(f"{ident}{timing}\n" + tag.format(name=draw(names), text=draw(texts)))
    separator = "\n\n" if plain else draw(st.sampled_from(SEPARATORS))
    return "WEBVTT\n\n" + separator.join(blocks) + draw(st.sampled_from(["", "\n", "\n\n"]))


def body_of(text: str) -> str:
    return text[text.index("\n\n") :].rstrip("\n")


def segments_of(read_: tuple) -> list[tuple]:
    """(speaker, start, end, text) of each cue the compiled reader read."""
    _, speakers, _, starts, ends, texts, *_ = read_
    return list(zip(speakers, starts, ends, texts, strict=True))


@MANY
@given(text=webvtt_bodies())
@example(text="WEBVTT\n\n00:00.000 --> 00:01.000\n<v Zoë 🙂>ok 👍</v>\n")
@example(text="WEBVTT\n\n00:00.000 --> 00:01.000\n<v Ann-->x</v>\n")
def test_the_compiled_reader_equals_the_full_algorithm(compiled, text: str):
    read_ = compiled.plain_cues(body_of(text), False)
    full = read_webvtt(text, "g.vtt", bulk=False)
    if read_ is None:
        return
    assert segments_of(read_) == [segment[:4] for segment in full.segments]
    assert read_[0] == full.speakers
    assert not full.warnings


@MANY
@given(text=webvtt_bodies())
def test_the_compiled_reader_gives_the_columns_the_python_one_gives(compiled, text: str):
    body = body_of(text)
    expected = _uniform_segments(body)
    if expected is None:
        return
    read_ = compiled.plain_cues(body, False)
    assert read_ is not None, "the compiled reader refuses a file the Python one takes"
    import numpy as np

    voices, speakers, codes, starts, ends, texts, start_times, end_times, lengths, _ = read_
    assert (voices, speakers, starts, ends, texts) == (
        expected.voices,
        expected.speakers,
        expected.starts,
        expected.ends,
        expected.texts,
    )
    assert expected.times is not None and expected.lengths is not None
    assert np.frombuffer(start_times).tolist() == expected.times[0].tolist()
    assert np.frombuffer(end_times).tolist() == expected.times[1].tolist()
    assert np.frombuffer(lengths, dtype=np.intp).tolist() == expected.lengths.tolist()
    if expected.codes is not None:
        assert np.frombuffer(codes, dtype=np.intp).tolist() == expected.codes.tolist()


def test_the_compiled_reader_takes_every_string_width(compiled):
    # Python stores a str at 1, 2 or 4 bytes a character, by its widest character.
    for name, text in [("Bob", "fine"), ("Zoë", "très"), ("李雷", "好的"), ("Ann", "ok 👍")]:
        body = f"\n\n1\n00:00:01.000 --> 00:00:02.500\n<v {name}>{text}</v>"
        voices, speakers, _, starts, ends, texts, *_ = compiled.plain_cues(body, False)
        assert (voices, speakers, starts, ends, texts) == ((name,), [name], [1.0], [2.5], [text])


def test_the_compiled_reader_reads_a_real_file(compiled):
    text = fixture("teams.vtt").read_text("utf-8")
    assert compiled.plain_cues(body_of(text), False) is not None
    assert read_webvtt(text, "t.vtt") == read_webvtt(text, "t.vtt", bulk=False)


@settings(max_examples=300, deadline=None)
@given(text=st.text())
@example(text="\n\n00:00.000 --> 00:01.000\n<v ")
@example(text="\n\n00:00.000 --> 00:01.000\n<v A>x</v")
@example(text="\n\n00:00:00.000 --> 00:00:01.")
def test_the_compiled_reader_survives_any_text(compiled, text: str):
    read_ = compiled.plain_cues(text, False)
    if read_ is not None:
        full = read_webvtt("WEBVTT" + text, "t.vtt", bulk=False)
        assert segments_of(read_) == [segment[:4] for segment in full.segments]


def test_the_compiled_reader_survives_every_truncation(compiled):
    text = fixture("teams.vtt").read_text("utf-8")
    body = body_of(text)
    taken = 0
    for end in range(len(body)):
        read_ = compiled.plain_cues(body[:end], False)
        if read_ is not None:
            taken += 1
            full = read_webvtt("WEBVTT" + body[:end], "t.vtt", bulk=False)
            assert segments_of(read_) == [segment[:4] for segment in full.segments]
    assert taken  # cut after a cue's "</v>", the file is still whole


WORDS = st.sampled_from(
    [
        "um", "UM", "Umm", "uh", "uhh", "uhm", "erm", "er", "Er", "ah", "you know", "You Know",
        "i mean", "I mean", "basically", "literally", "umbrella", "number", "her", "yeah",
        "you", "know", "mean", "um_", "_um", "um2", "?", "??", "what?", "a?b?", "(um)", "um,",
        "you-know", "I,mean", " ", "\t", "\n", "\x1f", "\x0b", ".", "-", "'", "x",
    ]
)  # fmt: skip


@MANY
@given(text=st.lists(WORDS, max_size=150).map("".join))  # (over several blocks of 64)
@example(text="ummm um umm")
@example(text="you know you know")
def test_text_counts_equal_the_definitions(compiled, text: str):
    assert compiled.text_counts(text, FILLERS) == (
        len(text.split()),
        count_questions(text),
        count_fillers(text),
    )


@given(
    text=st.lists(WORDS, max_size=80).map(" ".join),
    fillers=st.lists(st.sampled_from(["um", "umm", "u", "you", "you know", "er", "x"]), max_size=5),
)
@settings(max_examples=200, deadline=None)
def test_text_counts_try_the_fillers_in_order_as_an_alternation_does(compiled, text, fillers):
    pattern = re.compile(r"\b(?:" + "|".join(map(re.escape, fillers)) + r")\b")
    expected = len(pattern.findall(text.lower())) if fillers else 0
    assert compiled.text_counts(text, tuple(fillers))[2] == expected


def test_text_counts_leave_other_texts_to_python(compiled):
    assert compiled.text_counts("über um", FILLERS) is None
    assert compiled.text_counts("um", ("ü",)) is None
    with pytest.raises(TypeError):
        compiled.text_counts("um", ["um"])


@pytest.mark.slow
def test_without_the_speedups_the_report_is_the_same(compiled, tmp_path: Path):
    script = (
        "import json, sys\n"
        "from tete.conversation import analyze, native, read\n"
        "assert native.speedups is None\n"
        "print(json.dumps(analyze(read(sys.argv[1])).to_dict()))\n"
    )
    source = str(fixture("teams.vtt"))
    pure = subprocess.run(
        [sys.executable, "-c", script, source],
        env={**os.environ, "TETE_PURE_PYTHON": "1"},
        capture_output=True,
        text=True,
        check=True,
    )
    assert json.loads(pure.stdout) == analyze(read(source)).to_dict()


def python_only(function):
    """``function()`` with the compiled speed-ups switched off."""
    before, native.speedups = native.speedups, None
    try:
        return function()
    finally:
        native.speedups = before


def same_outcome(compiled_read, python_read) -> None:
    """Both readers give equal transcripts (segments, words, dialect, warnings), or both
    refuse the file with the same error."""
    from tete.conversation import TranscriptError

    try:
        expected = python_only(python_read)
    except TranscriptError as error:
        with pytest.raises(TranscriptError) as raised:
            compiled_read()
        assert str(raised.value) == str(error)
        return
    got = compiled_read()
    assert got == expected
    assert [s.words for s in got.segments] == [s.words for s in expected.segments]


JSON_WORDS = [
    '{"word": " Hi", "start": 0.5, "end": 0.9, "score": 0.8}',
    '{"word": "there", "start": 1, "end": 0.5}',
    '{"word": "no-times"}',
    '{"text": "by text", "start": 1.25, "end": 1.5}',
    '{"word": null, "text": "null word", "start": 0, "end": 1}',
    '{"word": "neg", "start": -1, "end": 2}',
    '{"word": "true", "start": true, "end": 2}',
    '{"word": "big", "start": 1e400, "end": 2}',
    '{"word": "esc\\u00e9\\n", "start": 0.1, "end": 0.2}',
    '{"word": "\\ud83d\\ude00", "start": 0.1, "end": 0.2}',
    '{"word": "dup", "start": 0.1, "start": 0.3, "end": 0.4}',
    '{"st\\u0061rt": 1, "word": "escaped key", "start": 1, "end": 2}',
    '[0.1, 0.2, "array word", 0.9]',
    "42",
    '{"word": "long", "start": 12345678901234567, "end": 12345678901234568}',
    '{"word": "exp", "start": 1.5e2, "end": 2E2}',
    '{"word": "many", "start": 0.12345678901234567, "end": 0.5}',
]
JSON_SEGMENTS = [
    '{"start": 0.0, "end": 2.5, "text": " Hello  there. ", "words": [{words}]}',
    '{"start": 2.5, "end": 4, "text": "Second", "speaker": "SPEAKER_00", "words": [{words}]}',
    '{"start": 4, "end": 5, "text": "ünïcödé\\u2003space\\t", "speaker": "Zoë 🙂"}',
    '{"start": 5, "end": 6, "text": "   ", "speaker": "SPEAKER_01"}',
    '{"start": 6, "end": 5, "text": "backwards"}',
    '{"start": 6, "text": "no end"}',
    '{"start": "6", "end": 7, "text": "string time"}',
    '{"start": 7, "end": 8, "text": 5}',
    '{"start": 7, "end": 8, "text": "number speaker", "speaker": 3}',
    '{"start": 7, "end": 8, "text": "null speaker", "speaker": null, "words": {}}',
    '{"start": 8, "end": 9, "text": "dup", "text": "last text wins", "words": 7}',
    '{"start": -0.0, "end": 0, "text": "negative zero"}',
    '{"start": 9, "end": 10, "text": "esc \\"q\\" \\\\ \\/ \\b\\f\\r", "speaker": "A\\u0042"}',
    '[0, 0, 1.0, 2.0, " faster", [1], 0.0, -0.2, 1.1, 0.01, null]',
    '{"start": NaN, "end": 1, "text": "nan"}',
]


@st.composite
def whisper_files(draw: st.DrawFn) -> str:
    segments = []
    plain = draw(st.integers(0, 2)) > 0
    for _ in range(draw(st.integers(0, 5))):
        words = ", ".join(
            draw(st.lists(st.sampled_from(JSON_WORDS[:11] if plain else JSON_WORDS), max_size=4))
        )
        segment = draw(st.sampled_from(JSON_SEGMENTS[:4] if plain else JSON_SEGMENTS))
        segments.append(segment.replace("{words}", words))
    body = ", ".join(segments)
    extra = draw(
        st.sampled_from(["", ', "word_segments": []', ', "language": "en"', ', "segments": []'])
    )
    text = draw(
        st.sampled_from(['{"segments": [%s]%s}', '\n {"text": "x", "segments" : [%s] %s}\n'])
    )
    text = text % (body, extra)
    # now and then, one character changed
    if draw(st.integers(0, 5)) == 0 and text:
        at = draw(st.integers(0, len(text) - 1))
        text = (
            text[:at]
            + draw(st.sampled_from(['"', "{", "]", ",", "\\", "\x01", "", " "]))
            + text[at + 1 :]
        )
    return text


@MANY
@given(text=whisper_files())
@example(text='{"segments": [{"start": 0, "end": 1, "text": "a"}]} x')
@example(text='{"segments": [{"start": 0, "end": 1, "text": "a"}], "segments": 3}')
@example(text='{"segments": []}')
def test_the_compiled_json_reader_equals_the_python_one(compiled, text: str):
    from tete.conversation.formats.whisper import read_whisper

    same_outcome(lambda: read_whisper(text, "w.json"), lambda: read_whisper(text, "w.json"))
    # the whole file, as read() takes it: UTF-8 bytes go to the compiled reader undecoded
    data = text.encode()
    same_outcome(lambda: read(data, name="w.json"), lambda: read(data, name="w.json"))
    same_report(data)


def same_report(data: bytes) -> None:
    """Both readers' transcripts give the same report (the compiled one hands the metrics
    its columns: times, each speaker's index, each text's length)."""
    from tete.conversation import TranscriptError

    try:
        expected = python_only(lambda: analyze(read(data, name="w.json")).to_dict())
    except TranscriptError:
        return
    assert analyze(read(data, name="w.json")).to_dict() == expected


@st.composite
def uniform_whisperx_files(draw: st.DrawFn) -> str:
    """WhisperX files as json.dump writes them: every word object of one layout (which the
    compiled reader learns and then matches), now and then one that differs, and maybe
    one character changed anywhere."""
    value = st.one_of(
        st.floats(0, 5000, allow_nan=False).map(lambda x: round(x, 3)),
        st.integers(0, 10**17),
        st.sampled_from(["", "x", "Zoë", 'a"b', "\u00e9", None, True, [], {"a": 1}]),
    )
    words = []
    for index in range(draw(st.integers(3, 12))):
        word = {"word": f"w{index}", "start": index / 4, "end": index / 4 + 0.2, "score": 0.9}
        if draw(st.integers(0, 4)) == 0:
            word[draw(st.sampled_from(["word", "start", "end", "score", "extra"]))] = draw(value)
        if draw(st.booleans()):
            word["speaker"] = "SPEAKER_00"
        words.append(word)
    segment = {"start": 0, "end": 4, "text": " words", "words": words, "speaker": "SPEAKER_00"}
    data = {"segments": [segment], "word_segments": words, "language": "en"}
    text = json.dumps(
        data,
        indent=draw(st.sampled_from([None, 2])),
        separators=draw(st.sampled_from([None, (",", ":")])),
        ensure_ascii=draw(st.booleans()),
    )
    if draw(st.booleans()):  # mostly past the first word, whose layout is learned
        at = draw(st.integers(len(text) // 4, len(text) - 1))
        text = (
            text[:at]
            + draw(st.sampled_from(['"', "}", "]", ",", "\\", "1", "-", ".", "e", " ", ""]))
            + text[at + 1 :]
        )
    return text


@MANY
@given(text=uniform_whisperx_files())
def test_the_compiled_json_reader_matches_learned_layouts_exactly(compiled, text: str):
    data = text.encode()
    same_outcome(lambda: read(data, name="w.json"), lambda: read(data, name="w.json"))
    same_report(data)


# Bytes as a file may hold them: the compiled reader takes UTF-8 undecoded, so whatever the
# strict decoder refuses must be left to it (overlong forms, surrogates, past U+10FFFF,
# sequences cut short, bytes that never start one), and NUL too.
BAD_BYTES = [
    b"\xc0\xaf", b"\xc1\xbf", b"\xe0\x80\xaf", b"\xed\xa0\x80", b"\xed\xbf\xbf",
    b"\xf0\x80\x80\xaf", b"\xf4\x90\x80\x80", b"\xf5\x80\x80\x80", b"\xe2\x82",
    b"\xf0\x9f\x98", b"\x80", b"\xff", b"\x00",
]  # fmt: skip
GOOD_BYTES = [
    b"\xc3\xa9",
    b"\xe2\x82\xac",
    b"\xef\xbf\xbf",
    b"\xf0\x9f\x99\x82",
    b"\xf4\x8f\xbf\xbf",
]


@MANY
@given(
    text=whisper_files(),
    cut=st.sampled_from(BAD_BYTES + GOOD_BYTES),
    where=st.floats(0, 1),
)
def test_the_compiled_json_reader_takes_bytes_as_the_decoder_does(compiled, text, cut, where):
    data = text.encode()
    # inside a string, mostly: a segment's text or speaker, or anywhere at all
    quotes = [match.end() for match in re.finditer(rb'"(text|speaker|word)": "', data)]
    at = quotes[int(where * len(quotes)) % len(quotes)] if quotes else int(where * len(data))
    data = data[:at] + cut + data[at:]
    same_outcome(lambda: read(data, name="w.json"), lambda: read(data, name="w.json"))


WORDY_FILE = (
    '{"segments": [{"start": 0, "end": 2, "text": "Hello there", "speaker": "SPEAKER_00",'
    ' "words": [{"word": "Hello", "start": 0, "end": 1, "extra": {"deeper": [1, [2]]}},'
    ' {"word": "there", "start": 1, "end": 2}]}], "word_segments": [{"word": "Hello"}],'
    ' "language": "en"}'
)


@pytest.mark.parametrize("depth", [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 32])
def test_the_compiled_json_reader_leaves_nesting_past_the_limit_to_python(compiled, depth):
    from tete.conversation import Limits

    limits = Limits(max_json_depth=depth)
    data = WORDY_FILE.encode()
    same_outcome(
        lambda: read(data, name="w.json", limits=limits),
        lambda: read(data, name="w.json", limits=limits),
    )
    nested = data.replace(b'"language": "en"', b'"x": ' + b"[" * 40 + b"]" * 40)
    same_outcome(
        lambda: read(nested, name="w.json", limits=limits),
        lambda: read(nested, name="w.json", limits=limits),
    )


@pytest.mark.parametrize(
    "value", ["1" * 5000, "1" * 16, "-" + "9" * 20, "1" * 5000 + ".5", "0." + "1" * 5000]
)
def test_the_compiled_json_reader_leaves_long_numbers_to_python(compiled, value):
    """Python refuses an integer of more than 4,300 digits; the compiled reader leaves
    every integer of more than 15 to it."""
    data = WORDY_FILE.replace('"en"', value).encode()
    same_outcome(lambda: read(data, name="w.json"), lambda: read(data, name="w.json"))


def test_the_compiled_json_reader_counts_cue_timings_as_the_limits_do(compiled):
    from tete.conversation import Limits

    data = WORDY_FILE.replace('"en"', '"a-->b --->c"').encode()
    for most in (1, 2):
        limits = Limits(max_cues=most)
        same_outcome(
            lambda limits=limits: read(data, name="w.json", limits=limits),
            lambda limits=limits: read(data, name="w.json", limits=limits),
        )


SRT_CUES = [
    "Alice Moreau: Hello there",
    "Bob (Platform): wrapped over\ntwo lines",
    "SPEAKER 1: <i>tagged</i>",
    '<font color="#ffffff">Font tag</font>',
    "{\\an8}Top of the screen",
    "plain text",
    "[Bob] bracketed",
    "42",
    "a  double space",
    "Ann: a &amp; b",
]
SRT_TIMINGS = [
    "00:00:01,000 --> 00:00:02,500",
    "00:00:03,000 --> 00:00:04,000",
    "00:00:05.000 --> 00:00:06.000",
    "0:00:07,5 --> 0:00:08,25",
    "00:00:09,000 --> 00:00:08,000",
    "00:00:10,000 --> 00:00:11,000 X1:100 X2:200",
]


@st.composite
def srt_files(draw: st.DrawFn) -> str:
    """Mostly files the compiled reader takes, else files with some unusual part."""
    plain = draw(st.integers(0, 2)) > 0
    cues = st.sampled_from(SRT_CUES[:6] if plain else SRT_CUES)
    timings = st.sampled_from(SRT_TIMINGS[:2] if plain else SRT_TIMINGS)
    blocks = []
    for number in range(1, draw(st.integers(1, 6)) + 1):
        ident = draw(st.sampled_from([f"{number}\n", f"{number}\n", ""]))
        blocks.append(f"{ident}{draw(timings)}\n{draw(cues)}")
    separator = draw(st.sampled_from(["\n\n", "\n\n", "\n\n\n"] + ([] if plain else ["\n"])))
    return (
        draw(st.sampled_from(["", "\n", "\ufeff"]))
        + separator.join(blocks)
        + draw(st.sampled_from(["", "\n", "\n\n"]))
    )


@MANY
@given(text=srt_files())
def test_the_compiled_srt_reader_equals_the_python_one(compiled, text: str):
    from tete.conversation.formats.srt import read_srt

    same_outcome(lambda: read_srt(text, "s.srt"), lambda: read_srt(text, "s.srt"))


@pytest.mark.parametrize("voices", [1, 2, 32, 33, 40])
def test_the_compiled_json_reader_hands_the_metrics_each_speaker(compiled, voices):
    """Past 32 speakers the metrics find each segment's speaker themselves; a segment with
    no speaker leaves it to them too."""
    segments = [
        {"start": i, "end": i + 0.9, "text": f"said {i}?", "speaker": f"S{i % voices}"}
        for i in range(80)
    ]
    data = json.dumps({"segments": segments}).encode()
    same_report(data)
    transcript = read(data, name="w.json")
    assert transcript.speakers == tuple(f"S{i}" for i in range(voices))
    del segments[3]["speaker"]
    same_report(json.dumps({"segments": segments}).encode())


@MANY
@given(
    text=st.lists(st.text(st.sampled_from("ab\n é😀\r"), max_size=30), max_size=8).map("".join),
    most=st.integers(0, 12),
)
def test_the_first_long_line_is_found_as_splitting_finds_it(compiled, text, most):
    from tete.conversation.limits import first_long_line

    expected = next(
        (
            (number, len(line))
            for number, line in enumerate(text.split("\n"), 1)
            if len(line) > most
        ),
        (0, 0),
    )
    assert compiled.first_long_line(text, most) == expected
    assert python_only(lambda: first_long_line(text, most)) == expected


def test_the_compiled_json_reader_survives_every_truncation(compiled):
    """Cut anywhere (in a word, a number, a literal, an escape), a file is read or refused
    as the Python reader reads or refuses it; the compiled reader's scans stop at the NUL
    that ends every bytes object and never look past it."""
    words = [{"word": "Hé", "start": 0.5, "end": 0.9, "score": 0.8, "speaker": "SPEAKER_00"}] * 3
    segment = {"start": 0, "end": 1, "text": " Hé \\u00e9", "words": words, "speaker": "A"}
    files = [json.dumps({"segments": [segment], "word_segments": words}, ensure_ascii=False)]
    files += [
        '{"segments": [{"start": 0, "end": 1, "text": "a"}], "x": ' + literal + "}"
        for literal in ("true", "false", "null", "-1.5e3", '"\\ud83d\\ude00"')
    ]
    for text in files:
        data = text.encode()
        for cut in range(1, len(data) + 1):
            part = data[:cut]
            same_outcome(
                lambda part=part: read(part, name="w.json"),
                lambda part=part: read(part, name="w.json"),
            )
