"""Upload → background analysis → stored report, and what the analysis makes of it."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from tete.oneonones.models import ActionItem
from tete.reports import actions
from tete.reports.models import ConversationReport, SpeakerAlias, SuggestedActionItem, Transcript

from .conftest import sample_vtt


def test_it_analyses_an_upload_and_stores_figures_per_participant(transcript, oneonone, alice, bob):
    transcript.refresh_from_db()
    assert transcript.status == "done"
    assert transcript.format == "webvtt"
    report = transcript.report
    assert report.oneonone == oneonone
    # Generated with Alice talking about 70% of the time.
    assert report.share_of(alice.pk) == pytest.approx(0.7, abs=0.1)
    assert report.first_share + report.second_share == pytest.approx(1.0, abs=0.001)
    assert report.balance_status == "unbalanced"  # bob, the report, talked under 50%
    assert report.speaker_people == {"Alice Martin": alice.pk, "Bob Jones": bob.pk}
    assert report.suggestions.exists()
    assert report.duration_s > 300


def test_the_same_file_twice_is_recognised(transcript, meeting, bob, vtt):
    again = actions.upload_transcript(meeting, by=bob, filename="copy.vtt", content=vtt)
    assert again.duplicate
    assert again.transcript.pk == transcript.pk
    assert "already uploaded" in again.duplicate_message
    assert Transcript.objects.count() == 1


def test_a_corrupt_file_fails_with_the_reason_and_changes_nothing_else(meeting, alice):
    result = actions.upload_transcript(
        meeting, by=alice, filename="broken.vtt", content=b"WEBVTT\n\n00:00:01.000 --> nonsense\n"
    )
    transcript = Transcript.objects.get(pk=result.transcript.pk)
    assert transcript.status == "failed"
    assert transcript.failure_reason.startswith("The file could not be read: ")
    assert not ConversationReport.objects.exists()
    assert not SuggestedActionItem.objects.exists()
    assert not SpeakerAlias.objects.exists()
    assert not ActionItem.objects.exists()


def test_a_binary_file_fails_with_a_reason(meeting, alice):
    result = actions.upload_transcript(
        meeting, by=alice, filename="photo.png", content=b"\x89PNG\r\n\x1a\n\x00\x00\x00" * 20
    )
    transcript = Transcript.objects.get(pk=result.transcript.pk)
    assert transcript.status == "failed"
    assert transcript.failure_reason


def test_a_transcript_without_speaker_names_fails_with_a_reason(meeting, alice):
    content = b"WEBVTT\n\n00:00:01.000 --> 00:00:04.000\nHello there.\n\n00:00:05.000 --> 00:00:07.000\nHi.\n"
    result = actions.upload_transcript(meeting, by=alice, filename="anon.vtt", content=content)
    transcript = Transcript.objects.get(pk=result.transcript.pk)
    assert transcript.status == "failed"
    assert "speaker names" in transcript.failure_reason


def test_an_oversized_file_is_refused_with_the_limit(meeting, alice, settings):
    settings.TETE_MAX_UPLOAD_BYTES = 100
    with pytest.raises(ValidationError, match="largest transcript accepted is"):
        actions.upload_transcript(meeting, by=alice, filename="big.vtt", content=b"x" * 101)
    assert not Transcript.objects.exists()


def test_an_outsider_cannot_upload(meeting, carol, vtt):
    with pytest.raises(ValidationError):
        actions.upload_transcript(meeting, by=carol, filename="x.vtt", content=vtt)


def test_running_the_analysis_again_is_idempotent(transcript):
    report = transcript.report
    suggestion = report.suggestions.first()
    actions.dismiss_suggestion(suggestion, by=transcript.uploaded_by)
    count = report.suggestions.count()
    # A retried task after a worker was killed: the transcript is still "running".
    Transcript.objects.filter(pk=transcript.pk).update(status="running")
    assert actions.run_analysis(transcript.pk) == "done"
    assert ConversationReport.objects.count() == 1
    assert SuggestedActionItem.objects.count() == count
    assert SuggestedActionItem.objects.get(pk=suggestion.pk).status == "dismissed"
    # A late duplicate task on a finished transcript does nothing.
    assert actions.run_analysis(transcript.pk) == "done"
    assert ConversationReport.objects.count() == 1


def test_names_in_the_file_are_matched_to_the_participants(meeting, alice, bob):
    content = sample_vtt(seed=3, lead="alice", partner="Bob J. (iPhone)")
    transcript = actions.upload_transcript(
        meeting, by=bob, filename="zoom.vtt", content=content
    ).transcript
    report = ConversationReport.objects.get(transcript=transcript)
    assert report.data["speaker_labels"] == {"alice": alice.pk, "Bob J. (iPhone)": bob.pk}
    assert not report.mapping_confirmed


def test_correcting_the_mapping_recomputes_the_report_and_is_remembered(meeting, alice, bob):
    # The tool labelled them the wrong way round: names that match nobody.
    content = sample_vtt(seed=4, lead="Speaker 1", partner="Speaker 2", lead_share=0.7)
    transcript = actions.upload_transcript(
        meeting, by=alice, filename="teams.vtt", content=content
    ).transcript
    report = ConversationReport.objects.get(transcript=transcript)
    assert report.first_share is None  # nobody mapped: no share for either person
    actions.save_speaker_mapping(
        transcript, by=bob, mapping={"Speaker 1": bob.pk, "Speaker 2": alice.pk}
    )
    report.refresh_from_db()
    assert report.mapping_confirmed
    assert report.share_of(bob.pk) == pytest.approx(0.7, abs=0.1)
    assert ConversationReport.objects.count() == 1
    aliases = dict(SpeakerAlias.objects.values_list("label", "person_id"))
    assert aliases == {"Speaker 1": bob.pk, "Speaker 2": alice.pk}
    # The next transcript with the same labels maps itself.
    second = actions.upload_transcript(
        meeting,
        by=alice,
        filename="teams2.vtt",
        content=sample_vtt(seed=5, lead="Speaker 1", partner="Speaker 2"),
    ).transcript
    assert ConversationReport.objects.get(transcript=second).mapping_confirmed


def test_someone_else_is_kept_apart_from_the_participants(meeting, alice, bob):
    content = sample_vtt(seed=6, lead="Alice Martin", partner="Notetaker bot")
    transcript = actions.upload_transcript(
        meeting, by=alice, filename="x.vtt", content=content
    ).transcript
    actions.save_speaker_mapping(
        transcript, by=alice, mapping={"Alice Martin": alice.pk, "Notetaker bot": None}
    )
    report = ConversationReport.objects.get(transcript=transcript)
    assert report.speaker_people == {"Alice Martin": alice.pk, "Notetaker bot": None}
    assert report.share_of(bob.pk) is None


def test_a_mapping_can_only_name_the_two_participants(transcript, alice, carol):
    with pytest.raises(ValidationError):
        actions.save_speaker_mapping(
            transcript, by=alice, mapping={"Alice Martin": carol.pk, "Bob Jones": None}
        )


def test_accepting_a_suggestion_creates_an_action_item(transcript, alice, bob):
    suggestion = transcript.report.suggestions.first()
    accepted = actions.accept_suggestion(
        suggestion, by=bob, owner=bob, due_date=None, text="Write the alerting proposal"
    )
    assert accepted.status == "accepted"
    item = ActionItem.objects.get()
    assert item.owner == bob
    assert item.text == "Write the alerting proposal"
    assert item.created_in == transcript.meeting
    # Accepting twice (both people at once) adds nothing.
    actions.accept_suggestion(suggestion, by=alice, owner=alice, due_date=None)
    assert ActionItem.objects.count() == 1


def test_deleting_a_transcript_deletes_its_report_but_keeps_accepted_items(transcript, alice):
    suggestion = transcript.report.suggestions.first()
    actions.accept_suggestion(suggestion, by=alice, owner=alice, due_date=None)
    actions.delete_transcript(transcript, by=alice)
    assert not Transcript.objects.exists()
    assert not ConversationReport.objects.exists()
    assert not SuggestedActionItem.objects.exists()
    assert ActionItem.objects.count() == 1
