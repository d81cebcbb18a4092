from __future__ import annotations

from tete.conversation import analyze, read

from .support import fixture


def test_it_suggests_action_items_with_who_what_and_due():
    report = analyze(read(fixture("teams.vtt")), text_analysis=True)
    items = report.suggested_action_items or ()
    assert {
        "who": "Bob Okafor",
        "what": "send you the incident notes",
        "due": "by Friday",
    }.items() <= items[0].items()
    assert items[1]["who"] == "Alice Moreau"  # Bob asks Alice: "Can you review…"
    assert items[1]["what"] == "review the on-call rotation"
    assert items[1]["due"] == "before our next one-on-one"


def test_it_does_not_take_every_i_will_for_an_action_item():
    report = analyze(
        read(b"Ann: I'll be honest, it was hard.\nBen: I will think.\n", name="p.txt"),
        text_analysis=True,
    )
    assert [item["what"] for item in report.suggested_action_items or ()] == ["think"]


def test_an_action_item_said_again_is_suggested_once_where_first_said():
    report = analyze(
        read(
            b"Ann: I'll send the notes by Friday.\n"
            b"Ben: Great.\n"
            b"Ann: So, I'll send the notes by friday.\n"
            b"Ann: I'll send the notes by Monday.\n"
            b"Ben: I'll send the notes by Friday.\n",
            name="p.txt",
        ),
        text_analysis=True,
    )
    items = report.suggested_action_items or ()
    assert [(item["who"], item["due"]) for item in items] == [
        ("Ann", "by Friday"),
        ("Ann", "by Monday"),
        ("Ben", "by Friday"),
    ]
    assert items[0]["text"] == "I'll send the notes by Friday."


def test_it_scores_sentiment_per_speaker_and_over_time():
    report = analyze(read(fixture("teams.vtt")), text_analysis=True)
    assert report.sentiment is not None
    assert set(report.sentiment["speakers"]) == {"Alice Moreau", "Bob Okafor"}
    assert -1 <= report.sentiment["speakers"]["Bob Okafor"]["compound"] <= 1
    assert report.sentiment["over_time"][0]["start"] == 1.25


def test_it_finds_keywords_and_leaves_out_names_and_talk():
    report = analyze(read(fixture("teams.vtt")), text_analysis=True)
    words = " ".join(k["keyword"].lower() for k in report.keywords or ())
    assert "rotation" in words or "incident" in words
    assert "bob" not in words and "yeah" not in words


def test_text_analysis_fields_join_the_json_only_when_asked():
    transcript = read(fixture("meeting.srt"))
    assert "keywords" not in analyze(transcript).to_dict()
    data = analyze(transcript, text_analysis=True).to_dict()
    assert {"keywords", "sentiment", "suggested_action_items"} <= set(data)
    assert data["suggested_action_items"][0]["due"] == "by Thursday"
