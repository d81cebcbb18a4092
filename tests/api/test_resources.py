"""What the endpoints do: notes with versions, action items, pagination, transcripts and
reports, survey results with the pages' suppression, and bad input answered with a 4xx."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from django.test import Client

from tests.api.conftest import TokenClient
from tests.recordings.factories import analysed_recording
from tests.surveys.conftest import answers_for
from tete.api import actions as api_actions
from tete.oneonones import actions
from tete.oneonones.models import ActionItem, SharedNote, TalkingPoint
from tete.reports import actions as report_actions
from tete.reports.samples import generate_webvtt
from tete.surveys import actions as survey_actions

# --- Shared notes -----------------------------------------------------------------------------


def test_a_conflicting_note_write_gets_409_and_nothing_is_lost(api_as, meeting):
    alice, bob = api_as("alice"), api_as("bob")
    url = f"/api/v1/meetings/{meeting.pk}/notes"
    assert alice.get(url).json()["version"] == 0
    saved = alice.put(url, {"text": "Alice's notes", "version": 0})
    assert saved.status_code == 200 and saved.json()["version"] == 1
    # Bob started from version 0 too.
    conflict = bob.put(url, {"text": "Bob's notes", "version": 0})
    assert conflict.status_code == 409
    assert conflict["Content-Type"] == "application/problem+json"
    body = conflict.json()
    assert body["current"]["text"] == "Alice's notes" and body["current"]["version"] == 1
    assert body["your_text"] == "Bob's notes"
    assert SharedNote.objects.get().text == "Alice's notes"
    merged = bob.put(url, {"text": "Alice's notes\nBob's notes", "version": 1})
    assert merged.json()["version"] == 2


def test_reading_notes_creates_nothing(api_as, meeting):
    api_as("alice").get(f"/api/v1/meetings/{meeting.pk}/notes")
    assert not SharedNote.objects.exists()


def test_an_ended_one_on_one_refuses_note_writes_with_409(api_as, oneonone, meeting, alice):
    actions.end_oneonone(oneonone, by=alice)
    response = api_as("alice").put(
        f"/api/v1/meetings/{meeting.pk}/notes", {"text": "Late", "version": 0}
    )
    assert response.status_code == 409 and "ended" in response.json()["detail"]


# --- Action items -----------------------------------------------------------------------------


def test_action_items_are_created_completed_and_reassigned(api_as, meeting, alice, bob):
    client = api_as("alice")
    made = client.post(
        f"/api/v1/meetings/{meeting.pk}/action-items",
        {"text": "Draft the plan", "owner_id": bob.pk, "due_date": "2030-01-31"},
    )
    assert made.status_code == 201
    item = made.json()
    assert item["owner_id"] == bob.pk and item["due_date"] == "2030-01-31"
    done = client.post(f"/api/v1/action-items/{item['id']}/complete").json()
    assert done["done_at"] is not None
    moved = client.patch(f"/api/v1/action-items/{item['id']}", {"owner_id": alice.pk}).json()
    assert moved["owner_id"] == alice.pk and moved["text"] == "Draft the plan"
    assert moved["due_date"] == "2030-01-31"
    assert ActionItem.objects.get().owner == alice
    mine = client.get("/api/v1/action-items?open=false").json()["results"]
    assert [i["id"] for i in mine] == [item["id"]]
    assert client.get("/api/v1/action-items?open=true").json()["results"] == []


def test_an_action_item_cannot_go_to_an_outsider(api_as, meeting, carol):
    client = api_as("alice")
    response = client.post(
        f"/api/v1/meetings/{meeting.pk}/action-items", {"text": "X", "owner_id": carol.pk}
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "owner_id"
    assert not ActionItem.objects.exists()


# --- Pagination -------------------------------------------------------------------------------


def test_lists_follow_a_cursor_without_repeats_or_gaps(api_as, meeting, alice):
    for i in range(7):
        actions.add_talking_point(meeting, by=alice, text=f"Point {i}")
    client = api_as("alice")
    url = f"/api/v1/meetings/{meeting.pk}/talking-points?limit=3"
    seen, pages, cursor = [], 0, None
    while True:
        body = client.get(url + (f"&cursor={cursor}" if cursor else "")).json()
        seen += [p["text"] for p in body["results"]]
        pages += 1
        cursor = body["next"]
        if cursor is None:
            break
    assert seen == [f"Point {i}" for i in range(7)] and pages == 3


def test_meetings_page_by_time(api_as, oneonone, alice):
    now = dt.datetime.now(dt.UTC)
    for days in (3, 1, 2):
        actions.add_extra_meeting(oneonone, by=alice, scheduled_at=now + dt.timedelta(days=days))
    client = api_as("alice")
    url = f"/api/v1/oneonones/{oneonone.pk}/meetings?limit=2"
    first = client.get(url).json()
    second = client.get(url + "&cursor=" + first["next"]).json()
    times = [m["scheduled_at"] for m in first["results"] + second["results"]]
    assert times == sorted(times) and len(times) == 4


@pytest.fixture
def three_of_each(alice, oneonone, meeting, crowd):
    """Three rows in every list Alice reads: one-on-ones, meetings, talking points, action
    items (hers), transcripts, recordings and surveys."""
    for person in crowd(2):
        actions.start_oneonone(by=alice, other=person)
    now = dt.datetime.now(dt.UTC)
    for days in (20, 30):
        actions.add_extra_meeting(oneonone, by=alice, scheduled_at=now + dt.timedelta(days=days))
    for i in range(3):
        actions.add_talking_point(meeting, by=alice, text=f"Point {i}")
        actions.add_action_item(meeting, by=alice, text=f"Item {i}", owner=alice)
        text = f"Alice: Take {i}.\nBob: Noted {i}.\n".encode()
        report_actions.upload_transcript(meeting, by=alice, filename=f"{i}.txt", content=text)
        analysed_recording(meeting, alice, filename=f"{i}.webm")
        survey_actions.create_survey(alice, title=f"Survey {i}")
    return {"oneonone_id": oneonone.pk, "meeting_id": meeting.pk}


def test_every_list_of_the_schema_pages_by_cursor(api_as, client, three_of_each):
    """Each operation answering a page: one row a page, all rows once, a tampered cursor 400."""
    schema = client.get("/api/v1/openapi.json").json()
    lists = [
        path
        for path, operations in schema["paths"].items()
        if "get" in operations
        and operations["get"]["responses"]["200"]["content"]["application/json"]["schema"]
        .get("$ref", "")
        .startswith("#/components/schemas/Page")
    ]
    assert len(lists) == 8
    api = api_as("alice")
    failures = []
    for template in lists:
        url = template.format(**three_of_each)
        everything = [row["id"] for row in api.get(url + "?limit=200").json()["results"]]
        walked, cursor = [], None
        while True:
            body = api.get(url + "?limit=1" + (f"&cursor={cursor}" if cursor else "")).json()
            walked += [row["id"] for row in body["results"]]
            if (cursor := body["next"]) is None or len(walked) > 10:
                break
        if len(everything) < 3 or walked != everything:
            failures.append(f"{template}: {walked} by one, {everything} at once")
        tampered = api.get(url + "?cursor=" + "x" * 20)
        if tampered.status_code != 400 or tampered["Content-Type"] != "application/problem+json":
            failures.append(f"{template}: a tampered cursor got {tampered.status_code}")
    assert failures == []


@pytest.mark.parametrize("cursor", ["abc", "W10:1ab:xyz", "eyJ0YW1wZXJlZCI6MX0"])
def test_a_tampered_cursor_is_refused(api_as, meeting, alice, cursor):
    response = api_as("alice").get(f"/api/v1/meetings/{meeting.pk}/talking-points?cursor={cursor}")
    assert response.status_code == 400
    assert "cursor" in response.json()["detail"]


def test_a_cursor_of_another_list_is_refused(api_as, oneonone, meeting, alice):
    for i in range(3):
        actions.add_talking_point(meeting, by=alice, text=f"P{i}")
    client = api_as("alice")
    cursor = client.get(f"/api/v1/meetings/{meeting.pk}/talking-points?limit=1").json()["next"]
    response = client.get(f"/api/v1/oneonones/{oneonone.pk}/meetings?cursor={cursor}")
    assert response.status_code == 400


@pytest.mark.parametrize("limit", ["0", "201", "-1", "many"])
def test_a_bad_limit_is_refused(api_as, meeting, limit):
    response = api_as("alice").get(f"/api/v1/meetings/{meeting.pk}/talking-points?limit={limit}")
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"


# --- Bad input --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ("{not json", 400),
        ("[1, 2]", 422),
        ('{"text": 42}', 422),
        ('{"text": "ok", "unknown": 1}', 422),
        ('{"text": ""}', 422),
        ('{"text": "a\\u0000b"}', 422),
        ('{"text": "\\ud800"}', 422),
        ('{"text": "' + "x" * 6000 + '"}', 422),
    ],
)
def test_bad_bodies_get_a_clear_4xx_and_write_nothing(api_as, meeting, body, status):
    response = api_as("alice").post(
        f"/api/v1/meetings/{meeting.pk}/talking-points", body, content_type="application/json"
    )
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["detail"]
    assert not TalkingPoint.objects.exists()


def test_unicode_text_is_kept_as_sent(api_as, meeting):
    text = "Éva’s 🎯 — 日本語 \u200d right-to-left \u202e"
    made = api_as("alice").post(f"/api/v1/meetings/{meeting.pk}/talking-points", {"text": text})
    assert made.status_code == 201 and TalkingPoint.objects.get().text == text


def test_a_non_numeric_id_is_a_4xx(api_as):
    response = api_as("alice").get("/api/v1/meetings/abc")
    assert 400 <= response.status_code < 500


def test_a_huge_body_is_refused_before_it_is_read(api_as, meeting, settings):
    settings.TETE_MAX_UPLOAD_BYTES = 1000
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = api_as("alice").post(
        f"/api/v1/meetings/{meeting.pk}/talking-points",
        '{"text": "' + "x" * 5000 + '"}',
        content_type="application/json",
    )
    assert response.status_code == 413
    assert response["Content-Type"] == "application/problem+json"
    assert "largest accepted" in response.json()["detail"]
    assert not TalkingPoint.objects.exists()


# --- Transcripts and reports ------------------------------------------------------------------


def test_a_transcript_upload_returns_its_status_then_the_report(api_as, meeting):
    client = api_as("alice")
    vtt = generate_webvtt(random.Random(5), "Alice Martin", "Bob Jones").encode()
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("meeting.vtt", vtt, content_type="text/vtt")
    response = client.client.post(
        f"/api/v1/meetings/{meeting.pk}/transcripts", {"file": upload}, headers=client.headers
    )
    assert response.status_code == 201, response.content
    transcript = response.json()
    # The tests run tasks immediately: the analysis is done already.
    assert transcript["status"] == "done" and transcript["format"] == "webvtt"
    report = client.get(f"/api/v1/transcripts/{transcript['id']}/report").json()["report"]
    assert {"source", "format", "duration_s", "speakers", "segments"} <= set(report)
    names = {s["name"] for s in report["speakers"]}
    assert names == {"Alice Martin", "Bob Jones"}
    assert abs(sum(s["talk_share"] for s in report["speakers"]) - 1) < 1e-6
    # The same file again gives the same transcript back.
    again = client.client.post(
        f"/api/v1/meetings/{meeting.pk}/transcripts",
        {"file": SimpleUploadedFile("meeting.vtt", vtt)},
        headers=client.headers,
    )
    assert again.status_code == 200 and again.json()["duplicate"] is True


def test_transcript_uploads_share_the_hourly_limit_of_the_page(api_as, meeting, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.TETE_UPLOADS_PER_HOUR = 1
    client = api_as("alice")
    url = f"/api/v1/meetings/{meeting.pk}/transcripts"
    first = SimpleUploadedFile("a.txt", b"Alice: hello\nBob: hi\n")
    assert client.client.post(url, {"file": first}, headers=client.headers).status_code == 201
    second = SimpleUploadedFile("b.txt", b"Alice: again\nBob: yes\n")
    refused = client.client.post(url, {"file": second}, headers=client.headers)
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0


def test_an_empty_transcript_is_refused(api_as, meeting):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = api_as("alice")
    response = client.client.post(
        f"/api/v1/meetings/{meeting.pk}/transcripts",
        {"file": SimpleUploadedFile("a.vtt", b"")},
        headers=client.headers,
    )
    assert response.status_code == 422 and "empty" in response.json()["detail"]


# --- Survey results ---------------------------------------------------------------------------


@pytest.mark.parametrize(("answers", "shown"), [(4, False), (5, True)])
def test_survey_results_apply_the_minimum_group_size(api_as, pulse, crowd, answers, shown):
    people = crowd(answers)
    round_ = survey_actions.open_survey(pulse)
    for person in people:
        survey_actions.submit_response(round_, person, answers_for(pulse, comment="Remark"))
    survey_actions.close_survey(pulse)
    body = api_as("alice").get(f"/api/v1/surveys/{pulse.pk}/results").json()
    assert body["min_group_size"] == 5 and body["shown"] is shown
    figures = [q for q in body["questions"] if q["distribution"] or q["comments"]]
    assert bool(figures) is shown
    assert ("Remark" in str(body)) is shown


def test_a_crafted_group_is_not_applied(api_as, pulse, crowd):
    people = crowd(6) + crowd(2, location="Berlin")
    round_ = survey_actions.open_survey(pulse)
    for person in people:
        survey_actions.submit_response(round_, person, answers_for(pulse))
    survey_actions.close_survey(pulse)
    body = api_as("alice").get(f"/api/v1/surveys/{pulse.pk}/results?group=location:Berlin").json()
    assert body["group"] is None
    assert "location:Berlin" not in [g["slug"] for g in body["groups"]]


def test_only_the_owner_lists_and_reads_a_survey(api_as, pulse):
    assert [s["id"] for s in api_as("alice").get("/api/v1/surveys").json()["results"]] == [pulse.pk]
    assert api_as("bob").get(f"/api/v1/surveys/{pulse.pk}/results").status_code == 404


def test_a_token_made_for_a_person_sees_their_one_on_ones_only(alice, bob, carol, oneonone):
    actions.start_oneonone(by=bob, other=carol)
    secret = api_actions.create_token(alice, name="x").secret
    body = TokenClient(Client(), secret).get("/api/v1/oneonones").json()
    assert [o["id"] for o in body["results"]] == [oneonone.pk]
