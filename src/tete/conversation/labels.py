"""Speaker labels written inside cue text: ``Name: text`` (Zoom) and ``[Name] text``."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

# A name starts with a letter and has at most six words; no sentence punctuation, so
# "Well, here's the thing: ..." is not mistaken for a label.
_COLON_LABEL = re.compile(r"([^\W\d_][\w.'’\-]*(?: [\w.'’\-]+){0,5})[ \t]*:[ \t]+(?=\S)")
_BRACKET_LABEL = re.compile(r"\[([^\W\d_][^\]\n]{0,58})\][ \t]*:?[ \t]*(?=\S)")

#: Below this share of prefixed cues, a label must recur to count as a speaker, so that a
#: single "Note: ..." in a file without speakers is left as text.
_CONVENTION_SHARE = 0.5


def split_label(text: str) -> tuple[str | None, str]:
    """Split a leading ``Name:`` or ``[Name]`` label off ``text`` (no judgement yet)."""
    match = _COLON_LABEL.match(text) or _BRACKET_LABEL.match(text)
    if match is None:
        return None, text
    return match.group(1).strip(), text[match.end() :]


def accepted_labels(candidates: Sequence[str | None]) -> set[str]:
    """Which candidate labels are speakers: all of them when labelling is the file's
    convention (at least half the cues), else only labels seen at least twice."""
    counts = Counter(name for name in candidates if name is not None)
    if not counts:
        return set()
    labelled = sum(counts.values())
    if labelled >= _CONVENTION_SHARE * len(candidates):
        return set(counts)
    return {name for name, count in counts.items() if count >= 2}
