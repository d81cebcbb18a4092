"""Every endpoint as participant, other participant, outsider, staff and anonymous, and with
a read-only token on writes: the same access rules as the pages (DESIGN.md rules 1, 2)."""

from __future__ import annotations

import random
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tete.oneonones import actions
from tete.reports import actions as report_actions
from tete.reports.samples import generate_webvtt
from tete.surveys import actions as survey_actions
from tete.surveys import checkins
from tete.surveys.models import Survey


@pytest.fixture
def world(alice, bob, oneonone, meeting, team):
    shared = actions.add_talking_point(meeting, by=alice, text="Roadmap")
    private = actions.add_talking_point(meeting, by=bob, text="Bob's secret", private=True)
    item = actions.add_action_item(meeting, by=alice, text="Write it up", owner=bob)
    actions.save_shared_note(meeting, text="Agreed", base_version=0, by=alice)
    vtt = generate_webvtt(random.Random(3), "Alice Martin", "Bob Jones").encode()
    transcript = report_actions.upload_transcript(
        meeting, by=alice, filename="a.vtt", content=vtt
    ).transcript
    survey = checkins.attach_checkin(oneonone, by=alice, respondent=bob)
    answers = {str(q.pk): "4" for q in survey.questions.filter(kind="scale")}
    checkins.submit_checkin(meeting, bob, answers)
    pulse = survey_actions.create_survey(
        alice, title="Pulse", audience=Survey.Audience.TEAM, audience_team=team
    )
    return {
        "o": oneonone.pk,
        "m": meeting.pk,
        "shared": shared.pk,
        "private": private.pk,
        "item": item.pk,
        "t": transcript.pk,
        "survey": pulse.pk,
    }


# (method, path, body, status for alice, status for bob). Outsiders and staff get 404 on
# every one-on-one object; anonymous callers 401; a read-only token 403 on every write.
def endpoints(w):
    o, m, item, t = w["o"], w["m"], w["item"], w["t"]
    return [
        ("get", f"/api/v1/oneonones/{o}", None, 200, 200),
        ("get", f"/api/v1/oneonones/{o}/meetings", None, 200, 200),
        ("get", f"/api/v1/oneonones/{o}/action-items", None, 200, 200),
        ("get", f"/api/v1/meetings/{m}", None, 200, 200),
        ("get", f"/api/v1/meetings/{m}/talking-points", None, 200, 200),
        ("post", f"/api/v1/meetings/{m}/talking-points", {"text": "New"}, 201, 201),
        ("patch", f"/api/v1/talking-points/{w['shared']}", {"discussed": True}, 200, 200),
        # Bob's private point: his alone; Alice cannot learn that it exists.
        ("patch", f"/api/v1/talking-points/{w['private']}", {"discussed": True}, 404, 200),
        ("delete", f"/api/v1/talking-points/{w['private']}", None, 404, 204),
        ("get", f"/api/v1/meetings/{m}/notes", None, 200, 200),
        ("put", f"/api/v1/meetings/{m}/notes", {"text": "Both", "version": 1}, 200, 200),
        ("get", f"/api/v1/meetings/{m}/checkin", None, 200, 200),
        ("post", f"/api/v1/meetings/{m}/action-items", {"text": "Do"}, 201, 201),
        ("get", f"/api/v1/action-items/{item}", None, 200, 200),
        ("patch", f"/api/v1/action-items/{item}", {"text": "Reworded"}, 200, 200),
        ("post", f"/api/v1/action-items/{item}/complete", None, 200, 200),
        ("post", f"/api/v1/action-items/{item}/reopen", None, 200, 200),
        ("get", f"/api/v1/meetings/{m}/transcripts", None, 200, 200),
        ("post", f"/api/v1/meetings/{m}/transcripts", UPLOAD, 201, 201),
        ("get", f"/api/v1/transcripts/{t}", None, 200, 200),
        ("get", f"/api/v1/transcripts/{t}/report", None, 200, 200),
        # A survey's results are its owner's (Alice's); nobody else learns it exists.
        ("get", f"/api/v1/surveys/{w['survey']}/results", None, 200, 404),
    ]


WRITES = {"post", "put", "patch", "delete"}
#: A transcript to upload (multipart, field `file`) where a JSON body would go.
UPLOAD = object()
#: The lists of one's own: one-on-ones, action items, surveys; and who the token acts as.
OWN_LISTS = ["/api/v1/me", "/api/v1/oneonones", "/api/v1/action-items", "/api/v1/surveys"]
#: Their own tests as every persona: tests/api/test_recordings.py.
RECORDINGS = [
    ("get", "/api/v1/meetings/{meeting_id}/recordings"),
    ("post", "/api/v1/meetings/{meeting_id}/recordings"),
    ("get", "/api/v1/recordings/{recording_id}"),
    ("delete", "/api/v1/recordings/{recording_id}"),
    ("get", "/api/v1/recordings/{recording_id}/report"),
]


def _call(client, method, path, body):
    if body is UPLOAD:
        upload = SimpleUploadedFile("talk.txt", b"Alice: Shall we start?\nBob: Yes.\n")
        return client.client.post(path, {"file": upload}, headers=client.headers)
    return getattr(client, method)(path, body) if method in WRITES else client.get(path)


def _ids(case):
    return f"{case[0]} {case[1]}"


@pytest.mark.parametrize("who", ["alice", "bob"])
def test_participants_reach_every_endpoint(who, world, api_as):
    failures = []
    for method, path, body, for_alice, for_bob in endpoints(world):
        expected = for_alice if who == "alice" else for_bob
        response = _call(api_as(who), method, path, body)
        if response.status_code != expected:
            failures.append(f"{method} {path}: {response.status_code} != {expected}")
    assert failures == []


@pytest.mark.parametrize("who", ["carol", "admin"])
def test_outsiders_and_staff_get_404_and_no_content(who, world, api_as):
    client = api_as(who)
    for method, path, body, _, _ in endpoints(world):
        response = _call(client, method, path, body)
        assert response.status_code == 404, (method, path, response.content)
        assert response["Content-Type"] == "application/problem+json"
        assert b"Roadmap" not in response.content and b"Agreed" not in response.content


def test_outsiders_lists_are_empty(world, api_as):
    for who in ("carol", "admin"):
        client = api_as(who)
        assert client.get("/api/v1/oneonones").json()["results"] == []
        assert client.get("/api/v1/action-items").json()["results"] == []
        assert client.get("/api/v1/surveys").json()["results"] == []


def test_anonymous_callers_get_401_everywhere(world, api_as):
    client = api_as(None)
    own_lists = [("get", path, None, 0, 0) for path in OWN_LISTS]
    for method, path, body, _, _ in [*endpoints(world), *own_lists]:
        response = _call(client, method, path, body)
        assert response.status_code == 401, (method, path)
        assert response["WWW-Authenticate"].startswith("Bearer")
        assert response.json()["detail"]


def test_a_read_only_token_gets_403_on_every_write_and_changes_nothing(world, api_as):
    from tete.oneonones.models import ActionItem, SharedNote, TalkingPoint
    from tete.reports.models import Transcript

    def counts():
        return TalkingPoint.objects.count(), ActionItem.objects.count(), Transcript.objects.count()

    before = counts()
    reader = api_as("alice", write=False)
    writes = [case for case in endpoints(world) if case[0] in WRITES]
    assert len(writes) >= 8
    for method, path, body, _, _ in writes:
        response = _call(reader, method, path, body)
        assert response.status_code == 403, (method, path)
        assert "read-only" in response.json()["detail"]
    assert counts() == before
    assert SharedNote.objects.get().text == "Agreed"
    # It still reads.
    assert reader.get(f"/api/v1/meetings/{world['m']}").status_code == 200


def test_participants_lists_hold_their_one_on_one(world, api_as):
    for who in ("alice", "bob"):
        client = api_as(who)
        assert client.get("/api/v1/me").status_code == 200
        oneonones = client.get("/api/v1/oneonones").json()["results"]
        assert [o["id"] for o in oneonones] == [world["o"]], who
    # Bob owns the action item; Alice owns the survey.
    assert [i["id"] for i in api_as("bob").get("/api/v1/action-items").json()["results"]] == [
        world["item"]
    ]
    assert [s["id"] for s in api_as("alice").get("/api/v1/surveys").json()["results"]] == [
        world["survey"]
    ]


def test_every_operation_of_the_schema_is_in_an_access_table(world, client):
    """A new endpoint fails here until it is checked as every persona above."""
    schema = client.get("/api/v1/openapi.json").json()
    operations = {(m, path) for path, ops in schema["paths"].items() for m in ops}
    templates = {
        path: re.compile("^" + re.sub(r"\{\w+\}", r"\\d+", path) + "$") for _, path in operations
    }

    def template(path: str) -> str:
        return next(t for t, pattern in templates.items() if pattern.match(path))

    covered = {(m, template(path)) for m, path, *_ in endpoints(world)}
    covered |= {("get", path) for path in OWN_LISTS} | set(RECORDINGS)
    assert operations - covered == set()


def test_a_private_talking_point_is_listed_for_its_author_only(world, api_as):
    def texts(who):
        body = api_as(who).get(f"/api/v1/meetings/{world['m']}/talking-points").json()
        return {p["text"] for p in body["results"]}

    assert texts("bob") == {"Roadmap", "Bob's secret"}
    assert texts("alice") == {"Roadmap"}


def test_me_says_who_the_token_acts_as(api_as, alice):
    body = api_as("alice", write=False).get("/api/v1/me").json()
    assert body["email"] == alice.email and body["token_access"] == "read"


def test_the_meetings_own_helper_keeps_the_meeting_rule(meeting, alice, bob, carol, admin):
    """get_meeting_only_for, which the API reads meetings with, answers as get_meeting_for."""
    from django.http import Http404

    from tete.oneonones.access import get_meeting_for, get_meeting_only_for

    for person in (alice, bob):
        lean, full = get_meeting_only_for(person, meeting.pk), get_meeting_for(person, meeting.pk)
        assert (lean.pk, lean.oneonone_id, lean.scheduled_at, lean.status) == (
            full.pk,
            full.oneonone_id,
            full.scheduled_at,
            full.status,
        )
    unknown = (meeting.pk + 999, 2**64, -1, 0)
    for person, pk in [(carol, meeting.pk), (admin, meeting.pk)] + [(alice, n) for n in unknown]:
        with pytest.raises(Http404):
            get_meeting_only_for(person, pk)
    alice.is_active = False
    with pytest.raises(Http404):
        get_meeting_only_for(alice, meeting.pk)


def test_the_one_on_one_lists_own_helper_keeps_the_participant_rule(alice, bob, carol, admin):
    """oneonones_page_of, which the API lists one-on-ones with, gives what oneonones_of does,
    page by page."""
    from tete.accounts.models import Person
    from tete.oneonones.access import oneonones_of, oneonones_page_of

    dana = Person.objects.create_user("dana@example.com", "pw-long-enough", name="Dana")
    for by, other in [(alice, bob), (carol, alice), (bob, carol), (dana, alice), (admin, dana)]:
        actions.start_oneonone(by=by, other=other)
    for person in (alice, bob, carol, dana, admin):
        expected = list(oneonones_of(person).order_by("id").values_list("id", flat=True))
        listed, names, after = [], {}, None
        while page := oneonones_page_of(person, after_id=after, limit=2):
            listed += [o.id for o in page]
            names |= {o.id: (o.first_person_name, o.second_person_name) for o in page}
            after = page[-1].id
        assert listed == expected and listed, person
        assert names == {o.id: (o.first.name, o.second.name) for o in oneonones_of(person)}
    alice.is_active = False
    assert oneonones_page_of(alice, after_id=None, limit=50) == []
