"""Template helpers for surveys: charts, and check-in blocks for the one-on-one pages."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

from django import template
from django.db.models import BigIntegerField
from django.utils.safestring import SafeString

from tete.prepared import Param, PreparedQuery
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


def _score(value: float | None) -> str:
    return "—" if value is None else f"{value:g}"


def _sparkline_label(label: str, values: Sequence[float | None]) -> str:
    """What a sparkline shows, in words: "Mood before each meeting, 1 to 5: latest 3, …"."""
    answered = [v for v in values if v is not None]
    return (
        f"{label} before each meeting, from 1 to 5: latest {_score(answered[-1])}, "
        f"lowest {_score(min(answered))}, highest {_score(max(answered))}"
    )


@functools.cache
def _checkins_of() -> PreparedQuery:
    """The check-in surveys a one-on-one ever had (read on every one-on-one page, so compiled
    once: tete/prepared.py)."""
    from tete.surveys.models import Survey

    return PreparedQuery(
        lambda: (
            Survey.objects.filter(oneonone_id=Param("oneonone", BigIntegerField()))
            .select_related("checkin_respondent")
            .order_by("pk")
        )
    )


@register.inclusion_tag("surveys/includes/checkin_trend.html", takes_context=True)
def checkin_trend(context: dict[str, Any], oneonone: Any, user: Any) -> dict[str, Any]:
    """Mood and workload across meetings, and the switch to attach or stop the check-in.
    For the one-on-one page only (its view has checked that `user` is a participant)."""
    from tete.surveys import checkins
    from tete.surveys.models import Survey

    # One query for the check-in surveys this one-on-one ever had: with none (the usual case)
    # there are no answers to chart, so the trend's two queries are skipped.
    surveys = _checkins_of().run(oneonone=oneonone.pk)
    survey = next((s for s in surveys if s.status == Survey.Status.OPEN), None)
    series = (
        checkins.trend(oneonone)
        if surveys
        else {"mood": [], "workload": [], "meetings": [], "dates": []}
    )
    dates = [charts.day_label(day) for day in series["dates"]]
    shown = [
        (key, label)
        for key, label in (("mood", "Mood"), ("workload", "Workload"))
        if sum(1 for v in series[key] if v is not None) >= 2
    ]
    charts_ = {
        label: charts.sparkline(series[key], dates, _sparkline_label(label, series[key]), 1, 5)
        for key, label in shown
    }
    # The charts' figures as text, newest meeting first.
    figures = [
        (when, [_score(series[key][index]) for key, _ in shown])
        for index, when in reversed(list(enumerate(series["meetings"])))
    ]
    return {
        "oneonone": oneonone,
        "survey": survey,
        "charts": charts_,
        "figures": figures,
        "series": series,
        "user": user,
        "csrf_token": context.get("csrf_token"),
    }
