"""A browser recording whose page was reloaded or closed is continued by the person who
started it: its pieces are numbered on, consent stays the one given at the start, and the
parts are joined for the analysis."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.conversation.audio import synth
from tete.recordings import actions
from tete.recordings.models import AudioChunk, Continuation, Recording, RecordingState
from tete.reports.models import TranscriptStatus

pytestmark = pytest.mark.django_db

JSON = {"HTTP_ACCEPT": "application/json"}
WEBM = "audio/webm;codecs=opus"


@pytest.fixture
def recording(meeting, alice):
    """Alice's recording: pieces 0, 1 and 2 arrived, then her page was closed."""
    started = actions.start_browser_recording(meeting, by=alice, consent=True, content_type=WEBM)
    for index in range(3):
        actions.add_chunk(started, by=alice, index=index, data=b"piece %d" % index)
    return started


def _continue(client, recording, **data):
    return client.post(
        reverse("recordings:continue", args=[recording.pk]),
        {"content_type": WEBM, **data},
        **JSON,
    )


def test_only_who_started_it_can_continue(client_for, recording, alice, bob, carol, admin):
    refused = _continue(client_for(bob), recording)
    assert refused.status_code == 403
    assert "Only the person who started this recording" in refused.json()["error"]
    for person in (carol, admin):
        assert _continue(client_for(person), recording).status_code == 404
    anonymous = _continue(client_for(None), recording)
    assert anonymous.status_code == 302 and "/login/" in anonymous["Location"]
    assert not Continuation.objects.exists()

    answer = _continue(client_for(alice), recording)
    assert answer.status_code == 200
    assert answer.json()["next_index"] == 3
    continuation = Continuation.objects.get()
    assert (continuation.first_index, continuation.continued_by) == (3, alice)


def test_the_pieces_are_numbered_on_after_the_last_one_stored_or_kept(client_for, recording, alice):
    client = client_for(alice)
    # Piece 5 arrived out of order; 3 and 4 are still on their way.
    actions.add_chunk(recording, by=alice, index=5, data=b"late")
    assert _continue(client, recording).json()["next_index"] == 6
    # Continued twice with nothing sent in between: the empty part is replaced, not kept.
    assert _continue(client, recording).json()["next_index"] == 6
    assert list(Continuation.objects.values_list("first_index", flat=True)) == [6]
    # The browser still holds pieces up to 8 of that part that have not reached the server.
    assert _continue(client, recording, after="9").json()["next_index"] == 9
    assert list(Continuation.objects.values_list("first_index", flat=True)) == [6, 9]
    for index in (9, 10):
        chunk_url = reverse("recordings:chunk", args=[recording.pk, index])
        sent = client.generic("POST", chunk_url, b"more", content_type="application/octet-stream")
        assert sent.status_code == 200


def test_finishing_keeps_each_part_up_to_its_own_gap(recording, alice, monkeypatch):
    # Not analysed here (these pieces are no sound): what finishing kept is the point.
    monkeypatch.setattr(actions.report_actions, "enqueue_analysis", lambda transcript: None)
    actions.continue_browser_recording(recording, by=alice, content_type=WEBM)
    # Part 1 is 0, 1, 2 (3 never came); part 2 starts at 3, then 4; 6 follows a gap.
    for index in (3, 4, 6):
        actions.add_chunk(recording, by=alice, index=index, data=b"part two")
    actions.finish_browser_recording(recording, by=alice)
    assert list(AudioChunk.objects.values_list("index", flat=True)) == [0, 1, 2, 3, 4]


def test_a_finished_or_deleted_recording_takes_no_more(client_for, recording, alice, bob):
    client = client_for(alice)
    chunk_url = reverse("recordings:chunk", args=[recording.pk, 3])
    actions.finish_browser_recording(recording, by=bob)
    refused = _continue(client, recording)
    assert refused.status_code == 409
    assert "finished" in refused.json()["error"]
    late = client.generic("POST", chunk_url, b"late", content_type="application/octet-stream")
    assert late.status_code == 409 and "finished" in late.json()["error"]

    actions.delete_recording(Recording.objects.get(pk=recording.pk), by=alice)
    assert _continue(client, recording).status_code == 404
    gone = client.generic("POST", chunk_url, b"late", content_type="application/octet-stream")
    assert gone.status_code == 404


def test_a_piece_for_a_recording_deleted_meanwhile_is_refused_not_an_error(recording, alice):
    """The recorder fetched the recording, then the other person deleted it."""
    stale = Recording.objects.get(pk=recording.pk)
    Recording.objects.filter(pk=recording.pk).delete()
    with pytest.raises(ValidationError, match="deleted"):
        actions.add_chunk(stale, by=alice, index=3, data=b"late")
    with pytest.raises(ValidationError, match="deleted"):
        actions.continue_browser_recording(stale, by=alice, content_type=WEBM)


def test_it_is_continued_in_the_format_it_was_started_in(client_for, recording, alice):
    refused = _continue(client_for(alice), recording, content_type="audio/mp4")
    assert refused.status_code == 409
    assert "continue it in the browser it was started in" in refused.json()["error"]


def test_the_meeting_page_offers_to_continue_to_who_started_it_only(
    client_for, meeting, recording, alice, bob
):
    page = reverse("oneonones:meeting", args=[meeting.pk])
    link = reverse("recordings:upload", args=[meeting.pk]) + f"?continue={recording.pk}"
    assert link in client_for(alice).get(page).content.decode()
    other = client_for(bob).get(page).content.decode()
    assert "was not finished" in other and "Continue recording" not in other
    actions.finish_browser_recording(recording, by=bob)
    assert "Continue recording" not in client_for(alice).get(page).content.decode()


def test_the_recorder_page_continues_without_writing(client_for, meeting, recording, alice, bob):
    url = reverse("recordings:upload", args=[meeting.pk]) + f"?continue={recording.pk}"
    before = Recording.objects.values_list("last_chunk_at", flat=True).get(pk=recording.pk)
    page = client_for(alice).get(url).content.decode()
    assert "Continue recording" in page
    assert reverse("recordings:continue", args=[recording.pk]) in page
    assert "Both of you agreed to record this conversation" in page
    assert not Continuation.objects.exists()
    after = Recording.objects.values_list("last_chunk_at", flat=True).get(pk=recording.pk)
    assert after == before
    # The other participant is offered a new recording, not this one.
    other = client_for(bob).get(url).content.decode()
    assert "Continue recording" not in other and "Start recording" in other


@pytest.mark.parametrize("suffix", [".webm", ".m4a"])
def test_two_parts_make_one_report_in_order(suffix, tmp_path, client_for, meeting, alice):
    """Two MediaRecorder streams (each with its own header), one after the other: the
    report covers both, and says where they were joined."""
    from tests.conversation.audio.conftest import need_flite

    need_flite()
    conversation = synth.one_microphone(synth.converse(("slt", "rms"), turns=6, seed=5))
    half = conversation.shape[1] // 2
    parts = [
        synth.write(tmp_path / f"part{n}{suffix}", piece, rate=48000).read_bytes()
        for n, piece in enumerate((conversation[:, :half], conversation[:, half:]))
    ]
    content_type = {".webm": WEBM, ".m4a": "audio/mp4"}[suffix]
    client = client_for(alice)
    start = client.post(
        reverse("recordings:start", args=[meeting.pk]),
        {"consent": "on", "content_type": content_type},
        **JSON,
    ).json()
    for index, piece in enumerate((parts[0][: len(parts[0]) // 2], parts[0][len(parts[0]) // 2 :])):
        client.generic("POST", f"{start['chunk_url']}{index}/", piece, content_type="x/y")
    recording = Recording.objects.get(pk=start["id"])
    answer = _continue(client, recording, content_type=content_type).json()
    assert answer["next_index"] == 2
    client.generic("POST", f"{start['chunk_url']}2/", parts[1], content_type="x/y")
    assert client.post(start["finish_url"], **JSON).status_code == 200

    recording.refresh_from_db()
    assert recording.state == RecordingState.COMPLETE
    transcript = recording.transcript
    assert transcript.status == TranscriptStatus.DONE, transcript.failure_reason
    duration = recording.speech["recording"]["duration_s"]
    assert duration == pytest.approx(conversation.shape[1] / synth.RATE, abs=0.5)
    assert any("recorded in 2 parts" in w for w in recording.speech["warnings"])
    report = client.get(reverse("reports:report", args=[transcript.pk])).content.decode()
    assert "Recorded in the browser by Alice Martin" in report
    assert "Continued by Alice Martin at" in report
