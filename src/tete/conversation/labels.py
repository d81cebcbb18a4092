"""Speaker labels written inside cue text: ``Name: text`` (Zoom, SRT, Meet) and ``[Name] text``.

Zoom writes the participant's display name before the text, and people put anything in
a display name: a team, a role, pronouns, emoji (``Felix (Platform)``, ``Dr. Ana Ruiz``,
``rob.k``, ``Kofi — Sales``, ``Léa [she/her]``). So a label is whatever comes before the
first colon that white space follows, kept exactly as written, within limits that no
sentence-like prefix passes often (:func:`label_candidate`).

Whether the prefixes of a file are speakers is decided per file: when at least half the
cues (or lines) start with one, labelling is the file's convention and every such prefix
names a speaker; otherwise none does, so a "Note: …", "Q: …" or "Summary: …" in a file
without labels stays text.

The compiled bulk reader (``_speedups.c``, ``label_candidate``) applies the same rules to
texts that are already ``" ".join(text.split())``; the tests check both agree.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

#: A label longer than this, or of more words, is taken for a sentence, not a name.
MAX_LABEL_CHARS = 64
MAX_LABEL_WORDS = 10

#: The share of cues that must start with a label for labels to be the file's convention.
CONVENTION_SHARE = 0.5

_COLON_SPACE = re.compile(r":\s")
_BRACKET_LABEL = re.compile(r"\[([^\]\n]{1,64})\][ \t]*:?[ \t]*(?=\S)")
#: What captions put in brackets that nobody is called: ``[Music] …``, ``[laughs] yes``.
SOUNDS = frozenset(
    {
        "applause", "background noise", "blank_audio", "cheering", "coughs", "crosstalk",
        "foreign", "inaudible", "indistinct", "laughing", "laughs", "laughter", "music",
        "no audio", "noise", "pause", "silence", "sighs", "unintelligible",
    }
)  # fmt: skip


def label_candidate(name: str) -> bool:
    """Whether ``name`` (stripped, as written before the colon) can be a speaker label.

    Not empty, at most :data:`MAX_LABEL_CHARS` characters and :data:`MAX_LABEL_WORDS`
    words, not starting with a digit ("10: …", "2nd point: …") and not holding ``://``
    (a link). Any other character may stand in a name.
    """
    return (
        0 < len(name) <= MAX_LABEL_CHARS
        and not name[0].isdigit()
        and len(name.split()) <= MAX_LABEL_WORDS
        and "://" not in name
    )


def split_label(text: str) -> tuple[str | None, str]:
    """Split a leading ``Name:`` or ``[Name]`` label off ``text`` (no judgement yet).

    Returns the label (or ``None``) and the text after it.
    """
    if text[:1] == "[":
        bracketed = _BRACKET_LABEL.match(text)
        if bracketed is not None:
            name = bracketed.group(1).strip()
            if label_candidate(name) and name.casefold() not in SOUNDS:
                return name, text[bracketed.end() :]
            return None, text
    colon = _COLON_SPACE.search(text)
    if colon is None:
        return None, text
    name = text[: colon.start()].strip()
    rest = text[colon.end() :].lstrip()
    if not rest or not label_candidate(name):
        return None, text
    return name, rest


def is_convention(labelled: int, total: int) -> bool:
    """Whether ``labelled`` prefixed cues out of ``total`` make labels the convention."""
    return labelled > 0 and labelled >= CONVENTION_SHARE * total


def accepted_labels(candidates: Sequence[str | None]) -> set[str]:
    """Which candidate labels are speakers: all of them when labelling is the file's
    convention (at least half the cues start with one), else none."""
    names = [name for name in candidates if name is not None]
    if not is_convention(len(names), len(candidates)):
        return set()
    return set(names)
