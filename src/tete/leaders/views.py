"""The leaders' view and its CSV export: the same figures, hidden alike (docs/leaders.md)."""

from __future__ import annotations

import csv

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from tete.access import access
from tete.leaders.access import get_leader_role
from tete.leaders.periods import Period, offered_periods, parse_period
from tete.leaders.plan import DIMENSION_LABELS, DIMENSIONS, METRICS, ScopeFigures, leaders_view
from tete.surveys.exports import safe_cell

#: Longer query values are refused before they are looked at.
MAX_VALUE = 40


def _choices(request: HttpRequest) -> tuple[Period | None, str, str]:
    """(the period asked for, or None when it is not one offered; the scope asked for; the
    period's text). No period: the latest month."""
    periods = offered_periods()
    text = request.GET.get("period", "")[: MAX_VALUE + 1]
    scope = request.GET.get("scope", "")[: MAX_VALUE + 1]
    if not text:
        return periods[0], scope, periods[0].key
    if len(text) > MAX_VALUE:
        return None, scope, ""
    return parse_period(text), scope, text


def _figures(request: HttpRequest) -> tuple[list[Period], Period | None, ScopeFigures | None, list]:
    role = get_leader_role(request.user)
    period, scope_key, _ = _choices(request)
    if period is None:
        return offered_periods(), None, None, []
    view = leaders_view(request.user, period, role.subtree)  # type: ignore[arg-type]
    if scope_key and (len(scope_key) > MAX_VALUE or scope_key not in view.figures):
        # Another person's organisation, a team that is not theirs, a made-up id: all alike.
        raise Http404("No such scope.")
    chosen = view.figures.get(scope_key) if scope_key else None
    if chosen is None and view.scopes:
        chosen = view.figures[view.scopes[0].key]
    return offered_periods(), period, chosen, view.scopes


@access("leader")
@require_GET
def leaders_page(request: HttpRequest) -> HttpResponse:
    periods, period, chosen, scopes = _figures(request)
    context = {
        "nav": "leaders",
        "periods": periods,
        "period": period,
        "scopes": scopes,
        "chosen": chosen,
        "metrics": METRICS,
    }
    status = 400 if period is None else 200
    return render(request, "leaders/leaders.html", context, status=status)


@access("leader")
@require_GET
def leaders_csv(request: HttpRequest) -> HttpResponse:
    _, period, chosen, _ = _figures(request)
    if period is None:
        return HttpResponse(
            "Choose a month or a quarter from the list on the page.",
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="leaders-{period.key}.csv"'
    writer = csv.writer(response)
    writer.writerow(
        ["Period", "Scope", "Break-down", "Group", "People"] + [m.label for m in METRICS]
    )
    if chosen is None:
        return response
    for dimension, row in csv_rows(chosen):
        writer.writerow(
            [
                safe_cell(period.label),
                safe_cell(chosen.scope.label),
                DIMENSION_LABELS.get(dimension, "All"),
                safe_cell(row.label if dimension else "Everyone in scope"),
                row.people,
                *["" if value is None else value for value in row.figures],
            ]
        )
    return response


def csv_rows(figures: ScopeFigures) -> list:
    rows = [("", figures.total)] if figures.total else []
    for dimension in DIMENSIONS:
        rows += [(dimension, row) for row in figures.groups[dimension]]
    return rows
