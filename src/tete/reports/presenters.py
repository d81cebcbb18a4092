"""What the meeting report page shows, computed from a stored report (no database access)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils.safestring import SafeString

from tete.reports import charts
from tete.reports.analysis import MAX_SUGGESTIONS, distinct_suggestions

__all__ = ["MAX_SPEAKER_ROWS", "MAX_SUGGESTIONS", "ReportView", "SpeakerRow", "present"]

#: Speakers shown in the figures and the timeline: the two people first, then whoever
#: else talked most; the rest are counted in a line below.
MAX_SPEAKER_ROWS = 8

if TYPE_CHECKING:
    from tete.oneonones.models import OneOnOne
    from tete.reports.models import ConversationReport


def role_for(person_id: int | None, oneonone: OneOnOne) -> str:
    """The colour role of a speaker: the one-on-one's first or second person, or other."""
    if person_id == oneonone.first_id:
        return "first"
    if person_id == oneonone.second_id:
        return "second"
    return "other"


def colour_for(person_id: int | None, oneonone: OneOnOne) -> str:
    return charts.COLOURS[role_for(person_id, oneonone)]


def duration_text(seconds: float | None) -> str:
    """12 min 5 s; 45 s."""
    if seconds is None:
        return "—"
    seconds = round(seconds)
    minutes, secs = divmod(seconds, 60)
    if minutes >= 60:
        hours, minutes = divmod(minutes, 60)
        return f"{hours} h {minutes} min"
    if minutes:
        return f"{minutes} min {secs} s" if secs and minutes < 10 else f"{minutes} min"
    return f"{secs} s"


@dataclass
class SpeakerRow:
    name: str
    person_id: int | None
    role: str
    colour: str
    share: float
    target_low: float | None
    target_high: float | None
    talk_time: str
    turns: int
    words_per_minute: float | None
    longest_monologue: str
    average_monologue: str
    #: None when not measured (a recording has no words; one microphone hears no overlap).
    questions: int | None
    interruptions: int | None
    interrupted: int | None
    words: int = 0

    @property
    def share_percent(self) -> int:
        return round(self.share * 100)

    @property
    def on_target(self) -> bool | None:
        if self.target_low is None or self.target_high is None:
            return None
        return self.target_low <= self.share <= self.target_high

    @property
    def target_text(self) -> str:
        if self.target_low is None or self.target_high is None:
            return ""
        if self.target_high >= 1:
            return f"at least {self.target_low:.0%}"
        if self.target_low <= 0:
            return f"at most {self.target_high:.0%}"
        return f"{self.target_low:.0%}–{self.target_high:.0%}"

    @property
    def target_marker_percent(self) -> float | None:
        """Where the target line sits on the share bar."""
        if self.target_low is None or self.target_high is None:
            return None
        return round((self.target_low if self.target_low > 0 else self.target_high) * 100, 1)


@dataclass
class SentimentFigures:
    """The sentiment chart's figures as a table: a row per part of the meeting."""

    people: list[str]
    #: (when that part starts, each person's sentiment there as text: "+0.4", or "—")
    rows: list[tuple[str, list[str]]]


@dataclass
class ReportView:
    speakers: list[SpeakerRow]
    balance: dict[str, Any]
    timeline: SafeString
    sentiment_chart: SafeString | None
    sentiment_figures: SentimentFigures | None
    duration: str
    silence: str
    silence_share: float | None
    longest_silence: str
    interruptions_each_way: list[str]
    keywords: list[str]
    share_basis: str
    warnings: list[str]
    #: What the shares leave out (speech with no speaker, cues left out), in words.
    coverage_notices: list[str]
    #: Speakers beyond MAX_SPEAKER_ROWS, and their share of the talk together.
    more_speakers: int = 0
    more_speakers_share: float = 0.0
    #: Suggested action items heard beyond the MAX_SUGGESTIONS kept.
    more_suggestions: int = 0
    #: A report on a recording, and whether its figures are an estimate (one microphone).
    audio: bool = False
    estimate: bool = False
    #: False for a file without timings (docs/metrics.md, `timing`: "none"): no durations,
    #: no timeline, no silence, and shares by words. Its time figures say "not available".
    timed: bool = True

    @property
    def more_speakers_percent(self) -> int:
        return round(self.more_speakers_share * 100)


NOT_AVAILABLE = "—"


def is_timed(data: dict[str, Any]) -> bool:
    """Whether the analysed file said when things were said (`timing` is not "none")."""
    timing = data.get("timing")
    if timing is None:  # stored before the field was kept: shares by words mean no timings
        return (data.get("conversation") or {}).get("share_basis") != "words"
    return bool(timing != "none")


def present(report: ConversationReport, oneonone: OneOnOne) -> ReportView:
    data = report.data
    people = report.speaker_people
    balance = data.get("balance", {})
    targets = balance.get("targets", {})
    timed = is_timed(data)

    def seconds(value: float | None) -> str:
        return duration_text(value) if timed else NOT_AVAILABLE

    rows = []
    for s in data.get("speakers", []):
        target = targets.get(s["name"])
        rows.append(
            SpeakerRow(
                name=s["name"],
                person_id=people.get(s["name"]),
                role=role_for(people.get(s["name"]), oneonone),
                colour=colour_for(people.get(s["name"]), oneonone),
                share=s["talk_share"],
                target_low=target["min"] if target else None,
                target_high=target["max"] if target else None,
                talk_time=seconds(s["talk_time_s"]),
                turns=s["turns"],
                words_per_minute=s.get("words_per_minute"),
                longest_monologue=seconds(s["longest_monologue_s"]),
                average_monologue=seconds(s.get("average_monologue_s")),
                questions=s["questions"],
                interruptions=s["interruptions"],
                interrupted=s.get("interrupted", 0),
                words=s.get("words") or 0,
            )
        )
    # Participants first, in the one-on-one's order; anyone else after, most talk first.
    order = {oneonone.first_id: 0, oneonone.second_id: 1}
    rows.sort(key=lambda row: (order.get(row.person_id or -1, 2), -row.share))
    rows, more = rows[:MAX_SPEAKER_ROWS], rows[MAX_SPEAKER_ROWS:]
    conversation = data.get("conversation", {})
    duration = float(data.get("duration_s") or 0.0)
    return ReportView(
        speakers=rows,
        balance=balance,
        timeline=_timeline(data, rows, duration, bool(data.get("estimate")))
        if timed
        else SafeString(""),
        sentiment_chart=_sentiment_chart(data, rows, duration),
        sentiment_figures=_sentiment_figures(data, rows),
        duration=duration_text(duration) if timed else "no timings",
        silence=seconds(conversation.get("silence_s")),
        silence_share=conversation.get("silence_share"),
        longest_silence=seconds(conversation.get("longest_silence_s")),
        interruptions_each_way=_interruptions_each_way(rows),
        keywords=[k["keyword"] for k in data.get("keywords") or []],
        share_basis=conversation.get("share_basis", "time"),
        warnings=list(data.get("warnings", []))[:5],
        coverage_notices=list((data.get("coverage") or {}).get("notices", [])),
        more_speakers=len(more),
        more_speakers_share=sum(row.share for row in more),
        more_suggestions=max(0, len(distinct_suggestions(data)) - MAX_SUGGESTIONS),
        timed=timed,
        audio=data.get("source_kind") == "audio",
        estimate=bool(data.get("estimate")),
    )


def _timeline(
    data: dict[str, Any], rows: list[SpeakerRow], duration: float, estimate: bool = False
) -> SafeString:
    segments = data.get("segments", [])
    start = min((s["start"] for s in segments), default=0.0)
    by_speaker: dict[str, list[tuple[float, float]]] = {row.name: [] for row in rows}
    for segment in segments:
        intervals = by_speaker.get(segment["speaker"])
        if intervals is not None:
            intervals.append((segment["start"] - start, segment["end"] - start))
    # Stretches closer than the chart can show apart are drawn as one: a lane holds a few
    # hundred bars at most, however long the meeting.
    resolution = duration / charts.TIMELINE_UNITS if duration > 0 else 0.0
    lanes = [
        charts.Lane(row.name, row.colour, _merged(by_speaker[row.name], resolution)) for row in rows
    ]
    summary = ", ".join(f"{row.name} {row.share_percent}%" for row in rows)
    if estimate:
        summary += " (an estimate: voices told apart on one microphone)"
    return charts.timeline(
        lanes, duration, label=f"Who spoke when over {duration_text(duration)}: {summary}"
    )


def _merged(intervals: list[tuple[float, float]], gap: float) -> list[tuple[float, float]]:
    """The intervals in order, those less than ``gap`` apart joined into one."""
    merged: list[tuple[float, float]] = []
    for start, end in sorted(intervals):
        if merged and start - merged[-1][1] < gap:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def _sentiment_chart(
    data: dict[str, Any], rows: list[SpeakerRow], duration: float
) -> SafeString | None:
    slices = (data.get("sentiment") or {}).get("over_time") or []
    if len(slices) < 2:
        return None
    series = [
        charts.Series(row.name, row.colour, [slice_["speakers"].get(row.name) for slice_ in slices])
        for row in rows
        if row.person_id is not None
    ]
    return charts.line_chart(
        series,
        _slice_labels(slices),
        label="Sentiment over the meeting, from -1 (negative) to +1 (positive), per person",
        y_min=-1,
        y_max=1,
        y_ticks=(-1, -0.5, 0, 0.5, 1),
        y_format="{:+.1f}",
        zero_line=True,
    )


def _slice_labels(slices: list[dict[str, Any]]) -> list[str]:
    """When each part of the meeting starts, from its beginning; its number without timings."""
    return [
        duration_text(slice_["start"] - (slices[0]["start"] or 0.0))
        if slice_.get("start") is not None
        else str(index + 1)
        for index, slice_ in enumerate(slices)
    ]


def _sentiment_figures(data: dict[str, Any], rows: list[SpeakerRow]) -> SentimentFigures | None:
    slices = (data.get("sentiment") or {}).get("over_time") or []
    if len(slices) < 2:
        return None
    names = [row.name for row in rows if row.person_id is not None]
    table = []
    for label, slice_ in zip(_slice_labels(slices), slices, strict=True):
        values = [slice_["speakers"].get(name) for name in names]
        table.append((label, ["—" if v is None else f"{v:+.1f}" for v in values]))
    return SentimentFigures(people=names, rows=table)


def _interruptions_each_way(rows: list[SpeakerRow]) -> list[str]:
    people = [row for row in rows if row.person_id is not None]
    if len(people) != 2:
        return [_interrupted(row.name, "others", row.interruptions) for row in rows]
    first, second = people
    return [
        _interrupted(first.name, second.name, first.interruptions),
        _interrupted(second.name, first.name, second.interruptions),
    ]


def _interrupted(who: str, whom: str, count: int | None) -> str:
    if count is None:
        return f"Not measured for {who}: on one microphone, talking at once is not heard."
    if count == 0:
        return f"{who} did not interrupt {whom}."
    times = {1: "once", 2: "twice"}.get(count, f"{count} times")
    return f"{who} interrupted {whom} {times}."
