"""A person's own data as a zip: data.json (docs/my-data.md documents its schema), the same
as Markdown to read and CSV to open in a spreadsheet.

It holds what the person can read about themselves, and nothing more: their profile; their
one-on-ones with meetings, shared talking points and notes, their own private points and
notes, action items; their check-in and named survey answers; the conversation reports of
their meetings; their access log. Never the other person's private writing. No anonymous
survey answers: they are stored with no link to anyone, so no one's can be found.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.db.models import Q
from django.utils import timezone

from tete.accounts.models import Person
from tete.mydata import access_log
from tete.oneonones.access import oneonones_of
from tete.oneonones.export import export_markdown
from tete.oneonones.models import (
    ActionItem,
    Meeting,
    OneOnOne,
    PrivateNote,
    SharedNote,
    TalkingPoint,
    Template,
)
from tete.reports.models import ConversationReport
from tete.surveys.exports import safe_cell
from tete.surveys.models import Question, Response

FORMAT = "tete-personal-data"
FORMAT_VERSION = 1

NOT_INCLUDED = {
    "other_private_writing": (
        "The private talking points and private notes of the people you meet are theirs "
        "alone; they are not in your copy, as yours are not in theirs."
    ),
    "anonymous_survey_answers": (
        "Answers to anonymous surveys are stored with no link to whoever gave them, so "
        "nobody's, yours included, can be picked out: they cannot be in anyone's copy."
    ),
}

Progress = Callable[[int], None]


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def collect(person: Person, progress: Progress | None = None) -> dict[str, Any]:
    """Everything `person` can read about themselves, as the JSON the export holds."""
    step = progress or (lambda percent: None)
    oneonones = list(
        oneonones_of(person).select_related("first", "second", "focus_person").order_by("id")
    )
    ids = [o.pk for o in oneonones]
    meetings = list(Meeting.objects.filter(oneonone_id__in=ids).order_by("scheduled_at", "id"))
    step(20)
    points = TalkingPoint.objects.filter(meeting__oneonone_id__in=ids).filter(
        Q(private=False) | Q(author=person)
    )
    points_by_meeting: dict[int, list[TalkingPoint]] = defaultdict(list)
    for point in points.order_by("position", "id"):
        points_by_meeting[point.meeting_id].append(point)
    shared = dict(
        SharedNote.objects.filter(meeting__oneonone_id__in=ids).values_list("meeting_id", "text")
    )
    private = dict(
        PrivateNote.objects.filter(meeting__oneonone_id__in=ids, author=person).values_list(
            "meeting_id", "text"
        )
    )
    items_by_oneonone: dict[int, list[ActionItem]] = defaultdict(list)
    for item in ActionItem.objects.filter(oneonone_id__in=ids).order_by("created_at", "id"):
        items_by_oneonone[item.oneonone_id].append(item)
    step(40)
    reports_by_oneonone: dict[int, list[ConversationReport]] = defaultdict(list)
    for report in ConversationReport.objects.filter(oneonone_id__in=ids).order_by("created_at"):
        reports_by_oneonone[report.oneonone_id].append(report)
    meetings_by_oneonone: dict[int, list[Meeting]] = defaultdict(list)
    for meeting in meetings:
        meetings_by_oneonone[meeting.oneonone_id].append(meeting)

    def who(person_id: int | None) -> str:
        return "you" if person_id == person.pk else "the other person"

    def one(oneonone: OneOnOne) -> dict[str, Any]:
        return {
            "id": oneonone.pk,
            "kind": oneonone.kind,
            "with": oneonone.other(person).name,
            "focus": who(oneonone.focus_person_id) if oneonone.focus_person_id else None,
            "cadence": oneonone.cadence_summary(),
            "created_at": _iso(oneonone.created_at),
            "ended_at": _iso(oneonone.ended_at),
            "meetings": [
                {
                    "id": m.pk,
                    "scheduled_at": _iso(m.scheduled_at),
                    "duration_minutes": m.duration_minutes,
                    "status": m.status,
                    "reason": m.reason,
                    "held_at": _iso(m.held_at),
                    "talking_points": [
                        {
                            "text": p.text,
                            "author": who(p.author_id),
                            "private": p.private,
                            "discussed": p.discussed,
                            "carried_over_count": p.carried_over_count,
                            "created_at": _iso(p.created_at),
                        }
                        for p in points_by_meeting.get(m.pk, [])
                    ],
                    "shared_note": shared.get(m.pk) or None,
                    "private_note": private.get(m.pk) or None,
                }
                for m in meetings_by_oneonone.get(oneonone.pk, [])
            ],
            "action_items": [
                {
                    "text": i.text,
                    "owner": who(i.owner_id),
                    "meeting_id": i.created_in_id,
                    "due_date": _iso(i.due_date),
                    "done_at": _iso(i.done_at),
                    "created_at": _iso(i.created_at),
                }
                for i in items_by_oneonone.get(oneonone.pk, [])
            ],
            "conversation_reports": [
                {
                    "meeting_id": r.meeting_id,
                    "created_at": _iso(r.created_at),
                    "duration_s": r.duration_s,
                    "report": r.data,
                }
                for r in reports_by_oneonone.get(oneonone.pk, [])
            ],
        }

    data: dict[str, Any] = {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "exported_at": _iso(timezone.now()),
        "not_included": NOT_INCLUDED,
        "profile": _profile(person),
        "one_on_ones": [one(o) for o in oneonones],
    }
    step(60)
    data["survey_answers"] = _survey_answers(person)
    data["templates"] = [
        {"name": t.name, "category": t.category, "questions": [q.text for q in t.questions.all()]}
        for t in Template.objects.filter(owner=person).prefetch_related("questions")
    ]
    data["access_log"] = [
        {"at": _iso(e.at), "kind": e.kind, "text": access_log.describe(e)}
        for e in access_log.entries_for(person)
    ]
    step(70)
    return data


def _profile(person: Person) -> dict[str, Any]:
    return {
        "email": person.email,
        "name": person.name,
        "title": person.title,
        "team": person.team.name if person.team_id and person.team else None,
        "manager": person.manager.name if person.manager_id and person.manager else None,
        "timezone": person.timezone,
        "location": person.location,
        "start_date": _iso(person.start_date),
        "date_joined": _iso(person.date_joined),
        "meeting_reminders": person.meeting_reminders,
    }


def _survey_answers(person: Person) -> list[dict[str, Any]]:
    """Check-in and named survey answers: the only ones stored with the person's name."""
    responses = list(
        Response.objects.filter(respondent=person)
        .select_related("round__survey")
        .order_by("submitted_at")
    )
    question_ids = {int(key) for r in responses for key in r.answers if str(key).isdigit()}
    questions = dict(Question.objects.filter(pk__in=question_ids).values_list("pk", "text"))
    return [
        {
            "survey": r.round.survey.title,
            "kind": r.round.survey.kind,
            "one_on_one_id": r.round.survey.oneonone_id,
            "meeting_id": r.round.meeting_id,
            "submitted_at": _iso(r.submitted_at),
            "answers": [
                {"question": questions.get(int(key), f"Question {key}"), "answer": value}
                for key, value in r.answers.items()
                if str(key).isdigit()
            ],
        }
        for r in responses
    ]


# Files --------------------------------------------------------------------------------------


def _csv(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for row in rows:
        writer.writerow([safe_cell(_text(value)) for value in row])
    return out.getvalue()


def _text(value: Any) -> Any:
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return "" if value is None else value


def csv_files(data: dict[str, Any]) -> dict[str, str]:
    ones = data["one_on_ones"]
    return {
        "csv/meetings.csv": _csv(
            ["one_on_one_id", "with", "meeting_id", "scheduled_at", "status", "reason"],
            (
                [o["id"], o["with"], m["id"], m["scheduled_at"], m["status"], m["reason"]]
                for o in ones
                for m in o["meetings"]
            ),
        ),
        "csv/talking_points.csv": _csv(
            ["one_on_one_id", "meeting_id", "author", "private", "discussed", "text"],
            (
                [o["id"], m["id"], p["author"], p["private"], p["discussed"], p["text"]]
                for o in ones
                for m in o["meetings"]
                for p in m["talking_points"]
            ),
        ),
        "csv/notes.csv": _csv(
            ["one_on_one_id", "meeting_id", "shared_note", "my_private_note"],
            (
                [o["id"], m["id"], m["shared_note"], m["private_note"]]
                for o in ones
                for m in o["meetings"]
                if m["shared_note"] or m["private_note"]
            ),
        ),
        "csv/action_items.csv": _csv(
            ["one_on_one_id", "meeting_id", "owner", "due_date", "done_at", "text"],
            (
                [o["id"], i["meeting_id"], i["owner"], i["due_date"], i["done_at"], i["text"]]
                for o in ones
                for i in o["action_items"]
            ),
        ),
        "csv/survey_answers.csv": _csv(
            ["survey", "kind", "submitted_at", "question", "answer"],
            (
                [s["survey"], s["kind"], s["submitted_at"], a["question"], a["answer"]]
                for s in data["survey_answers"]
                for a in s["answers"]
            ),
        ),
        "csv/access_log.csv": _csv(
            ["at", "kind", "text"],
            ([e["at"], e["kind"], e["text"]] for e in data["access_log"]),
        ),
    }


def readme(person: Person, data: dict[str, Any]) -> str:
    lines = [
        f"# Your data, {person.name}",
        "",
        f"Exported {data['exported_at']}. Everything Tête-à-tête holds that you can read "
        "about yourself:",
        "",
        "- `data.json`: all of it, machine-readable (schema: docs/my-data.md, "
        f"format `{FORMAT}` version {FORMAT_VERSION});",
        "- `profile.md`, `access-log.md` and `one-on-ones/*.md`: the same to read;",
        "- `csv/*.csv`: meetings, talking points, notes, action items, survey answers and "
        "the access log, for a spreadsheet.",
        "",
        "## Not in this copy",
        "",
        *(f"- {text}" for text in NOT_INCLUDED.values()),
    ]
    return "\n".join(lines) + "\n"


def _profile_markdown(data: dict[str, Any]) -> str:
    profile = data["profile"]
    lines = ["# Profile", ""]
    lines += [f"- {key.replace('_', ' ')}: {value}" for key, value in profile.items()]
    return "\n".join(lines) + "\n"


def _access_log_markdown(data: dict[str, Any]) -> str:
    lines = ["# Access log", ""]
    lines += [f"- {e['at']}: {e['text']}" for e in data["access_log"]] or ["Nothing yet."]
    return "\n".join(lines) + "\n"


def build_zip(person: Person, progress: Progress | None = None) -> bytes:
    """The export's zip (built in memory: one person's data is small)."""
    step = progress or (lambda percent: None)
    data = collect(person, step)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("README.md", readme(person, data))
        archive.writestr("data.json", json.dumps(data, ensure_ascii=False, indent=2))
        archive.writestr("profile.md", _profile_markdown(data))
        archive.writestr("access-log.md", _access_log_markdown(data))
        for oneonone in oneonones_of(person).select_related("first", "second").order_by("id"):
            name = f"one-on-ones/{oneonone.pk}.md"
            archive.writestr(name, export_markdown(oneonone, person))
        step(90)
        for name, text in csv_files(data).items():
            archive.writestr(name, text)
    return buffer.getvalue()
