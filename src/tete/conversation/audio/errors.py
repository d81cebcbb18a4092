"""The one exception type the recording readers raise."""

from __future__ import annotations

from ..errors import TranscriptError


class AudioError(TranscriptError):
    """A recording cannot be analysed; the message names the file and the problem.

    A :class:`~tete.conversation.TranscriptError`, so that a caller that reads transcripts
    and recordings handles one exception type.
    """

    def __init__(self, source: str, message: str) -> None:
        super().__init__(source, message)
