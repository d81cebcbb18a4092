"""Suggest which of a transcript's speaker labels is which participant, by name.

Transcripts name speakers the way the meeting tool knew them: "Alice Martin", "alice",
"Bob J. (iPhone)", "Speaker 2". A suggestion is only a starting point that a participant
confirms on the mapping page, so it prefers leaving a label unmapped over a wrong guess.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

#: A label scoring below this against every participant is left for a person to map.
MATCH_THRESHOLD = 0.6

# Words tools add to a display name that say nothing about who spoke.
_NOISE = re.compile(r"\(.*?\)|\[.*?\]|\b(iphone|ipad|android|phone|guest|host|me)\b")


@dataclass(frozen=True)
class Candidate:
    """A participant as far as name matching is concerned."""

    pk: int
    name: str
    email: str = ""


def normalise(text: str) -> str:
    """Lower-case, accents and punctuation removed, noise words dropped."""
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = _NOISE.sub(" ", text)
    text = re.sub(r"[^a-z0-9]+", " ", text)
    return " ".join(text.split())


def _forms(candidate: Candidate) -> set[str]:
    """Ways a meeting tool may write this person's name."""
    full = normalise(candidate.name)
    tokens = full.split()
    forms = {full}
    if tokens:
        forms.add(tokens[0])  # first name, as people type it when joining a call
        if len(tokens) > 1:
            forms.add(f"{tokens[0]} {tokens[-1][0]}")  # "bob j"
            forms.add("".join(t[0] for t in tokens))  # initials "bj"
    if candidate.email:
        local = normalise(candidate.email.split("@", 1)[0].replace(".", " "))
        if local:
            forms.add(local)
    return {form for form in forms if form}


def similarity(label: str, candidate: Candidate) -> float:
    """How much a speaker label looks like this person's name, from 0 to 1."""
    text = normalise(label)
    if not text:
        return 0.0
    forms = _forms(candidate)
    if text in forms:
        return 1.0
    tokens = set(text.split())
    name_tokens = set(normalise(candidate.name).split())
    # "Bob" in "Bob Jones (Acme)" or "Jones, Bob": shared name words are strong evidence.
    shared = tokens & name_tokens
    token_score = 0.85 if shared and len(max(shared, key=len)) > 1 else 0.0
    fuzzy = max(SequenceMatcher(None, text, form).ratio() for form in forms)
    return max(token_score, fuzzy)


def suggest_mapping(
    labels: Sequence[str], candidates: Iterable[Candidate]
) -> dict[str, int | None]:
    """label → participant pk (``None``: nobody we know, "other").

    Each label goes to the participant it resembles most, when the resemblance is clear
    and the other participant does not resemble it just as much. When exactly one label and
    one participant are left over after that, they are paired: in a two-person call the
    remaining voice is almost always the remaining person.
    """
    people = list(candidates)
    mapping: dict[str, int | None] = {}
    for label in labels:
        scores = sorted(((similarity(label, c), c.pk) for c in people), reverse=True)
        best = scores[0] if scores else (0.0, 0)
        runner_up = scores[1][0] if len(scores) > 1 else 0.0
        clear = best[0] >= MATCH_THRESHOLD and best[0] - runner_up >= 0.1
        mapping[label] = best[1] if clear else None
    unmatched_labels = [label for label in labels if mapping[label] is None]
    unmatched_people = [c.pk for c in people if c.pk not in mapping.values()]
    if len(unmatched_labels) == 1 and len(unmatched_people) == 1 and len(labels) == 2:
        mapping[unmatched_labels[0]] = unmatched_people[0]
    return mapping
