"""Realistic sample transcripts (WebVTT) for the demo and the tests.

A generated one-on-one is a conversation about a few topics — the meeting's own agenda when
it is given, else topics drawn for the kind of one-on-one — with a chosen talk balance,
questions both ways, a few interruptions and backchannels ("mm-hmm"), pauses, and
commitments the analysis can suggest as action items. Commitments are said in many ways
("I'll…", "let me…", "can you…", "let's…"), by either person, with or without a due phrase
("by Friday", "before our next one-on-one"), so two meetings rarely suggest the same items.
Deterministic for a given random generator.
"""

from __future__ import annotations

import random
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field

from tete.reports.sample_topics import (
    CLOSINGS,
    GENERIC_TASKS,
    GREETING_REPLIES,
    GREETINGS,
    LEAD_FILLERS,
    LEAD_GENERIC,
    LEAD_QUESTIONS,
    MANAGER_TOPICS,
    PARTNER_FILLERS,
    PARTNER_GENERIC,
    PARTNER_QUESTIONS,
    THIRD_PARTIES,
    TOPICS_BY_KIND,
    Topic,
)

BACKCHANNELS = ["Mm-hmm.", "Right.", "Yeah.", "Okay.", "Sure.", "Got it.", "Mhm."]
WORDS_PER_SECOND = 2.6


@dataclass(frozen=True)
class Cue:
    speaker: str
    start: float
    end: float
    text: str


SELF_FORMS = ["I'll {what}", "I will {what}", "Let me {what}", "I can {what}",
              "I'm going to {what}", "OK, I'll {what}", "Fine, I'll {what}"]  # fmt: skip
REQUEST_FORMS = ["Can you {what}", "Could you {what}", "Would you {what}"]
SHARED_FORMS = ["Let's {what}", "We should {what}", "Let's {what}, then"]
DUE_PHRASES = [
    "by Friday",
    "by Thursday",
    "before Wednesday",
    "by the end of the week",
    "next week",
    "tomorrow",
    "before our next one-on-one",
    "by the end of the month",
    "this week",
    "on Monday",
]
# Owners on the lead's side (manager, mentor, coach); "either" is whoever says it.
LEAD_ROLES = {"lead", "mentor"}
# The pronouns of a task, said by its owner or asked of them by the other person.
SAID_BY_OWNER = {"them": "you", "they": "you", "their": "your", "my": "my", "I": "I"}
ASKED_OF_OWNER = {"them": "me", "they": "I", "their": "my", "my": "your", "I": "you"}


#: A line is not said again until this many others were.
RECENT_LINES = 40


@dataclass
class _Plan:
    """The meeting's topics, in order, and what is still to be said and agreed in it."""

    topics: list[Topic]
    spare: list[Topic]
    commitments: int
    recent: deque[str] = field(default_factory=lambda: deque(maxlen=RECENT_LINES))
    agreed: set[str] = field(default_factory=set)
    position: int = 0

    @property
    def said(self) -> deque[str]:
        """What was said lately (a long meeting comes back to things, not within minutes)."""
        return self.recent

    def say(self, line: str) -> None:
        self.recent.append(line)

    def next_topic(self, rng: random.Random) -> Topic:
        """The agenda's next topic, else one of the kind's not yet talked about (all of
        them again, in a new order, once each was)."""
        self.position += 1
        if self.position < len(self.topics):
            return self.topics[self.position]
        current = self.topics[-1]
        if not self.spare:
            self.spare = [topic for topic in dict.fromkeys(self.topics) if topic is not current]
            rng.shuffle(self.spare)
        self.topics.append(self.spare.pop(0) if self.spare else current)
        return self.topics[-1]


def _timestamp(seconds: float) -> str:
    millis = round(seconds * 1000)
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    secs, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}.{millis:03d}"


def _first_name(name: str) -> str:
    return name.split()[0] if name.strip() else name


def _agenda_topic(text: str, bank: Sequence[Topic], rng: random.Random) -> Topic:
    """The bank's topic an agenda point is about, else one made from its words."""
    words = set(text.lower().replace("?", " ").replace(":", " ").split())
    matches = [topic for topic in bank if words & set(topic.keys)]
    if matches:
        return rng.choice(matches)
    point = text.rstrip("?.!")
    return Topic(
        keys=(),
        openers=(
            f"You put “{point}” on the agenda. Where are you with it?",
            f"Next on the list: “{point}”.",
        ),
        lead=("What's the hardest part of it?", "What have you tried so far?"),
        partner=(
            "I've been going back and forth on it.",
            "It's moving, slower than I'd like.",
            "I think I know what to do, I just haven't found the time.",
        ),
        tasks=tuple(rng.sample(GENERIC_TASKS, 2)),
    )


def _plan(rng: random.Random, kind: str, agenda: Sequence[str]) -> _Plan:
    bank = TOPICS_BY_KIND.get(kind, MANAGER_TOPICS)
    topics: list[Topic] = []
    for text in agenda:
        topic = _agenda_topic(text, bank, rng)
        if topic not in topics:
            topics.append(topic)
    spare = [topic for topic in bank if topic not in topics]
    rng.shuffle(spare)
    if not topics:
        topics.append(spare.pop())
    return _Plan(topics, spare, commitments=rng.choice([1, 2, 2, 3, 3, 4]))


def _fill(line: str, listener: str, rng: random.Random, **pronouns: str) -> str:
    return line.format(other=_first_name(listener), someone=rng.choice(THIRD_PARTIES), **pronouns)


def _commitment(
    plan: _Plan, topic: Topic, is_lead: bool, listener: str, rng: random.Random
) -> str | None:
    """One of the topic's tasks not agreed yet, said in words that fit who will do it."""
    tasks = [task for task in topic.tasks if task[1] not in plan.agreed]
    if not tasks:
        return None
    owner, ways = rng.choice(tasks)
    plan.agreed.add(ways)
    what = rng.choice(ways.split("|"))
    if owner == "both":
        form, pronouns = rng.choice(SHARED_FORMS), SAID_BY_OWNER
    elif owner == "either" or (owner in LEAD_ROLES) == is_lead:
        form, pronouns = rng.choice(SELF_FORMS), SAID_BY_OWNER
    else:
        form, pronouns = rng.choice(REQUEST_FORMS), ASKED_OF_OWNER
    due = rng.choice([*DUE_PHRASES, None, None, None])
    sentence = form.format(what=what) + (f" {due}" if due else "")
    sentence += "?" if form in REQUEST_FORMS else "."
    return _fill(sentence, listener, rng, **pronouns)


def _lines_left(plan: _Plan, topic: Topic, is_lead: bool) -> list[str]:
    return [line for line in (topic.lead if is_lead else topic.partner) if line not in plan.said]


def _fresh(plan: _Plan, lines: Sequence[str]) -> list[str]:
    return [line for line in lines if line not in plan.said]


def _speech(
    rng: random.Random,
    plan: _Plan,
    topic: Topic,
    is_lead: bool,
    listener: str,
    sentences: int,
    question_odds: float,
) -> str:
    """A turn about `topic`: what the speaker has to say about it (or, once that is said,
    about anything), perhaps a commitment, at most one question, last. No line is said twice
    in a meeting; a short reply ("That makes sense.") opens a turn now and then."""
    said: list[str] = []
    if rng.random() < 0.25:
        said.append(rng.choice(LEAD_FILLERS if is_lead else PARTNER_FILLERS))
    generic = LEAD_GENERIC if is_lead else PARTNER_GENERIC
    for _ in range(max(1, sentences - 1)):
        pool = _lines_left(plan, topic, is_lead) or _fresh(plan, generic)
        if not pool:
            break
        line = rng.choice(pool)
        plan.say(line)
        said.append(_fill(line, listener, rng))
    if plan.commitments and rng.random() < 0.35:
        promise = _commitment(plan, topic, is_lead, listener, rng)
        if promise is not None:
            plan.commitments -= 1
            return " ".join([*said, promise])
    if rng.random() < question_odds or not said:
        own = topic.questions if is_lead else ()
        asked = _fresh(plan, own) or _fresh(plan, LEAD_QUESTIONS if is_lead else PARTNER_QUESTIONS)
        if asked:
            question = rng.choice(asked)
            plan.say(question)
            said.append(_fill(question, listener, rng))
    return " ".join(said) or rng.choice(LEAD_FILLERS if is_lead else PARTNER_FILLERS)


def generate_cues(
    rng: random.Random,
    lead: str,
    partner: str,
    *,
    lead_share: float,
    minutes: float = 25.0,
    interruption_rate: float = 0.08,
    kind: str = "manager_report",
    agenda: Sequence[str] = (),
) -> list[Cue]:
    """A conversation about the agenda (then other topics of the kind, as time allows) in
    which the lead has about ``lead_share`` of the talk time."""
    plan = _plan(rng, kind, agenda)
    cues: list[Cue] = []
    clock = rng.uniform(0.5, 3.0)
    end_of_meeting = minutes * 60
    # Sentences per turn chosen so the lead/partner ratio of talk time is about the share.
    lead_weight = max(0.05, min(0.95, lead_share))
    partner_weight = 1 - lead_weight
    topic, opened = plan.topics[0], False
    talked = {lead: 0.0, partner: 0.0}
    turn = 0
    speaker = lead
    while clock < end_of_meeting:
        is_lead = speaker == lead
        other = partner if is_lead else lead
        # Steer towards the share: a speaker behind it says a little more next time.
        behind = lead_weight - talked[lead] / max(talked[lead] + talked[partner], 1.0)
        weight = (lead_weight + behind) if is_lead else (partner_weight - behind)
        sentences = max(1, round(rng.gauss(max(weight, 0.05) * 6, 1.0)))
        # On to the next topic once either has said what they had to say about this one.
        talked_out = not _lines_left(plan, topic, True) or not _lines_left(plan, topic, False)
        if is_lead and opened and talked_out:
            topic, opened = plan.next_topic(rng), False
        if turn == 0:
            text = _fill(rng.choice(GREETINGS), other, rng)
        elif turn == 1:
            text = rng.choice(GREETING_REPLIES)
        elif is_lead and not opened:
            opened = True
            text = _fill(rng.choice(topic.openers), other, rng)
            if sentences > 2:
                more = _speech(rng, plan, topic, True, other, sentences - 1, 0.0)
                text = f"{text} {more}"
        elif clock + 40 >= end_of_meeting and plan.commitments:
            # Something agreed before the end, when nothing was yet.
            text = _commitment(plan, topic, is_lead, other, rng) or _fill(
                rng.choice(CLOSINGS), other, rng
            )
            plan.commitments = 0
        else:
            text = _speech(rng, plan, topic, is_lead, other, sentences, 0.4 if is_lead else 0.2)
        duration = len(text.split()) / WORDS_PER_SECOND * rng.uniform(0.9, 1.15)
        talked[speaker] += duration
        parts = text.split(". ", 1) if sentences > 1 and rng.random() < 0.3 else [text]
        if len(parts) == 2:
            # A long turn written as two cues with a listener's "mm-hmm" between them:
            # a backchannel, which neither takes the floor nor interrupts.
            first_part = parts[0] + "."
            split_at = clock + duration * len(first_part) / len(text)
            cues.append(Cue(speaker, clock, split_at, first_part))
            cues.append(Cue(other, split_at - 0.7, split_at - 0.1, rng.choice(BACKCHANNELS)))
            talked[other] += 0.6
            cues.append(Cue(speaker, split_at + 0.2, clock + duration + 0.2, parts[1]))
        else:
            cues.append(Cue(speaker, clock, clock + duration, text))
        if rng.random() < interruption_rate:
            # The other person starts talking before this one has finished.
            clock = clock + duration - min(rng.uniform(1.0, 2.5), duration / 2)
        else:
            pause = rng.uniform(0.3, 1.4) if rng.random() < 0.9 else rng.uniform(4.0, 9.0)
            clock = clock + duration + pause
        speaker = other
        turn += 1
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
    kind: str = "manager_report",
    agenda: Sequence[str] = (),
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
            kind=kind,
            agenda=agenda,
        )
    )
