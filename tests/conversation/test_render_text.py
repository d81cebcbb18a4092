from __future__ import annotations

from rich.console import Console

from tete.conversation import analyze, read
from tete.conversation.render_text import render_report

from .support import fixture


def test_the_terminal_report_reads_whole_in_80_columns():
    report = analyze(read(fixture("teams.vtt")), roles={"Bob Okafor": "report"})
    console = Console(width=80, record=True, color_system=None)
    render_report(report, console)
    text = console.export_text()
    assert "…" not in text  # nothing cut short
    for label in ("talk time", "interruptions made", "questions asked", "Bob Okafor"):
        assert label in text
    assert "target at least 50%" in text
