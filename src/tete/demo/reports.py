"""Demo conversation reports: transcripts for many held meetings, analysed at build time.

Each one-on-one gets generated WebVTT transcripts for its latest held meetings, each a
conversation about that meeting's agenda. In some manager–report pairs the manager talks
most at first and less over time (the trend the coaching note talks about); other pairs keep
a balance of their own; peers stay near half each; coaches mostly listen. The
transcripts go through the same upload and analysis actions as a real one.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import TYPE_CHECKING

from tete.oneonones.models import Kind, Meeting, MeetingStatus, OneOnOne, TalkingPoint
from tete.reports import actions
from tete.reports.models import SpeakerAlias, Transcript
from tete.reports.samples import generate_webvtt

if TYPE_CHECKING:
    from tete.demo.people import DemoOrg

#: Transcripts per one-on-one: Alice's and Bob's show a long trend; others a short one.
MEETINGS_WITH_TRANSCRIPTS = {("alice", "bob"): 10, ("alice", "chloe"): 5, ("maya", "alice"): 4}
DEFAULT_MEETINGS = 2


def _lead_share(
    kind: str, step: int, steps: int, rng: random.Random, dominant: bool, habit: float
) -> float:
    """The share of talk time of the one-on-one's lead (manager, mentor, coach).

    `habit` is the pair's own balance (drawn once per pair): some reports talk more than
    their manager, some less; each meeting varies around it.
    """
    progress = step / max(steps - 1, 1)
    if dominant:
        # From about 72% down to about 42%: the manager learns to listen.
        return 0.72 - 0.3 * progress + rng.uniform(-0.04, 0.04)
    return habit + rng.uniform(-0.06, 0.06)


def _habit(kind: str, rng: random.Random) -> float:
    """A pair's usual lead share: coaches mostly listen, peers share, managers vary."""
    if kind == Kind.COACHING:
        return rng.uniform(0.25, 0.38)
    if kind in (Kind.PEER, Kind.PERSONAL):
        return rng.uniform(0.4, 0.6)
    return rng.uniform(0.3, 0.55)


def build(org: DemoOrg, rng: random.Random) -> None:
    key_of = {person.pk: key for key, person in org.people.items()}
    oneonones = OneOnOne.objects.filter(first__in=org.people.values()).select_related(
        "first", "second", "focus_person"
    )
    for oneonone in oneonones:
        pair = (key_of.get(oneonone.first_id, ""), key_of.get(oneonone.second_id, ""))
        count = MEETINGS_WITH_TRANSCRIPTS.get(pair, DEFAULT_MEETINGS)
        held = list(
            Meeting.objects.filter(oneonone=oneonone, status=MeetingStatus.HELD).order_by(
                "-scheduled_at"
            )[:count]
        )
        held.reverse()
        if not held:
            continue
        focus = oneonone.focus_person or oneonone.second
        lead = oneonone.other(focus)
        # Known names map themselves; remembered as if a participant had confirmed them.
        SpeakerAlias.objects.bulk_create(
            [
                SpeakerAlias(oneonone=oneonone, label=person.name, person=person)
                for person in (lead, focus)
            ]
        )
        dominant = pair in {("alice", "bob"), ("alice", "emma"), ("frank", "grace")}
        habit = _habit(oneonone.kind, rng)
        # Each conversation is about its meeting's own agenda (the shared points).
        agendas: dict[int, list[str]] = {}
        for meeting_id, text in TalkingPoint.objects.filter(
            meeting__in=held, private=False
        ).values_list("meeting_id", "text"):
            agendas.setdefault(meeting_id, []).append(text)
        for step, meeting in enumerate(held):
            share = _lead_share(oneonone.kind, step, len(held), rng, dominant, habit)
            minutes = meeting.duration_minutes * rng.uniform(0.35, 0.6)
            text = generate_webvtt(
                rng,
                lead.name,
                focus.name,
                lead_share=share,
                minutes=minutes,
                interruption_rate=0.12 - 0.08 * step / len(held) if dominant else 0.05,
                kind=oneonone.kind,
                agenda=agendas.get(meeting.pk, []),
            )
            result = actions.upload_transcript(
                meeting,
                by=rng.choice([lead, focus]),
                filename=f"{meeting.scheduled_at:%Y-%m-%d}-one-on-one.vtt",
                content=text.encode(),
            )
            if result.transcript.is_pending:
                # Analysed now, so the demo opens with its reports (a worker would find
                # the queued task done).
                actions.run_analysis(result.transcript.pk)
            uploaded = (meeting.held_at or meeting.scheduled_at) + dt.timedelta(minutes=20)
            Transcript.objects.filter(pk=result.transcript.pk).update(uploaded_at=uploaded)
