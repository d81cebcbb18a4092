"""The common case of WebVTT, read in bulk: what the W3C algorithm gives, faster.

Most files are nothing but cues: ``[identifier]``, timings, text lines, a blank line. When a
file is exactly that (checked by counting blank lines and arrows: every blank-line block is
a cue, every arrow is a cue's timings), one regular-expression split yields every cue and
the per-line algorithm in :mod:`.webvtt` is not needed. Anything else — NOTE, STYLE and
REGION blocks, broken timings, arrows in text — returns ``None`` and the full algorithm runs.
"""

from __future__ import annotations

import re

from ..model import Segment

# One cue's head: the blank line before it, an optional identifier line, the timings line.
_CUE_HEAD = re.compile(
    r"\n\n(?:[^\n]*\n)?[ \t]*(?:(\d+):)?([0-5]\d):([0-5]\d\.\d{3})(?!\d)[ \t]*-->"
    r"[ \t]*(?:(\d+):)?([0-5]\d):([0-5]\d\.\d{3})(?!\d)[^\n]*\n"
)


def fast_cues(body: str) -> list[tuple[float, float, str]] | None:
    """``(start, end, raw text)`` of every cue, or ``None`` when the body is not plain cues.

    ``body`` starts with the blank line that ends the header and uses ``\\n`` line ends.
    """
    body = body.rstrip("\n") + "\n\n"
    parts = _CUE_HEAD.split(body)
    cues = (len(parts) - 1) // 7
    if cues == 0 or parts[0] or body.count("-->") != cues or body.count("\n\n") != cues + 1:
        return None
    starts = _seconds(parts[1::7], parts[2::7], parts[3::7])
    ends = _seconds(parts[4::7], parts[5::7], parts[6::7])
    texts = [text[:-2] if text.endswith("\n\n") else text.rstrip("\n") for text in parts[7::7]]
    if any(end < start for start, end in zip(starts, ends, strict=True)):
        return None  # the full algorithm reports these cues
    return list(zip(starts, ends, texts, strict=True))


def _seconds(hours: list[str | None], minutes: list[str], seconds: list[str]) -> list[float]:
    # Whole columns through map(): conversion in C rather than one call per cue.
    whole_minutes = map(int, minutes)
    fractions = map(float, seconds)
    if None in hours:  # a group that did not take part in the match
        return [
            round((int(h) * 3600 if h else 0) + m * 60 + s, 3)
            for h, m, s in zip(hours, whole_minutes, fractions, strict=True)
        ]
    whole_hours = map(int, [h or "0" for h in hours])
    return [
        round(h * 3600 + m * 60 + s, 3)
        for h, m, s in zip(whole_hours, whole_minutes, fractions, strict=True)
    ]


def simple_segments(cues: list[tuple[float, float, str]]) -> list[Segment] | None:
    """Segments when every cue is plain text or one whole ``<v Name>…</v>`` span on one
    line, with no other markup; ``None`` otherwise."""
    raw = "\x1f".join([text for _, _, text in cues])
    if raw.count("<v ") != len(cues) or raw.count("</v>") != len(cues) or "&" in raw or "\n" in raw:
        return None
    segments: list[Segment] = []
    append = segments.append
    texts: list[str] = []
    for start, end, text in cues:
        close = text.find(">")
        body = text[close + 1 : -4]
        if not text.startswith("<v ") or not text.endswith("</v>") or "<" in body:
            return None
        texts.append(body)
        append(Segment(text[3:close].strip() or None, start, end, body))
    joined = "\x1f".join(texts)
    # Texts must already be single-spaced and trimmed, as every reader leaves them.
    if "  " in joined or "\t" in joined or " \x1f" in joined or "\x1f " in joined:
        return None
    if joined.startswith(" ") or joined.endswith(" ") or "\x1f\x1f" in joined:
        return None
    return segments
