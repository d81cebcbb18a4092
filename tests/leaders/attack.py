"""Read every figure a viewer can see in the leaders' view, and check none can be combined to
single out fewer than the minimum.

`read_everything` requests every period and scope the page offers, as the viewer, and the CSV
of each. `sets_of` recomputes, independently of the app, which pair-months (units) each
figure covers: the viewer's scope at each month's end from the reporting lines, the group,
and which units the metric counts. `small_atoms` partitions everything shown, per kind of
figure, and returns the parts with fewer distinct people than the minimum: any figure derived
by adding, subtracting or intersecting shown figures covers a union of parts.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import defaultdict
from dataclasses import dataclass
from html.parser import HTMLParser

from django.db.models import Q

from tete.leaders.models import ReportingLine
from tete.leaders.periods import Month, offered_periods
from tete.oneonones.models import Meeting, MeetingStatus, OneOnOne
from tete.reports.models import ConversationReport
from tete.surveys.anonymity import tenure_band
from tete.surveys.models import Participation

METRIC_KEYS = ("coverage", "gap", "cancelled", "prepared", "talk_share", "checkins")
Unit = tuple[Month, int]


@dataclass(frozen=True)
class Reading:
    period: str
    scope: str
    row: str  # the page's key: "org", "report-3|team:2", …
    label: str
    people: int
    figures: tuple[str | None, ...]


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.options: dict[str, list[str]] = defaultdict(list)
        self.rows: list[tuple[str, list[str | None]]] = []
        self._select: str | None = None
        self._row: tuple[str, list[str | None]] | None = None
        self._cell: list[str] | None = None
        self._hidden = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "select":
            self._select = a.get("name")
        elif tag == "option" and self._select:
            self.options[self._select].append(a["value"] or "")
        elif tag == "tr" and "data-row" in a:
            self._row = (a["data-row"] or "", [])
        elif tag in ("th", "td") and self._row is not None:
            self._cell, self._hidden = [], False
        elif tag == "span" and a.get("aria-label") == "hidden":
            self._hidden = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        elif tag in ("th", "td") and self._row is not None and self._cell is not None:
            self._row[1].append(None if self._hidden else "".join(self._cell).strip())
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.rows.append(self._row)
            self._row = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def _page(client, **query: str) -> _Page:
    response = client.get("/leaders/", query)
    assert response.status_code == 200, (query, response.status_code)
    page = _Page()
    page.feed(response.content.decode())
    return page


def _readings(period: str, scope: str, page: _Page) -> list[Reading]:
    shown = []
    for key, cells in page.rows:
        label, people, *figures = cells
        assert label is not None and people is not None
        shown.append(Reading(period, scope, key, label, int(people), tuple(figures)))
    return shown


def read_everything(client, periods: list[str] | None = None) -> list[Reading]:
    """Every row of every page (period × scope) the viewer can open; checks the CSV of each
    shows exactly the page's rows, no more. Nothing for a viewer the view is closed to."""
    if client.get("/leaders/").status_code == 404:
        return []
    readings = []
    for period in periods or [p.key for p in offered_periods()]:
        first = _page(client, period=period)  # its first scope's page, and the scope list
        scopes = first.options.get("scope", [])
        for scope in scopes:
            page = first if scope == scopes[0] else _page(client, period=period, scope=scope)
            shown = _readings(period, scope, page)
            readings += shown
            _check_csv(client, period, scope, shown)
    return readings


def _check_csv(client, period: str, scope: str, shown: list[Reading]) -> None:
    response = client.get("/leaders/export.csv", {"period": period, "scope": scope})
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode())))[1:]
    from_csv = sorted(((int(r[4]), tuple(v or None for v in r[5:])) for r in rows), key=repr)
    from_page = sorted(((r.people, r.figures) for r in shown), key=repr)
    assert from_csv == from_page, (period, scope)


# ------------------------------------------------------------------------------ the oracle


def _org_at(when: dt.datetime) -> dict[int, tuple[int | None, int | None, dt.date | None]]:
    lines = ReportingLine.objects.filter(valid_from__lte=when).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gt=when)
    )
    return {
        p: (m, t, s)
        for p, m, t, s in lines.values_list("person_id", "manager_id", "team_id", "start_date")
    }


def _scope_people(viewer: int, scope: str, org) -> set[int]:
    def under(root: int) -> set[int]:
        found, todo = set(), [root]
        while todo:
            boss = todo.pop()
            for p, (m, _, _) in org.items():
                if m == boss and p not in found and p != root:
                    found.add(p)
                    todo.append(p)
        return found

    if scope == "org":
        people = under(viewer) - {p for p, (m, _, _) in org.items() if m == viewer}
    elif scope.startswith("report-"):
        people = under(int(scope.split("-")[1]))
    else:
        team = int(scope.split("-")[1])
        people = {p for p, (m, t, _) in org.items() if t == team and m is not None}
    return {p for p in people if p != viewer and org[p][0] not in (None, viewer)}


def _level(person: int, org) -> int:
    level, seen, boss = 1, {person}, org[person][0]
    while boss is not None and boss not in seen and boss in org:
        seen.add(boss)
        level += 1
        boss = org[boss][0]
    return level


def _in_group(person: int, group: str, org, month: Month) -> bool:
    if not group:
        return True
    dimension, _, value = group.partition(":")
    manager, team, start = org[person]
    if dimension == "team":
        return str(team or "none") == value
    if dimension == "level":
        return str(_level(manager, org)) == value
    day = (month.end - dt.timedelta(days=1)).date()
    return (tenure_band(start, day) or "none") == value


def _counted(metric: str, month: Month, last: Month, person: int, manager: int) -> bool:
    pairs = OneOnOne.objects.filter(
        Q(first_id=person, second_id=manager) | Q(first_id=manager, second_id=person)
    )
    in_month = Meeting.objects.filter(
        oneonone__in=pairs, scheduled_at__gte=month.start, scheduled_at__lt=month.end
    )
    held = in_month.filter(status=MeetingStatus.HELD)
    if metric == "coverage":
        return month == last
    if metric == "cancelled":
        return in_month.filter(status__in=(MeetingStatus.HELD, MeetingStatus.CANCELLED)).exists()
    if metric == "prepared":
        return held.exists()
    if metric == "gap":
        first = held.order_by("scheduled_at").first()
        return first is not None and (
            held.count() > 1
            or Meeting.objects.filter(
                oneonone__in=pairs,
                status=MeetingStatus.HELD,
                scheduled_at__lt=first.scheduled_at,
                scheduled_at__gte=first.scheduled_at - dt.timedelta(days=183),
            ).exists()
        )
    if metric == "talk_share":
        return ConversationReport.objects.filter(meeting__in=held).exists()
    return Participation.objects.filter(round__meeting__in=held).exists()


def sets_of(viewer, readings: list[Reading]) -> dict[tuple[Reading, str], frozenset[Unit]]:
    """(reading, "people" or a metric) → the units that figure covers, for every figure shown."""
    periods = {p.key: p for p in offered_periods()}
    orgs: dict[Month, dict] = {}
    counted_cache: dict[tuple, bool] = {}

    def counted_unit(metric: str, month: Month, last: Month, person: int) -> bool:
        key = (metric, month, last, person)
        if key not in counted_cache:
            manager = orgs[month][person][0]
            counted_cache[key] = _counted(metric, month, last, person, manager)
        return counted_cache[key]

    result = {}
    for reading in readings:
        period = periods[reading.period]
        scope, _, group = reading.row.partition("|")
        units = set()
        for month in period.months:
            org = orgs.setdefault(month, _org_at(month.end))
            for person in _scope_people(viewer.pk, scope, org):
                if _in_group(person, group, org, month):
                    units.add((month, person))
        assert len({p for _, p in units}) == reading.people, reading
        result[(reading, "people")] = frozenset(units)
        for metric, value in zip(METRIC_KEYS, reading.figures, strict=True):
            if value is None:
                continue
            counted = frozenset(
                (month, person)
                for month, person in units
                if counted_unit(metric, month, period.months[-1], person)
            )
            assert counted, f"{metric} shown over nobody: {reading}"
            result[(reading, metric)] = counted
    return result


def small_atoms(viewer, readings: list[Reading], k: int) -> list[tuple[str, frozenset[Unit]]]:
    """Parts of the shown sets, per kind of figure, held by fewer than k distinct people."""
    by_kind: dict[str, set[frozenset[Unit]]] = defaultdict(set)
    for (_, kind), units in sets_of(viewer, readings).items():
        by_kind[kind].add(units)
    small = []
    for kind, sets in by_kind.items():
        cells: dict[frozenset[int], set[Unit]] = defaultdict(set)
        indexed = list(sets)
        for unit in set().union(*indexed):
            cells[frozenset(i for i, s in enumerate(indexed) if unit in s)].add(unit)
        for cell in cells.values():
            if len({p for _, p in cell}) < k:
                small.append((kind, frozenset(cell)))
    return small
