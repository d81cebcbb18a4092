"""Word documents (.docx), as Microsoft Teams exports transcripts: paragraphs to text lines.

The paragraphs are read straight from ``word/document.xml`` (a .docx is a zip of XML
parts), so a damaged file is reported as such rather than as a library's internal error.
"""

from __future__ import annotations

import io
import zipfile
from xml.etree import ElementTree

from ..errors import TranscriptError

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
#: Larger documents than this are refused: a transcript is text, not a zip bomb.
MAX_DOCUMENT_BYTES = 64 * 1024 * 1024


def docx_text(data: bytes, source: str) -> str:
    """The document's paragraphs, one per line (line breaks inside a paragraph kept)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            info = archive.getinfo("word/document.xml")
            if info.file_size > MAX_DOCUMENT_BYTES:
                raise TranscriptError(source, "document too large", 1)
            xml = archive.read(info)
        root = ElementTree.fromstring(xml)
    except TranscriptError:
        raise
    except KeyError:
        raise TranscriptError(source, "a .docx without word/document.xml", 1) from None
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError) as error:
        raise TranscriptError(source, f"damaged .docx file ({error})", 1) from None
    except ElementTree.ParseError as error:
        raise TranscriptError(source, f"damaged .docx XML ({error})", 1) from None
    lines: list[str] = []
    for paragraph in root.iter(f"{_W}p"):
        parts: list[str] = []
        for node in paragraph.iter():
            if node.tag == f"{_W}t" and node.text:
                parts.append(node.text)
            elif node.tag in (f"{_W}br", f"{_W}cr"):
                parts.append("\n")
            elif node.tag == f"{_W}tab":
                parts.append("\t")
        lines.append("".join(parts))
    return "\n".join(lines)
