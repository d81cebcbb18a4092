"""Access helpers: the only way views fetch one-on-one content (DESIGN.md access rules 1, 2).

Each helper returns the object for one of the one-on-one's two participants and raises
Http404 for anyone else — staff and admins included — so that nobody learns that it exists.
A deactivated person cannot sign in and so keeps nothing; the other participant keeps the
shared history (rule 6), because these checks look only at the viewer.
"""

from __future__ import annotations

import datetime as dt
import functools
import weakref
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NamedTuple

from django.contrib.auth import get_user_model
from django.db import connection, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import BigIntegerField, Exists, FilteredRelation, OuterRef, Q, QuerySet
from django.http import Http404

from tete.oneonones.models import (
    UPCOMING_STATUSES,
    ActionItem,
    Cadence,
    Meeting,
    OneOnOne,
    TalkingPoint,
    Template,
)
from tete.prepared import Param, PreparedQuery

if TYPE_CHECKING:
    from tete.accounts.models import Person

# Pages show a joined person's name, initials and whether they are active. Deferring the rest
# keeps password hashes and profile columns out of every joined row (and the SQL shorter).
UNSHOWN_PERSON_FIELDS = (
    "password",
    "last_login",
    "is_superuser",
    "title",
    "team",
    "manager",
    "timezone",
    "location",
    "start_date",
    "is_staff",
    "date_joined",
    "deactivated_at",
    "pending_email",
    "pending_email_since",
)


def unshown_person_fields(*relations: str) -> list[str]:
    """`.defer()` arguments for the people joined through `relations` ("oneonone__first")."""
    return [f"{relation}__{field}" for relation in relations for field in UNSHOWN_PERSON_FIELDS]


def oneonones_of(person: Person) -> QuerySet[OneOnOne]:
    """The one-on-ones `person` takes part in."""
    if not person.is_authenticated or not person.is_active:
        return OneOnOne.objects.none()
    return OneOnOne.objects.filter(Q(first=person) | Q(second=person))


class ListedOneOnOne(NamedTuple):
    """A one-on-one as a list shows it: its columns, and its two people's names."""

    id: int
    kind: str
    first_id: int
    second_id: int
    focus_person_id: int | None
    cadence: str
    weekday: int
    time_of_day: dt.time
    starts_on: dt.date
    timezone: str
    duration_minutes: int
    ended_at: dt.datetime | None
    created_at: dt.datetime
    first_person_name: str
    second_person_name: str


#: The fields of ListedOneOnOne that are the one-on-one's own columns, in the same order.
_LISTED_COLUMNS = ListedOneOnOne._fields[:-2]


def oneonones_page_of(person: Person, *, after_id: int | None, limit: int) -> list[ListedOneOnOne]:
    """A page of :func:`oneonones_of` ``person`` by id: up to ``limit`` after ``after_id``.

    One hand-written query, read without models, as the API's one-on-one list is most
    clients' first request: building the ORM's queries (and a second one for the names), then
    a model for each row, took longer than running them and writing the page
    (benchmarks/api.py). Its columns pass through the database's converters, as the ORM's do.
    """
    if not person.is_authenticated or not person.is_active:
        return []
    db = connections[OneOnOne.objects.db]
    after = [] if after_id is None else [after_id]
    sql = _oneonones_page_sql(db.vendor, after=after_id is not None)
    with db.cursor() as cursor:
        cursor.execute(sql, [person.pk, person.pk, *after, limit])
        rows = cursor.fetchall()
    compiler, converters = _listed_converters(db)
    if converters:
        rows = compiler.apply_converters(rows, converters)
    return [ListedOneOnOne(*row) for row in rows]


#: Per connection (one a thread): the compiler and converters of the listed columns.
_CONVERTERS: weakref.WeakKeyDictionary[BaseDatabaseWrapper, tuple[Any, dict[int, Any]]] = (
    weakref.WeakKeyDictionary()
)


def _listed_converters(db: BaseDatabaseWrapper) -> tuple[Any, dict[int, Any]]:
    if (found := _CONVERTERS.get(db)) is None:
        compiler = db.ops.compiler("SQLCompiler")(OneOnOne.objects.none().query, db, db.alias)
        table = OneOnOne._meta.db_table
        columns = [field.get_col(table) for field in _listed_fields()]
        found = _CONVERTERS[db] = (compiler, compiler.get_converters(columns))
    return found


def _listed_fields() -> list[Any]:
    by_attname = {field.attname: field for field in OneOnOne._meta.concrete_fields}
    return [by_attname[name] for name in _LISTED_COLUMNS]


@functools.cache
def _oneonones_page_sql(vendor: str, *, after: bool) -> str:
    q = connection.ops.quote_name
    oneonone = OneOnOne._meta.db_table
    person = get_user_model()._meta.db_table
    columns = ", ".join(f"o.{q(str(field.column))}" for field in _listed_fields())
    return (
        f"SELECT {columns}, f.{q('name')}, s.{q('name')} FROM {q(oneonone)} o "
        f"INNER JOIN {q(person)} f ON f.{q('id')} = o.{q('first_id')} "
        f"INNER JOIN {q(person)} s ON s.{q('id')} = o.{q('second_id')} "
        f"WHERE (o.{q('first_id')} = %s OR o.{q('second_id')} = %s) "
        + (f"AND o.{q('id')} > %s " if after else "")
        + f"ORDER BY o.{q('id')} LIMIT %s"
    )


def _participant_filter(person: Person, prefix: str) -> Q:
    return Q(**{f"{prefix}first": person}) | Q(**{f"{prefix}second": person})


def _ids_in_range(*ids: int) -> bool:
    """Whether the database can compare these ids (no row has one past the 64-bit range)."""
    return all(0 < value < 2**63 for value in ids)


def _viewer_param() -> Q:
    """`_participant_filter` for the prepared queries below: the viewer is `Param("me")`."""
    me = Param("me", BigIntegerField())
    return Q(first_id=me) | Q(second_id=me)


_ONEONONE_FOR = PreparedQuery(
    lambda: (
        OneOnOne.objects.filter(_viewer_param(), pk=Param("pk", BigIntegerField()))
        .select_related("first", "second", "focus_person")
        .defer(*unshown_person_fields("first", "second", "focus_person"))
        .order_by()[:1]
    )
)


def _oneonone_row(query: PreparedQuery, person: Person, pk: int) -> Any:
    """The first row `query` gives for one-on-one `pk` as `person` sees it: the rule of
    oneonones_of, in a query compiled once (tete/prepared.py). Http404 for anyone else, as
    for no such one-on-one."""
    if not person.is_authenticated or not person.is_active or not _ids_in_range(pk):
        raise Http404("No such one-on-one.")
    found = query.run(me=person.pk, pk=pk)
    if not found:
        raise Http404("No such one-on-one.")
    return found[0]


def get_oneonone_for(person: Person, pk: int) -> OneOnOne:
    return _oneonone_row(_ONEONONE_FOR, person, pk)


def _has_upcoming() -> Exists:
    return Exists(Meeting.objects.filter(oneonone=OuterRef("pk"), status__in=UPCOMING_STATUSES))


def _lacks_next_meeting(ended_at: Any, cadence: str, has_upcoming: bool) -> bool:
    """Goes on with a cadence but has no meeting row ahead: its page shows the planned one."""
    return ended_at is None and cadence != Cadence.NONE and not has_upcoming


def _oneonone_page_for() -> QuerySet[OneOnOne]:
    # The sections' own apps say what they need to know (imported here: they import this app).
    from tete.reports import trends
    from tete.surveys import sections as checkin_sections

    return (
        OneOnOne.objects.filter(_viewer_param(), pk=Param("pk", BigIntegerField()))
        .select_related("first", "second", "focus_person")
        .defer(*unshown_person_fields("first", "second", "focus_person"))
        .annotate(
            has_upcoming=_has_upcoming(),
            **trends.oneonone_annotations(),
            **checkin_sections.oneonone_annotations(),
        )
        .order_by()[:1]
    )


_ONEONONE_PAGE_FOR = PreparedQuery(_oneonone_page_for)


def get_oneonone_page_for(person: Person, pk: int) -> tuple[OneOnOne, bool]:
    """`get_oneonone_for`, and whether it lacks a meeting row ahead (as its stamp says), in
    one query, with whether its trends and check-in sections have anything to read (their
    queries are skipped when not: tete.prepared.known_none). For the one-on-one page."""
    oneonone = _oneonone_row(_ONEONONE_PAGE_FOR, person, pk)
    return oneonone, _lacks_next_meeting(oneonone.ended_at, oneonone.cadence, oneonone.has_upcoming)


# The page cache's access checks (oneonones/page_cache.py). The same rules as the helpers
# above, in queries that cost little to build and run: a cached page needs no more.


@dataclass(frozen=True)
class OneOnOneStamp:
    content_version: int
    #: Goes on with a cadence but has no meeting ahead: the page creates the next one.
    lacks_next_meeting: bool


_ONEONONE_STAMP = PreparedQuery(
    lambda: (
        OneOnOne.objects.filter(_viewer_param(), pk=Param("pk", BigIntegerField()))
        .annotate(has_upcoming=_has_upcoming())
        .values_list("content_version", "ended_at", "cadence", "has_upcoming")[:1]
    )
)


def oneonone_stamp_for(person: Person, pk: int) -> OneOnOneStamp:
    """A one-on-one's content version, for its two participants only (Http404 otherwise)."""
    version, ended_at, cadence, has_upcoming = _oneonone_row(_ONEONONE_STAMP, person, pk)
    lacks = _lacks_next_meeting(ended_at, cadence, has_upcoming)
    return OneOnOneStamp(content_version=version, lacks_next_meeting=lacks)


def _meeting_param() -> Q:
    me = Param("me", BigIntegerField())
    return Q(oneonone__first_id=me) | Q(oneonone__second_id=me)


_MEETING_STAMP = PreparedQuery(
    lambda: (
        Meeting.objects.filter(_meeting_param(), pk=Param("pk", BigIntegerField()))
        .order_by()
        .values_list("oneonone__content_version", flat=True)[:1]
    )
)


def _meeting_row(query: PreparedQuery, person: Person, pk: int) -> Any:
    """The first row `query` gives for meeting `pk` as `person` sees it (a meeting of one of
    their one-on-ones): Http404 for anyone else, as for no such meeting."""
    if not person.is_active or not _ids_in_range(pk):
        raise Http404("No such meeting.")
    found = query.run(me=person.pk, pk=pk)
    if not found:
        raise Http404("No such meeting.")
    return found[0]


def meeting_stamp_for(person: Person, pk: int) -> int:
    """The content version of a meeting's one-on-one, for its two participants only."""
    return int(_meeting_row(_MEETING_STAMP, person, pk))


_MEETING_FOR = PreparedQuery(
    lambda: (
        Meeting.objects.filter(_meeting_param(), pk=Param("pk", BigIntegerField()))
        .select_related("oneonone__first", "oneonone__second", "oneonone__focus_person")
        .defer(
            *unshown_person_fields("oneonone__first", "oneonone__second", "oneonone__focus_person")
        )
        .order_by()[:1]
    )
)


def get_meeting_for(person: Person, pk: int) -> Meeting:
    return _meeting_row(_MEETING_FOR, person, pk)


def _meeting_page_for() -> QuerySet[Meeting]:
    # The sections' own apps say what they need to know (imported here: they import this app).
    from tete.recordings import sections as recording_sections
    from tete.reports import sections as report_sections
    from tete.surveys import sections as checkin_sections

    return (
        # The type checker's Django plugin does not know a filtered relation's name.
        Meeting.objects.filter(  # type: ignore[misc]
            _meeting_param(), pk=Param("pk", BigIntegerField())
        )
        .annotate(
            **checkin_sections.meeting_annotations(),
            **report_sections.meeting_annotations(),
            **recording_sections.meeting_annotations(),
        )
        # The viewer's own private note: at most one per meeting and author.
        .annotate(
            viewers_private_note=FilteredRelation(
                "private_notes",
                condition=Q(private_notes__author_id=Param("me", BigIntegerField())),
            )
        )
        .select_related(
            "oneonone__first",
            "oneonone__second",
            "oneonone__focus_person",
            "shared_note__updated_by",
            "viewers_private_note",
        )
        .defer(
            *unshown_person_fields(
                "oneonone__first",
                "oneonone__second",
                "oneonone__focus_person",
                "shared_note__updated_by",
            )
        )
        .order_by()[:1]
    )


_MEETING_PAGE_FOR = PreparedQuery(_meeting_page_for)


def get_meeting_page_for(person: Person, pk: int) -> Meeting:
    """`get_meeting_for`, with what the meeting page shows of the meeting's notes read by the
    same query: `meeting.shared_note` (and who saved it last) is then known, or None, and
    `meeting.viewers_private_note` is `person`'s own private note, or None. Also whether
    its check-in, transcripts and unfinished recordings sections have anything to read
    (their queries are skipped when not: tete.prepared.known_none)."""
    meeting = _meeting_row(_MEETING_PAGE_FOR, person, pk)
    # Django sets a filtered relation's attribute only when a row was found.
    if not hasattr(meeting, "viewers_private_note"):
        meeting.viewers_private_note = None
    return meeting


def get_meeting_only_for(person: Person, pk: int) -> Meeting:
    """The meeting alone, for callers that read only its own columns: the same rule as
    :func:`get_meeting_for`, without joining its one-on-one's people (``meeting.oneonone``
    is then loaded on first use). One hand-written query, as the API reads a meeting on
    most requests and building the ORM's query took ten times as long as running it
    (benchmarks/api.py)."""
    # No row has an id past the 64-bit range, which the database would refuse to compare.
    if not person.is_active or not 0 < pk < 2**63:
        raise Http404("No such meeting.")
    found = list(
        Meeting.objects.raw(_meeting_only_sql(connection.vendor), [pk, person.pk, person.pk])
    )
    if not found:
        raise Http404("No such meeting.")
    return found[0]


@functools.cache
def _meeting_only_sql(vendor: str) -> str:
    q = connection.ops.quote_name
    meeting, oneonone = Meeting._meta.db_table, OneOnOne._meta.db_table
    columns = ", ".join(f"m.{q(str(f.column))}" for f in Meeting._meta.concrete_fields)
    return (
        f"SELECT {columns} FROM {q(meeting)} m "
        f"INNER JOIN {q(oneonone)} o ON o.{q('id')} = m.{q('oneonone_id')} "
        f"WHERE m.{q('id')} = %s AND (o.{q('first_id')} = %s OR o.{q('second_id')} = %s)"
    )


def get_talking_point_for(person: Person, pk: int) -> TalkingPoint:
    """A talking point of one of `person`'s meetings; a private one for its author only."""
    if not person.is_active:
        raise Http404("No such talking point.")
    try:
        return (
            TalkingPoint.objects.filter(_participant_filter(person, "meeting__oneonone__"))
            .filter(Q(private=False) | Q(author=person))
            .select_related("meeting__oneonone__first", "meeting__oneonone__second")
            .get(pk=pk)
        )
    except TalkingPoint.DoesNotExist:
        raise Http404("No such talking point.") from None


def get_action_item_for(person: Person, pk: int) -> ActionItem:
    if not person.is_active:
        raise Http404("No such action item.")
    try:
        return (
            ActionItem.objects.filter(_participant_filter(person, "oneonone__"))
            .select_related("oneonone__first", "oneonone__second", "owner", "created_in")
            .get(pk=pk)
        )
    except ActionItem.DoesNotExist:
        raise Http404("No such action item.") from None


def templates_for(person: Person) -> QuerySet[Template]:
    """The built-in templates and `person`'s own."""
    return Template.objects.filter(Q(owner__isnull=True) | Q(owner=person))


def get_template_for(person: Person, pk: int) -> Template:
    """A built-in template, or one of `person`'s own (others' templates are theirs)."""
    try:
        return templates_for(person).get(pk=pk)
    except Template.DoesNotExist:
        raise Http404("No such template.") from None


def get_own_template_for(person: Person, pk: int) -> Template:
    try:
        return Template.objects.get(pk=pk, owner=person)
    except Template.DoesNotExist:
        raise Http404("No such template.") from None
