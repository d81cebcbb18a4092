"""The conversation report: what analysing a transcript says, and its JSON contract."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from .balance import Targets, Verdict, balance_verdict
from .metrics import (
    OVERLAP_METRICS,
    TEXT_METRICS,
    ConversationMetrics,
    SpeakerMetrics,
    count_words,
    measure,
)
from .model import Recording, Segment, Skipped, Transcript

__all__ = ["ConversationMetrics", "Coverage", "Report", "SpeakerMetrics", "analyze"]

#: Speech without a speaker, or cues left out, count as more than a trace (and the report
#: says so in words) past this share of the conversation or this many cues.
TRACE_SHARE = 0.01
TRACE_CUES = 2


@dataclass(frozen=True, slots=True)
class Coverage:
    """How much of the file the per-speaker figures stand on: what had no speaker, and
    what the reader left out and why. See docs/metrics.md.

    ``unattributed_share`` is ``unattributed_s`` over ``duration_s`` (over words when the
    file has no times). ``notices`` says in words whatever is more than a trace
    (:data:`TRACE_SHARE`, :data:`TRACE_CUES`).
    """

    unattributed_s: float
    unattributed_segments: int
    unattributed_share: float
    skipped: tuple[Skipped, ...]
    notices: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "unattributed_s": round(self.unattributed_s, 3),
            "unattributed_segments": self.unattributed_segments,
            "unattributed_share": round(self.unattributed_share, 4),
            "skipped_cues": len(self.skipped),
            "skipped": [{"line": skip.line, "reason": skip.reason} for skip in self.skipped],
            "notices": list(self.notices),
        }


@dataclass(frozen=True, slots=True)
class Report:
    """A conversation report. ``to_dict()`` gives DESIGN.md's JSON contract."""

    source: str
    format: str
    dialect: str
    timing: str
    duration_s: float
    speakers: tuple[SpeakerMetrics, ...]
    conversation: ConversationMetrics
    segments: Sequence[Segment]
    balance: Verdict
    warnings: tuple[str, ...] = ()
    coverage: Coverage = field(default_factory=lambda: Coverage(0.0, 0, 0.0, (), ()))
    #: Present when analysed with ``text_analysis=True``.
    keywords: tuple[dict[str, Any], ...] | None = None
    sentiment: dict[str, Any] | None = None
    suggested_action_items: tuple[dict[str, Any], ...] | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    #: Set for a report on a recording (``source_kind`` "audio").
    recording: Recording | None = None

    @property
    def source_kind(self) -> str:
        """``audio`` for a recording, ``transcript`` for a transcript file."""
        return "audio" if self.recording is not None else "transcript"

    @property
    def estimate(self) -> bool:
        """Whether the figures are an estimate (voices told apart on one microphone)."""
        return self.recording is not None and self.recording.estimate

    def speaker(self, name: str) -> SpeakerMetrics:
        """The metrics of the speaker called ``name``."""
        for speaker in self.speakers:
            if speaker.name == name:
                return speaker
        raise KeyError(name)

    def to_dict(self) -> dict[str, Any]:
        """The JSON contract: seconds rounded to milliseconds, shares to 4 decimals."""
        result: dict[str, Any] = {
            "source": self.source,
            "source_kind": self.source_kind,
            "estimate": self.estimate,
            "method": self.recording.method if self.recording is not None else None,
            "format": self.format,
            "dialect": self.dialect,
            "timing": self.timing,
            "duration_s": _round(self.duration_s),
            "speakers": [_rounded(asdict(speaker)) for speaker in self.speakers],
            "conversation": _rounded(asdict(self.conversation)),
            "balance": self.balance.to_dict(),
            "segments": [
                {
                    "speaker": segment.speaker,
                    "start": _round(segment.start),
                    "end": _round(segment.end),
                    "text": segment.text,
                }
                for segment in self.segments
            ],
            "warnings": list(self.warnings),
            "coverage": self.coverage.to_dict(),
        }
        if self.recording is not None:
            result["recording"] = self.recording.to_dict()
            # Text analysis needs words: unavailable, not empty.
            result["keywords"] = result["sentiment"] = result["suggested_action_items"] = None
            result["unavailable"] = dict.fromkeys(
                [*TEXT_METRICS, "keywords", "sentiment", "suggested_action_items"],
                UNAVAILABLE_FOR_AUDIO,
            )
            if self.recording.estimate:
                result["unavailable"].update(dict.fromkeys(OVERLAP_METRICS, UNAVAILABLE_OVERLAP))
            return result
        if self.keywords is not None:
            result["keywords"] = list(self.keywords)
        if self.sentiment is not None:
            result["sentiment"] = self.sentiment
        if self.suggested_action_items is not None:
            result["suggested_action_items"] = list(self.suggested_action_items)
        return result


#: Why a report on a recording has no text metrics.
UNAVAILABLE_FOR_AUDIO = "a recording has no words: only timing is measured"
#: Why a report estimated from one microphone has no overlap or interruptions.
UNAVAILABLE_OVERLAP = (
    "one microphone: voices are told apart one at a time, so talking at once is not heard"
)


def _round(value: float) -> float:
    return round(value, 3)


def _rounded(values: dict[str, Any]) -> dict[str, Any]:
    for key, value in values.items():
        if isinstance(value, float):
            values[key] = round(value, 4) if key.endswith("share") else round(value, 3)
    return values


def analyze(
    transcript: Transcript,
    *,
    text_analysis: bool = False,
    kind: str | None = None,
    roles: Mapping[str, str] | None = None,
    targets: Targets | None = None,
) -> Report:
    """Analyse a transcript: talk balance and every metric of docs/metrics.md.

    ``text_analysis`` adds sentiment, keywords and suggested action items (slower; fully
    offline). ``kind``, ``roles`` and ``targets`` feed the balance verdict (see
    :func:`~tete.conversation.balance.balance_verdict`).
    """
    speakers, conversation = measure(transcript)
    if transcript.recording is not None:
        unmeasured = dict.fromkeys(TEXT_METRICS)
        unmeasured_here = {"words": None, "questions": None}
        if transcript.recording.estimate:
            unmeasured.update(dict.fromkeys(OVERLAP_METRICS))
            unmeasured_here.update(overlap_s=None, interruptions=None)
        speakers = [_replace(speaker, **unmeasured) for speaker in speakers]
        conversation = _replace(conversation, **unmeasured_here)
        text_analysis = False
    report = Report(
        source=transcript.source,
        format=transcript.format,
        dialect=transcript.dialect,
        timing=transcript.timing,
        duration_s=conversation.duration_s,
        speakers=tuple(speakers),
        conversation=conversation,
        segments=transcript.segments,
        balance=Verdict("peer", "unknown", ""),
        warnings=transcript.warnings,
        recording=transcript.recording,
        coverage=coverage(transcript, conversation),
    )
    verdict = balance_verdict(report, kind, roles, targets)
    if not text_analysis:
        return _replace(report, balance=verdict)
    from .text_analysis import action_items, keywords, sentiment

    return _replace(
        report,
        balance=verdict,
        keywords=tuple(keywords(transcript)),
        sentiment=sentiment(transcript),
        suggested_action_items=tuple(action_items(transcript)),
    )


def _replace(value: Any, **changes: Any) -> Any:
    from dataclasses import replace

    return replace(value, **changes)


#: What a reader's segments are called, by format, in notices.
_UNITS = {"webvtt": ("cue", "cues"), "srt": ("cue", "cues"), "json": ("segment", "segments")}


def coverage(transcript: Transcript, conversation: ConversationMetrics) -> Coverage:
    """What had no speaker and what was left out, with notices past a trace."""
    columns = transcript.columns
    speakers = (
        columns.speakers
        if columns is not None and columns.segments is transcript.segments
        else [segment.speaker for segment in transcript.segments]
    )
    unnamed = speakers.count(None) if isinstance(speakers, list) else list(speakers).count(None)
    timed = transcript.timing != "none"
    if not unnamed:
        share = 0.0
    elif timed:
        duration = conversation.duration_s
        share = conversation.unattributed_s / duration if duration > 0 else 1.0
    else:
        said = [count_words(segment.text) for segment in transcript.segments]
        unnamed_words = sum(
            words
            for words, segment in zip(said, transcript.segments, strict=True)
            if segment.speaker is None
        )
        share = unnamed_words / sum(said) if sum(said) else 1.0
    one, many = _UNITS.get(transcript.format, ("passage", "passages"))
    notices: list[str] = []
    if unnamed and (share > TRACE_SHARE or unnamed > TRACE_CUES):
        counted = f"{unnamed} {one if unnamed == 1 else many}"
        every = "All " if unnamed == len(speakers) and unnamed > 1 else ""
        if timed:
            amount = f"{duration_words(conversation.unattributed_s)}, {share:.0%}"
        else:
            amount = f"{share:.0%} of the words"
        verb = "has" if unnamed == 1 else "have"
        notices.append(f"{every}{counted} ({amount}) {verb} no speaker")
    skipped = transcript.skipped
    if len(skipped) > TRACE_CUES:
        notices.append(_skipped_notice(skipped, one, many))
    return Coverage(conversation.unattributed_s, unnamed, share, skipped, tuple(notices))


def _skipped_notice(skipped: tuple[Skipped, ...], one: str, many: str) -> str:
    """``"3 cues were left out: cue timings not understood (lines 4, 9), …"``."""
    lines: dict[str, list[int | None]] = {}
    for skip in skipped:
        lines.setdefault(skip.reason, []).append(skip.line)
    reasons = []
    for reason, where in lines.items():
        numbers = [str(line) for line in where if line is not None]
        shown = ", ".join(numbers[:3]) + (", …" if len(numbers) > 3 else "")
        reasons.append(
            f"{reason} ({'line' if len(numbers) == 1 else 'lines'} {shown})" if numbers else reason
        )
    count = len(skipped)
    return f"{count} {one if count == 1 else many} were left out: " + "; ".join(reasons)


def duration_words(seconds: float) -> str:
    """45 s, 20 min, 1 h 5 min."""
    whole = round(seconds)
    if whole < 60:
        return f"{whole} s"
    minutes = round(seconds / 60)
    if minutes < 60:
        return f"{minutes} min"
    return f"{minutes // 60} h {minutes % 60} min"
