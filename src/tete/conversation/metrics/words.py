"""Words, questions, filler words and backchannels: what a segment's text counts as.

Each definition is also written out in docs/metrics.md.
"""

from __future__ import annotations

import re

from .. import native

#: A backchannel is a segment of at most this many words, all from the lists below.
MAX_BACKCHANNEL_WORDS = 4
BACKCHANNEL_WORDS = frozenset(
    [
        "mm-hmm",
        "mhm",
        "mm-mm",
        "mm",
        "hmm",
        "hm",
        "uh-huh",
        "uh",
        "huh",
        "yeah",
        "yes",
        "yep",
        "yup",
        "yah",
        "ok",
        "okay",
        "right",
        "sure",
        "exactly",
        "true",
        "totally",
        "absolutely",
        "cool",
        "nice",
        "wow",
        "oh",
        "ah",
        "gotcha",
        "indeed",
        "great",
    ]
)
BACKCHANNEL_PHRASES = frozenset(
    {"i see", "got it", "that's right", "makes sense", "of course", "for sure", "i know"}
)
#: In a recording (speech with no words), a backchannel is a stretch of speech of at most
#: this many seconds ...
AUDIO_BACKCHANNEL_MAX_S = 1.0
#: ... that starts while another speaker is speaking, or at most this many seconds after
#: they stopped (a listener's "mm-hmm" falls in the speaker's pauses).
AUDIO_BACKCHANNEL_WITHIN_S = 0.5
#: Someone who starts speaking while another speaker still has at least this long left
#: of their current stretch of speech interrupts them. Smaller overlaps are ordinary
#: turn-taking: people start as they hear the other finish.
INTERRUPTION_MIN_OVERLAP_S = 0.5
#: Filler words and phrases counted in ``filler_words``.
FILLERS = (
    "um",
    "umm",
    "uh",
    "uhh",
    "uhm",
    "erm",
    "er",
    "ah",
    "you know",
    "i mean",
    "basically",
    "literally",
)
_FILLER = re.compile(r"\b(?:" + "|".join(re.escape(f) for f in FILLERS) + r")\b")


def _whole(word: str) -> str:
    """A pattern for ``word`` as a whole word that starts with its letters, so the search
    skips quickly to where they occur."""
    return rf"{re.escape(word)}\b(?<!\w{re.escape(word)})"


# The fillers, grouped by first letters: each group is one quick literal search, made only
# when a quicker search for the letters every filler of the group holds finds them (a
# pattern of plain letters is a literal search in C).
_FILLER_GROUPS = tuple(
    (re.compile(needle), re.compile("|".join(_whole(filler) for filler in group)))
    for needle, group in (
        ("u[mh]", [filler for filler in FILLERS if filler.startswith("u")]),
        ("er", [filler for filler in FILLERS if filler.startswith("er")]),
        *((filler, [filler]) for filler in FILLERS if not filler.startswith(("u", "er"))),
    )
)
# ASCII white space (as str.split() sees it) to b" ", every other byte to b"w".
_SPACE_OR_WORD = bytes.maketrans(
    bytes(range(256)),
    bytes(32 if byte in (9, 10, 11, 12, 13, 28, 29, 30, 31, 32) else 119 for byte in range(256)),
)
_NOT_WORD = re.compile(r"[^\w\s'’-]+")
_QUESTION = re.compile(r"\?+")
_DOUBLE_QUESTION = re.compile(r"\?\?")


def count_words(text: str) -> int:
    """Words are runs of characters between white space."""
    return len(text.split())


def count_questions(text: str) -> int:
    """A question is a sentence ending in a question mark (``??`` counts once)."""
    if "?" not in text:
        return 0
    if _DOUBLE_QUESTION.search(text) is None:  # a literal search: quicker than ``in``
        return text.count("?")
    return len(_QUESTION.findall(text))


def count_fillers(text: str) -> int:
    """Occurrences of :data:`FILLERS` as whole words, ignoring case."""
    return len(_FILLER.findall(text.lower()))


def is_backchannel(text: str) -> bool:
    """A short listener response ("mm-hmm", "yeah", "right", "I see") that does not take
    the floor: at most :data:`MAX_BACKCHANNEL_WORDS` words, all backchannel words, or one of
    :data:`BACKCHANNEL_PHRASES`."""
    if len(text) > 40:
        return False
    words = _NOT_WORD.sub(" ", text.lower().replace("’", "'")).split()
    if not words or len(words) > MAX_BACKCHANNEL_WORDS:
        return False
    return " ".join(words) in BACKCHANNEL_PHRASES or all(
        word.strip("-") in BACKCHANNEL_WORDS for word in words
    )


def _text_counts(text: str, plain: bool, segments: int) -> tuple[int, int, int]:
    """Words, questions and filler words in the texts of ``segments`` segments joined by
    ``\\n`` (``plain``: each already ``" ".join(text.split())``), as :func:`count_words`,
    :func:`count_questions` and :func:`count_fillers` count them; by the compiled
    speed-ups in one pass when they are built and the text is ASCII."""
    compiled = native.speedups
    if compiled is not None:
        counted = compiled.text_counts(text, FILLERS)
        if counted is not None:
            return counted
    # plain texts: words are the spaces, plus one in each segment
    words = text.count(" ") + segments if plain else _count_words(text)
    return words, count_questions(text), _count_fillers(text)


def _count_words(text: str) -> int:
    """:func:`count_words`, without making a string of each word when the text is ASCII."""
    if not text.isascii():
        return len(text.split())
    marks = text.encode().translate(_SPACE_OR_WORD)
    return marks.count(b" w") + marks.startswith(b"w")


def _count_fillers(text: str) -> int:
    """:func:`count_fillers`, a few literal searches instead of one search per character;
    a group is searched for only where its letters occur at all."""
    lowered = text.lower()
    return sum(
        len(pattern.findall(lowered))
        for needle, pattern in _FILLER_GROUPS
        if needle.search(lowered) is not None
    )


_BACKCHANNEL_CACHE: dict[str, bool] = {}


def _is_backchannel(text: str) -> bool:
    """:func:`is_backchannel`, remembering the answer for the short texts that recur
    ("Yeah.", "Mm-hmm.")."""
    known = _BACKCHANNEL_CACHE.get(text)
    if known is None:
        if len(_BACKCHANNEL_CACHE) >= 4096:
            _BACKCHANNEL_CACHE.clear()
        known = _BACKCHANNEL_CACHE[text] = is_backchannel(text)
    return known
