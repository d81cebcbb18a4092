"""Each vendor format read from a hand-written fixture in its documented shape."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from tete.conversation import TranscriptError, read

from .support import fixture, teams_docx

# Readers and metrics: with the compiled speed-ups and on the pure-Python paths.
pytestmark = pytest.mark.usefixtures("each_implementation")


def test_it_reads_teams_webvtt_voice_spans():
    transcript = read(fixture("teams.vtt"))
    assert transcript.format == "webvtt"
    assert transcript.speakers == ("Alice Moreau", "Bob Okafor")
    first = transcript.segments[0]
    assert (first.speaker, first.start, first.end) == ("Alice Moreau", 1.25, 5.8)
    assert first.text == "Hi Bob, thanks for making time today. How did the release go?"
    assert len(transcript.segments) == 5


def test_it_reads_zoom_name_prefixes_with_crlf_line_ends():
    transcript = read(fixture("zoom.vtt"))
    assert transcript.dialect == "zoom"
    assert [s.speaker for s in transcript.segments] == [
        "Alice Moreau",
        "Bob Okafor",
        "Bob Okafor",
        "Alice Moreau",
    ]
    assert transcript.segments[1].text == "Sure. First, um, the hiring pipeline."


def test_it_reads_srt_with_colon_and_bracket_labels():
    transcript = read(fixture("meeting.srt"))
    assert transcript.format == "srt"
    assert [s.speaker for s in transcript.segments] == ["Alice Moreau", "Bob Okafor"] * 2
    assert transcript.segments[1].text == "Honestly a bit stuck on the data model."
    assert transcript.segments[2].start == 9.5


def test_it_reads_otter_speaker_and_time_headers():
    transcript = read(fixture("otter.txt"))
    assert (transcript.format, transcript.dialect, transcript.timing) == ("text", "otter", "starts")
    bob = transcript.segments[1]
    assert bob.speaker == "Bob Okafor"
    assert (bob.start, bob.end) == (5.0, 21.0)  # until the next speaker starts
    assert bob.text.endswith("It has been a lot since the reorg.")
    assert "otter.ai" not in " ".join(s.text for s in transcript.segments)


def test_it_reads_google_meet_with_time_markers():
    transcript = read(fixture("meet.txt"))
    assert (transcript.dialect, transcript.timing) == ("meet", "starts")
    assert transcript.speakers == ("Alice Moreau", "Bob Okafor")
    assert len(transcript.segments) == 5
    # the second marker (00:05:00) starts the fourth line
    assert transcript.segments[3].start == 300.0
    assert transcript.segments[2].end == pytest.approx(300.0)
    assert not any("editable transcript" in s.text for s in transcript.segments)


def test_it_reads_teams_text_export():
    transcript = read(fixture("teams.txt"))
    assert transcript.dialect == "teams"
    assert [s.start for s in transcript.segments] == [3.0, 7.0, 12.0, 15.0]
    assert not any("transcription" in s.text for s in transcript.segments)


def test_it_reads_teams_docx(tmp_path: Path):
    transcript = read(teams_docx(tmp_path / "Weekly 1-1.docx"))
    assert (transcript.format, transcript.dialect) == ("text", "teams")
    assert transcript.speakers == ("Alice Moreau", "Bob Okafor")
    assert [s.start for s in transcript.segments] == [3.0, 7.0, 12.0, 15.0]
    assert transcript.segments[1].text == "Yes. I want to talk about the promotion criteria."


def test_it_reads_older_teams_cue_blocks():
    transcript = read(fixture("stream.txt"))
    assert transcript.timing == "cues"
    assert transcript.segments[1].speaker == "Bob Okafor"
    assert (transcript.segments[1].start, transcript.segments[1].end) == (4.76, 8.88)


def test_it_reads_plain_name_lines_without_times():
    transcript = read(fixture("plain.txt"))
    assert (transcript.dialect, transcript.timing) == ("plain", "none")
    assert transcript.segments[1].text == (
        "Really useful. We agreed on the goals for next quarter and I will write them up."
    )


def test_it_reads_whisper_json_without_speakers():
    transcript = read(fixture("whisper.json"))
    assert (transcript.format, transcript.dialect) == ("json", "whisper")
    assert transcript.speakers == ()
    assert transcript.segments[0].text == "Welcome back. How did the interview go?"
    assert [w.text for w in transcript.segments[0].words] == ["Welcome", "back."]


def test_it_reads_whisperx_speakers_and_skips_untimed_words():
    transcript = read(fixture("whisperx.json"))
    assert transcript.dialect == "whisperx"
    assert transcript.speakers == ("SPEAKER_00", "SPEAKER_01")
    assert [w.text for w in transcript.segments[1].words] == ["I"]


def test_it_reads_faster_whisper_tuples():
    data = b'[[0, 0, 0.0, 2.0, " Hello there.", [1, 2], 0.0, -0.2, 1.1, 0.01, null]]'
    transcript = read(data, name="fw.json")
    assert transcript.dialect == "faster-whisper"
    assert transcript.segments[0].text == "Hello there."


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "utf-16-le", "utf-16-be"])
def test_it_reads_utf8_with_bom_and_utf16(encoding: str):
    text = fixture("teams.vtt").read_text(encoding="utf-8")
    transcript = read(text.encode(encoding), name="x.vtt")
    assert transcript.speakers == ("Alice Moreau", "Bob Okafor")


def test_it_detects_the_format_from_content_not_the_extension():
    data = fixture("meeting.srt").read_bytes()
    assert read(data, name="captions.txt").format == "srt"
    assert read(fixture("teams.vtt").read_bytes(), name="export.txt").format == "webvtt"


def test_it_accepts_str_paths_and_binary_files():
    assert read(str(fixture("zoom.vtt"))).source.endswith("zoom.vtt")
    assert read(io.BytesIO(fixture("zoom.vtt").read_bytes()), name="z.vtt").source == "z.vtt"


def test_errors_name_the_file_and_line(tmp_path: Path):
    bad = tmp_path / "broken.srt"
    bad.write_text(
        "1\n00:00:01,000 --> 00:00:02,000\nAlice: hi\n\n2\n00:00:0x --> soon\nBob: hey\n"
    )
    with pytest.raises(TranscriptError) as error:
        read(bad)
    assert error.value.line == 6
    assert str(error.value).startswith(f"{bad}, line 6:")


def test_it_reports_invalid_utf8_with_its_line():
    with pytest.raises(TranscriptError) as error:
        read(b"WEBVTT\n\n00:01.000 --> 00:02.000\n\xff\xfe\xfa oops\n", name="x.vtt")
    assert error.value.line == 4


def test_it_reports_a_missing_file():
    with pytest.raises(TranscriptError, match="cannot read file"):
        read("/nonexistent/meeting.vtt")


def test_it_refuses_text_that_is_not_a_transcript():
    with pytest.raises(TranscriptError, match="not a transcript"):
        read(b"Just some notes\nwith no speakers at all\n", name="notes.txt")


@pytest.mark.parametrize("name", ["teams.vtt", "zoom.vtt", "whisperx.json"])
def test_a_transcript_is_freed_as_soon_as_it_is_dropped(name):
    """No reference cycle keeps a transcript (and the file's text its words are read from)
    until the garbage collector's next pass: a file read after it reuses its memory."""
    import gc
    import weakref

    gc.disable()
    try:
        transcript = read(fixture(name))
        segments = weakref.ref(transcript.segments) if transcript.columns else None
        del transcript
        assert segments is None or segments() is None
    finally:
        gc.enable()


@pytest.mark.parametrize("name", ["teams.vtt", "zoom.vtt", "whisperx.json"])
def test_a_transcript_survives_pickling_with_its_columns(name):
    import pickle

    from tete.conversation import analyze

    transcript = read(fixture(name))
    copied = pickle.loads(pickle.dumps(transcript))
    assert copied == transcript
    if transcript.columns is not None:
        assert copied.columns is not None and copied.columns.segments is copied.segments
    assert analyze(copied).to_dict() == analyze(transcript).to_dict()
