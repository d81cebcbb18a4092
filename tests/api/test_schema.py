"""Schemathesis against the whole OpenAPI schema with a read-write token for a demo-like
person: no request makes a 500, and every response conforms to the schema (status code,
content type, body). Bounded: a few derandomised examples per operation, each sent once as
generated and once with the ids of objects the person can reach, so that the successful
answers are checked too, not only the 404s."""

from __future__ import annotations

import random

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.recordings.factories import analysed_recording
from tete.api.actions import create_token
from tete.oneonones import actions
from tete.reports import actions as report_actions
from tete.reports.samples import generate_webvtt
from tete.surveys import actions as survey_actions
from tete.surveys import checkins
from tete.surveys.models import Survey
from tete.wsgi import application

# Generated cases only (the "coverage" phase would send every case the schema defines: too
# many for a test run), a few per operation.
CONFIG = schemathesis.Config.from_dict(
    {
        "phases": {
            "examples": {"enabled": False},
            "coverage": {"enabled": False},
            "stateful": {"enabled": False},
        },
        "generation": {"max-examples": 4, "deterministic": True},
    }
)
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application, config=CONFIG)

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture
def test_transaction_kept():
    """Requests go through the WSGI handler itself, which closes the database connection at
    each request's end: that would end the test's transaction (PostgreSQL). Django's test
    client stops that for its requests; so does this, for the schema's."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def demo_person(alice, bob, carol, oneonone, meeting, team):
    """Alice with the content a demo manager has: an agenda, notes, action items, a report,
    a recording, a check-in and a survey; and a one-on-one of others she must not reach."""
    actions.add_talking_point(meeting, by=alice, text="Roadmap")
    actions.add_talking_point(meeting, by=bob, text="Private", private=True)
    item = actions.add_action_item(meeting, by=alice, text="Write it up", owner=bob)
    actions.save_shared_note(meeting, text="Agreed", base_version=0, by=alice)
    vtt = generate_webvtt(random.Random(3), "Alice Martin", "Bob Jones").encode()
    transcript = report_actions.upload_transcript(
        meeting, by=alice, filename="a.vtt", content=vtt
    ).transcript
    survey = checkins.attach_checkin(oneonone, by=alice, respondent=bob)
    checkins.submit_checkin(
        meeting, bob, {str(q.pk): "4" for q in survey.questions.filter(kind="scale")}
    )
    pulse = survey_actions.create_survey(
        alice, title="Pulse", audience=Survey.Audience.TEAM, audience_team=team
    )
    recording = analysed_recording(meeting, alice)
    actions.start_oneonone(by=bob, other=carol)
    ids = {
        "oneonone_id": oneonone.pk,
        "meeting_id": meeting.pk,
        "point_id": meeting.talking_points.filter(private=False).first().pk,
        "item_id": item.pk,
        "transcript_id": transcript.pk,
        "survey_id": pulse.pk,
        "recording_id": recording.pk,
    }
    token = create_token(alice, name="Schemathesis", can_write=True).secret
    return {"Authorization": f"Bearer {token}"}, ids


@pytest.mark.slow
@schema.parametrize()
@settings(
    max_examples=4,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
    database=None,
    # A failure is reported as found: shrinking it would take minutes.
    phases=[Phase.explicit, Phase.generate],
)
def test_the_whole_schema_gives_no_500_and_conforms(
    case, demo_person, settings, test_transaction_kept
):
    # Above what one operation's examples send (each operation has a token of its own).
    settings.TETE_RATE_LIMITS = {**settings.TETE_RATE_LIMITS, "api_requests": (60, 60)}
    settings.TETE_UPLOADS_PER_HOUR = 60
    headers, ids = demo_person
    case.call_and_validate(headers=headers, checks=CHECKS)
    if case.path_parameters:
        case.path_parameters = {
            name: ids.get(name, value) for name, value in case.path_parameters.items()
        }
        case.call_and_validate(headers=headers, checks=CHECKS)
