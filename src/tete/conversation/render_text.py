"""The terminal report (Rich): a speaker table with share bars, the verdict, the rest."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

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


def render_report(report: Report, console: Console) -> None:
    """Print one conversation report."""
    title = f"{report.source}  ·  {report.format}" + (
        f" ({report.dialect})" if report.dialect else ""
    )
    table = Table(show_edge=False, header_style="bold")
    for column in (
        "speaker",
        "share",
        "",
        "talk",
        "turns",
        "words",
        "wpm",
        "longest",
        "questions",
        "interruptions",
        "fillers",
    ):
        table.add_column(column, justify="left" if column in ("speaker", "") else "right")
    targets = report.balance.targets
    for speaker in report.speakers:
        low, high = targets.get(speaker.name, (0.0, 1.0))
        table.add_row(
            speaker.name,
            f"{speaker.talk_share:.0%}",
            share_bar(speaker.talk_share, low, high),
            _seconds(speaker.talk_time_s),
            str(speaker.turns),
            str(speaker.words),
            f"{speaker.words_per_minute:.0f}" if speaker.words_per_minute else "–",
            _seconds(speaker.longest_monologue_s),
            str(speaker.questions),
            str(speaker.interruptions),
            str(speaker.filler_words),
        )
    c = report.conversation
    facts = Text(
        f"duration {_seconds(report.duration_s)} · turns {c.turns} · "
        f"overlap {_seconds(c.overlap_s)} · silence "
        + (f"{c.silence_share:.0%}" if c.silence_share is not None else "–")
        + f" (longest {_seconds(c.longest_silence_s)}) · response latency "
        f"{_seconds(c.response_latency_s)} · timing: {report.timing}",
        style="dim",
    )
    verdict = Text(report.balance.message, style=_STATUS_STYLE[report.balance.status])
    parts: list[Table | Text] = [table, facts, verdict]
    if report.keywords:
        parts.append(Text("keywords: " + ", ".join(k["keyword"] for k in report.keywords)))
    if report.suggested_action_items:
        items = Text("suggested action items:\n", style="bold")
        for item in report.suggested_action_items:
            due = f" ({item['due']})" if item["due"] else ""
            items.append(f"  • {item['who'] or '?'}: {item['what']}{due}\n", style="")
        parts.append(items)
    for warning in report.warnings:
        parts.append(Text(f"warning: {warning}", style="yellow"))
    console.print(Panel(Group(*parts), title=title, title_align="left"))


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
            _seconds(report.duration_s),
            shares or "–",
            str(report.conversation.interruptions),
            _seconds(longest),
            Text(report.balance.status, style=_STATUS_STYLE[report.balance.status]),
        )
    return table
