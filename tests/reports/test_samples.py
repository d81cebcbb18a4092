"""The sample conversations the demo is made of: varied enough to be believed.

Each is about its meeting's agenda, with the talk balance asked for, and commitments said in
different words, by either person, with different due phrases; so reports suggest different
action items. Only what a topic says may be agreed turns into a suggestion: nothing else.
"""

from __future__ import annotations

import random
from collections import Counter

import pytest

from tete.conversation import analyze
from tete.conversation.model import Segment, Transcript
from tete.conversation.text_analysis import action_items
from tete.reports import sample_topics
from tete.reports.samples import generate_cues

LEAD, PARTNER = "Alice Martin", "Bob Jones"


def conversation(seed: int, **options) -> Transcript:
    cues = generate_cues(random.Random(seed), LEAD, PARTNER, **options)
    segments = [Segment(cue.speaker, cue.start, cue.end, cue.text) for cue in cues]
    return Transcript("sample.vtt", "webvtt", segments)


def share_of_lead(transcript: Transcript) -> float:
    return analyze(transcript).speaker(LEAD).talk_share


@pytest.mark.parametrize("share", [0.3, 0.5, 0.7])
def test_the_talk_balance_is_the_one_asked_for(share):
    for seed in range(5):
        assert share_of_lead(conversation(seed, lead_share=share, minutes=8)) == pytest.approx(
            share, abs=0.06
        )


def test_a_conversation_is_about_its_agenda():
    agenda = ["Time off in August", "Interested in the platform guild"]
    text = " ".join(s.text for s in conversation(3, lead_share=0.5, agenda=agenda).segments)
    assert "August" in text  # the bank's topic about time off
    assert "“Interested in the platform guild”" in text  # an agenda point of its own


def test_reports_suggest_different_action_items_in_different_words():
    kinds = ["manager_report", "manager_report", "mentoring", "coaching", "peer", "personal"]
    suggested = []
    for seed in range(12):
        transcript = conversation(seed, lead_share=0.5, minutes=12, kind=kinds[seed % 6])
        items = action_items(transcript)
        assert items, f"meeting {seed} agreed nothing"
        suggested.append(items)
    whats = [item["what"].lower() for items in suggested for item in items]
    # Different meetings, different items: no two reports alike, few items repeated.
    assert len({frozenset(i["what"].lower() for i in items) for items in suggested}) == 12
    assert len(set(whats)) >= 0.75 * len(whats)
    assert max(Counter(whats).values()) <= 3
    # Said by either person, for themselves, of the other, or of both; with and without a day.
    owners = Counter(item["who"] for items in suggested for item in items)
    assert owners[LEAD] and owners[PARTNER] and owners[f"{LEAD} and {PARTNER}"]
    dues = {item["due"] for items in suggested for item in items}
    assert None in dues and len(dues - {None}) >= 5
    openings = {item["text"].split()[0] for items in suggested for item in items}
    assert len(openings) >= 5  # "I'll", "Let", "Can", "Could", "We", "OK,"…


def test_only_what_may_be_agreed_is_suggested():
    """No other line of the topics reads as a commitment ("let me share some context")."""
    banks = sample_topics.TOPICS_BY_KIND.values()
    lines = [
        line
        for bank in banks
        for topic in bank
        for line in (*topic.openers, *topic.lead, *topic.partner, *topic.questions)
    ]
    lines += [
        *sample_topics.LEAD_GENERIC, *sample_topics.PARTNER_GENERIC,
        *sample_topics.LEAD_QUESTIONS, *sample_topics.PARTNER_QUESTIONS,
        *sample_topics.LEAD_FILLERS, *sample_topics.PARTNER_FILLERS,
        *sample_topics.GREETINGS, *sample_topics.GREETING_REPLIES, *sample_topics.CLOSINGS,
    ]  # fmt: skip
    for line in lines:
        said = line.format(other="Bob", someone="Maya")
        transcript = Transcript(
            "x", "text", [Segment(LEAD, 0, 1, said), Segment(PARTNER, 1, 2, "Okay.")]
        )
        assert action_items(transcript) == [], said
