"""Realistic sample transcripts (WebVTT) for the demo and the tests.

A generated one-on-one has a chosen talk balance, questions both ways, a few interruptions
and backchannels ("mm-hmm"), pauses, and commitments ("I'll … by Friday") the analysis can
suggest as action items. Deterministic for a given random generator.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

# What the person who leads the one-on-one (manager, mentor, coach) says.
LEAD_LINES = [
    "How did the week go for you overall?",
    "What's been taking most of your energy lately?",
    "I wanted to follow up on the release planning from last time.",
    "Is there anything blocking you that I can help remove?",
    "I think the migration plan looks solid, but let's talk about the timeline.",
    "The team really appreciated how you handled the incident review.",
    "What would make the on-call rotation less painful for you?",
    "Let me share some context on the reorganisation that leadership discussed.",
    "I heard good feedback from the design team about the new onboarding flow.",
    "I'll send you the notes from the architecture review by Friday.",
    "I will talk to Maya about the headcount for next quarter.",
    "How are you feeling about the conference talk?",
    "Honestly I think we took on too much this sprint and that's on me.",
    "We should revisit the goals we set in January and see what still makes sense.",
    "What do you want to get better at over the next six months?",
    "I'll book a session with the platform team next week.",
    "That's a great point, and I had not thought about the support load.",
    "Let me walk you through the budget numbers quickly.",
    "The customer escalation last Tuesday was frustrating for everyone.",
    "Do you feel you have enough time for deep work?",
]

# What the other person (report, mentee, client, peer) says.
PARTNER_LINES = [
    "The week was good, busy but good.",
    "Mostly the flaky tests in the payment service, they keep failing at night.",
    "I finished the first draft of the design document for the search index.",
    "I'm a bit worried that the deadline for the API migration is too tight.",
    "Could we move the planning meeting so it doesn't clash with my focus time?",
    "I'd like to take on more of the architecture work if that's possible.",
    "I'll write up the proposal for the new alerting rules by Thursday.",
    "I will pair with Emma on the database upgrade next week.",
    "What does the reorganisation mean for our team?",
    "The incident review went well, I think people felt safe to speak up.",
    "I'm really happy with how the onboarding flow turned out.",
    "Can you help me get access to the production dashboards?",
    "I've been thinking about mentoring one of the new joiners.",
    "The on-call was rough, three pages in one night.",
    "I need to update the runbook before the next rotation.",
    "Is there a budget for the training course I mentioned?",
    "I feel like I'm spending too much time in meetings this month.",
    "The customer feedback on the export feature was really positive.",
    "I'd love some feedback on my presentation before the all-hands.",
    "Why did we decide to drop the mobile project?",
]

BACKCHANNELS = ["Mm-hmm.", "Right.", "Yeah.", "Okay.", "Sure."]
WORDS_PER_SECOND = 2.6


@dataclass(frozen=True)
class Cue:
    speaker: str
    start: float
    end: float
    text: str


def _timestamp(seconds: float) -> str:
    millis = round(seconds * 1000)
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    secs, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}.{millis:03d}"


def _speech(rng: random.Random, lines: list[str], sentences: int, question_odds: float) -> str:
    """Statements, with at most one question, usually at the end of the turn."""
    statements = [line for line in lines if not line.endswith("?")]
    questions = [line for line in lines if line.endswith("?")]
    said = [rng.choice(statements) for _ in range(max(1, sentences - 1))]
    if rng.random() < question_odds:
        said.append(rng.choice(questions))
    elif sentences > 1:
        said.append(rng.choice(statements))
    return " ".join(said)


def generate_cues(
    rng: random.Random,
    lead: str,
    partner: str,
    *,
    lead_share: float,
    minutes: float = 25.0,
    interruption_rate: float = 0.08,
) -> list[Cue]:
    """Alternating turns whose lengths give the lead about ``lead_share`` of the talk time."""
    cues: list[Cue] = []
    clock = rng.uniform(0.5, 3.0)
    speaker = lead
    end_of_meeting = minutes * 60
    # Sentences per turn chosen so the lead/partner ratio of talk time is about the share.
    lead_weight = max(0.05, min(0.95, lead_share))
    partner_weight = 1 - lead_weight
    while clock < end_of_meeting:
        is_lead = speaker == lead
        other = partner if is_lead else lead
        weight = lead_weight if is_lead else partner_weight
        sentences = max(1, round(rng.gauss(weight * 6, 1.0)))
        text = _speech(
            rng, LEAD_LINES if is_lead else PARTNER_LINES, sentences, 0.4 if is_lead else 0.2
        )
        duration = len(text.split()) / WORDS_PER_SECOND * rng.uniform(0.9, 1.15)
        parts = text.split(". ", 1) if sentences > 1 and rng.random() < 0.3 else [text]
        if len(parts) == 2:
            # A long turn written as two cues with a listener's "mm-hmm" between them:
            # a backchannel, which neither takes the floor nor interrupts.
            first_part = parts[0] + "."
            split_at = clock + duration * len(first_part) / len(text)
            cues.append(Cue(speaker, clock, split_at, first_part))
            cues.append(Cue(other, split_at - 0.7, split_at - 0.1, rng.choice(BACKCHANNELS)))
            cues.append(Cue(speaker, split_at + 0.2, clock + duration + 0.2, parts[1]))
        else:
            cues.append(Cue(speaker, clock, clock + duration, text))
        if rng.random() < interruption_rate:
            # The other person starts talking before this one has finished.
            clock = clock + duration - rng.uniform(1.0, 2.5)
        else:
            pause = rng.uniform(0.3, 1.4) if rng.random() < 0.9 else rng.uniform(4.0, 9.0)
            clock = clock + duration + pause
        speaker = other
    cues.sort(key=lambda cue: cue.start)
    return cues


def to_webvtt(cues: list[Cue]) -> str:
    """WebVTT with voice tags, as Microsoft Teams and Zoom write them."""
    lines = ["WEBVTT", ""]
    for number, cue in enumerate(cues, start=1):
        lines += [
            str(number),
            f"{_timestamp(cue.start)} --> {_timestamp(cue.end)}",
            f"<v {cue.speaker}>{cue.text}</v>",
            "",
        ]
    return "\n".join(lines)


def generate_webvtt(
    rng: random.Random,
    lead: str,
    partner: str,
    *,
    lead_share: float = 0.5,
    minutes: float = 25.0,
    interruption_rate: float = 0.08,
) -> str:
    """A one-on-one's transcript as WebVTT text."""
    return to_webvtt(
        generate_cues(
            rng,
            lead,
            partner,
            lead_share=lead_share,
            minutes=minutes,
            interruption_rate=interruption_rate,
        )
    )
