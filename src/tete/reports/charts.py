"""Server-side SVG charts: a speaker timeline, line charts with a target band, bar charts.

Drawn on the server so reports need no JavaScript and no chart library, print well and show
the same in every browser. Each chart is an accessible image (role="img" with a label
stating what it shows); the page puts the same figures in text next to it.

The drawing area is a fixed viewBox that scales to its container; 480 units wide keeps the
labels legible on a 390 px phone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH = 480
FONT = 'font-family="system-ui, sans-serif" font-size="12"'

#: Colours by role, matching tete.css: the two participants and everyone else.
COLOURS = {"first": "#2f6485", "second": "#b4572a", "other": "#8a8f96", "target": "#2c7a4b"}


@dataclass(frozen=True)
class Lane:
    """One speaker's row in a timeline: (start, end) seconds when they spoke."""

    label: str
    colour: str
    intervals: Sequence[tuple[float, float]]


@dataclass(frozen=True)
class Series:
    """One line in a line chart; ``None`` values leave a gap."""

    label: str
    colour: str
    values: Sequence[float | None]
    dashed: bool = False


@dataclass(frozen=True)
class Frame:
    """The plotting area inside the viewBox."""

    left: float = 44
    right: float = 22
    top: float = 12
    bottom: float = 26
    height: float = 200
    width: float = WIDTH

    @property
    def inner_width(self) -> float:
        return self.width - self.left - self.right

    @property
    def inner_height(self) -> float:
        return self.height - self.top - self.bottom


@dataclass(frozen=True)
class Band:
    """A shaded range on the y-axis: the target for a figure, e.g. 40–60% for peers."""

    low: float
    high: float
    label: str = "target"


@dataclass
class _Svg:
    label: str
    height: float
    parts: list[str] = field(default_factory=list)

    def add(self, markup: str) -> None:
        self.parts.append(markup)

    def render(self) -> SafeString:
        body = "".join(self.parts)
        return mark_safe(  # every text part is escaped where it is added
            f'<svg class="chart" viewBox="0 0 {WIDTH} {self.height:.0f}" role="img" '
            f'aria-label="{escape(self.label)}" xmlns="http://www.w3.org/2000/svg" '
            f'preserveAspectRatio="xMidYMid meet">{body}</svg>'
        )


def _minutes(seconds: float) -> str:
    minutes, secs = divmod(round(seconds), 60)
    return f"{minutes}:{secs:02d}"


def _tick_step(duration: float) -> float:
    """A round number of seconds between ticks giving 4–8 ticks."""
    for step in (30, 60, 120, 300, 600, 900, 1800, 3600):
        if duration / step <= 8:
            return step
    return 7200


#: Width of the timeline's plotting area, in viewBox units (about a pixel each on a phone).
TIMELINE_UNITS = WIDTH - 100 - 10


def timeline(lanes: Sequence[Lane], duration: float, *, label: str) -> SafeString:
    """Who spoke when: a row per speaker, a bar for each stretch of speech."""
    lane_height, gap, left, top = 22.0, 8.0, 100.0, 6.0
    height = top + len(lanes) * (lane_height + gap) + 22
    inner = TIMELINE_UNITS
    scale = inner / duration if duration > 0 else 0.0
    svg = _Svg(label, height)
    step = _tick_step(duration)
    tick = 0.0
    axis_y = top + len(lanes) * (lane_height + gap)
    while tick <= duration + 0.001 and duration > 0:
        x = left + tick * scale
        svg.add(
            f'<line x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{axis_y:.1f}" '
            'stroke="#dedad2" stroke-width="1"/>'
            f'<text x="{x:.1f}" y="{axis_y + 15:.1f}" text-anchor="middle" fill="#626a73" '
            f"{FONT}>{_minutes(tick)}</text>"
        )
        tick += step
    for index, lane in enumerate(lanes):
        y = top + index * (lane_height + gap)
        svg.add(
            f'<text x="{left - 8}" y="{y + lane_height / 2 + 4:.1f}" text-anchor="end" '
            f'fill="#1f2328" {FONT}>{escape(_short(lane.label, 14))}</text>'
            f'<rect x="{left}" y="{y:.1f}" width="{inner:.1f}" height="{lane_height}" '
            'fill="#f1efea" rx="3"/>'
        )
        for start, end in lane.intervals:
            width = max((end - start) * scale, 0.6)  # a short "yes" still shows
            svg.add(
                f'<rect x="{left + start * scale:.1f}" y="{y:.1f}" width="{width:.1f}" '
                f'height="{lane_height}" fill="{lane.colour}"/>'
            )
    return svg.render()


def _short(text: str, length: int) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"


def line_chart(
    series: Sequence[Series],
    x_labels: Sequence[str],
    *,
    label: str,
    y_min: float,
    y_max: float,
    y_ticks: Sequence[float],
    y_format: str = "{:.0f}",
    band: Band | None = None,
    zero_line: bool = False,
    frame: Frame | None = None,
) -> SafeString:
    """Values over time (meetings, or minutes of one meeting), with an optional target band."""
    frame = frame or Frame()
    svg = _Svg(label, frame.height)
    span = (y_max - y_min) or 1.0
    count = max(len(x_labels), max((len(s.values) for s in series), default=0))

    def y_of(value: float) -> float:
        clamped = min(max(value, y_min), y_max)
        return frame.top + frame.inner_height * (1 - (clamped - y_min) / span)

    def x_of(index: int) -> float:
        if count <= 1:
            return frame.left + frame.inner_width / 2
        return frame.left + frame.inner_width * index / (count - 1)

    if band is not None:
        top, bottom = y_of(band.high), y_of(band.low)
        svg.add(
            f'<rect x="{frame.left}" y="{top:.1f}" width="{frame.inner_width:.1f}" '
            f'height="{bottom - top:.1f}" fill="#e2f3e8"/>'
            f'<text x="{frame.left + frame.inner_width - 4:.1f}" y="{top + 13:.1f}" '
            f'text-anchor="end" fill="{COLOURS["target"]}" {FONT}>{escape(band.label)}</text>'
        )
    for tick in y_ticks:
        y = y_of(tick)
        svg.add(
            f'<line x1="{frame.left}" y1="{y:.1f}" x2="{frame.width - frame.right}" '
            f'y2="{y:.1f}" stroke="{"#9aa0a6" if zero_line and tick == 0 else "#e7e3dc"}" '
            'stroke-width="1"/>'
            f'<text x="{frame.left - 6}" y="{y + 4:.1f}" text-anchor="end" fill="#626a73" '
            f"{FONT}>{escape(y_format.format(tick))}</text>"
        )
    for index, text in _spaced_labels(x_labels):
        svg.add(
            f'<text x="{x_of(index):.1f}" y="{frame.height - 8:.1f}" text-anchor="middle" '
            f'fill="#626a73" {FONT}>{escape(text)}</text>'
        )
    for line in series:
        points = [(x_of(i), y_of(v)) for i, v in enumerate(line.values) if v is not None]
        if len(points) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
            dash = ' stroke-dasharray="5 4"' if line.dashed else ""
            svg.add(
                f'<polyline points="{path}" fill="none" stroke="{line.colour}" '
                f'stroke-width="2.5" stroke-linejoin="round" stroke-linecap="round"{dash}/>'
            )
        if count <= 24:  # dots only where they can be told apart
            for x, y in points:
                svg.add(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{line.colour}"/>')
    return svg.render()


def _spaced_labels(labels: Sequence[str], most: int = 7) -> list[tuple[int, str]]:
    """At most ``most`` x-axis labels, always including the last (the latest meeting)."""
    if len(labels) <= most:
        return list(enumerate(labels))
    step = -(-len(labels) // most)
    chosen = {i for i in range(0, len(labels), step)} | {len(labels) - 1}
    if len(labels) - 1 - max(chosen - {len(labels) - 1}, default=0) < step:
        chosen.discard(max(chosen - {len(labels) - 1}))  # keep the last two from colliding
    return [(i, labels[i]) for i in sorted(chosen)]


def bar_chart(
    values: Sequence[float | None],
    x_labels: Sequence[str],
    *,
    label: str,
    colour: str = COLOURS["first"],
    y_max: float | None = None,
    y_ticks: Sequence[float] = (),
    y_format: str = "{:.0f}",
    frame: Frame | None = None,
) -> SafeString:
    """One bar per meeting (meeting length, action items done on time)."""
    frame = frame or Frame()
    svg = _Svg(label, frame.height)
    top_value = y_max or max((v for v in values if v is not None), default=1.0) or 1.0
    slot = frame.inner_width / max(len(values), 1)
    bar_width = max(min(slot * 0.7, 36), 2)

    def y_of(value: float) -> float:
        return frame.top + frame.inner_height * (1 - min(value, top_value) / top_value)

    for tick in y_ticks:
        y = y_of(tick)
        svg.add(
            f'<line x1="{frame.left}" y1="{y:.1f}" x2="{frame.width - frame.right}" '
            f'y2="{y:.1f}" stroke="#e7e3dc" stroke-width="1"/>'
            f'<text x="{frame.left - 6}" y="{y + 4:.1f}" text-anchor="end" fill="#626a73" '
            f"{FONT}>{escape(y_format.format(tick))}</text>"
        )
    for index, value in enumerate(values):
        if value is None:
            continue
        x = frame.left + slot * index + (slot - bar_width) / 2
        # A zero still shows as a sliver, so "0%" differs from "nothing to count".
        y = min(y_of(value), frame.top + frame.inner_height - 2)
        svg.add(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_width:.1f}" '
            f'height="{frame.top + frame.inner_height - y:.1f}" fill="{colour}" rx="2"/>'
        )
    for index, text in _spaced_labels(x_labels):
        x = frame.left + slot * index + slot / 2
        svg.add(
            f'<text x="{x:.1f}" y="{frame.height - 8:.1f}" text-anchor="middle" '
            f'fill="#626a73" {FONT}>{escape(text)}</text>'
        )
    return svg.render()
