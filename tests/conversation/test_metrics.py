"""Metric definitions (docs/metrics.md) on small, exact conversations."""

from __future__ import annotations

import pytest

from tete.conversation import Segment, Transcript, analyze, read

from .support import fixture

# Readers and metrics: with the compiled speed-ups and on the pure-Python paths.
pytestmark = pytest.mark.usefixtures("each_implementation")


def conversation(
    *segments: tuple[str | None, float, float, str], timing: str = "cues"
) -> Transcript:
    return Transcript(
        "test",
        "webvtt",
        tuple(Segment(*s) for s in segments),
        timing,  # type: ignore[arg-type]
    )


def test_talk_time_is_the_union_of_a_speakers_intervals():
    report = analyze(conversation(("Ann", 0, 10, "a b"), ("Ann", 5, 12, "c"), ("Ben", 12, 16, "d")))
    assert report.speaker("Ann").talk_time_s == 12
    assert report.speaker("Ann").talk_share == pytest.approx(12 / 16)
    assert report.duration_s == 16


def test_unnamed_segments_do_not_count_in_shares():
    report = analyze(conversation(("Ann", 0, 4, "a"), (None, 4, 8, "b"), ("Ben", 8, 10, "c")))
    assert [s.name for s in report.speakers] == ["Ann", "Ben"]
    assert report.speaker("Ann").talk_share == pytest.approx(4 / 6)
    assert report.conversation.unattributed_s == 4


def test_starting_over_someone_is_an_interruption():
    report = analyze(
        conversation(
            ("Ann", 0, 10, "I was saying that we should"), ("Ben", 6, 12, "No, wait, listen")
        )
    )
    assert report.speaker("Ben").interruptions == 1
    assert report.speaker("Ann").interrupted == 1
    assert report.conversation.overlap_s == 4


def test_a_backchannel_is_not_an_interruption_and_keeps_the_turn():
    report = analyze(
        conversation(
            ("Ann", 0, 10, "Here is the plan for the quarter"),
            ("Ben", 4, 5, "Mm-hmm."),
            ("Ann", 10, 20, "and then the launch"),
        )
    )
    assert report.speaker("Ben").interruptions == 0
    assert report.speaker("Ben").backchannels == 1
    assert report.speaker("Ann").turns == 1
    assert report.speaker("Ann").longest_monologue_s == 20


def test_starting_as_the_other_finishes_is_turn_taking():
    report = analyze(conversation(("Ann", 0, 10, "Over to you"), ("Ben", 9.7, 15, "Thanks, so")))
    assert report.conversation.interruptions == 0


def test_yes_after_a_question_is_an_answer_not_a_backchannel():
    report = analyze(conversation(("Ann", 0, 3, "Did you ship it?"), ("Ben", 3.5, 4, "Yes.")))
    assert report.speaker("Ben").turns == 1
    assert report.speaker("Ben").backchannels == 0


def test_silence_and_response_latency():
    report = analyze(
        conversation(
            ("Ann", 0, 5, "Question?"), ("Ben", 7, 10, "Answer."), ("Ann", 10.5, 12, "Ok then.")
        )
    )
    c = report.conversation
    assert c.silence_s == pytest.approx(2.5)
    assert c.longest_silence_s == pytest.approx(2)
    assert c.silence_share == pytest.approx(2.5 / 12)
    assert report.speaker("Ben").response_latency_s == pytest.approx(2)
    assert report.speaker("Ann").response_latency_s == pytest.approx(0.5)


def test_questions_words_fillers_and_wpm():
    report = analyze(
        conversation(
            ("Ann", 0, 60, "Um, what do you think?? I mean, really? You know, basically yes")
        )
    )
    ann = report.speaker("Ann")
    assert ann.questions == 2
    assert ann.words == 12
    assert ann.filler_words == 4
    assert ann.words_per_minute == pytest.approx(12)


def test_without_times_shares_come_from_words():
    report = analyze(read(fixture("plain.txt")))
    assert report.conversation.share_basis == "words"
    alice, bob = report.speaker("Alice"), report.speaker("Bob")
    assert alice.talk_share + bob.talk_share == pytest.approx(1)
    assert bob.talk_share > alice.talk_share
    assert alice.words_per_minute is None
    assert report.conversation.silence_s is None


def test_a_real_teams_file_end_to_end():
    report = analyze(read(fixture("teams.vtt")))
    alice, bob = report.speaker("Alice Moreau"), report.speaker("Bob Okafor")
    assert alice.backchannels == 1
    assert alice.interruptions == 1  # "Yes, and I think…" at 20.5 while Bob talks to 22.0
    assert bob.interruptions == 0
    assert alice.questions == 1 and bob.questions == 1
    assert bob.turns == 1  # Alice's mm-hmm does not split Bob's turn


def test_to_dict_follows_the_json_contract():
    data = analyze(read(fixture("teams.vtt"))).to_dict()
    assert {"source", "format", "duration_s", "speakers", "segments"} <= set(data)
    assert data["format"] == "webvtt"
    speaker = data["speakers"][0]
    for key in (
        "name",
        "talk_time_s",
        "talk_share",
        "turns",
        "words",
        "words_per_minute",
        "longest_monologue_s",
        "questions",
        "interruptions",
    ):
        assert key in speaker
    assert data["segments"][0] == {
        "speaker": "Alice Moreau",
        "start": 1.25,
        "end": 5.8,
        "text": "Hi Bob, thanks for making time today. How did the release go?",
    }
    assert "keywords" not in data


def test_an_empty_transcript_gives_an_empty_report():
    report = analyze(read(b"WEBVTT\n", name="empty.vtt"))
    assert report.speakers == ()
    assert report.duration_s == 0
    assert report.balance.status == "unknown"
