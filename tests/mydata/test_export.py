"""Download my data: what the zip holds and never holds, its progress, its expiry, its limit."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.mydata.conftest import build_export, export_files, export_json
from tete.mydata import exports
from tete.mydata.models import AccessEvent, DataExport, EventKind, ExportStatus
from tete.oneonones import actions
from tete.surveys import checkins
from tete.surveys.models import Response

pytestmark = pytest.mark.django_db


@pytest.fixture
def writing(alice, bob, oneonone, meeting):
    """Shared and private writing of both participants, each text unique."""
    actions.add_talking_point(meeting, by=alice, text="ALICE-SHARED-POINT")
    actions.add_talking_point(meeting, by=alice, text="ALICE-PRIVATE-POINT", private=True)
    actions.add_talking_point(meeting, by=bob, text="BOB-PRIVATE-POINT", private=True)
    actions.add_talking_point(meeting, by=bob, text="=HYPERLINK(BOB-SHARED)")
    actions.save_private_note(meeting, by=alice, text="ALICE-PRIVATE-NOTE")
    actions.save_private_note(meeting, by=bob, text="BOB-PRIVATE-NOTE")
    actions.save_shared_note(meeting, text="SHARED-NOTE-TEXT", base_version=0, by=bob)
    actions.add_action_item(meeting, by=alice, text="ALICE-ACTION", owner=alice)
    return meeting


def test_it_holds_own_private_writing_and_never_the_others(alice, writing):
    export = build_export(alice)
    everything = "\n".join(export_files(export).values())
    for text in (
        "ALICE-SHARED-POINT",
        "ALICE-PRIVATE-POINT",
        "ALICE-PRIVATE-NOTE",
        "SHARED-NOTE-TEXT",
        "ALICE-ACTION",
        "HYPERLINK(BOB-SHARED)",
    ):
        assert text in everything, text
    assert "BOB-PRIVATE-POINT" not in everything
    assert "BOB-PRIVATE-NOTE" not in everything


def test_the_other_persons_copy_holds_their_private_writing_not_mine(bob, writing):
    everything = "\n".join(export_files(build_export(bob)).values())
    assert "BOB-PRIVATE-NOTE" in everything and "BOB-PRIVATE-POINT" in everything
    assert "ALICE-PRIVATE-NOTE" not in everything and "ALICE-PRIVATE-POINT" not in everything


def test_it_has_json_markdown_and_csv(alice, writing):
    export = build_export(alice)
    files = export_files(export)
    assert {"README.md", "data.json", "profile.md", "access-log.md"} <= set(files)
    assert any(name.startswith("one-on-ones/") and name.endswith(".md") for name in files)
    assert "csv/talking_points.csv" in files and "csv/action_items.csv" in files
    data = export_json(export)
    assert data["format"] == "tete-personal-data" and data["version"] == 1
    assert data["profile"]["email"] == alice.email
    (one,) = data["one_on_ones"]
    assert one["with"] == "Bob Jones"
    points = one["meetings"][0]["talking_points"]
    assert {"text": "ALICE-PRIVATE-POINT", "author": "you", "private": True}.items() <= points[
        1
    ].items()
    assert one["meetings"][0]["private_note"] == "ALICE-PRIVATE-NOTE"
    # A formula in a spreadsheet cell is written as text.
    assert "'=HYPERLINK(BOB-SHARED)" in files["csv/talking_points.csv"]


def test_it_says_why_anonymous_survey_answers_are_not_in_it(alice, oneonone):
    export = build_export(alice)
    assert "anonymous" in export_json(export)["not_included"]["anonymous_survey_answers"]
    assert "Answers to anonymous surveys" in export_files(export)["README.md"]


def test_it_holds_the_persons_checkin_answers(alice, bob, oneonone, meeting):
    survey = checkins.attach_checkin(oneonone, by=alice, respondent=bob)
    question = checkins.current_questions(survey)[0]
    Response.objects.create(
        round=checkins.round_for(meeting, survey),
        respondent=bob,
        answers={str(question.pk): "BOB-CHECKIN"},
    )
    answers = export_json(build_export(bob))["survey_answers"]
    assert {"question": question.text, "answer": "BOB-CHECKIN"} in answers[0]["answers"]
    assert export_json(build_export(alice))["survey_answers"] == []


def test_it_holds_the_access_log(alice, oneonone):
    export = build_export(alice)
    kinds = [entry["kind"] for entry in export_json(export)["access_log"]]
    assert EventKind.DATA_EXPORTED in kinds


def test_the_other_participant_is_told_their_shared_history_left(alice, bob, oneonone):
    build_export(alice)
    event = AccessEvent.objects.get(person=bob, kind=EventKind.HISTORY_DOWNLOADED)
    assert event.actor == alice


def test_it_is_built_in_the_background_with_progress(
    alice, oneonone, client_for, django_capture_on_commit_callbacks
):
    client = client_for(alice)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(reverse("mydata:start_export"))
    export = DataExport.objects.get(person=alice)
    assert response.status_code == 302
    assert response["Location"] == reverse("mydata:export", args=[export.pk])
    page = client.get(response["Location"], HTTP_HX_REQUEST="true")
    assert 'hx-trigger="every 2s"' in page.text and "<progress" in page.text
    for callback in callbacks:
        callback()  # the task (immediate backend)
    export.refresh_from_db()
    assert export.status == ExportStatus.READY and export.progress == 100
    page = client.get(response["Location"])
    assert "Download the zip" in page.text and "every 2s" not in page.text


def test_asking_again_while_one_is_building_returns_it(alice, oneonone):
    first = exports.request_export(alice)
    assert exports.request_export(alice) == first
    assert DataExport.objects.filter(person=alice).count() == 1


def test_a_copy_lost_on_the_way_does_not_block_a_new_one(alice, oneonone):
    lost = exports.request_export(alice)  # its worker stopped: never built
    DataExport.objects.filter(pk=lost.pk).update(
        requested_at=timezone.now() - exports.LOST_AFTER - dt.timedelta(minutes=1)
    )
    fresh = exports.request_export(alice)
    assert fresh.pk != lost.pk
    assert DataExport.objects.get(pk=lost.pk).status == ExportStatus.FAILED


def test_the_link_expires(alice, oneonone, client_for, settings):
    export = build_export(alice)
    url = reverse("mydata:download", args=[export.pk])
    DataExport.objects.filter(pk=export.pk).update(
        expires_at=timezone.now() - dt.timedelta(seconds=1)
    )
    response = client_for(alice).get(url)
    assert response.status_code == 410
    assert "no longer available" in response.text
    assert exports.prune_expired() == 1
    assert DataExport.objects.get(pk=export.pk).content is None


def test_a_hundred_requests_in_a_minute_get_a_clear_429(alice, oneonone, client_for, settings):
    client = client_for(alice)
    codes = [client.post(reverse("mydata:start_export")).status_code for _ in range(100)]
    limit = settings.TETE_RATE_LIMITS["data_exports"][0]
    assert codes[:limit] == [302] * limit
    assert set(codes[limit:]) == {429}
    refused = client.post(reverse("mydata:start_export"))
    assert "copies of your data" in refused.text and refused["Retry-After"]
    # Nothing half done: one export, and not a hundred.
    assert DataExport.objects.filter(person=alice).count() == 1
