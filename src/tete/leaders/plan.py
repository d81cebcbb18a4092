"""Which figures of the leaders' view may be shown, and what they are (docs/leaders.md).

For one viewer and one period, every figure the viewer could read — in any of their scopes
(their organisation, each report's organisation, each partner team), for the whole scope or
one break-down group — is an aggregate over a set of *units*: a pair's month (a person and the
manager they had at the month's end). All those sets are decided together, by complementary
suppression (`tete.suppression`): every atom must hold at least the minimum number of
distinct people. So no figure, however combined with the others (subtracted, intersected,
across scopes or groups), isolates fewer people.

A quarter's units are its months' units: its figures are decided together with the figures
its three months show, and if they cannot all stand together the quarter shows none.
Each metric is decided once more over the units it counts (a talk share only where a meeting
was analysed), as survey questions are.

A period's sets depend only on the reporting lines and team grants as they were at its
months' ends, and periods are shown once settled: reading a month again later, after
someone joined, left or moved, gives the same sets.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from tete.accounts.models import Person, Team
from tete.leaders.facts import UnitFacts, unit_facts
from tete.leaders.org import Org, org_at, teams_granted_at
from tete.leaders.periods import Month, Period
from tete.suppression import ids_of, keep_safe_masks, min_group_size
from tete.surveys.anonymity import TENURE_BANDS, tenure_band

ORG = "org"
DIMENSIONS = ("team", "level", "tenure")
DIMENSION_LABELS = {"team": "Team", "level": "Manager level", "tenure": "Tenure"}
#: Hidden because the set is under the minimum, or because beside the other figures it
#: would single out fewer.
FEW = "few"
DIFFERENCE = "difference"


@dataclass(frozen=True)
class Metric:
    key: str
    label: str
    #: Which units it counts.
    counts: Callable[[UnitFacts], bool]
    #: The figure over those units, as shown.
    value: Callable[[Sequence[UnitFacts]], str]


def _percent(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)}%" if whole else "–"


METRICS = (
    Metric(
        "coverage",
        "Had a one-on-one in the last 30 days",
        lambda f: True,
        lambda fs: _percent(sum(f.covered for f in fs), len(fs)),
    ),
    Metric(
        "gap",
        "Median days between meetings",
        lambda f: bool(f.gaps),
        lambda fs: str(round(statistics.median(g for f in fs for g in f.gaps))),
    ),
    Metric(
        "cancelled",
        "Meetings cancelled",
        lambda f: f.held + f.cancelled > 0,
        lambda fs: _percent(sum(f.cancelled for f in fs), sum(f.held + f.cancelled for f in fs)),
    ),
    Metric(
        "prepared",
        "Held meetings both prepared for",
        lambda f: f.held > 0,
        lambda fs: _percent(sum(f.prepared for f in fs), sum(f.held for f in fs)),
    ),
    Metric(
        "talk_share",
        "Median talk share of the report",
        lambda f: bool(f.shares),
        lambda fs: f"{round(100 * statistics.median(s for f in fs for s in f.shares))}%",
    ),
    Metric(
        "checkins",
        "Check-ins answered",
        lambda f: f.checkins_asked > 0,
        lambda fs: _percent(
            sum(f.checkins_answered for f in fs), sum(f.checkins_asked for f in fs)
        ),
    ),
)


@dataclass(frozen=True)
class Scope:
    key: str
    label: str
    #: Shown to the viewer today (a team taken back still counts in the decision, unshown).
    shown: bool = True


@dataclass
class Universe:
    """Every set of units one viewer could read figures of, for some months."""

    units: list[tuple[Month, int, int]] = field(default_factory=list)
    #: Cell key ("org", "org|team:3", "report-12|tenure:Under 1 year") → mask of units.
    cells: dict[str, int] = field(default_factory=dict)
    scopes: dict[str, Scope] = field(default_factory=dict)
    group_labels: dict[str, str] = field(default_factory=dict)
    #: (month, person) → the unit's position in `units`.
    index_of: dict[tuple[Month, int], int] = field(default_factory=dict)

    def measure(self, mask: int) -> int:
        """Distinct people: a quarter's three months of one pair count once."""
        return len({self.units[i][1] for i in ids_of(mask)})


def _scopes_at(viewer: Person, month: Month, org: Org) -> dict[str, set[int]]:
    """The people (each standing for the pair with their manager) in each of the viewer's
    scopes at the month's end. Pairs the viewer is in are left out: they know those already,
    and counted they would let a group of five hide fewer than five others."""
    me = viewer.pk
    scopes: dict[str, set[int]] = {}
    mine = set(org.reports_of.get(me, []))
    if below := org.below(me) - mine:
        scopes[ORG] = below
    for report in mine:
        if their := org.below(report):
            scopes[f"report-{report}"] = their
    for team in sorted(teams_granted_at(me, month.end)):
        scopes[f"team-{team}"] = {
            p for p, t in org.team_of.items() if t == team and org.manager_of.get(p) is not None
        }
    return {
        key: {p for p in people if p != me and org.manager_of.get(p) not in (None, me)}
        for key, people in scopes.items()
    }


def universe(viewer: Person, months: Sequence[Month], subtree: bool) -> Universe:
    """Every set the viewer could read for these months. The scopes are those the viewer had
    at each month's end, whatever their role today (`subtree` and the current partner teams
    only say which are shown): a role lost or a team taken back must not change what the
    other figures hide, or their earlier and later readings could be combined."""
    built = Universe()
    partner_teams = _current_teams(viewer)
    for month in months:
        org = org_at(month.end)
        day = (month.end - dt.timedelta(days=1)).date()  # tenure on the month's last day
        for scope, people in _scopes_at(viewer, month, org).items():
            for person in sorted(people):
                index = _unit_index(built, month, person, org.manager_of[person])
                groups = {
                    "team": str(org.team_of.get(person) or "none"),
                    "level": str(org.level(org.manager_of[person] or person)),
                    "tenure": tenure_band(org.start_of.get(person), day) or "none",
                }
                keys = [scope, *(f"{scope}|{d}:{v}" for d, v in groups.items())]
                for key in keys:
                    built.cells[key] = built.cells.get(key, 0) | 1 << index
            built.scopes.setdefault(scope, Scope(scope, "", True))
    _label(built, subtree, partner_teams)
    return built


def _unit_index(built: Universe, month: Month, person: int, manager: int | None) -> int:
    if (month, person) not in built.index_of:
        assert manager is not None  # every person in a scope has one (_scopes_at)
        built.index_of[(month, person)] = len(built.units)
        built.units.append((month, person, manager))
    return built.index_of[(month, person)]


def _current_teams(viewer: Person) -> set[int]:
    from tete.leaders.models import PeoplePartner

    partner = PeoplePartner.objects.filter(person=viewer).first()
    return set(partner.teams.values_list("pk", flat=True)) if partner else set()


def _label(built: Universe, subtree: bool, partner_teams: set[int]) -> None:
    team_ids = {int(k.split("-")[1]) for k in built.scopes if k.startswith("team-")}
    for key in built.cells:
        if "|team:" in key and not key.endswith(":none"):
            team_ids.add(int(key.rsplit(":", 1)[1]))
    teams = Team.objects.in_bulk(list(team_ids))
    report_ids = [int(k.split("-")[1]) for k in built.scopes if k.startswith("report-")]
    names = dict(Person.objects.filter(pk__in=report_ids).values_list("pk", "name"))
    for key in list(built.scopes):
        kind, _, ident = key.partition("-")
        if key == ORG:
            label, shown = "Your organisation", subtree
        elif kind == "report":
            label, shown = f"{names.get(int(ident), 'A former report')}’s organisation", subtree
        else:
            team = teams.get(int(ident))
            label = f"Team {team.name}" if team else "A former team"
            shown = int(ident) in partner_teams
        built.scopes[key] = Scope(key, label, shown)
    for key in built.cells:
        if "|" not in key:
            continue
        dimension, _, value = key.partition("|")[2].partition(":")
        if value == "none":
            label = "No team" if dimension == "team" else "Not recorded"
        elif dimension == "team":
            team = teams.get(int(value))
            label = team.name if team else "A former team"
        elif dimension == "level":
            label = f"Managers at level {value}" + (" (the top)" if value == "1" else "")
        else:
            label = value
        built.group_labels[key] = label


def _drop_order(built: Universe, keys: Sequence[str]) -> list[str]:
    """Break-down groups first (smallest first, tenure before level before team), then the
    smaller scopes, the whole organisation last."""

    def rank(key: str) -> tuple[int, int, int, str]:
        size = built.measure(built.cells[key])
        if "|" in key:
            dimension = key.partition("|")[2].partition(":")[0]
            return (0, size, -DIMENSIONS.index(dimension), key)
        return (2 if key == ORG else 1, size, 0, key)

    return sorted(keys, key=rank)


def decide(built: Universe, masks: Mapping[str, int], k: int) -> set[str]:
    """The keys of `masks` whose sets may be shown together."""
    candidates = {key: mask for key, mask in masks.items() if built.measure(mask) >= k}
    return keep_safe_masks(candidates, k, _drop_order(built, list(candidates)), built.measure)


@dataclass
class Decision:
    """One period's shown sets: the cells (their people counts), and per metric the cells
    whose figure for it shows."""

    cells: set[str]
    metrics: dict[str, set[str]]


def _metric_masks(built: Universe, facts: Mapping[tuple[Month, int], UnitFacts]) -> dict[str, int]:
    counted = {metric.key: 0 for metric in METRICS}
    last = max((month for month, _, _ in built.units), default=None)
    for index, (month, person, _) in enumerate(built.units):
        unit = facts[(month, person)]
        for metric in METRICS:
            # Coverage is "in the last 30 days of the period": its last month's units.
            if metric.key == "coverage" and month != last:
                continue
            if metric.counts(unit):
                counted[metric.key] |= 1 << index
    return counted


def decide_month(built: Universe, facts: Mapping[tuple[Month, int], UnitFacts], k: int) -> Decision:
    cells = decide(built, built.cells, k)
    counted = _metric_masks(built, facts)
    metrics = {
        metric.key: decide(built, {key: built.cells[key] & counted[metric.key] for key in cells}, k)
        for metric in METRICS
    }
    return Decision(cells, metrics)


def decide_quarter(
    built: Universe,
    facts: Mapping[tuple[Month, int], UnitFacts],
    months: Sequence[tuple[Universe, Decision]],
    k: int,
) -> Decision:
    """The quarter's sets, decided beside what its months show: if any month's shown set
    would have to give way, the quarter shows nothing of that kind."""
    counted = _metric_masks(built, facts)

    def month_sets(metric: str | None) -> dict[str, int]:
        fixed = {}
        for n, (month_built, decision) in enumerate(months):
            shown = decision.cells if metric is None else decision.metrics[metric]
            month_counted = _metric_masks(month_built, facts) if metric else {}
            for key in shown:
                mask = month_built.cells[key]
                if metric is not None:
                    mask &= month_counted[metric]
                fixed[f"month{n}:{key}"] = _remap(month_built, built, mask)
        return fixed

    def beside_months(masks: dict[str, int], metric: str | None) -> set[str]:
        fixed = month_sets(metric)
        candidates = {key: m for key, m in masks.items() if built.measure(m) >= k}
        order = _drop_order(built, list(candidates)) + list(fixed)
        kept = keep_safe_masks({**candidates, **fixed}, k, order, built.measure)
        return set(candidates) & kept if set(fixed) <= kept else set()

    cells = beside_months(dict(built.cells), None)
    metrics = {
        metric.key: beside_months(
            {key: built.cells[key] & counted[metric.key] for key in cells}, metric.key
        )
        for metric in METRICS
    }
    return Decision(cells, metrics)


def _remap(source: Universe, target: Universe, mask: int) -> int:
    remapped = 0
    for i in ids_of(mask):
        month, person, _ = source.units[i]
        remapped |= 1 << target.index_of[(month, person)]
    return remapped


# ------------------------------------------------------------------------- what a page shows


@dataclass(frozen=True)
class Row:
    key: str
    dimension: str  # "" for the whole scope
    label: str
    people: int | None
    #: Per metric: the figure, or None when hidden.
    figures: tuple[str | None, ...]


@dataclass
class ScopeFigures:
    scope: Scope
    period: Period
    k: int
    total: Row | None
    groups: dict[str, list[Row]]
    #: How many groups of each break-down are hidden.
    hidden_groups: dict[str, int]

    @property
    def sections(self) -> list[tuple[str, list[Row], int]]:
        """(break-down, its shown rows, how many of its groups are hidden), for the page."""
        return [(DIMENSION_LABELS[d], self.groups[d], self.hidden_groups[d]) for d in DIMENSIONS]


@dataclass
class LeadersView:
    period: Period
    scopes: list[Scope]
    figures: dict[str, ScopeFigures]


def leaders_view(viewer: Person, period: Period, subtree: bool) -> LeadersView:
    """Every figure the viewer may read for the period, in each of their scopes."""
    k = min_group_size()
    month_universes = [universe(viewer, [month], subtree) for month in period.months]
    built = universe(viewer, period.months, subtree) if period.is_quarter else month_universes[0]
    facts = unit_facts(built.units)
    decisions = [decide_month(u, facts, k) for u in month_universes]
    if period.is_quarter:
        decision = decide_quarter(
            built, facts, list(zip(month_universes, decisions, strict=True)), k
        )
    else:
        decision = decisions[0]
    shown = [scope for scope in built.scopes.values() if scope.shown]
    shown.sort(key=lambda s: (s.key != ORG, s.key.startswith("team-"), s.label))
    return LeadersView(
        period, shown, {s.key: _scope_figures(built, facts, decision, s, period, k) for s in shown}
    )


def _scope_figures(
    built: Universe,
    facts: Mapping[tuple[Month, int], UnitFacts],
    decision: Decision,
    scope: Scope,
    period: Period,
    k: int,
) -> ScopeFigures:
    counted = _metric_masks(built, facts)

    def row(key: str) -> Row | None:
        if key not in decision.cells:
            return None
        figures: list[str | None] = []
        for metric in METRICS:
            if key in decision.metrics[metric.key]:
                units = [
                    facts[(built.units[i][0], built.units[i][1])]
                    for i in ids_of(built.cells[key] & counted[metric.key])
                ]
                figures.append(metric.value(units))
            else:
                figures.append(None)
        dimension = key.partition("|")[2].partition(":")[0]
        label = built.group_labels.get(key, scope.label)
        return Row(key, dimension, label, built.measure(built.cells[key]), tuple(figures))

    groups: dict[str, list[Row]] = {d: [] for d in DIMENSIONS}
    hidden = dict.fromkeys(DIMENSIONS, 0)
    for key in built.cells:
        if key.partition("|")[0] != scope.key or "|" not in key:
            continue
        dimension = key.partition("|")[2].partition(":")[0]
        shown_row = row(key)
        if shown_row is None:
            hidden[dimension] += 1
        else:
            groups[dimension].append(shown_row)
    for dimension, rows in groups.items():
        rows.sort(key=lambda r: _group_order(dimension, r))
    total = row(scope.key)
    if total is None:  # groups are read beside their scope's total: none without it
        hidden = {d: n + len(groups[d]) for d, n in hidden.items()}
        groups = {d: [] for d in DIMENSIONS}
    return ScopeFigures(scope, period, k, total, groups, hidden)


def _group_order(dimension: str, row: Row) -> tuple[int, str]:
    value = row.key.rsplit(":", 1)[1]
    if dimension == "tenure" and value in TENURE_BANDS:
        return (TENURE_BANDS.index(value), "")
    if dimension == "level" and value.isdigit():
        return (int(value), "")
    return (99 if value == "none" else 0, row.label)
