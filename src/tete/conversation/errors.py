"""The one exception type readers raise."""

from __future__ import annotations


class TranscriptError(ValueError):
    """A file cannot be read as a transcript; the message names the file and the line."""

    def __init__(self, source: str, message: str, line: int | None = None) -> None:
        self.source = source
        self.line = line
        self.reason = message
        where = f"{source}, line {line}" if line is not None else source
        super().__init__(f"{where}: {message}")
