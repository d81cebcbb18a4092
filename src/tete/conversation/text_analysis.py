"""Text analysis, all offline: sentiment (VADER), keywords (YAKE), suggested action items.

Imported only when a report asks for text analysis, so ``tete`` starts fast.
"""

from __future__ import annotations

import re
import statistics
from functools import cache
from typing import Any

from .metrics import is_backchannel
from .model import Segment, Transcript

#: VADER's own thresholds for calling a text positive or negative.
POSITIVE = 0.05
NEGATIVE = -0.05
#: Sentiment over time is averaged in this many equal slices of the conversation.
TIME_SLICES = 10
KEYWORDS = 10
#: Keywords made of talk rather than topic are left out.
_CONVERSATIONAL = frozenset(
    [
        "yeah",
        "okay",
        "ok",
        "um",
        "uh",
        "gonna",
        "wanna",
        "like",
        "know",
        "think",
        "mean",
        "right",
        "really",
        "lot",
        "thing",
        "things",
        "something",
        "kind",
        "sort",
        "actually",
        "just",
        "sure",
        "well",
        "good",
        "great",
        "yes",
        "no",
        "stuff",
        "bit",
        "guess",
        "pretty",
        "mm",
        "hmm",
        "mhm",
        "oh",
        "gotta",
        "cool",
        "sounds",
        "time",
    ]
)


@cache
def _analyzer() -> Any:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


def sentiment(transcript: Transcript) -> dict[str, Any]:
    """VADER compound scores (-1 … 1): per speaker and over time (backchannels left out).

    Per speaker: the mean compound score of their segments, and the shares of segments
    that are positive (>= 0.05) or negative (<= -0.05). Over time: the mean per slice.
    """
    analyzer = _analyzer()
    scored = [
        (segment, analyzer.polarity_scores(segment.text)["compound"])
        for segment in transcript.segments
        if not is_backchannel(segment.text)
    ]
    speakers: dict[str, Any] = {}
    for name in transcript.speakers:
        scores = [score for segment, score in scored if segment.speaker == name]
        speakers[name] = {
            "compound": round(statistics.fmean(scores), 4) if scores else None,
            "positive": round(sum(s >= POSITIVE for s in scores) / len(scores), 4)
            if scores
            else None,
            "negative": round(sum(s <= NEGATIVE for s in scores) / len(scores), 4)
            if scores
            else None,
        }
    return {"speakers": speakers, "over_time": _over_time(scored, transcript.timing != "none")}


def _over_time(scored: list[tuple[Segment, float]], timed: bool) -> list[dict[str, Any]]:
    if not scored:
        return []
    if timed:
        first = min(segment.start for segment, _ in scored)
        last = max(segment.end for segment, _ in scored)
        width = (last - first) / TIME_SLICES or 1.0
        slot = [min(TIME_SLICES - 1, int((s.start - first) / width)) for s, _ in scored]
    else:
        first, width = 0.0, 0.0
        slot = [index * TIME_SLICES // len(scored) for index in range(len(scored))]
    result: list[dict[str, Any]] = []
    for index in range(TIME_SLICES):
        here = [(s, score) for (s, score), n in zip(scored, slot, strict=True) if n == index]
        if not here:
            continue
        by_speaker: dict[str, list[float]] = {}
        for segment, score in here:
            if segment.speaker is not None:
                by_speaker.setdefault(segment.speaker, []).append(score)
        result.append(
            {
                "start": round(first + index * width, 3) if timed else None,
                "end": round(first + (index + 1) * width, 3) if timed else None,
                "compound": round(statistics.fmean(score for _, score in here), 4),
                "speakers": {
                    name: round(statistics.fmean(scores), 4) for name, scores in by_speaker.items()
                },
            }
        )
    return result


def keywords(transcript: Transcript, top: int = KEYWORDS) -> list[dict[str, Any]]:
    """The conversation's keywords by YAKE (lower score = more relevant)."""
    import yake

    text = "\n".join(s.text for s in transcript.segments if not is_backchannel(s.text))
    if not text.strip():
        return []
    extractor = yake.KeywordExtractor(lan="en", n=2, dedup_lim=0.7, top=top * 3)
    # Speakers' names are who talked, not what about.
    skip = _CONVERSATIONAL | {part.lower() for name in transcript.speakers for part in name.split()}
    found: list[dict[str, Any]] = []
    for keyword, score in extractor.extract_keywords(text):
        if any(word in skip for word in keyword.lower().split()):
            continue
        found.append({"keyword": keyword, "score": round(float(score), 6)})
        if len(found) == top:
            break
    return found


# Suggested action items ----------------------------------------------------------------

_ACTION_VERBS = frozenset(
    [
        "send",
        "share",
        "email",
        "write",
        "draft",
        "prepare",
        "review",
        "read",
        "schedule",
        "book",
        "set",
        "follow",
        "look",
        "check",
        "update",
        "finish",
        "fix",
        "create",
        "organize",
        "organise",
        "ask",
        "talk",
        "reach",
        "sign",
        "submit",
        "plan",
        "put",
        "think",
        "find",
        "get",
        "bring",
        "add",
        "document",
        "post",
        "file",
        "call",
        "introduce",
        "connect",
        "block",
        "move",
        "order",
        "confirm",
        "research",
        "try",
        "practice",
        "practise",
        "reflect",
        "complete",
        "deliver",
        "run",
        "test",
        "ship",
        "present",
        "sort",
        "circle",
        "loop",
        "forward",
        "compile",
        "collect",
        "gather",
        "outline",
        "summarize",
        "summarise",
        "list",
        "reply",
        "respond",
        "arrange",
        "make",
        "clean",
        "write-up",
        "raise",
        "escalate",
        "discuss",
    ]
)
_SOFTENERS = (
    r"(?:(?:also|just|definitely|quickly|then|probably|certainly|please|go ahead and|try to)\s+)*"
)
_COMMITMENT = re.compile(
    rf"\b(?:i['’]ll|i will|i['’]m going to|i am going to|i can|let me|i['’]d like to)\s+{_SOFTENERS}"
    r"(?P<what>(?P<verb>[a-z-]+)\b[^.!?]*)",
    re.IGNORECASE,
)
_REQUEST = re.compile(
    rf"\b(?:(?:can|could|would|will) you|please)\s+{_SOFTENERS}(?P<what>(?P<verb>[a-z-]+)\b[^.!?]*)",
    re.IGNORECASE,
)
_SHARED = re.compile(
    rf"\b(?:we['’]ll|we will|let['’]s|we should|we need to)\s+{_SOFTENERS}"
    r"(?P<what>(?P<verb>[a-z-]+)\b[^.!?]*)",
    re.IGNORECASE,
)
_DAY = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_DUE = re.compile(
    r"\b(?:(?:by|before|on|until|no later than)\s+)?(?:"
    rf"(?:(?:next|this)\s+)?{_DAY}"
    r"|tomorrow|tonight|today"
    r"|(?:the\s+)?end\s+of\s+(?:the\s+|this\s+|next\s+)?(?:day|week|month|quarter|sprint)"
    r"|eod|eow|cob"
    r"|(?:our|the)\s+next\s+(?:one-on-one|1:1|1-on-1|meeting|call|session|check-in)"
    r"|next\s+(?:week|month|time|sprint)|this\s+(?:week|month|afternoon|evening)"
    rf"|{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?|the\s+\d{{1,2}}(?:st|nd|rd|th)"
    r")\b",
    re.IGNORECASE,
)
_SENTENCE = re.compile(r"(?<=[.!?])\s+")


def action_items(transcript: Transcript) -> list[dict[str, Any]]:
    """Suggested action items, found by rules in what people said.

    * a commitment ("I'll send…", "I will…", "let me…"): the speaker will do it;
    * a request ("can you…", "could you…", "please…"): the other person will, when there
      are two speakers;
    * a shared plan ("we'll…", "let's…"): both will.

    The verb must be an action verb ("send", "review", "schedule"…), so "I'll be honest" is
    not an action item. ``due`` is the due-date phrase when one is said ("by Friday"). An
    item said again (the same who, what and due) is listed once, where it was first said.
    """
    names = transcript.speakers
    items: list[dict[str, Any]] = []
    seen: set[tuple[str | None, str, str | None]] = set()
    for segment in transcript.segments:
        if segment.speaker is None and not names:
            continue
        for sentence in _SENTENCE.split(segment.text):
            item = _action_item(sentence, segment, names)
            if item is None:
                continue
            key = (item["who"], item["what"].lower(), item["due"] and item["due"].lower())
            if key not in seen:
                seen.add(key)
                items.append(item)
    return items


def _action_item(sentence: str, segment: Segment, names: tuple[str, ...]) -> dict[str, Any] | None:
    speaker = segment.speaker
    others = [name for name in names if name != speaker]
    for pattern, who in (
        (_COMMITMENT, speaker),
        (_REQUEST, others[0] if len(others) == 1 else None),
        (_SHARED, " and ".join(names) if names else None),
    ):
        match = pattern.search(sentence)
        if match is None or match.group("verb").lower() not in _ACTION_VERBS:
            continue
        what = match.group("what")
        due = _DUE.search(what)
        if due is not None:
            what = (what[: due.start()] + what[due.end() :]).strip()
        what = " ".join(what.rstrip(" ,;:").split()[:16])
        return {
            "who": who,
            "what": what,
            "due": due.group().strip() if due is not None else None,
            "said_by": speaker,
            "start": round(segment.start, 3),
            "text": sentence.strip(),
        }
    return None
