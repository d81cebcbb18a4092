"""The terminal report (Rich): a speaker table with share bars, the verdict, the rest."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from .balance import command_line_message
from .report import Report

_STATUS_STYLE = {"balanced": "green", "unbalanced": "bold red", "unknown": "yellow"}


def share_bar(share: float, low: float, high: float, width: int = 20) -> Text:
    """A bar of ``share``, green inside the target range ``[low, high]``, red outside."""
    filled = round(share * width)
    style = "green" if low <= share <= high else "red"
    bar = Text("█" * filled, style=style)
    bar.append("░" * (width - filled), style="dim")
    return bar


def _seconds(value: float | None) -> str:
    if value is None:
        return "–"
    minutes, seconds = divmod(round(value), 60)
    return f"{minutes}:{seconds:02d}" if minutes else f"{value:.1f}s"


def _duration(report: Report, value: float | None) -> str:
    """A time figure; "n/a" for a file without timings (its zeros mean "not measured")."""
    return "n/a" if report.timing == "none" else _seconds(value)


def _target_label(low: float, high: float) -> str:
    if (low, high) == (0.0, 1.0):
        return ""
    if low == 0.0:
        return f"target at most {high:.0%}"
    if high == 1.0:
        return f"target at least {low:.0%}"
    return f"target {low:.0%}–{high:.0%}"


def _count(value: int | None) -> str:
    return "–" if value is None else str(value)


def _metric_rows(report: Report) -> list[tuple[str, list[str]]]:
    """(metric, one value per speaker): speakers are the columns, so it fits 80 columns.
    A recording has no words: its rows that count them are left out."""
    speakers = report.speakers
    rows = [
        ("talk time", [_duration(report, s.talk_time_s) for s in speakers]),
        ("turns", [str(s.turns) for s in speakers]),
        ("words", [_count(s.words) for s in speakers]),
        (
            "words per minute",
            [f"{s.words_per_minute:.0f}" if s.words_per_minute else "–" for s in speakers],
        ),
        ("longest monologue", [_duration(report, s.longest_monologue_s) for s in speakers]),
        ("questions asked", [_count(s.questions) for s in speakers]),
        ("interruptions made", [_count(s.interruptions) for s in speakers]),
        ("interrupted", [_count(s.interrupted) for s in speakers]),
        ("backchannels", [str(s.backchannels) for s in speakers]),
        ("filler words", [_count(s.filler_words) for s in speakers]),
    ]
    if report.recording is not None:
        unavailable = _WORD_ROWS | (_OVERLAP_ROWS if report.estimate else frozenset())
        return [row for row in rows if row[0] not in unavailable]
    return [row for row in rows if row[0] not in ("interrupted", "backchannels")]


_WORD_ROWS = frozenset({"words", "words per minute", "questions asked", "filler words"})
_OVERLAP_ROWS = frozenset({"interruptions made", "interrupted"})


def render_report(report: Report, console: Console) -> None:
    """Print one conversation report: the balance and metrics, then what text analysis
    found, when the report has it."""
    console.print(balance_panel(report))
    if report.keywords is not None:
        console.print(text_analysis_panel(report))


def balance_panel(report: Report) -> Panel:
    """Shares against their targets, the verdict, every metric and the file's warnings."""
    title = f"{report.source}  ·  {report.format}" + (
        f" ({report.dialect})" if report.dialect else ""
    )
    targets = report.balance.targets
    shares = Table.grid(padding=(0, 2))
    for speaker in report.speakers:
        low, high = targets.get(speaker.name, (0.0, 1.0))
        target = _target_label(low, high)
        shares.add_row(
            Text(speaker.name, style="bold"),
            share_bar(speaker.talk_share, low, high),
            f"{speaker.talk_share:>4.0%}",
            Text(target, style="dim"),
        )
    table = Table(show_edge=False, header_style="bold")
    table.add_column("")
    for speaker in report.speakers:
        table.add_column(speaker.name, justify="right")
    for metric, values in _metric_rows(report):
        table.add_row(metric, *values)
    c = report.conversation
    facts = Text(
        f"duration {_duration(report, report.duration_s)} · turns {c.turns} · "
        f"overlap {_seconds(c.overlap_s)} · silence "
        + (f"{c.silence_share:.0%}" if c.silence_share is not None else "–")
        + f" (longest {_seconds(c.longest_silence_s)}) · response latency "
        f"{_seconds(c.response_latency_s)} · timing: {report.timing}",
        style="dim",
    )
    verdict = Text(command_line_message(report.balance), style=_STATUS_STYLE[report.balance.status])
    # What the shares leave out comes right under them: they count named speakers only.
    notices = [Text(f"! {notice}.", style="bold yellow") for notice in report.coverage.notices]
    parts: list[Table | Text] = [shares, verdict, *notices, Text(""), table, facts]
    if report.recording is not None:
        parts.insert(0, recording_note(report))
    for warning in report.warnings:
        parts.append(Text(f"warning: {warning}", style="yellow"))
    return Panel(Group(*parts), title=title, title_align="left")


def recording_note(report: Report) -> Text:
    """What a report on a recording is: an estimate or not, and how it was made."""
    recording = report.recording
    assert recording is not None
    if recording.estimate:
        note = Text("Estimate: ", style="bold yellow")
        note.append(
            "voices told apart on one microphone by how they sound; shares can be off by "
            "several points, and talking at once is not heard (docs/metrics.md).",
            style="yellow",
        )
    else:
        note = Text(f"Recording, {recording.method}.", style="dim")
    note.append(
        "\nNo words in a recording: keywords, questions, tone and action items are unavailable.",
        style="dim",
    )
    return note


def text_analysis_panel(report: Report) -> Panel:
    """Keywords, the tone of each speaker and suggested action items (text analysis)."""
    parts: list[Text] = []
    if report.keywords:
        parts.append(Text("keywords: " + ", ".join(k["keyword"] for k in report.keywords)))
    tone = _tone(report)
    if tone:
        parts.append(Text("tone: " + tone))
    if report.suggested_action_items:
        items = Text("suggested action items:", style="bold")
        for item in report.suggested_action_items:
            due = f" ({item['due']})" if item["due"] else ""
            items.append(f"\n  • {item['who'] or '?'}: {item['what']}{due}", style="")
        parts.append(items)
    if not parts:
        parts.append(Text("Too little text for keywords, tone or action items.", style="dim"))
    return Panel(Group(*parts), title="What was said", title_align="left")


def _tone(report: Report) -> str:
    """Each speaker's sentiment, in words (VADER's compound score, as docs/metrics.md says)."""
    speakers = (report.sentiment or {}).get("speakers") or {}
    described = []
    for name, values in speakers.items():
        compound = values.get("compound") if isinstance(values, dict) else None
        if compound is None:
            continue
        word = "positive" if compound >= 0.05 else "negative" if compound <= -0.05 else "neutral"
        described.append(f"{name} {word} ({compound:+.2f})")
    return " · ".join(described)


def summary_table(reports: Sequence[Report], failures: Sequence[str]) -> Table:
    """One row per file: duration, shares, interruptions, longest monologue, verdict."""
    title = f"{len(reports)} conversations" + (f", {len(failures)} not read" if failures else "")
    table = Table(title=title, header_style="bold", show_edge=False)
    for column in (
        "file",
        "duration",
        "talk share",
        "interruptions",
        "longest monologue",
        "balance",
    ):
        table.add_column(
            column, justify="left" if column in ("file", "talk share", "balance") else "right"
        )
    for report in reports:
        shares = " · ".join(f"{s.name} {s.talk_share:.0%}" for s in report.speakers)
        longest = max((s.longest_monologue_s for s in report.speakers), default=0.0)
        table.add_row(
            report.source,
            _duration(report, report.duration_s),
            shares or "–",
            _count(report.conversation.interruptions),
            _duration(report, longest),
            Text(report.balance.status, style=_STATUS_STYLE[report.balance.status]),
        )
    return table
