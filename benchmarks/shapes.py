"""One-hour, two-speaker transcripts in the shapes exporters write, for the benchmark.

One generated conversation (pauses, backchannels said over the other speaker, the odd
interruption, long turns split over several cues) is written out as each exporter writes
it:

- ``zoom``: Zoom's WebVTT, numbered cue ids and ``Name: text``;
- ``teams``: Microsoft Teams' WebVTT, ids like ``3f2a…/12-0`` and ``<v Name>text</v>``;
- ``meet``: Google Meet and YouTube-style WebVTT, no ids, cue settings
  ``align:start position:0%`` and ``<v Name>`` left open;
- ``srt``: SubRip, numbered cues, ``hh:mm:ss,mmm`` and ``Name: text``;
- ``whisper``: WhisperX JSON, segments with a speaker and timed words.

:func:`talk_by_speaker` gives each speaker's talk time as the report defines it, from the
conversation itself (not from any reader), so a benchmark run can check its own results.
"""

from __future__ import annotations

import json
import random
import uuid
from collections.abc import Callable
from typing import NamedTuple

SPEAKERS = ("Alice Moreau", "Bob Okafor")
OPENERS = ("So", "Well", "I think", "Honestly", "Right, so", "And", "But", "Okay, and", "Also")
TOPICS = (
    "the onboarding plan",
    "the quarterly goals",
    "the design review",
    "my workload",
    "the release next week",
    "feedback from the customer",
    "the hiring pipeline",
    "the roadmap",
    "career growth",
    "the on-call rotation",
)
VERBS = (
    "is going well",
    "feels a bit stuck",
    "needs more time",
    "could use your help",
    "went better than expected",
)
TAILS = (
    "and I want to talk about it.",
    "but I am not sure why.",
    "so maybe we can look at it together?",
    "and I'll send you the notes by Friday.",
    "can you review the draft before our next one-on-one?",
    "which is great.",
    "um, you know, it depends.",
)
BACKCHANNELS = ("Mm-hmm.", "Yeah.", "Right.", "Okay.", "I see.")


class Cue(NamedTuple):
    speaker: str
    start_ms: int
    end_ms: int
    text: str


def conversation(seed: int = 1, cues: int = 950, duration_s: float = 3600.0) -> list[Cue]:
    """A one-hour conversation of ``cues`` cues, in order of start, times in milliseconds."""
    rng = random.Random(seed)
    step = duration_s * 1000 / cues
    made: list[Cue] = []
    now = 0
    speaker = 0
    for index in range(cues):
        if rng.random() < 0.35:
            speaker = 1 - speaker
        if rng.random() < 0.06 and now > 2000:
            # a backchannel said over the other speaker's last cue
            start = now - 1500
            made.append(Cue(SPEAKERS[1 - speaker], start, start + 800, rng.choice(BACKCHANNELS)))
            continue
        start = max(now, round(index * step + rng.uniform(0, 400)))
        if rng.random() < 0.03 and made:
            start = max(made[-1].start_ms + 1, now - 900)  # starts before the other finishes
        length = round(step * rng.uniform(0.8, 0.97))
        text = f"{rng.choice(OPENERS)} {rng.choice(TOPICS)} {rng.choice(VERBS)} {rng.choice(TAILS)}"
        made.append(Cue(SPEAKERS[speaker], start, start + length, text))
        now = start + length
    made.sort(key=lambda cue: cue.start_ms)
    return made


def talk_by_speaker(cues: list[Cue]) -> dict[str, float]:
    """Each speaker's talk time in seconds: the length of the union of their cues."""
    talk: dict[str, float] = {}
    for name in SPEAKERS:
        own = sorted((cue.start_ms, cue.end_ms) for cue in cues if cue.speaker == name)
        total, reach = 0, -1
        for start, end in own:
            if start > reach:
                total += end - start
                reach = end
            elif end > reach:
                total += end - reach
                reach = end
        talk[name] = total / 1000
    return talk


def clock(ms: int, separator: str = ".") -> str:
    hours, rest = divmod(ms, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    return f"{hours:02d}:{minutes:02d}:{rest // 1000:02d}{separator}{rest % 1000:03d}"


def zoom(cues: list[Cue], seed: int = 1) -> str:
    blocks = [
        f"{number}\n{clock(c.start_ms)} --> {clock(c.end_ms)}\n{c.speaker}: {c.text}"
        for number, c in enumerate(cues, 1)
    ]
    return "WEBVTT\n\n" + "\n\n".join(blocks) + "\n"


def teams(cues: list[Cue], seed: int = 1) -> str:
    rng = random.Random(seed)
    blocks = []
    # Teams numbers each recognised phrase and its pieces: "<guid>/<phrase>-<piece>".
    for number, c in enumerate(cues, 12):
        guid = uuid.UUID(int=rng.getrandbits(128), version=4)
        blocks.append(
            f"{guid}/{number}-0\n{clock(c.start_ms)} --> {clock(c.end_ms)}\n"
            f"<v {c.speaker}>{c.text}</v>"
        )
    return "WEBVTT\n\n" + "\n\n".join(blocks) + "\n"


def meet(cues: list[Cue], seed: int = 1) -> str:
    blocks = [
        f"{clock(c.start_ms)} --> {clock(c.end_ms)} align:start position:0%\n<v {c.speaker}>{c.text}"
        for c in cues
    ]
    return "WEBVTT\nKind: captions\nLanguage: en\n\n" + "\n\n".join(blocks) + "\n"


def srt(cues: list[Cue], seed: int = 1) -> str:
    """Subtitle tools wrap a cue's text at 42 characters, over two lines at most."""
    blocks = [
        f"{number}\n{clock(c.start_ms, ',')} --> {clock(c.end_ms, ',')}\n"
        + wrap(f"{c.speaker}: {c.text}")
        for number, c in enumerate(cues, 1)
    ]
    return "\n\n".join(blocks) + "\n"


def wrap(text: str, width: int = 42) -> str:
    """Two lines, broken at the space nearest the middle, when longer than ``width``."""
    if len(text) <= width:
        return text
    middle = len(text) // 2
    spaces = [index for index, char in enumerate(text) if char == " "]
    cut = min(spaces, key=lambda index: abs(index - middle))
    return text[:cut] + "\n" + text[cut + 1 :]


def whisper(cues: list[Cue], seed: int = 1) -> str:
    """WhisperX: each segment with its speaker and its words, each word timed and scored."""
    rng = random.Random(seed)
    segments = []
    word_segments = []
    for c in cues:
        words = c.text.split()
        span = (c.end_ms - c.start_ms) / len(words)
        timed = []
        for index, word in enumerate(words):
            start = round((c.start_ms + index * span) / 1000, 3)
            end = round((c.start_ms + (index + 0.9) * span) / 1000, 3)
            timed.append(
                {
                    "word": word,
                    "start": start,
                    "end": end,
                    "score": round(rng.uniform(0.5, 1.0), 3),
                    "speaker": speaker_id(c.speaker),
                }
            )
        segments.append(
            {
                "start": c.start_ms / 1000,
                "end": c.end_ms / 1000,
                "text": " " + c.text,
                "words": timed,
                "speaker": speaker_id(c.speaker),
            }
        )
        word_segments.extend(timed)
    return json.dumps({"segments": segments, "word_segments": word_segments, "language": "en"})


def speaker_id(name: str) -> str:
    """WhisperX's speaker labels: SPEAKER_00, SPEAKER_01."""
    return f"SPEAKER_{SPEAKERS.index(name):02d}"


#: shape → (file name ending, writer)
SHAPES: dict[str, tuple[str, Callable[[list[Cue], int], str]]] = {
    "zoom": (".vtt", zoom),
    "teams": (".vtt", teams),
    "meet": (".vtt", meet),
    "srt": (".srt", srt),
    "whisper": (".json", whisper),
}
