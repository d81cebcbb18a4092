"""How a one-on-one's conversations change: figures per meeting, charts, a coaching note.

Two queries whatever the history: the reports' figure columns (never their JSON) for the
latest meetings, and action items per meeting, counted in the database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from statistics import fmean
from typing import TYPE_CHECKING

from django.db.models import BigIntegerField, Count, Exists, F, OuterRef, Q, QuerySet
from django.db.models.fields.json import KT
from django.utils import timezone
from django.utils.safestring import SafeString

from tete.conversation import Targets
from tete.oneonones.models import ActionItem
from tete.prepared import Param, PreparedQuery, known_none
from tete.reports import charts
from tete.reports.analysis import roles_for
from tete.reports.models import ConversationReport

if TYPE_CHECKING:
    from tete.accounts.models import Person
    from tete.oneonones.models import OneOnOne

#: Meetings shown in the trend charts, and counted in the coaching note.
TREND_MEETINGS = 12
NOTE_MEETINGS = 5


@dataclass
class MeetingFigures:
    meeting_id: int
    transcript_id: int
    date_label: str
    minutes: float | None
    share: dict[int, float | None]
    # None where the figure was not measured: questions in a recording (no words),
    # interruptions on one microphone (its voices do not overlap). A gap, not a zero.
    interruptions: dict[int, int | None]
    questions: dict[int, int | None]
    on_time: float | None = None


@dataclass
class Trends:
    points: list[MeetingFigures]
    note: list[str]
    charts: dict[str, SafeString] = field(default_factory=dict)
    target_text: str = ""
    #: The figures as a table, newest meeting first (the charts' text alternative).
    rows: list[dict[str, object]] = field(default_factory=list)


def _latest_reports() -> QuerySet[ConversationReport]:
    return (
        ConversationReport.objects.filter(
            oneonone_id=Param("oneonone", BigIntegerField()), transcript__status="done"
        )
        .select_related("meeting")
        .only(
            "meeting__scheduled_at",
            "meeting__held_at",
            "transcript_id",
            "duration_s",
            "first_share",
            "second_share",
            "first_interruptions",
            "second_interruptions",
            "first_questions",
            "second_questions",
            "created_at",
        )
        # Whether the figures are an estimate (a recording on one microphone): one key of
        # the JSON, read by the database, not the JSON itself.
        .annotate(estimated=KT("data__estimate"), source_kind=KT("data__source_kind"))
        .order_by("-meeting__scheduled_at", "-created_at")[: TREND_MEETINGS * 2]
    )


# Read on every one-on-one page: compiled once (tete/prepared.py).
_LATEST_REPORTS = PreparedQuery(_latest_reports)


def oneonone_annotations() -> dict[str, Exists]:
    """For a page's query of a one-on-one: whether it has a report the trends show. Without
    one, `build_trends` reads none (tete.prepared.known_none)."""
    return {
        "has_trend_reports": Exists(
            ConversationReport.objects.filter(oneonone=OuterRef("pk"), transcript__status="done")
        )
    }


def meeting_figures(oneonone: OneOnOne, *, on_time: bool = True) -> list[MeetingFigures]:
    """The latest reported meetings' figures, oldest first (one report per meeting: the latest).
    Without `on_time`, their action items are not counted (one query less)."""
    reports = (
        []
        if known_none(oneonone, "has_trend_reports")
        else _LATEST_REPORTS.run(oneonone=oneonone.pk)
    )
    first, second = oneonone.first_id, oneonone.second_id
    points: dict[int, MeetingFigures] = {}
    for report in reports:
        if report.meeting_id in points or len(points) == TREND_MEETINGS:
            continue
        when = timezone.localtime(report.meeting.held_at or report.meeting.scheduled_at)
        estimated = str(report.estimated).lower() in ("true", "1")
        points[report.meeting_id] = MeetingFigures(
            meeting_id=report.meeting_id,
            transcript_id=report.transcript_id,
            date_label=f"{when:%d %b}".lstrip("0") + (" (estimate)" if estimated else ""),
            # A file without timings has no length: a gap, not a zero-minute meeting.
            minutes=report.duration_s / 60 if report.duration_s > 0 else None,
            share={first: report.first_share, second: report.second_share},
            interruptions=(
                {first: None, second: None}
                if estimated
                else {first: report.first_interruptions, second: report.second_interruptions}
            ),
            questions=(
                {first: None, second: None}
                if report.source_kind == "audio"
                else {first: report.first_questions, second: report.second_questions}
            ),
        )
    if on_time:
        _add_on_time(oneonone, points)
    return list(reversed(points.values()))  # oldest first, as charts read


def _add_on_time(oneonone: OneOnOne, points: dict[int, MeetingFigures]) -> None:
    """Share of each meeting's action items with a due date that were done by it."""
    if not points:
        return
    rows = (
        ActionItem.objects.filter(
            oneonone=oneonone, created_in__in=list(points), due_date__isnull=False
        )
        .values("created_in")
        .annotate(
            total=Count("id"),
            on_time=Count("id", filter=Q(done_at__date__lte=F("due_date"))),
        )
    )
    for row in rows:
        if row["total"]:
            points[row["created_in"]].on_time = row["on_time"] / row["total"]


def build_trends(oneonone: OneOnOne, viewer: Person, *, compact: bool = False) -> Trends:
    """The trends of the one-on-one's conversations. `compact`: only what the one-on-one's
    page shows (reports/_trends_section.html), the talk share and interruptions charts;
    not the other charts, nor the action items done on time, which only the trends page
    shows."""
    points = meeting_figures(oneonone, on_time=not compact)
    trends = Trends(points=points, note=coaching_note(oneonone, points))
    if not points:
        return trends
    labels = [p.date_label for p in points]
    people = list(oneonone.participants)
    colours = {
        oneonone.first_id: charts.COLOURS["first"],
        oneonone.second_id: charts.COLOURS["second"],
    }
    low, high, who = share_target(oneonone)
    trends.target_text = _target_text(oneonone, low, high, who)
    first, second = oneonone.first_id, oneonone.second_id

    def latest(figure: str) -> str:
        return _latest(points, people, figure)

    trends.rows = [
        {
            "transcript_id": pt.transcript_id,
            "date_label": pt.date_label,
            "first_share": _percent_text(pt.share[first]),
            "second_share": _percent_text(pt.share[second]),
            "first_interruptions": _count_text(pt.interruptions[first]),
            "second_interruptions": _count_text(pt.interruptions[second]),
            "first_questions": _count_text(pt.questions[first]),
            "second_questions": _count_text(pt.questions[second]),
            "minutes": pt.minutes,
            "on_time": _percent_text(pt.on_time),
        }
        for pt in reversed(points)
    ]
    trends.charts["share"] = charts.line_chart(
        [
            charts.Series(p.name, colours[p.pk], [_percent(pt.share[p.pk]) for pt in points])
            for p in people
        ],
        labels,
        label=f"Talk share per meeting; {trends.target_text}. {latest('share')}",
        y_min=0,
        y_max=100,
        y_ticks=(0, 25, 50, 75, 100),
        y_format="{:.0f}%",
        band=charts.Band(low * 100, high * 100, f"target for {who.name}"),
    )
    top = max([3, *(v for pt in points for v in pt.interruptions.values() if v is not None)])
    trends.charts["interruptions"] = charts.line_chart(
        [
            charts.Series(p.name, colours[p.pk], [pt.interruptions[p.pk] for pt in points])
            for p in people
        ],
        labels,
        label=f"Interruptions each person made, per meeting. {latest('interruptions')}",
        y_min=0,
        y_max=top,
        y_ticks=_ticks(top),
    )
    if compact:
        return trends
    top = max([3, *(v for pt in points for v in pt.questions.values() if v is not None)])
    trends.charts["questions"] = charts.line_chart(
        [
            charts.Series(p.name, colours[p.pk], [pt.questions[p.pk] for pt in points])
            for p in people
        ],
        labels,
        label=f"Questions each person asked, per meeting. {latest('questions')}",
        y_min=0,
        y_max=top,
        y_ticks=_ticks(top),
    )
    longest = max([30.0, *(pt.minutes for pt in points if pt.minutes is not None)])
    trends.charts["length"] = charts.bar_chart(
        [pt.minutes for pt in points],
        labels,
        label="Meeting length in minutes",
        y_max=longest,
        y_ticks=_ticks(longest),
    )
    trends.charts["on_time"] = charts.bar_chart(
        [_percent(pt.on_time) for pt in points],
        labels,
        label="Share of each meeting's action items done by their due date",
        colour=charts.COLOURS["target"],
        y_max=100,
        y_ticks=(0, 50, 100),
        y_format="{:.0f}%",
    )
    return trends


def _latest(points: list[MeetingFigures], people: list[Person], figure: str) -> str:
    """The last meeting's figure per person, for a chart's label ("Latest, 3 Jun: Alice 2…")."""
    last = points[-1]
    values: dict[int, float | None] = getattr(last, figure)
    if figure == "share":
        each = [f"{p.first_name} {_percent_text(values[p.pk])}" for p in people]
    else:
        each = [f"{p.first_name} {_count_text(values[p.pk])}" for p in people]
    return f"Latest, {last.date_label}: {', '.join(each)}."


def _count_text(value: float | None) -> str:
    return "—" if value is None else f"{value:.0f}"


def _percent(value: float | None) -> float | None:
    return None if value is None else value * 100


def _percent_text(value: float | None) -> str:
    return "—" if value is None else f"{value:.0%}"


def _ticks(top: float) -> tuple[float, ...]:
    step = max(1, round(top / 3))
    return tuple(float(v) for v in range(0, int(top) + 1, step))


def share_target(oneonone: OneOnOne) -> tuple[float, float, Person]:
    """(low, high, person): the talk-share range the person whose share matters should be in."""
    targets = Targets()
    roles = roles_for(oneonone)
    focus = oneonone.focus_person if oneonone.focus_person_id in roles else None
    if focus is not None and len(set(roles.values())) == 2:
        return targets.led_min_share, 1.0, focus
    # Peers: each between 40 and 60%; judge the second person (the first mirrors it).
    return targets.peer_min_share, targets.peer_max_share, oneonone.second


def _target_text(oneonone: OneOnOne, low: float, high: float, who: Person) -> str:
    role = roles_for(oneonone).get(who.pk, "peer")
    if high >= 1:
        return f"for a {role} the target is at least {low:.0%}"
    return f"between peers the target is {low:.0%}–{high:.0%} each"


def coaching_note(oneonone: OneOnOne, points: list[MeetingFigures]) -> list[str]:
    """A few plain sentences from the figures: balance first, then interruptions, questions."""
    recent = [p for p in points[-NOTE_MEETINGS:] if p.share[oneonone.first_id] is not None]
    if not recent:
        return []
    low, high, who = share_target(oneonone)
    other = oneonone.other(who)
    shares = [p.share[who.pk] or 0.0 for p in recent]
    share = fmean(shares)
    span = "the last meeting" if len(recent) == 1 else f"the last {len(recent)} meetings"
    target = _target_text(oneonone, low, high, who)
    note = [f"{who.first_name} spoke {share:.0%} of the time over {span}; {target}."]
    if share < low:
        note.append(
            f"Try opening with {who.first_name}'s talking points and leaving a pause after "
            "each question."
        )
    elif share > high:
        note.append(f"Try making more room for {other.first_name}'s topics.")
    else:
        note.append("The balance is on target — keep it up.")
    earlier = [p.share[who.pk] for p in points[: -len(recent)] if p.share[who.pk] is not None]
    if earlier:
        before = fmean(x for x in earlier if x is not None)
        if abs(share - before) >= 0.05:
            direction = "up" if share > before else "down"
            note.append(f"That is {direction} from {before:.0%} in the meetings before.")
    made = _means(recent, "interruptions", (who.pk, other.pk))
    if made and made[other.pk] >= 2 and made[other.pk] >= 2 * max(made[who.pk], 0.5):
        note.append(
            f"{other.first_name} interrupted {who.first_name} about {made[other.pk]:.0f} times "
            f"a meeting, more than the other way round."
        )
    asked = _means(recent, "questions", (who.pk, other.pk))
    if asked and asked[other.pk] < 2 and share < low:
        note.append(f"Open questions from {other.first_name} help: there were few.")
    return note


def _means(points: list[MeetingFigures], figure: str, people: tuple[int, int]) -> dict[int, float]:
    """Each person's mean of a count over the meetings that measured it; empty when none did."""
    measured = [getattr(p, figure) for p in points if getattr(p, figure)[people[0]] is not None]
    if not measured:
        return {}
    return {pk: fmean(values[pk] for values in measured) for pk in people}
