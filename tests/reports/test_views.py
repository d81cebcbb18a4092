"""Every reports view with the personas: participants in, everyone else 404, anonymous to login."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from tete.oneonones.models import ActionItem
from tete.reports.models import SpeakerAlias, SuggestedActionItem, Transcript

from .conftest import sample_vtt


@pytest.fixture
def suggestion(transcript) -> SuggestedActionItem:
    return transcript.report.suggestions.first()


def urls(transcript, suggestion) -> dict[str, tuple[str, str, str]]:
    """name → (url, allowed method, a method it refuses)."""
    return {
        "upload": (reverse("reports:upload", args=[transcript.meeting_id]), "get", "put"),
        "report": (reverse("reports:report", args=[transcript.pk]), "get", "post"),
        "status": (reverse("reports:status", args=[transcript.pk]), "get", "post"),
        "retry": (reverse("reports:retry", args=[transcript.pk]), "post", "get"),
        "speakers": (reverse("reports:speakers", args=[transcript.pk]), "get", "put"),
        "delete": (reverse("reports:delete", args=[transcript.pk]), "get", "put"),
        "accept": (reverse("reports:accept_suggestion", args=[suggestion.pk]), "post", "get"),
        "dismiss": (reverse("reports:dismiss_suggestion", args=[suggestion.pk]), "post", "get"),
        "trends": (
            reverse("reports:trends", args=[transcript.meeting.oneonone_id]),
            "get",
            "post",
        ),
    }


NAMES = ["upload", "report", "status", "retry", "speakers", "delete", "accept", "dismiss", "trends"]


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("persona", ["alice", "bob"])
def test_participants_can_use_it(name, persona, request, client_for, transcript, suggestion):
    url, method, _ = urls(transcript, suggestion)[name]
    client = client_for(request.getfixturevalue(persona))
    response = getattr(client, method)(url)
    assert response.status_code in (200, 302)


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("persona", ["carol", "admin"])
def test_anyone_else_gets_404_staff_included(
    name, persona, request, client_for, transcript, suggestion
):
    url, method, _ = urls(transcript, suggestion)[name]
    client = client_for(request.getfixturevalue(persona))
    assert getattr(client, method)(url).status_code == 404
    assert SuggestedActionItem.objects.get(pk=suggestion.pk).status == "open"


@pytest.mark.parametrize("name", NAMES)
def test_anonymous_visitors_are_sent_to_sign_in(name, client_for, transcript, suggestion):
    url, method, _ = urls(transcript, suggestion)[name]
    response = getattr(client_for(None), method)(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


@pytest.mark.parametrize("name", NAMES)
def test_wrong_method_is_405(name, client_for, alice, transcript, suggestion):
    url, _, wrong = urls(transcript, suggestion)[name]
    assert getattr(client_for(alice), wrong)(url).status_code == 405


def test_uploading_through_the_form_shows_the_report(client_for, bob, meeting):
    client = client_for(bob)
    upload = SimpleUploadedFile("call.vtt", sample_vtt(seed=9), content_type="text/vtt")
    response = client.post(reverse("reports:upload", args=[meeting.pk]), {"file": upload})
    transcript = Transcript.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:report", args=[transcript.pk])
    page = client.get(response["Location"])
    assert b"Talk balance" in page.content
    assert b"<svg" in page.content
    assert b"Bob Jones" in page.content


def test_an_oversized_upload_says_the_limit_next_to_the_field(client_for, bob, meeting, settings):
    settings.TETE_MAX_UPLOAD_BYTES = 1024
    client = client_for(bob)
    upload = SimpleUploadedFile("big.vtt", b"x" * 2000)
    response = client.post(reverse("reports:upload", args=[meeting.pk]), {"file": upload})
    assert response.status_code == 400
    assert "larger than 1 KB, the largest file accepted" in response.content.decode()
    assert not Transcript.objects.exists()


def test_uploading_the_same_file_again_says_so(client_for, alice, transcript, vtt):
    client = client_for(alice)
    upload = SimpleUploadedFile("again.vtt", vtt)
    response = client.post(
        reverse("reports:upload", args=[transcript.meeting_id]), {"file": upload}, follow=True
    )
    assert "already uploaded" in response.content.decode()
    assert Transcript.objects.count() == 1


def test_a_failed_analysis_shows_the_reason(client_for, alice, meeting):
    client = client_for(alice)
    upload = SimpleUploadedFile("notes.vtt", b"WEBVTT\n\nnot a cue at all\n00:00 --> x\n")
    response = client.post(
        reverse("reports:upload", args=[meeting.pk]), {"file": upload}, follow=True
    )
    transcript = Transcript.objects.get()
    assert transcript.status == "failed"
    assert "The analysis failed" in response.content.decode()


def test_the_status_row_polls_while_pending_and_stops_when_done(client_for, alice, transcript):
    client = client_for(alice)
    url = reverse("reports:status", args=[transcript.pk])
    Transcript.objects.filter(pk=transcript.pk).update(status="queued")
    from django.utils import timezone

    Transcript.objects.filter(pk=transcript.pk).update(started_at=timezone.now())
    pending = client.get(url, headers={"HX-Request": "true"})
    assert b'hx-trigger="every 2s"' in pending.content
    assert b"Queued" in pending.content
    Transcript.objects.filter(pk=transcript.pk).update(status="done")
    done = client.get(url, headers={"HX-Request": "true"})
    assert b"hx-trigger" not in done.content
    assert b"Done" in done.content
    # The report page asks to be reloaded once the analysis is done.
    refresh = client.get(url + "?on=report", headers={"HX-Request": "true"})
    assert refresh["HX-Refresh"] == "true"


def test_a_stopped_analysis_is_shown_as_stopped_and_retried_on_request(
    client_for, alice, transcript
):
    client = client_for(alice)
    long_ago = timezone.now() - dt.timedelta(days=1)
    Transcript.objects.filter(pk=transcript.pk).update(status="running", started_at=long_ago)
    row = client.get(
        reverse("reports:status", args=[transcript.pk]), headers={"HX-Request": "true"}
    )
    # The poll only looks: the transcript stays as it was, and polling ends.
    assert Transcript.objects.get(pk=transcript.pk).status == "running"
    assert b"hx-trigger" not in row.content
    assert b"The analysis stopped" in row.content and b"Try again" in row.content
    report_page = client.get(reverse("reports:report", args=[transcript.pk])).content
    assert b"The analysis stopped" in report_page
    assert Transcript.objects.get(pk=transcript.pk).status == "running"
    # The report page's own poll reloads it, to show the same.
    poll = client.get(
        reverse("reports:status", args=[transcript.pk]) + "?on=report",
        headers={"HX-Request": "true"},
    )
    assert poll["HX-Refresh"] == "true"
    retry = reverse("reports:retry", args=[transcript.pk])
    row = client.post(retry, headers={"HX-Request": "true"})
    # Queued again and analysed (the immediate backend runs it at once).
    assert Transcript.objects.get(pk=transcript.pk).status == "done"
    assert b"Done" in row.content and b"Try again" not in row.content
    # An analysis that did not stop is left alone; without JavaScript, back to the report.
    assert client.post(retry)["Location"] == reverse("reports:report", args=[transcript.pk])


def test_mapping_speakers_through_the_form(client_for, bob, alice, meeting):
    from tete.reports import actions

    content = sample_vtt(seed=11, lead="Speaker 1", partner="Speaker 2")
    transcript = actions.upload_transcript(
        meeting, by=bob, filename="t.vtt", content=content
    ).transcript
    client = client_for(bob)
    url = reverse("reports:speakers", args=[transcript.pk])
    page = client.get(url)
    assert "“Speaker 1” is" in page.content.decode()
    response = client.post(url, {"speaker_0": str(alice.pk), "speaker_1": str(bob.pk)})
    assert response.status_code == 302
    assert dict(SpeakerAlias.objects.values_list("label", "person_id")) == {
        "Speaker 1": alice.pk,
        "Speaker 2": bob.pk,
    }
    transcript.report.refresh_from_db()
    assert transcript.report.mapping_confirmed


def test_accepting_a_suggestion_with_htmx_returns_the_row(client_for, bob, suggestion):
    client = client_for(bob)
    response = client.post(
        reverse("reports:accept_suggestion", args=[suggestion.pk]),
        {"text": "Update the runbook", "owner": str(bob.pk), "due_date": "2030-01-31"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert b"Accepted" in response.content
    item = ActionItem.objects.get()
    assert (item.text, item.owner, str(item.due_date)) == ("Update the runbook", bob, "2030-01-31")


def test_a_bad_due_date_keeps_the_typed_values_and_says_why(client_for, bob, suggestion):
    client = client_for(bob)
    response = client.post(
        reverse("reports:accept_suggestion", args=[suggestion.pk]),
        {"text": "Typed text", "owner": str(bob.pk), "due_date": "not a date"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 400
    assert b"Typed text" in response.content
    assert b"Enter a valid date" in response.content
    assert not ActionItem.objects.exists()


def test_dismissing_without_javascript_redirects_to_the_report(client_for, alice, suggestion):
    response = client_for(alice).post(reverse("reports:dismiss_suggestion", args=[suggestion.pk]))
    assert response.status_code == 302
    assert f"#suggestion-{suggestion.pk}" in response["Location"]
    suggestion.refresh_from_db()
    assert suggestion.status == "dismissed"


def test_deleting_through_the_form(client_for, bob, transcript):
    response = client_for(bob).post(reverse("reports:delete", args=[transcript.pk]))
    assert response.status_code == 302
    assert not Transcript.objects.exists()


def test_the_report_says_how_much_speech_had_no_speaker(client_for, bob, meeting):
    cues = [
        ("00:00:00.000", "00:01:00.000", "Alice Martin: Shall we start with your agenda?"),
        ("00:01:00.000", "00:03:00.000", "Bob Jones (Platform): Yes, the release first."),
        ("00:03:00.000", "00:04:00.000", "Alice Martin: Go on."),
        ("00:04:00.000", "00:05:00.000", "Bob Jones (Platform): It slipped a week."),
        ("00:05:00.000", "00:07:00.000", "nobody is named here"),
        ("00:07:00.000", "00:08:00.000", "nor here"),
        ("00:08:00.000", "00:09:00.000", "nor here either"),
    ]
    vtt = "WEBVTT\n\n" + "\n\n".join(
        f"{number}\n{start} --> {end}\n{text}" for number, (start, end, text) in enumerate(cues, 1)
    )
    client = client_for(bob)
    upload = SimpleUploadedFile("zoom.vtt", vtt.encode(), content_type="text/vtt")
    response = client.post(
        reverse("reports:upload", args=[meeting.pk]), {"file": upload}, follow=True
    )
    page = response.content.decode()
    assert "3 cues (4 min, 44%) have no speaker." in page
    assert "Bob Jones" in page


PLAIN = b"""Alice Martin: How did the week go?
Bob Jones: Busy with the migration. I will send the plan by Friday.
Alice Martin: Great, thanks. What would help?
Bob Jones: More time for reviews, and a second pair of eyes on the rollout.
"""


def test_a_transcript_without_timings_says_timing_is_not_available(client_for, alice, meeting):
    from tete.reports import actions

    transcript = actions.upload_transcript(
        meeting, by=alice, filename="notes.txt", content=PLAIN
    ).transcript
    content = client_for(alice).get(reverse("reports:report", args=[transcript.pk])).content
    page = content.decode()
    assert "0 s of talk" not in page and "0 s" not in page
    assert "talk time not available" in page
    assert "This file has no timings, so shares are by words spoken" in page
    assert "Not available: this file does not say when anything was said" in page
    assert "Not available: this file has no timings." in page  # silence
    # Shares, by words, still show.
    assert "Bob Jones" in page and "%" in page
    # The trends have no zero-minute meeting either: its length is a gap.
    from tete.reports.trends import meeting_figures

    (point,) = meeting_figures(meeting.oneonone)
    assert point.minutes is None
