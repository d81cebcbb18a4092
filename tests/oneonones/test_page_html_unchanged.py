"""The home, one-on-one and meeting pages render exactly the HTML they did before their speed-ups.

So does the conversation trends page, a Django page that shares the one-on-one page's trends.

A fixed organisation, at a fixed moment, with fixed ids, is rendered page by page (and the
meeting page's htmx sections) and compared with the HTML kept in golden/. The only parts that
differ between two renders of the same page are the CSRF tokens, which are masked.

After an intended change to what a page shows, write the files again with
`TETE_WRITE_GOLDEN=1 uv run pytest tests/oneonones/test_page_html_unchanged.py -n 0` and
review the difference.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path

import pytest
import time_machine
from django.apps import apps
from django.db import connection
from django.test import override_settings
from django.urls import reverse

from tete.accounts.models import Person
from tete.oneonones import actions
from tete.oneonones.models import (
    ActionItem,
    Meeting,
    OneOnOne,
    SharedNote,
    TalkingPoint,
    Template,
)
from tete.recordings import actions as recording_actions
from tete.recordings.models import Recording, RecordingKind, RecordingState
from tete.reports import actions as report_actions
from tete.reports.models import ConversationReport, Transcript, TranscriptStatus
from tete.surveys import actions as survey_actions
from tete.surveys import checkins
from tete.surveys.models import Survey

GOLDEN = Path(__file__).parent / "golden"
NOW = dt.datetime(2026, 3, 4, 9, 0, tzinfo=dt.UTC)  # a Wednesday
FIRST_ID = 7000
_CSRF = [
    (
        re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"'),
        'name="csrfmiddlewaretoken" value="…"',
    ),
    (re.compile(r'"X-CSRFToken": "[^"]+"'), '"X-CSRFToken": "…"'),
]


def _start_ids_at(first_id: int) -> None:
    """Make every table's next id `first_id`, so that ids in the pages are the same on every
    database and in every test order."""
    tables = sorted(
        model._meta.db_table
        for model in apps.get_models()
        if model._meta.managed
        and model._meta.pk.get_internal_type() in {"AutoField", "BigAutoField"}
    )
    with connection.cursor() as cursor:
        for table in tables:
            if connection.vendor == "postgresql":
                cursor.execute(
                    "SELECT setval(pg_get_serial_sequence(%s, 'id'), %s, false)", [table, first_id]
                )
            else:
                cursor.execute("DELETE FROM sqlite_sequence WHERE name = %s", [table])
                cursor.execute(
                    "INSERT INTO sqlite_sequence (name, seq) VALUES (%s, %s)", [table, first_id - 1]
                )


def _held(oneonone: OneOnOne, when: dt.datetime, **fields) -> Meeting:
    return Meeting.objects.create(
        oneonone=oneonone,
        scheduled_at=when,
        duration_minutes=oneonone.duration_minutes,
        status=fields.pop("status", "held"),
        held_at=fields.pop("held_at", when + dt.timedelta(minutes=30)),
        **fields,
    )


def _point(meeting: Meeting, author: Person, text: str, position: int, **fields) -> TalkingPoint:
    return TalkingPoint.objects.create(
        meeting=meeting, author=author, text=text, position=position, **fields
    )


# Uploads and recordings stay queued: the pages show each state of an analysis, set below.
_QUEUE_ONLY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}

#: The figures of the reports on the alice–bob meetings, oldest first: (weeks before the
#: upcoming meeting, minutes, alice's share, interruptions by alice and bob, questions by
#: alice and bob). The meeting of `_ESTIMATED_WEEKS` was recorded on one microphone.
_REPORTED = [
    (7, 28.5, 0.71, 4, 1, 9, 2),
    (6, 31.0, 0.66, 3, 0, 7, 3),
    (5, 0.0, None, 0, 0, 5, 1),  # a file without timings: no length, no shares
    (4, 24.0, 0.58, 0, 0, 0, 0),
    (3, 33.5, 0.62, 5, 1, 8, 4),
]
_ESTIMATED_WEEKS = 4


def _upload(meeting: Meeting, by: Person, filename: str, when: dt.datetime) -> Transcript:
    with time_machine.travel(when, tick=False):
        content = f"WEBVTT\n\n00:00.000 --> 00:04.000\n<v {by.name}>{filename}\n".encode()
        return report_actions.upload_transcript(
            meeting, by=by, filename=filename, content=content
        ).transcript


def _reported(transcript: Transcript, figures: tuple, *, estimate: bool = False) -> None:
    """The transcript analysed, with these figures. Written directly, as the analysis would
    store them: a real run takes seconds, and would tie these pages to its figures."""
    _weeks, minutes, share, alice_cut_in, bob_cut_in, alice_asked, bob_asked = figures
    meeting = transcript.meeting
    data = {"estimate": True, "source_kind": "audio"} if estimate else {"source_kind": "text"}
    ConversationReport.objects.create(
        transcript=transcript,
        meeting=meeting,
        oneonone=meeting.oneonone,
        data=data,
        duration_s=minutes * 60,
        first_share=share,
        second_share=None if share is None else round(1 - share, 2),
        first_interruptions=alice_cut_in,
        second_interruptions=bob_cut_in,
        first_questions=alice_asked,
        second_questions=bob_asked,
        created_at=transcript.uploaded_at + dt.timedelta(minutes=1),
    )
    Transcript.objects.filter(pk=transcript.pk).update(
        status=TranscriptStatus.DONE,
        format="audio" if estimate else "webvtt",
        finished_at=transcript.uploaded_at + dt.timedelta(minutes=1),
    )


def _conversations(history: list[Meeting], alice: Person, bob: Person) -> None:
    """Transcripts and recordings of the alice–bob meetings: reports on five of them (one an
    estimate from one microphone), and on the last one held, an analysis in each state and a
    recording left unfinished in the browser."""
    with override_settings(TASKS=_QUEUE_ONLY):
        for figures in _REPORTED:
            meeting = history[figures[0] - 1]
            after = meeting.held_at + dt.timedelta(minutes=10)
            if figures[0] == _ESTIMATED_WEEKS:
                recording = Recording.objects.create(
                    meeting=meeting,
                    kind=RecordingKind.ONE_MICROPHONE,
                    created_by=alice,
                    created_at=after,
                    sound_deleted_at=after,
                )
                transcript = Transcript.objects.create(
                    meeting=meeting,
                    uploaded_by=alice,
                    filename="table.m4a",
                    format=report_actions.AUDIO_FORMAT,
                    sha256=f"recording-{recording.pk}",
                    uploaded_at=after,
                )
                Recording.objects.filter(pk=recording.pk).update(transcript=transcript)
                _reported(transcript, figures, estimate=True)
            else:
                name = f"{meeting.scheduled_at:%Y-%m-%d} Alice & Bob.vtt"
                _reported(_upload(meeting, alice, name, after), figures)
        last_held = history[2]
        after = last_held.held_at + dt.timedelta(minutes=20)
        failed = _upload(last_held, bob, "notes <draft>.txt", after)
        report_actions.fail_analysis(
            failed.pk, "The file could not be read: no speaker names (line 1)."
        )
        _upload(last_held, alice, "follow-up.srt", after + dt.timedelta(minutes=5))
        # Recorded in the browser by bob; its analysis is running.
        with time_machine.travel(last_held.scheduled_at, tick=False):
            recorded = recording_actions.start_browser_recording(
                last_held, by=bob, consent=True, content_type="audio/webm;codecs=opus"
            )
            recording_actions.add_chunk(recorded, by=bob, index=0, data=b"\x1a\x45\xdf\xa3")
        with time_machine.travel(last_held.held_at, tick=False):
            recorded = recording_actions.finish_browser_recording(recorded, by=bob)
        Transcript.objects.filter(pk=recorded.transcript_id).update(
            status=TranscriptStatus.RUNNING,
            started_at=last_held.held_at,
            heartbeat_at=NOW,
        )
        Recording.objects.filter(pk=recorded.pk).update(progress=40)
        # Started by alice, never finished: she may continue it, bob may only have it analysed.
        with time_machine.travel(last_held.scheduled_at + dt.timedelta(minutes=2), tick=False):
            unfinished = recording_actions.start_browser_recording(
                last_held, by=alice, consent=True, content_type="audio/webm"
            )
            recording_actions.add_chunk(unfinished, by=alice, index=0, data=b"\x1a\x45\xdf\xa3")
    assert Recording.objects.filter(state=RecordingState.RECORDING).count() == 1


#: bob's check-in answers (mood, workload, topic) before the alice–bob meetings, by weeks
#: before the upcoming one (0: the upcoming one itself).
_CHECKINS = {
    8: ("3", "4", ""),
    7: ("2", "5", "Too many on-call nights"),
    6: ("3", "", ""),  # workload left out: a gap in its trend
    5: ("4", "3", "The offsite"),
    4: ("4", "2", ""),
    3: ("5", "3", "Career plan"),
    0: ("4", "3", "The offsite's <agenda> & budget"),
}


def _checkins_answered(
    survey: Survey, upcoming: Meeting, history: list[Meeting], bob: Person
) -> None:
    questions = {q.key: q for q in survey.questions.all()}
    for weeks, values in _CHECKINS.items():
        answers = {
            str(questions[key].pk): value
            for key, value in zip(("mood", "workload", "checkin_topic"), values, strict=True)
            if value
        }
        if weeks == 0:
            checkins.submit_checkin(upcoming, bob, answers)
            continue
        meeting = history[weeks - 1]
        # Filled in the morning before each meeting, as bob would have.
        with time_machine.travel(meeting.scheduled_at - dt.timedelta(hours=2), tick=False):
            round_ = checkins.round_for(meeting, survey)
            survey_actions.submit_response(round_, bob, answers)


def _organisation() -> dict[str, object]:
    """alice manages bob (a long history, with check-ins, transcripts and recordings), ended a
    peer one-on-one with dan, and mentors erin (whose next meeting is only planned: no row
    yet)."""
    Template.objects.filter(owner=None).delete()
    alice = Person.objects.create_user(
        "alice@example.com", "x", name="Alice Martin", timezone="Europe/Paris"
    )
    bob = Person.objects.create_user("bob@example.com", "x", name="Bob Jones", manager=alice)
    dan = Person.objects.create_user("dan@example.com", "x", name="Dan O'Brien <Ops>")
    erin = Person.objects.create_user(
        "erin@example.com", "x", name="Erin Lee", timezone="Asia/Tokyo"
    )

    with_bob = actions.start_oneonone(
        by=alice,
        other=bob,
        kind="manager_report",
        focus_person=bob,
        cadence="weekly",
        weekday=0,
        time_of_day=dt.time(10, 0),
        tz="Europe/Paris",
        starts_on=dt.date(2025, 9, 1),
    )
    upcoming = with_bob.meetings.get()
    history = []
    for weeks in range(1, 14):
        when = upcoming.scheduled_at - dt.timedelta(weeks=weeks)
        if weeks == 2:
            meeting = _held(with_bob, when, status="cancelled", held_at=None, reason="Bob was ill")
        elif weeks == 1:
            # Never marked held: stale, listed with the past ones and flagged.
            meeting = _held(with_bob, when, status="scheduled", held_at=None)
        else:
            meeting = _held(with_bob, when, extra=weeks == 5)
        history.append(meeting)
        if meeting.status == "held" and weeks % 3:
            _point(meeting, bob, f"Week {weeks}: progress & blockers", 0, discussed=True)
            _point(meeting, alice, f"Week {weeks}: feedback", 1, discussed=weeks != 4)
            SharedNote.objects.create(meeting=meeting, text=f"- notes of week {weeks}", version=1)
    last_held = history[2]
    _point(upcoming, bob, "Career plan <draft>", 0)
    _point(upcoming, alice, "Team offsite", 1, discussed=True)
    _point(upcoming, alice, "Salary review — private " + "x" * 70, 2, private=True)
    _point(upcoming, bob, "Bob's own private point", 3, private=True)
    _point(upcoming, bob, "The flaky deploy", 4, carried_over_count=2)
    _point(upcoming, alice, "How was your week?", 5, origin="template")
    cancelled_ahead = _held(
        with_bob,
        upcoming.scheduled_at + dt.timedelta(weeks=1),
        status="cancelled",
        held_at=None,
        reason="Holiday",
    )
    rescheduled = _held(
        with_bob,
        upcoming.scheduled_at + dt.timedelta(weeks=2, hours=3),
        status="rescheduled",
        held_at=None,
        reason="Clash with the all-hands",
        original_scheduled_at=upcoming.scheduled_at + dt.timedelta(weeks=2),
    )
    ActionItem.objects.create(
        oneonone=with_bob,
        created_in=history[5],
        text="Write the design doc",
        owner=bob,
        created_by=alice,
        due_date=dt.date(2026, 2, 20),
    )
    ActionItem.objects.create(
        oneonone=with_bob,
        created_in=last_held,
        text="Book the venue for the offsite, with room for the whole team " + "y" * 40,
        owner=alice,
        created_by=alice,
    )
    ActionItem.objects.create(
        oneonone=with_bob,
        created_in=last_held,
        text="Send the onboarding checklist",
        owner=bob,
        created_by=bob,
        due_date=dt.date(2026, 3, 20),
        done_at=NOW - dt.timedelta(hours=20),
    )
    ActionItem.objects.create(
        oneonone=with_bob,
        created_in=upcoming,
        # Quotes and an ampersand: escaped as Django escapes them (&#x27;, &quot;, &amp;).
        text='Pair on Bob\'s "flaky" deploy & its tests',
        owner=alice,
        created_by=bob,
        due_date=dt.date(2026, 3, 4),
    )
    actions.save_shared_note(
        upcoming,
        text="## Agenda notes\n\n- **Bold** point\n- [a link](https://example.com)\n\n<script>x</script>",
        base_version=0,
        by=bob,
    )
    actions.save_private_note(upcoming, by=alice, text="Ask about\nthe move")
    actions.create_template(owner=alice, name="Weekly <check>", questions=["How was your week?"])
    actions.create_template(owner=alice, name="Career", questions=["Where next?"])
    survey = checkins.attach_checkin(with_bob, by=alice, respondent=bob)
    _checkins_answered(survey, upcoming, history, bob)
    _conversations(history, alice, bob)

    with_dan = actions.start_oneonone(
        by=dan, other=alice, kind="peer", cadence="biweekly", weekday=2, tz="UTC"
    )
    dan_meeting = with_dan.meetings.get()
    _point(dan_meeting, dan, "Hand-over", 0, discussed=True)
    ActionItem.objects.create(
        oneonone=with_dan,
        created_in=dan_meeting,
        text="Share the runbook",
        owner=alice,
        created_by=dan,
        due_date=dt.date(2026, 3, 1),
    )
    Meeting.objects.filter(pk=dan_meeting.pk).update(status="held", held_at=NOW)
    actions.end_oneonone(with_dan, by=alice)

    with_erin = actions.start_oneonone(
        by=alice,
        other=erin,
        kind="mentoring",
        focus_person=erin,
        cadence="biweekly",
        weekday=3,
        time_of_day=dt.time(17, 30),
        tz="Asia/Tokyo",
    )
    erin_meeting = with_erin.meetings.get()
    _point(erin_meeting, erin, "Reading list", 0)
    # Held as a bulk writer would mark it: no next row, the pages show the planned one.
    Meeting.objects.filter(pk=erin_meeting.pk).update(status="held", held_at=NOW)
    return {
        "alice": alice,
        "bob": bob,
        "with_bob": with_bob,
        "with_dan": with_dan,
        "with_erin": with_erin,
        "upcoming": upcoming,
        "last_held": last_held,
        "dan_meeting": dan_meeting,
        "cancelled_ahead": cancelled_ahead,
        "rescheduled": rescheduled,
    }


def _normalised(html: str) -> str:
    for pattern, replacement in _CSRF:
        html = pattern.sub(replacement, html)
    return html


def _check(name: str, html: str, mismatches: list[str]) -> None:
    path = GOLDEN / f"{name}.html"
    html = _normalised(html)
    if os.environ.get("TETE_WRITE_GOLDEN"):
        GOLDEN.mkdir(exist_ok=True)
        path.write_text(html)
        return
    if not path.exists() or path.read_text() != html:
        (GOLDEN / f"{name}.actual.html").write_text(html)
        mismatches.append(name)


@pytest.mark.django_db
def test_pages_render_the_same_html(client, settings):
    settings.TETE_PAGE_CACHE = False
    _start_ids_at(FIRST_ID)
    mismatches: list[str] = []
    with time_machine.travel(NOW, tick=False):
        org = _organisation()
        alice, bob = org["alice"], org["bob"]
        with_bob, upcoming = org["with_bob"], org["upcoming"]
        pages = {
            "home_alice": (alice, reverse("home")),
            "home_bob": (bob, reverse("home")),
            "oneonone_alice": (alice, reverse("oneonones:detail", args=[with_bob.pk])),
            "oneonone_alice_page_2": (
                alice,
                reverse("oneonones:detail", args=[with_bob.pk]) + "?page=2",
            ),
            "oneonone_bob": (bob, reverse("oneonones:detail", args=[with_bob.pk])),
            "oneonone_ended": (alice, reverse("oneonones:detail", args=[org["with_dan"].pk])),
            "oneonone_planned": (alice, reverse("oneonones:detail", args=[org["with_erin"].pk])),
            "meeting_alice": (alice, reverse("oneonones:meeting", args=[upcoming.pk])),
            "meeting_bob": (bob, reverse("oneonones:meeting", args=[upcoming.pk])),
            "meeting_held": (alice, reverse("oneonones:meeting", args=[org["last_held"].pk])),
            "meeting_held_bob": (bob, reverse("oneonones:meeting", args=[org["last_held"].pk])),
            "meeting_ended": (alice, reverse("oneonones:meeting", args=[org["dan_meeting"].pk])),
            "meeting_cancelled": (
                bob,
                reverse("oneonones:meeting", args=[org["cancelled_ahead"].pk]),
            ),
            "meeting_rescheduled": (
                bob,
                reverse("oneonones:meeting", args=[org["rescheduled"].pk]),
            ),
            # Bob has not filled in its check-in yet: what alice reads.
            "meeting_rescheduled_alice": (
                alice,
                reverse("oneonones:meeting", args=[org["rescheduled"].pk]),
            ),
            "trends_alice": (alice, reverse("reports:trends", args=[with_bob.pk])),
            "action_items_alice": (alice, reverse("oneonones:my_action_items")),
            "action_items_bob_done": (bob, reverse("oneonones:my_action_items") + "?show=done"),
        }
        for name, (person, url) in pages.items():
            client.force_login(person)
            response = client.get(url)
            assert response.status_code == 200, name
            _check(name, response.content.decode(), mismatches)

        # The meeting page's sections, as htmx swaps them in after a change.
        client.force_login(alice)
        htmx = {"HTTP_HX_REQUEST": "true"}
        point = upcoming.talking_points.get(text="Team offsite")
        sections = {
            "section_agenda": (
                reverse("oneonones:mark_discussed", args=[point.pk]),
                {"discussed": "0"},
            ),
            "section_notes": (
                reverse("oneonones:save_shared_note", args=[upcoming.pk]),
                {"text": "Changed *notes*", "base_version": "1"},
            ),
            "section_private_note": (
                reverse("oneonones:save_private_note", args=[upcoming.pk]),
                {"text": "Changed"},
            ),
            "section_action_items": (
                reverse("oneonones:add_action_item", args=[upcoming.pk]),
                {"text": "Follow up", "owner": str(bob.pk), "due_date": "2026-03-10"},
            ),
        }
        for name, (url, data) in sections.items():
            response = client.post(url, data, **htmx)
            assert response.status_code == 200, name
            _check(name, response.content.decode(), mismatches)
        # A talking point's editor: in place in the agenda (htmx), and its page of its own.
        editable = upcoming.talking_points.filter(author=alice).order_by("position").first()
        edit_url = reverse("oneonones:edit_talking_point", args=[editable.pk])
        response = client.get(edit_url, **htmx)
        assert response.status_code == 200
        _check("section_talking_point_editor", response.content.decode(), mismatches)
        response = client.get(edit_url)
        assert response.status_code == 200
        _check("talking_point_edit", response.content.decode(), mismatches)
        # Saved empty with htmx: the agenda with the editor and its error in place.
        response = client.post(edit_url, {"text": ""}, **htmx)
        assert response.status_code == 200
        _check("section_agenda_editor_error", response.content.decode(), mismatches)
        # An action item ticked on the list of one's action items: htmx swaps its row.
        item = ActionItem.objects.get(text__startswith="Pair on")
        response = client.post(
            reverse("oneonones:toggle_action_item", args=[item.pk]),
            {"done": "1", "next": reverse("oneonones:my_action_items")},
            **htmx,
        )
        assert response.status_code == 200
        _check("section_action_item_row", response.content.decode(), mismatches)
    assert not mismatches, f"HTML changed (see {GOLDEN}/*.actual.html): {mismatches}"
