"""Between the analysis library and the database: speakers as people, figures as columns.

The library knows speaker labels; a one-on-one knows two people. Before analysing, each
label is renamed to the participant it maps to, so that two labels of one person ("Bob",
"Bob (phone)") count as one speaker and interruptions are between the two people.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from tete.conversation import Segment, analyze
from tete.conversation import Transcript as ParsedTranscript
from tete.reports.due_dates import due_date_from_phrase
from tete.reports.speakers import Candidate, suggest_mapping

if TYPE_CHECKING:
    from tete.accounts.models import Person
    from tete.oneonones.models import OneOnOne

#: Label → person id, or None for anyone else.
Mapping_ = dict[str, int | None]

#: Suggested action items kept per report: the first heard (a page lists each with a form).
MAX_SUGGESTIONS = 30


def participant_names(oneonone: OneOnOne) -> dict[int, str]:
    """person id → the name their speech is reported under (distinct even for namesakes)."""
    first, second = oneonone.first, oneonone.second
    if first.name.casefold() == second.name.casefold():
        return {
            first.pk: f"{first.name} ({first.email})",
            second.pk: f"{second.name} ({second.email})",
        }
    return {first.pk: first.name, second.pk: second.name}


def roles_for(oneonone: OneOnOne) -> dict[int, str]:
    """person id → role in the balance verdict's words (report, mentee, client, peer…)."""
    from tete.conversation import ROLES

    lead_role, focus_role = ROLES.get(oneonone.kind, ("peer", "peer"))  # type: ignore[call-overload]
    focus_id = oneonone.focus_person_id
    if focus_id is None or lead_role == focus_role:
        return {oneonone.first_id: focus_role, oneonone.second_id: focus_role}
    lead_id = oneonone.second_id if focus_id == oneonone.first_id else oneonone.first_id
    return {focus_id: focus_role, lead_id: lead_role}


def suggested_mapping(
    oneonone: OneOnOne, labels: tuple[str, ...], remembered: Mapping[str, int | None]
) -> tuple[Mapping_, bool]:
    """The mapping to analyse with, and whether every label was already confirmed."""
    candidates = [
        Candidate(person.pk, person.name, person.email) for person in oneonone.participants
    ]
    guessed = suggest_mapping([label for label in labels if label not in remembered], candidates)
    mapping = {
        label: remembered[label] if label in remembered else guessed[label] for label in labels
    }
    return mapping, all(label in remembered for label in labels)


def _renamed(
    parsed: ParsedTranscript, mapping: Mapping_, names: dict[int, str]
) -> ParsedTranscript:
    taken = set(names.values())
    rename: dict[str, str] = {}
    for label, person_id in mapping.items():
        if person_id is not None and person_id in names:
            rename[label] = names[person_id]
        else:
            # Someone else who spoke keeps their label, never a participant's name.
            rename[label] = label if label not in taken else f"{label} (other)"
    segments = tuple(
        Segment(
            rename.get(segment.speaker, segment.speaker) if segment.speaker else None,
            segment.start,
            segment.end,
            segment.text,
            segment.words,
        )
        for segment in parsed.segments
    )
    return dataclasses.replace(parsed, segments=segments)


@dataclass
class Outcome:
    """What a report row and its suggestions are made of."""

    data: dict[str, Any]
    speaker_people: dict[str, int | None]
    balance_status: str
    duration_s: float
    shares: dict[int, float | None]
    interruptions: dict[int, int]
    questions: dict[int, int]
    suggestions: list[dict[str, Any]]


def analyse_for_oneonone(
    parsed: ParsedTranscript, oneonone: OneOnOne, mapping: Mapping_, meeting_date: dt.date
) -> Outcome:
    """Analyse a parsed transcript with its speakers named as the one-on-one's people."""
    names = participant_names(oneonone)
    renamed = _renamed(parsed, mapping, names)
    roles = {names[pk]: role for pk, role in roles_for(oneonone).items()}
    report = analyze(renamed, text_analysis=True, kind=oneonone.kind, roles=roles)
    data = report.to_dict()
    person_by_name = {name: pk for pk, name in names.items()}
    speaker_people = {s["name"]: person_by_name.get(s["name"]) for s in data["speakers"]}
    by_person = {
        person_by_name[s["name"]]: s for s in data["speakers"] if s["name"] in person_by_name
    }
    people_ids = list(names)
    return Outcome(
        data=data,
        speaker_people=speaker_people,
        balance_status=report.balance.status,
        duration_s=float(data["duration_s"]),
        shares={pk: by_person[pk]["talk_share"] if pk in by_person else None for pk in people_ids},
        interruptions={pk: by_person.get(pk, {}).get("interruptions", 0) for pk in people_ids},
        questions={pk: by_person.get(pk, {}).get("questions", 0) for pk in people_ids},
        suggestions=_suggestions(data, person_by_name, meeting_date),
    )


def distinct_suggestions(data: dict[str, Any]) -> list[dict[str, Any]]:
    """The library's suggested action items, once each (people repeat commitments)."""
    seen: set[str] = set()
    found: list[dict[str, Any]] = []
    for item in data.get("suggested_action_items") or []:
        what = (item.get("what") or "").strip()
        key = what.casefold()
        if what and key not in seen:
            seen.add(key)
            found.append(item)
    return found


def _suggestions(
    data: dict[str, Any], person_by_name: dict[str, int], meeting_date: dt.date
) -> list[dict[str, Any]]:
    """The first suggested action items heard, with an owner and a due date."""
    found: list[dict[str, Any]] = []
    for item in distinct_suggestions(data)[:MAX_SUGGESTIONS]:
        what = (item.get("what") or "").strip()
        due_phrase = item.get("due") or ""
        text = what[0].upper() + what[1:]
        found.append(
            {
                "text": text[:500],
                "quote": item.get("text", ""),
                "said_at_s": float(item.get("start") or 0.0),
                # "Alice and Bob" (a shared plan) has no single owner: a person picks one.
                "owner_id": person_by_name.get(item.get("who") or ""),
                "due_phrase": due_phrase[:100],
                "due_date": due_date_from_phrase(due_phrase, meeting_date) if due_phrase else None,
            }
        )
    return found


def person_label(person: Person | None) -> str:
    return person.name if person is not None else "Someone else"
