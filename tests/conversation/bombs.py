"""Hostile transcript files, made on the spot: each one is small to write and tries to make a
reader take far more memory or time than a transcript should."""

from __future__ import annotations

import io
import random
import struct
import zipfile
import zlib

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_DOC_HEAD = f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{_W}"><w:body>'.encode()
_DOC_TAIL = b"</w:body></w:document>"
_CONTENT_TYPES = (
    b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
    b'content-types"/>'
)


def paragraph(text: str) -> bytes:
    return f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>".encode()


def docx(document_xml: bytes) -> bytes:
    """A .docx holding ``document_xml`` as its word/document.xml."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("word/document.xml", document_xml)
    return buffer.getvalue()


def streamed_docx(body_chunk: bytes, repeats: int, *, declared_size: int | None = None) -> bytes:
    """A .docx whose document.xml is ``body_chunk`` said ``repeats`` times, deflated as a
    stream (nothing of that size is ever held here). ``declared_size`` is what its headers
    claim the part inflates to; by default the truth."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    crc = zlib.crc32(_DOC_HEAD)
    parts = [compressor.compress(_DOC_HEAD)]
    for _ in range(repeats):
        parts.append(compressor.compress(body_chunk))
        crc = zlib.crc32(body_chunk, crc)
    parts.append(compressor.compress(_DOC_TAIL))
    crc = zlib.crc32(_DOC_TAIL, crc)
    parts.append(compressor.flush())
    deflated = b"".join(parts)
    size = len(_DOC_HEAD) + len(body_chunk) * repeats + len(_DOC_TAIL)
    if declared_size is None:
        declared_size = size
    return _zip_one("word/document.xml", deflated, crc, declared_size)


def _zip_one(name: str, deflated: bytes, crc: int, size: int) -> bytes:
    """A zip of one deflated part, written by hand so its sizes can say anything."""
    encoded = name.encode()
    size &= 0xFFFFFFFF
    local = struct.pack(
        "<4s5H3L2H", b"PK\x03\x04", 20, 0, 8, 0, 0, crc, len(deflated), size, len(encoded), 0
    )
    central = struct.pack(
        "<4s6H3L5H2L",
        b"PK\x01\x02", 20, 20, 0, 8, 0, 0, crc, len(deflated), size, len(encoded), 0, 0, 0, 0,
        0, 0,
    )  # fmt: skip
    body = local + encoded + deflated
    directory = central + encoded
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, 1, 1, len(directory), len(body), 0)
    return body + directory + end


def varied_xml_paragraphs(megabytes: float, seed: int = 1) -> bytes:
    """A document of paragraphs of random words: XML that inflates only a few times its
    compressed size."""
    return _DOC_HEAD + varied_xml_body(megabytes, seed) + _DOC_TAIL


def varied_xml_body(megabytes: float, seed: int = 1) -> bytes:
    """The paragraphs of :func:`varied_xml_paragraphs`, without the document around them."""
    rng = random.Random(seed)
    words = [
        "".join(rng.choices("abcdefghijklmnopqrstuvwxyz", k=rng.randint(2, 9))) for _ in range(5000)
    ]
    parts = []
    size = 0
    while size < megabytes * 1024 * 1024:
        text = paragraph(f"Speaker {rng.randint(1, 9)} " + " ".join(rng.choices(words, k=12)))
        parts.append(text)
        size += len(text)
    return b"".join(parts)


def vtt_cues(count: int, *, hours: int = 0) -> bytes:
    """A WebVTT file of ``count`` one-second cues."""
    cue = b"%02d:%02d:%02d.000 --> %02d:%02d:%02d.500\nAlice: yes\n\n"
    lines = [b"WEBVTT\n\n"]
    for index in range(count):
        h, rest = divmod(index, 3600)
        m, s = divmod(rest, 60)
        lines.append(cue % (h + hours, m, s, h + hours, m, s))
    return b"".join(lines)


def srt_cues(count: int) -> bytes:
    lines = []
    for index in range(count):
        h, rest = divmod(index, 3600)
        m, s = divmod(rest, 60)
        lines.append(
            b"%d\n%02d:%02d:%02d,000 --> %02d:%02d:%02d,500\nAlice: yes\n\n"
            % (index + 1, h, m, s, h, m, s)
        )
    return b"".join(lines)
