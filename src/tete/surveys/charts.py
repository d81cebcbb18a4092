"""Small charts drawn as SVG on the server: readable without JavaScript and in any export.

Every chart has a <title> and a text equivalent in the page (a table or a sentence).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from html import escape

from django.utils.safestring import SafeString, mark_safe


def bar_chart(items: Sequence[tuple[str, int]], title: str) -> SafeString:
    """Horizontal bars, one per (label, count); percentages of the total at the end."""
    total = sum(n for _, n in items) or 1
    widest = max((n for _, n in items), default=0) or 1
    row, label_w, bar_w = 26, 150, 300
    height = row * len(items) + 8
    parts = [
        f'<svg class="chart chart--bars" viewBox="0 0 {label_w + bar_w + 70} {height}" '
        f'role="img" aria-label="{escape(title)}"><title>{escape(title)}</title>'
    ]
    for i, (label, count) in enumerate(items):
        y = 4 + i * row
        width = round(bar_w * count / widest, 1)
        short = label if len(label) <= 22 else label[:21] + "…"
        parts.append(
            f'<text x="{label_w - 8}" y="{y + 16}" text-anchor="end" class="chart__label">'
            f"{escape(short)}</text>"
            f'<rect x="{label_w}" y="{y + 4}" width="{bar_w}" height="16" rx="4" '
            f'class="chart__track"/>'
            f'<rect x="{label_w}" y="{y + 4}" width="{width}" height="16" rx="4" '
            f'class="chart__bar"/>'
            f'<text x="{label_w + bar_w + 8}" y="{y + 16}" class="chart__value">'
            f"{round(100 * count / total)}% ({count})</text>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))


def line_chart(
    points: Sequence[tuple[str, float | None]],
    title: str,
    low: float,
    high: float,
    width: int = 480,
    height: int = 160,
    suffix: str = "",
    max_labels: int | None = None,
    y_ticks: Sequence[float] | None = None,
    y_title: str = "",
) -> SafeString:
    """A line over rounds; None values (suppressed or missing) leave a gap.

    `max_labels` keeps the x-axis legible on a narrow chart: that many labels, evenly
    spread, the first and last included. `y_ticks` replaces the low/middle/high grid lines;
    `y_title` names the axis (written along it).
    """
    # Room on the left for the tick values, and for the axis title when there is one.
    pad_l, pad_r, pad_t, pad_b = 54 if y_title else 40, 16, 14, 28
    inner_w, inner_h = width - pad_l - pad_r, height - pad_t - pad_b
    n = len(points)

    def x(i: int) -> float:
        return pad_l + (inner_w * i / (n - 1) if n > 1 else inner_w / 2)

    def y(v: float) -> float:
        span = (high - low) or 1
        return pad_t + inner_h * (1 - (v - low) / span)

    parts = [
        f'<svg class="chart chart--line" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(title)}"><title>{escape(title)}</title>'
    ]
    for v in y_ticks if y_ticks is not None else (low, (low + high) / 2, high):
        parts.append(
            f'<line x1="{pad_l}" x2="{width - pad_r}" y1="{y(v):.1f}" y2="{y(v):.1f}" '
            f'class="chart__grid"/><text x="{pad_l - 6}" y="{y(v) + 4:.1f}" '
            f'text-anchor="end" class="chart__axis">{v:g}{escape(suffix)}</text>'
        )
    if y_title:
        parts.append(
            f'<text x="12" y="{pad_t + inner_h / 2:.1f}" text-anchor="middle" '
            f'transform="rotate(-90 12 {pad_t + inner_h / 2:.1f})" class="chart__axis">'
            f"{escape(y_title)}</text>"
        )
    if max_labels is not None and n > max_labels:
        labelled = {round(i * (n - 1) / (max_labels - 1)) for i in range(max_labels)}
    else:
        labelled = {
            i for i in range(n) if i == 0 or i == n - 1 or n <= 8 or i % max(1, n // 6) == 0
        }
    segment: list[str] = []
    for i, (label, value) in enumerate(points):
        if i in labelled:
            # On a narrow chart the outer labels keep inside it, flush with their points.
            anchor = "middle"
            if max_labels is not None and n > 1:
                anchor = "start" if i == 0 else "end" if i == n - 1 else "middle"
            parts.append(
                f'<text x="{x(i):.1f}" y="{height - 8}" text-anchor="{anchor}" '
                f'class="chart__axis">{escape(label)}</text>'
            )
        if value is None:
            if len(segment) > 1:
                parts.append(f'<polyline points="{" ".join(segment)}" class="chart__line"/>')
            segment = []
            continue
        segment.append(f"{x(i):.1f},{y(value):.1f}")
        parts.append(f'<circle cx="{x(i):.1f}" cy="{y(value):.1f}" r="3.5" class="chart__dot"/>')
    if len(segment) > 1:
        parts.append(f'<polyline points="{" ".join(segment)}" class="chart__line"/>')
    parts.append("</svg>")
    return mark_safe("".join(parts))


def sparkline(
    values: Sequence[float | None],
    labels: Sequence[str],
    title: str,
    low: float,
    high: float,
) -> SafeString:
    """A small trend line for a one-on-one page: one value per label (a date), a few of the
    labels under it."""
    return line_chart(
        list(zip(labels, values, strict=True)),
        title,
        low,
        high,
        width=260,
        height=90,
        max_labels=3,
    )


def day_label(day: dt.date) -> str:
    """3 Mar: short enough for a chart's axis."""
    return f"{day.day} {day:%b}"
