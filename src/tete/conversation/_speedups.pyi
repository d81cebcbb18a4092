# The compiled speed-ups (_speedups.c, _cues.c, _json.c); see native.py.

from typing import Any

def plain_cues(
    text: str, srt: bool, /
) -> (
    tuple[
        tuple[str, ...],
        list[str | None],
        bytes,
        list[float],
        list[float],
        list[str],
        bytes,
        bytes,
        bytes,
        int,
    ]
    | None
): ...
def whisper_json(
    text: str | bytes, max_depth: int, /
) -> (
    tuple[
        list[str | None],
        list[float],
        list[float],
        list[str],
        list[int],
        int,
        int,
        int,
        list[str] | None,
        bytes,
        bytes,
        bytes,
        bytes,
    ]
    | None
): ...
def whisper_words(text: str, offset: int, word_type: type[Any], /) -> tuple[Any, ...]: ...
def text_counts(text: str, fillers: tuple[str, ...], /) -> tuple[int, int, int] | None: ...
def first_long_line(text: str, most: int, /) -> tuple[int, int]: ...
