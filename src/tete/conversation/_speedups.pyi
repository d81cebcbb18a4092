# The compiled speed-ups (_speedups.c); see native.py.

def uniform_webvtt(
    body: str, /
) -> (
    tuple[
        tuple[str, ...], list[str], bytes, list[float], list[float], list[str], bytes, bytes, bytes
    ]
    | None
): ...
def text_counts(text: str, fillers: tuple[str, ...], /) -> tuple[int, int, int] | None: ...
