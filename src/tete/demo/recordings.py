"""One demo report from a recording: Alice and Bob recorded a held meeting in the browser.

The sound is a short conversation spoken by Debian's flite voices (tete.demo.synth, the one
the audio tests use), made at build time, recorded as the browser would (webm/opus in
pieces) and analysed like any recording: a one-microphone report, an estimate, with a few
seconds of each voice to say who is who. Without flite the demo has no recording, and says
so in the log. Its sound is deleted once analysed, as every recording's is.

Its analysis is queued, not run while building: reading a recording first loads SciPy,
scikit-learn and FFmpeg, seconds that every `tete demo` would wait for. The demo's task
worker analyses it within seconds of the demo starting (the meeting page shows its progress
meanwhile); where tasks run at once (the tests' settings), it is analysed here.
"""

from __future__ import annotations

import datetime as dt
import logging
import random
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from django.utils import timezone

from tete.oneonones.models import Meeting, MeetingStatus, OneOnOne
from tete.recordings import actions
from tete.recordings.models import Recording
from tete.reports.models import Transcript

if TYPE_CHECKING:
    from tete.demo.people import DemoOrg

logger = logging.getLogger(__name__)

#: Turns of the conversation: about half a minute of sound, a few seconds to make and analyse.
TURNS = 6
#: The browser sends a piece this often; the demo's recording arrives in pieces of as many bytes.
PIECES = 3
#: The conversation's own seed. Drawn from the demo's generator, it depended on how many
#: meetings were built before it, so on the time of day, and one draw in the afternoon of
#: 7 December (718) gave a conversation whose two voices the analysis heard as one.
CONVERSATION_SEED = 7


def build(org: DemoOrg, rng: random.Random) -> None:
    """The demo's recording; `rng`, the builders' shared generator, is not drawn from (see
    CONVERSATION_SEED)."""
    from tete.demo import synth

    if not synth.have_flite():
        logger.warning("flite is not installed: the demo has no report from a recording.")
        return
    alice, bob = org.people["alice"], org.people["bob"]
    oneonone = OneOnOne.objects.filter(first=alice, second=bob).first()
    if oneonone is None:
        return
    held = Meeting.objects.filter(oneonone=oneonone, status=MeetingStatus.HELD)
    # A held meeting without a transcript, so that its report is the meeting's only one.
    meeting = (
        held.exclude(pk__in=Transcript.objects.values("meeting_id"))
        .order_by("-scheduled_at")
        .first()
    )
    if meeting is None:
        return
    conversation = synth.one_microphone(
        synth.converse(("slt", "rms"), turns=TURNS, seed=CONVERSATION_SEED)
    )
    with tempfile.TemporaryDirectory(prefix="tete-demo-") as folder:
        data = synth.write(Path(folder) / "table.webm", conversation, rate=48000).read_bytes()
    recording = actions.start_browser_recording(
        meeting, by=bob, consent=True, content_type="audio/webm;codecs=opus"
    )
    size = -(-len(data) // PIECES)
    for index, start in enumerate(range(0, len(data), size)):
        actions.add_chunk(recording, by=bob, index=index, data=data[start : start + size])
    recording = actions.finish_browser_recording(recording, by=bob)
    assert recording.transcript_id is not None
    # As if recorded during the meeting, not when the demo was built.
    started = meeting.held_at or meeting.scheduled_at
    Recording.objects.filter(pk=recording.pk).update(
        created_at=started, consent_given_at=started, last_chunk_at=started
    )
    Transcript.objects.filter(pk=recording.transcript_id).update(
        uploaded_at=started + dt.timedelta(minutes=meeting.duration_minutes),
        filename=f"recording-{timezone.localtime(started):%Y-%m-%d-%H%M}.webm",
    )
    logger.info("The demo's recording of %s is queued for analysis.", timezone.localdate(started))
