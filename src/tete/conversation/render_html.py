"""The HTML report: one self-contained page (inline CSS and SVG, no scripts, no fetches)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict
from html import escape
from string import Template

from . import intervals
from .balance import command_line_message
from .metrics import OVERLAP_METRICS, TEXT_METRICS
from .report import Report

_COLOURS = ("#2563eb", "#d97706", "#059669", "#db2777", "#7c3aed", "#0891b2")
_PAGE = Template("""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>$title</title>
<style>
body { font: 15px/1.45 system-ui, sans-serif; margin: 2rem auto; max-width: 68rem; padding: 0 1rem;
       color: #1f2937; }
h1 { font-size: 1.4rem; } h2 { font-size: 1.15rem; margin-top: 2.5rem; overflow-wrap: anywhere; }
h3 { font-size: 1rem; }
table { border-collapse: collapse; margin: .5rem 0 1rem; }
th, td { padding: .25rem .6rem; border-bottom: 1px solid #e5e7eb; text-align: right; }
th:first-child, td:first-child { text-align: left; }
.verdict { padding: .6rem .9rem; border-radius: .4rem; }
.notice { padding: .6rem .9rem; border-left: 4px solid #d97706; background: #fffbeb; }
.balanced { background: #dcfce7; } .unbalanced { background: #fee2e2; } .unknown { background: #fef9c3; }
.wide { overflow-x: auto; } .muted { color: #6b7280; } svg { display: block; max-width: 100%; height: auto; }
.legend span { display: inline-block; margin-right: 1rem; }
.swatch { display: inline-block; width: .8rem; height: .8rem; border-radius: 2px; margin-right: .3rem; }
.share { display: grid; grid-template-columns: minmax(5rem, 11rem) minmax(0, 1fr) 3rem; gap: .75rem;
         align-items: center; margin: .35rem 0; }
.share__name { overflow-wrap: anywhere; font-size: .9rem; }
.share__bar { position: relative; height: 18px; background: #f3f4f6; border-radius: 3px; }
.share__target { position: absolute; top: 0; bottom: 0; background: #bbf7d0; }
.share__fill { position: absolute; left: 0; top: 4px; height: 10px; border-radius: 2px; }
.share__value { text-align: right; font-variant-numeric: tabular-nums; }
/* The timeline keeps a legible size; on a phone it scrolls inside its box. */
.timeline svg { min-width: 46rem; max-width: 62rem; }
</style>
</head>
<body>
<h1>$title</h1>
$body
</body>
</html>
""")


def render_html(reports: Sequence[Report], failures: Sequence[str] = ()) -> str:
    """A page with one section per report, and the files that could not be read."""
    title = "Conversation report" if len(reports) == 1 else f"{len(reports)} conversation reports"
    sections = [_section(report) for report in reports]
    if failures:
        sections.append(
            "<h2>Not read</h2><ul>" + "".join(f"<li>{escape(f)}</li>" for f in failures) + "</ul>"
        )
    return _PAGE.substitute(title=escape(title), body="\n".join(sections))


def _seconds(value: float | None) -> str:
    if value is None:
        return "–"
    minutes, seconds = divmod(round(value), 60)
    return f"{minutes}:{seconds:02d}" if minutes else f"{value:.1f} s"


def _recording_note(report: Report) -> str:
    recording = report.recording
    if recording is None:
        return ""
    if recording.estimate:
        note = (
            '<p class="verdict unknown"><strong>Estimate.</strong> The voices were told apart '
            "on one microphone by how they sound: shares can be off by several points, and "
            'talking at once is not heard. <span class="muted">'
            f"{escape(recording.method)}.</span></p>"
        )
    else:
        note = f'<p class="muted">Recording: {escape(recording.method)}.</p>'
    return note + (
        '<p class="muted">A recording has no words: keywords, questions, filler words, tone '
        "and suggested action items are unavailable.</p>"
    )


def _section(report: Report) -> str:
    colours = {s.name: _COLOURS[i % len(_COLOURS)] for i, s in enumerate(report.speakers)}
    estimated = " (estimate)" if report.estimate else ""
    timed = report.timing != "none"
    parts = [
        f"<h2>{escape(report.source)}</h2>",
        f'<p class="muted">{escape(report.format)}'
        + (f" ({escape(report.dialect)})" if report.dialect else "")
        + f" · duration {_seconds(report.duration_s) if timed else 'n/a'}"
        + f" · timing: {escape(report.timing)}</p>",
        _recording_note(report),
        f'<p class="verdict {escape(report.balance.status)}">{escape(command_line_message(report.balance))}</p>',
        *(
            f'<p class="notice" role="note">{escape(notice)}.</p>'
            for notice in report.coverage.notices
        ),
        f"<h3>Talk share against the target{estimated}</h3>",
        _share_bars(report, colours),
        f"<h3>Who spoke when{estimated}</h3>",
        _timeline(report, colours),
        "<h3>Speakers</h3>",
        _speaker_table(report),
        "<h3>Conversation</h3>",
        _conversation_table(report),
    ]
    if report.sentiment and report.sentiment["over_time"]:
        parts += ["<h3>Sentiment over time</h3>", _sentiment(report, colours)]
    if report.keywords:
        words = ", ".join(escape(k["keyword"]) for k in report.keywords)
        parts.append(f"<h3>Keywords</h3><p>{words}</p>")
    if report.suggested_action_items:
        rows = "".join(
            f"<tr><td>{escape(item['who'] or '?')}</td><td style='text-align:left'>"
            f"{escape(item['what'])}</td><td>{escape(item['due'] or '')}</td></tr>"
            for item in report.suggested_action_items
        )
        parts.append(
            "<h3>Suggested action items</h3><table><tr><th>who</th><th>what</th><th>due</th></tr>"
            f"{rows}</table>"
        )
    if report.warnings:
        parts.append(
            "<h3>Warnings</h3><ul>"
            + "".join(f"<li>{escape(w)}</li>" for w in report.warnings)
            + "</ul>"
        )
    return "\n".join(parts)


def _share_bars(report: Report, colours: dict[str, str]) -> str:
    """A bar per speaker (HTML, so it fits any width), the target range shaded behind."""
    rows = []
    for speaker in report.speakers:
        low, high = report.balance.targets.get(speaker.name, (0.0, 1.0))
        target = f"target {low:.0%}–{high:.0%}"
        rows.append(
            f'<div class="share"><span class="share__name">{escape(speaker.name)}</span>'
            f'<span class="share__bar" role="img" '
            f'aria-label="{escape(speaker.name)}: {speaker.talk_share:.0%}'
            f'{" (estimate)" if report.estimate else ""}, {target}">'
            f'<span class="share__target" style="left:{low:.2%};width:{high - low:.2%}" '
            f'title="{target}"></span>'
            f'<span class="share__fill" style="width:{speaker.talk_share:.2%};'
            f'background:{colours[speaker.name]}"></span></span>'
            f'<span class="share__value">{speaker.talk_share:.0%}</span></div>'
        )
    return "".join(rows)


def _timeline(report: Report, colours: dict[str, str]) -> str:
    if report.timing == "none" or report.duration_s <= 0:
        return '<p class="muted">The file has no times, so there is no timeline.</p>'
    width, row = 520, 26
    start = min(s.start for s in report.segments)
    scale = width / report.duration_s
    rows = []
    for index, speaker in enumerate(report.speakers):
        y = index * row
        spans = intervals.merge(
            (s.start, s.end) for s in report.segments if s.speaker == speaker.name
        )
        rects = "".join(
            f'<rect x="{(a - start) * scale:.1f}" y="{y + 4}" '
            f'width="{max(0.5, (b - a) * scale):.1f}" height="{row - 8}"/>'
            for a, b in spans
        )
        rows.append(
            f'<text x="0" y="{y + 17}" font-size="12">{escape(speaker.name)}</text>'
            f'<g transform="translate(180 0)" fill="{colours[speaker.name]}">'
            f'<rect x="0" y="{y + 4}" width="{width}" height="{row - 8}" fill="#f3f4f6"/>{rects}</g>'
        )
    height = row * max(1, len(report.speakers)) + 18
    ticks = "".join(
        f'<text x="{180 + width * i / 4:.0f}" y="{height - 2}" font-size="11" fill="#6b7280">'
        f"{_tick(report.duration_s * i / 4, report.duration_s)}</text>"
        for i in range(5)
    )
    return (
        f'<div class="wide timeline"><svg viewBox="0 0 {width + 230} {height}" role="img" '
        f'aria-label="who spoke when{" (estimate)" if report.estimate else ""}">'
        f"{''.join(rows)}{ticks}</svg></div>"
    )


def _tick(value: float, duration: float) -> str:
    """A timeline tick: m:ss on a conversation of a minute or more (0:00, 15:00…)."""
    if duration < 60:
        return _seconds(value)
    minutes, seconds = divmod(round(value), 60)
    return f"{minutes}:{seconds:02d}"


def _label(field: str) -> str:
    """`longest_monologue_s` → "longest monologue" (the unit shows in the value)."""
    return field.removesuffix("_s").replace("_", " ")


def _cell(field: str, value: object, timed: bool = True) -> str:
    if value is None or (field.endswith("_s") and not timed):
        # Without timings a time figure is not measured: not available, not zero.
        return "–"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        if field.endswith("_s"):
            return _seconds(value)
        if field.endswith("share"):
            return f"{value:.0%}"
        return f"{value:.1f}"
    return escape(str(value))


def _speaker_table(report: Report) -> str:
    """Metrics as rows, speakers as columns: readable on a phone and for many metrics."""
    if not report.speakers:
        return '<p class="muted">No named speakers.</p>'
    columns = [asdict(s) for s in report.speakers]
    unavailable = set(TEXT_METRICS) if report.recording is not None else set()
    if report.estimate:
        unavailable.update(OVERLAP_METRICS)
    fields = [f for f in columns[0] if f != "name" and f not in unavailable]
    head = "<th></th>" + "".join(f"<th>{escape(s.name)}</th>" for s in report.speakers)
    body = "".join(
        f"<tr><td>{escape(_label(field))}</td>"
        + "".join(
            f"<td>{_cell(field, column[field], report.timing != 'none')}</td>" for column in columns
        )
        + "</tr>"
        for field in fields
    )
    return f'<div class="wide"><table><tr>{head}</tr>{body}</table></div>'


def _conversation_table(report: Report) -> str:
    unavailable = {"words", "questions"} if report.recording is not None else set()
    if report.estimate:
        unavailable.update(("overlap_s", "interruptions"))
    rows = "".join(
        f"<tr><td>{escape(_label(name))}</td>"
        f"<td>{_cell(name, value, report.timing != 'none')}</td></tr>"
        for name, value in asdict(report.conversation).items()
        if name not in unavailable
    )
    return f"<table>{rows}</table>"


def _sentiment(report: Report, colours: dict[str, str]) -> str:
    assert report.sentiment is not None
    points = report.sentiment["over_time"]
    width, height = 900, 160
    step = width / max(1, len(points) - 1)

    def y(score: float) -> float:
        return height / 2 - score * (height / 2 - 8)

    lines = []
    for name, colour in colours.items():
        coords = [
            f"{i * step:.1f},{y(p['speakers'][name]):.1f}"
            for i, p in enumerate(points)
            if name in p["speakers"]
        ]
        if coords:
            lines.append(
                f'<polyline fill="none" stroke="{colour}" stroke-width="2" points="{" ".join(coords)}">'
                f"<title>{escape(name)}</title></polyline>"
            )
    legend = "".join(
        f'<span><i class="swatch" style="background:{c}"></i>{escape(n)}</span>'
        for n, c in colours.items()
    )
    return (
        f'<svg viewBox="-10 0 {width + 20} {height}" role="img" aria-label="sentiment over time">'
        f'<line x1="0" x2="{width}" y1="{height / 2}" y2="{height / 2}" stroke="#d1d5db"/>'
        f'{"".join(lines)}</svg><p class="legend muted">{legend} (−1 negative … +1 positive)</p>'
    )
