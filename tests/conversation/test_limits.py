"""Every reader stays within the limits, whatever a file holds or claims.

Each hostile file is made here, read by ``tete.conversation.read`` in a fresh process,
and that process's peak memory is asserted along with the outcome: the library's own
error, naming the limit. The peak is the process's ``VmHWM`` (Linux): its ``ru_maxrss``
would not do, as Linux carries the parent's resident size over fork and exec into it, and
this test process is large.

The bound: a process that imports the library and reads nothing peaks near 20 MB here;
the limits let a reader hold a file of at most 20 MB and a few copies of it as text and
lines. Before these limits, the same files took 350 to 780 MB (a 220 KB .docx did not
finish in 150 s) — see the commit that added them.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tete.conversation import Limits, TranscriptError, read

from . import bombs

#: Peak resident memory allowed to the process reading one hostile file.
PEAK_MB = 150

_READ = r"""
import json, re, sys
from tete.conversation import TranscriptError, InternalReadError, read
try:
    read(sys.argv[1])
except InternalReadError as error:
    result = {"outcome": "internal", "message": str(error)}
except TranscriptError as error:
    result = {"outcome": "refused", "message": error.reason}
else:
    result = {"outcome": "read"}
with open("/proc/self/status") as status:
    result["peak_kb"] = int(re.search(r"VmHWM:\s+(\d+) kB", status.read()).group(1))
print(json.dumps(result))
"""


def read_in_a_process(path: Path) -> tuple[dict[str, str], float]:
    """What reading ``path`` gave, and the reading process's peak memory in MB."""
    done = subprocess.run(
        [sys.executable, "-c", _READ, str(path)], capture_output=True, timeout=120
    )
    assert done.returncode == 0, done.stderr.decode()
    result = json.loads(done.stdout)
    return result, result.pop("peak_kb") / 1024


def _words_line(count: int) -> bytes:
    return b"word " * count


HOSTILE = {
    # A .docx whose zip headers say its text is 1 MB while it inflates to 160 MB: the
    # headers are not believed, the inflated bytes are counted.
    "docx, header claims a small part": (
        "docx",
        lambda: bombs.streamed_docx(
            bombs.paragraph("Alice 0:01") * 1000, 4000, declared_size=1 << 20
        ),
        "inflates more than 100 times",
    ),
    # ... and here that it holds 4 GB: believed, as it says too much.
    "docx, header claims a huge part": (
        "docx",
        lambda: bombs.streamed_docx(
            bombs.paragraph("Alice 0:01") * 1000, 4000, declared_size=0xFFFFFFF0
        ),
        "larger than 20 MB",
    ),
    # Plain text that compresses only a few times, past the 20 MB of XML a .docx may hold,
    # said by its header...
    "docx, 24 MB of XML, said": (
        "docx",
        lambda: bombs.docx(bombs.varied_xml_paragraphs(24)),
        "larger than 20 MB",
    ),
    # ... or hidden by it: counted as it inflates.
    "docx, 24 MB of XML, hidden": (
        "docx",
        lambda: bombs.streamed_docx(bombs.varied_xml_body(24), 1, declared_size=1 << 20),
        "larger than 20 MB",
    ),
    "docx, billion laughs": (
        "docx",
        lambda: bombs.docx(
            b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa">'
            b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><d>&b;</d>'
        ),
        "document type declaration",
    ),
    "JSON nested a million deep": (
        "json",
        lambda: b"[" * 1_000_000 + b"]" * 1_000_000,
        "nested more than 32 levels",
    ),
    "JSON, a segment of 5 MB": (
        "json",
        lambda: json.dumps(
            {"segments": [{"start": 0, "end": 1, "speaker": "A", "text": "word " * 1_000_000}]}
        ).encode(),
        "the longest read is 20,000",
    ),
    "JSON, a segment at hour 277 million": (
        "json",
        lambda: json.dumps(
            {
                "segments": [
                    {"start": 0, "end": 1, "text": "hi", "speaker": "A"},
                    {"start": 1e12, "end": 1e12 + 1, "text": "hi", "speaker": "B"},
                ]
            }
        ).encode(),
        "the longest read is 24 hours",
    ),
    "WebVTT, a million cues (43 MB)": (
        "vtt",
        lambda: bombs.vtt_cues(1_000_000),
        "the largest transcript read is 20 MB",
    ),
    "WebVTT, 150,000 cues (6 MB)": (
        "vtt",
        lambda: bombs.vtt_cues(150_000),
        "more than 100,000 cues",
    ),
    "WebVTT, one line of 10 MB": (
        "vtt",
        lambda: b"WEBVTT\n\n00:00.000 --> 00:01.000\nAlice: " + _words_line(2_000_000) + b"\n",
        "the longest line read is 20,000",
    ),
    "WebVTT, a cue at hour 99,999": (
        "vtt",
        lambda: (
            b"WEBVTT\n\n00:00.000 --> 00:01.000\nAlice: hi\n\n"
            b"99999:00:00.000 --> 99999:00:01.000\nBob: hi\n"
        ),
        "the longest read is 24 hours",
    ),
    "SRT, 150,000 cues": ("srt", lambda: bombs.srt_cues(150_000), "more than 100,000 cues"),
    "SRT, one line of 10 MB": (
        "srt",
        lambda: b"1\n00:00:00,000 --> 00:00:01,000\nAlice: " + _words_line(2_000_000) + b"\n",
        "the longest line read is 20,000",
    ),
    "SRT, a cue at hour 999": (
        "srt",
        lambda: (
            b"1\n00:00:00,000 --> 00:00:01,000\nAlice: hi\n\n2\n"
            b"999:00:00,000 --> 999:00:01,000\nBob: hi\n"
        ),
        "the longest read is 24 hours",
    ),
    "text, a million lines": (
        "txt",
        lambda: b"Alice: yes\n" * 1_000_000,
        "more than 500,000 lines",
    ),
    "text, one line of 10 MB": (
        "txt",
        lambda: b"Alice: " + _words_line(2_000_000) + b"\nBob: hi\n",
        "the longest line read is 20,000",
    ),
    "text, a cue at hour 99,999": (
        "txt",
        lambda: b"0:0:1.0 --> 0:0:2.0\nAlice\nhi\n\n99999:0:0.0 --> 99999:0:1.0\nBob\nhi\n",
        "the longest read is 24 hours",
    ),
}


@pytest.mark.parametrize("name", list(HOSTILE))
def test_a_hostile_file_is_refused_naming_the_limit_in_bounded_memory(name, tmp_path):
    suffix, make, limit_named = HOSTILE[name]
    path = tmp_path / f"hostile.{suffix}"
    path.write_bytes(make())
    result, peak_mb = read_in_a_process(path)
    assert result["outcome"] == "refused", result
    assert limit_named in result["message"]
    assert peak_mb < PEAK_MB, f"{name}: {peak_mb:.0f} MB"


def test_the_limits_can_be_set_by_the_caller():
    vtt = bombs.vtt_cues(30)
    assert len(read(vtt).segments) == 30
    with pytest.raises(TranscriptError, match="more than 20 cues"):
        read(vtt, limits=Limits(max_cues=20))
    with pytest.raises(TranscriptError, match="the largest transcript read is 100 bytes"):
        read(vtt, limits=Limits(max_bytes=100))
    with pytest.raises(TranscriptError, match="spans 30 seconds; the longest read is 20 seconds"):
        read(vtt, limits=Limits(max_duration_s=20))


def test_a_real_word_transcript_is_read_within_the_limits():
    """A .docx as Word writes it (python-docx) inflates about ten times: well within."""
    import io

    import docx

    document = docx.Document()
    for minute in range(60):
        document.add_paragraph(f"Alice Martin  {minute}:00")
        document.add_paragraph("We went through the roadmap and what ships next sprint.")
        document.add_paragraph(f"Bob Jones  {minute}:30")
        document.add_paragraph("I can take the release notes; let me check with design first.")
    buffer = io.BytesIO()
    document.save(buffer)
    transcript = read(buffer.getvalue(), name="call.docx")
    assert transcript.speakers == ("Alice Martin", "Bob Jones")
    assert len(transcript.segments) == 120


def test_a_docx_whose_checksum_does_not_match_is_damaged():
    data = bombs.streamed_docx(bombs.paragraph("Alice 0:01") + bombs.paragraph("hi"), 10)
    position = data.index(b"PK\x01\x02") + 16  # the central directory's CRC-32
    tampered = data[:position] + bytes(4) + data[position + 4 :]
    with pytest.raises(TranscriptError, match="checksum"):
        read(tampered, name="call.docx")
