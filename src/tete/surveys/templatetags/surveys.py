"""Template helpers for the survey pages: charts and figures."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import template
from django.utils.safestring import SafeString

from tete.surveys import charts

register = template.Library()


@register.simple_tag
def bar_chart(items: Sequence[tuple[str, int]], title: str) -> SafeString:
    return charts.bar_chart(items, title)


@register.simple_tag
def trend_chart(
    points: Sequence[tuple[str, float | None]], title: str, low: float, high: float
) -> SafeString:
    return charts.line_chart(points, title, low, high)


@register.simple_tag
def enps_chart(points: Sequence[tuple[str, float | None]]) -> SafeString:
    """eNPS by round on its own scale, −100 to +100, with 0 marked."""
    return charts.line_chart(
        points,
        "eNPS by round: % promoters (9–10) minus % detractors (0–6), from −100 to +100",
        -100,
        100,
        y_ticks=(-100, -50, 0, 50, 100),
        y_title="eNPS",
    )


@register.simple_tag
def rate_chart(rounds: Sequence[Any], title: str) -> SafeString:
    points = [(f"#{r.round.number}", r.rate) for r in rounds]
    return charts.line_chart(points, title, 0, 100, suffix="%")


@register.filter
def get_item(mapping: dict[Any, Any], key: Any) -> Any:
    return mapping.get(key)


@register.filter
def enps_minimum(k: int) -> int:
    """How many answers a round needs for its eNPS to be shown (see results._round_enps)."""
    from tete.surveys.anonymity import min_group_size

    return max(k, min_group_size())


@register.filter
def percent_of(part: int, whole: int) -> int:
    return round(100 * part / whole) if whole else 0
