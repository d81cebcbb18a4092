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


def test_a_file_without_timings_shows_time_figures_as_not_available(tmp_path):
    from tete.conversation.render_html import render_html

    path = tmp_path / "notes.txt"
    path.write_text("Alice: How was the week?\nBob: Good, busy. I'll send the plan.\n")
    report = analyze(read(path))
    assert report.timing == "none"
    console = Console(width=80, record=True, color_system=None)
    render_report(report, console)
    text = console.export_text()
    assert "talk time" in text and "n/a" in text and "0.0s" not in text
    html = render_html([report])
    assert "duration n/a" in html and "0.0 s" not in html
