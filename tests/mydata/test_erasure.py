"""Erasure: what goes, what stays for the other participant, in one transaction, and refusals."""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from tests.conftest import PASSWORD, signs_in
from tests.mydata.conftest import build_export
from tete.accounts.models import Person
from tete.mydata import access_log, erasure
from tete.mydata.models import AccessEvent, DataExport, Erasure, EventKind
from tete.oneonones import actions
from tete.oneonones.models import (
    ActionItem,
    Meeting,
    MeetingStatus,
    PrivateNote,
    SharedNote,
    TalkingPoint,
    Template,
)
from tete.reports import actions as report_actions
from tete.reports.models import ConversationReport, Transcript
from tete.reports.samples import generate_webvtt
from tete.surveys import checkins
from tete.surveys.models import Response

pytestmark = pytest.mark.django_db


@pytest.fixture
def bobs_data(alice, bob, oneonone, meeting):
    import random

    actions.add_talking_point(meeting, by=bob, text="BOB-SHARED-POINT")
    actions.add_talking_point(meeting, by=bob, text="BOB-PRIVATE-POINT", private=True)
    actions.add_talking_point(meeting, by=alice, text="ALICE-PRIVATE-POINT", private=True)
    actions.save_private_note(meeting, by=bob, text="BOB-PRIVATE-NOTE")
    actions.save_private_note(meeting, by=alice, text="ALICE-PRIVATE-NOTE")
    actions.save_shared_note(meeting, text="SHARED-NOTE-BY-BOB", base_version=0, by=bob)
    actions.add_action_item(meeting, by=bob, text="BOB-ACTION", owner=bob)
    actions.create_template(owner=bob, name="BOB-TEMPLATE", questions=["Q?"])
    vtt = generate_webvtt(random.Random(1), "Alice Martin", "Bob Jones").encode()
    report_actions.upload_transcript(meeting, by=bob, filename="b.vtt", content=vtt)
    survey = checkins.attach_checkin(oneonone, by=alice, respondent=bob)
    question = checkins.current_questions(survey)[0]
    Response.objects.create(
        round=checkins.round_for(meeting, survey),
        respondent=bob,
        answers={str(question.pk): "BOB-CHECKIN"},
    )
    access_log.record(bob, EventKind.PASSWORD_CHANGED)
    build_export(bob)
    return meeting


def test_it_deletes_the_persons_private_data_and_account(bob, bobs_data):
    erasure.erase_own_data(bob)
    assert not TalkingPoint.objects.filter(text="BOB-PRIVATE-POINT").exists()
    assert not PrivateNote.objects.filter(text="BOB-PRIVATE-NOTE").exists()
    assert not Transcript.objects.filter(uploaded_by=bob).exists()
    assert not ConversationReport.objects.exists()
    assert not Response.objects.filter(respondent=bob).exists()
    assert not Template.objects.filter(name="BOB-TEMPLATE").exists()
    assert not AccessEvent.objects.filter(person=bob).exists()
    assert not DataExport.objects.filter(person=bob).exists()
    bob.refresh_from_db()
    assert bob.name == "a former colleague"
    assert "bob" not in bob.email and bob.title == "" and bob.manager is None
    assert not bob.is_active and not bob.has_usable_password()


def test_the_other_participant_keeps_the_shared_history(alice, bob, bobs_data, client_for):
    erasure.erase_own_data(bob)
    assert TalkingPoint.objects.filter(text="BOB-SHARED-POINT").exists()
    assert SharedNote.objects.get(meeting=bobs_data).text == "SHARED-NOTE-BY-BOB"
    assert ActionItem.objects.filter(text="BOB-ACTION").exists()
    # Alice's own private writing is hers: untouched.
    assert TalkingPoint.objects.filter(text="ALICE-PRIVATE-POINT").exists()
    assert PrivateNote.objects.filter(text="ALICE-PRIVATE-NOTE").exists()
    page = client_for(alice).get(reverse("oneonones:meeting", args=[bobs_data.pk]))
    assert page.status_code == 200
    assert "BOB-SHARED-POINT" in page.text and "a former colleague" in page.text
    assert "Bob Jones" not in page.text


def test_it_shows_in_the_other_participants_access_log(alice, bob, bobs_data, client_for):
    erasure.erase_own_data(bob)
    event = AccessEvent.objects.get(person=alice, kind=EventKind.OTHER_ERASED)
    assert event.detail["name"] == "Bob Jones"
    text = client_for(alice).get(reverse("mydata:access_log")).text
    assert "Bob Jones&#x27;s data was erased" in text


def test_it_is_one_transaction(bob, bobs_data):
    # A failure half-way (here: anonymising the account) leaves everything as it was.
    failing = mock.patch("tete.mydata.erasure._anonymise", side_effect=RuntimeError("disk full"))
    with failing, pytest.raises(RuntimeError):
        erasure.erase_own_data(bob)
    assert TalkingPoint.objects.filter(text="BOB-PRIVATE-POINT").exists()
    assert PrivateNote.objects.filter(text="BOB-PRIVATE-NOTE").exists()
    assert Transcript.objects.filter(uploaded_by=bob).exists()
    assert not Erasure.objects.exists()
    assert Person.objects.get(pk=bob.pk).name == "Bob Jones"


def test_it_cannot_be_undone_or_repeated(bob, bobs_data, admin):
    erasure.erase_own_data(bob)
    with pytest.raises(erasure.ErasureRefused, match="already been erased"):
        erasure.start_erasure(Person.objects.get(pk=bob.pk), by=admin)
    assert Erasure.objects.get().erased_at is not None


def test_the_person_asks_from_their_profile_with_their_password(bob, bobs_data, client):
    client.force_login(bob)
    assert "Erase my data" in client.get(reverse("people:profile")).text
    url = reverse("mydata:erase")
    wrong = client.post(url, {"password": "nope", "confirm": "erase my data"})
    assert wrong.status_code == 400 and "not your password" in wrong.text
    assert not Erasure.objects.exists()
    done = client.post(url, {"password": PASSWORD, "confirm": "Erase my data"})
    assert done.status_code == 200 and "Your data is erased" in done.text
    # Signed out, and the old address and password no longer sign in.
    assert client.get(reverse("home")).status_code == 302
    assert not signs_in(client, "bob@example.com", PASSWORD)


def test_erasing_in_the_middle_of_a_meeting_is_safe(alice, bob, bobs_data, client_for):
    Meeting.objects.filter(pk=bobs_data.pk).update(
        scheduled_at=timezone.now() - dt.timedelta(minutes=10)
    )
    client = client_for(alice)
    erasure.erase_own_data(bob)
    # Alice's next changes find a one-on-one that has ended: a clear answer, nothing written.
    response = client.post(
        reverse("oneonones:add_talking_point", args=[bobs_data.pk]), {"text": "After"}
    )
    assert response.status_code == 409
    assert not TalkingPoint.objects.filter(text="After").exists()
    assert client.get(reverse("oneonones:meeting", args=[bobs_data.pk])).status_code == 200
    assert client.get(reverse("home")).status_code == 200
    assert not Meeting.objects.filter(
        oneonone=bobs_data.oneonone, status=MeetingStatus.SCHEDULED
    ).exists()


def test_the_last_admin_cannot_be_erased(admin, client_for):
    response = client_for(admin).post(
        reverse("mydata:erase"), {"password": PASSWORD, "confirm": "erase my data"}
    )
    assert response.status_code == 409
    assert "last admin" in response.text
    assert not Erasure.objects.exists()
    assert Person.objects.get(pk=admin.pk).is_active


def test_staff_start_and_a_second_staff_person_confirms(alice, bob, admin, bobs_data, client_for):
    second = Person.objects.create_user(
        "sam@example.com", PASSWORD, name="Sam Staff", is_staff=True
    )
    client = client_for(admin)
    response = client.post(reverse("mydata:start_erasure", args=[bob.pk]))
    assert response.status_code == 302
    record = Erasure.objects.get()
    assert record.is_pending and record.source == Erasure.Source.STAFF
    assert AccessEvent.objects.filter(person=bob, kind=EventKind.ERASURE_STARTED).exists()
    # The one who started it cannot confirm it.
    client.post(reverse("mydata:confirm_erasure", args=[record.pk]))
    assert Erasure.objects.get().is_pending
    client_for(second).post(reverse("mydata:confirm_erasure", args=[record.pk]))
    record.refresh_from_db()
    assert record.erased_at is not None and record.confirmed_by_id == second.pk
    assert Person.objects.get(pk=bob.pk).name == "a former colleague"


def test_staff_erasures_happen_after_the_delay(bob, admin, bobs_data, settings):
    settings.TETE_ERASURE_DELAY_DAYS = 3
    record = erasure.start_erasure(bob, by=admin)
    call_command("erase_due")
    assert Erasure.objects.get(pk=record.pk).is_pending
    Erasure.objects.filter(pk=record.pk).update(due_at=timezone.now() - dt.timedelta(minutes=1))
    call_command("erase_due")
    assert Erasure.objects.get(pk=record.pk).erased_at is not None


def test_a_cancelled_erasure_never_happens(bob, admin, bobs_data):
    record = erasure.start_erasure(bob, by=admin)
    erasure.cancel_erasure(record, by=admin)
    Erasure.objects.filter(pk=record.pk).update(due_at=timezone.now() - dt.timedelta(days=1))
    assert erasure.erase_due() == []
    assert Person.objects.get(pk=bob.pk).name == "Bob Jones"
    assert AccessEvent.objects.filter(person=bob, kind=EventKind.ERASURE_CANCELLED).exists()


def test_staff_cannot_start_erasing_the_last_admin(admin, client_for):
    other = Person.objects.create_user("sam@example.com", PASSWORD, name="Sam Staff", is_staff=True)
    response = client_for(other).post(reverse("mydata:start_erasure", args=[admin.pk]))
    assert response.status_code == 409 and "last admin" in response.text
    assert not Erasure.objects.exists()


def test_staff_see_an_erased_account_as_erased_not_to_reactivate(bob, admin, bobs_data, client_for):
    erasure.erase_own_data(bob)
    page = client_for(admin).get(reverse("people:person", args=[bob.pk])).text
    assert "Their data was erased on" in page
    assert reverse("people:reactivate", args=[bob.pk]) not in page
    assert reverse("mydata:start_erasure", args=[bob.pk]) not in page


def test_recordings_the_person_made_go_too_even_unfinished(bob, alice, bobs_data):
    from tete.recordings.models import AudioChunk, AudioFile, Recording, RecordingKind

    unfinished = Recording.objects.create(
        meeting=bobs_data, kind=RecordingKind.BROWSER, state="recording", created_by=bob
    )
    sound = AudioFile.objects.create(recording=unfinished, filename="browser.webm")
    AudioChunk.objects.create(file=sound, index=0, data=b"BOB-SOUND")
    alices = Recording.objects.create(
        meeting=bobs_data, kind=RecordingKind.BROWSER, state="recording", created_by=alice
    )
    erasure.erase_own_data(bob)
    assert not Recording.objects.filter(created_by=bob).exists()
    assert not AudioChunk.objects.filter(data=b"BOB-SOUND").exists()
    assert Recording.objects.filter(pk=alices.pk).exists()


def test_the_persons_api_tokens_and_calendar_feed_go(bob, bobs_data):
    from tete.api import actions as api_actions
    from tete.api.models import ApiToken, CalendarFeed

    api_actions.create_token(bob, name="script", can_write=True)
    api_actions.reset_calendar_feed(bob)
    assert ApiToken.objects.filter(person=bob).exists()
    assert CalendarFeed.objects.filter(person=bob).exists()
    erasure.erase_own_data(bob)
    assert not ApiToken.objects.filter(person=bob).exists()
    assert not CalendarFeed.objects.filter(person=bob).exists()
