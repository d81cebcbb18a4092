"""Word documents (.docx), as Microsoft Teams exports transcripts: paragraphs to text lines.

The paragraphs are read straight from ``word/document.xml`` (a .docx is a zip of XML
parts), so a damaged file is reported as such rather than as a library's internal error.

Nothing here trusts the zip's headers: the part is inflated as a stream and its real bytes
are counted against :attr:`~..limits.Limits.max_xml_bytes` and the compression ratio as
they come, and the XML is parsed as it arrives (expat, no tree), with document type
declarations and entities refused, as defusedxml does. Memory stays near the size of the
text found, whatever the file holds (python-docx, by contrast, builds an lxml tree of the
whole part: several times its size).
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from collections.abc import Iterator
from xml.parsers import expat

from .. import limits as limits_
from ..errors import TranscriptError
from ..limits import size_text

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_PARAGRAPH, _TEXT = f"{_W}p", f"{_W}t"
_BREAKS = {f"{_W}br": "\n", f"{_W}cr": "\n", f"{_W}tab": "\t"}
_CHUNK = 16 * 1024
#: Parts in a zip before it is not taken for a Word document (Word writes about a dozen);
#: each costs an object before anything is read.
MAX_PARTS = 1000
#: Inflated bytes before the compression ratio is judged: a short part's first block may
#: inflate far more than the whole does.
_RATIO_GRACE = 256 * 1024


class _Refused(Exception):
    """Raised from the XML handlers; becomes a TranscriptError with the source."""


def docx_text(data: bytes, source: str) -> str:
    """The document's paragraphs, one per line (line breaks inside a paragraph kept)."""
    if _part_count(data) > MAX_PARTS:
        raise TranscriptError(source, f"a zip of more than {MAX_PARTS:,} parts, not a .docx", 1)
    reader = _Paragraphs()
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            info = archive.getinfo("word/document.xml")
        for chunk in _inflate(data, info, source):
            reader.feed(chunk)
        reader.close()
    except TranscriptError:
        raise
    except KeyError:
        raise TranscriptError(source, "a .docx without word/document.xml", 1) from None
    except _Refused as error:
        raise TranscriptError(source, str(error), 1) from None
    except expat.ExpatError as error:
        raise TranscriptError(
            source, f"damaged .docx XML ({expat.errors.messages[error.code]})", 1
        ) from None
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, struct.error) as error:
        raise TranscriptError(source, f"damaged .docx file ({error})", 1) from None
    return "\n".join(reader.lines)


def _inflate(data: bytes, info: zipfile.ZipInfo, source: str) -> Iterator[bytes]:
    """The part's bytes, inflated a chunk at a time from the zip's data.

    The sizes in the zip's headers are not used: the real bytes are counted as they are
    inflated, against the limit and against how much compressed data they came from.
    """
    limits = limits_.current()
    too_large = TranscriptError(
        source,
        "the document's text (word/document.xml) is larger than "
        f"{size_text(limits.max_xml_bytes)} (the limit)",
        1,
    )
    if info.file_size > limits.max_xml_bytes:
        raise too_large  # said so by the header: believed when it says too much
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise TranscriptError(source, "a .docx compressed in a way Word does not use", 1)
    offset = info.header_offset
    if data[offset : offset + 4] != b"PK\x03\x04":
        raise TranscriptError(source, "damaged .docx file (no part where the index says)", 1)
    name_length, extra_length = struct.unpack_from("<HH", data, offset + 26)
    start = offset + 30 + name_length + extra_length
    stream = memoryview(data)[start:]
    inflater = zlib.decompressobj(-15) if info.compress_type == zipfile.ZIP_DEFLATED else None
    consumed = inflated = 0
    crc = 0
    while True:
        if inflater is None:
            chunk = bytes(stream[consumed : consumed + _CHUNK])
            consumed += len(chunk)
            done = consumed >= info.compress_size or not chunk
        else:
            tail = inflater.unconsumed_tail
            if tail:
                chunk = inflater.decompress(tail, _CHUNK)
            else:
                piece = stream[consumed : consumed + _CHUNK]
                consumed += len(piece)
                chunk = inflater.decompress(piece, _CHUNK)
                if not piece and not chunk:
                    raise TranscriptError(source, "damaged .docx file (the part is cut short)", 1)
            done = inflater.eof
        inflated += len(chunk)
        if inflated > limits.max_xml_bytes:
            raise too_large
        # Compressed bytes inflated so far: those read, less those still waiting.
        used = consumed - (len(inflater.unconsumed_tail) if inflater is not None else 0)
        if inflated > _RATIO_GRACE and inflated > limits.max_compression_ratio * used:
            raise TranscriptError(
                source,
                f"the document inflates more than {limits.max_compression_ratio} times its "
                "compressed size (the limit): not a Word transcript",
                1,
            )
        crc = zlib.crc32(chunk, crc)
        if chunk:
            yield chunk
        if done:
            break
    if crc != info.CRC:
        raise TranscriptError(source, "damaged .docx file (its checksum does not match)", 1)


def _part_count(data: bytes) -> int:
    """How many parts the zip's end record declares (zipfile makes an object for each)."""
    end = data.rfind(b"PK\x05\x06", max(0, len(data) - 22 - 0xFFFF))
    if end < 0 or len(data) < end + 22:
        return 0  # zipfile reports the damage
    (total,) = struct.unpack_from("<H", data, end + 10)
    return MAX_PARTS + 1 if total == 0xFFFF else total  # 0xFFFF: see the zip64 record


class _Paragraphs:
    """An expat parser that keeps only the paragraphs' text, as the XML streams in."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        # The paragraphs open (a text box's paragraphs sit inside another paragraph).
        self._open: list[list[str]] = []
        self._in_text = False
        parser = expat.ParserCreate(namespace_separator="}")
        parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
        parser.StartDoctypeDeclHandler = self._refuse_doctype
        parser.EntityDeclHandler = self._refuse_entity
        parser.ExternalEntityRefHandler = self._refuse_external_entity
        parser.StartElementHandler = self._start
        parser.EndElementHandler = self._end
        parser.CharacterDataHandler = self._characters
        parser.buffer_text = True
        self._parser = parser

    def feed(self, chunk: bytes) -> None:
        self._parser.Parse(chunk, False)

    def close(self) -> None:
        self._parser.Parse(b"", True)

    def _refuse_doctype(self, *args: object) -> None:
        raise _Refused("a .docx with a document type declaration (not allowed)")

    def _refuse_entity(self, *args: object) -> None:
        raise _Refused("a .docx that declares entities (not allowed)")

    def _refuse_external_entity(self, *args: object) -> int:
        raise _Refused("a .docx that refers to external entities (not allowed)")

    def _start(self, name: str, attributes: object) -> None:
        if name == _PARAGRAPH:
            self._open.append([])
        elif name == _TEXT:
            self._in_text = True
        elif self._open and name in _BREAKS:
            self._open[-1].append(_BREAKS[name])

    def _end(self, name: str) -> None:
        if name == _TEXT:
            self._in_text = False
        elif name == _PARAGRAPH and self._open:
            self.lines.append("".join(self._open.pop()))

    def _characters(self, text: str) -> None:
        if self._in_text and self._open:
            self._open[-1].append(text)
