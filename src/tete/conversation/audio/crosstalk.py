"""Who speaks on which channel, when each person's voice also leaks into the others'
microphones.

Voice activity alone would count a person twice: on their own channel, and again, quieter,
on the other person's. A frame counts for a channel only when

- the voice activity detector hears speech on it,
- its level is at least :data:`FLOOR_MARGIN_DB` above the channel's own noise floor, and
- it is at least :data:`LEAK_MARGIN_DB` louder than the leak from every other channel:
  that channel's level plus how much of it reaches this one (the coupling, measured on the
  recording itself).

When both people talk at once, both channels are loud, each far above the other's leak, so
both count: overlap survives. Every parameter is documented in docs/metrics.md.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .frames import FRAME_S, Frames
from .speech import stretches

#: A channel's noise floor is this percentile of its frame levels (dB).
FLOOR_PERCENTILE = 10.0
#: Speech must be at least this far above its own channel's noise floor (dB).
FLOOR_MARGIN_DB = 9.0
#: Speech must be at least this much louder than the leak from another channel (dB).
LEAK_MARGIN_DB = 6.0
#: Another channel's level is taken as its loudest within this many seconds either way, so
#: that a leak heard a little late (the room's echo, tracks aligned to within tens of
#: milliseconds, an encoder's delay) is still recognised as a leak.
LEAK_SPREAD_S = 0.05
#: Frames at least this far above their noise floor (dB) show the leak clearly, so the
#: coupling is measured on them.
COUPLING_SPEECH_DB = 20.0
#: The coupling is this percentile of the level difference in those frames: the lower end,
#: where the other channel hears only the leak (the rest of the time both talk).
COUPLING_PERCENTILE = 25.0
#: Without enough such frames (a second), the coupling is taken to be this (dB).
DEFAULT_COUPLING_DB = -15.0
#: The coupling is never taken to be above this (dB): two channels that carry the same
#: sound are one microphone, found before this module is used.
MAX_COUPLING_DB = -6.0


@dataclass(frozen=True, slots=True)
class ChannelSpeech:
    """What was decided for one channel: its speech frames (after bridging), its noise
    floor and, per other channel, how much of it leaks into this one (dB)."""

    speech: np.ndarray
    floor_db: float
    coupling_db: tuple[float | None, ...]


def noise_floor(level_db: np.ndarray) -> float:
    """The channel's noise floor: the :data:`FLOOR_PERCENTILE` percentile of its levels."""
    return float(np.percentile(level_db, FLOOR_PERCENTILE)) if len(level_db) else -100.0


def coupling(source: Frames, source_floor: float, target: Frames) -> float:
    """How much of ``source``'s sound reaches ``target`` (dB, negative): the lower
    :data:`COUPLING_PERCENTILE` of the level difference while ``source`` is clearly
    speaking."""
    loud = source.voiced & (source.level_db >= source_floor + COUPLING_SPEECH_DB)
    if np.count_nonzero(loud) < 100:
        return DEFAULT_COUPLING_DB
    difference = target.level_db[loud] - _spread(source.level_db)[loud]
    return min(float(np.percentile(difference, COUPLING_PERCENTILE)), MAX_COUPLING_DB)


def _spread(level_db: np.ndarray) -> np.ndarray:
    """Each frame's level as the loudest within :data:`LEAK_SPREAD_S` either way."""
    from scipy.ndimage import maximum_filter1d

    width = 2 * round(LEAK_SPREAD_S / FRAME_S) + 1
    return maximum_filter1d(level_db, size=width, mode="nearest") if len(level_db) else level_db


def separate(channels: Sequence[Frames]) -> list[ChannelSpeech]:
    """Each channel's own speech, aligned frames in, as the module docstring says."""
    floors = [noise_floor(channel.level_db) for channel in channels]
    spread = [_spread(channel.level_db) for channel in channels]
    decided: list[ChannelSpeech] = []
    for index, channel in enumerate(channels):
        own = channel.voiced & (channel.level_db >= floors[index] + FLOOR_MARGIN_DB)
        couplings: list[float | None] = []
        for other_index, other in enumerate(channels):
            if other_index == index:
                couplings.append(None)
                continue
            gain = coupling(other, floors[other_index], channel)
            couplings.append(gain)
            own &= channel.level_db >= spread[other_index] + gain + LEAK_MARGIN_DB
        decided.append(ChannelSpeech(stretches(own), floors[index], tuple(couplings)))
    return decided


#: Tracks are aligned to one another within this many seconds either way, beyond their
#: offsets (encoders add tens of milliseconds of delay, each its own: AAC 1024 samples, 64 ms
#: at 16 kHz, Opus 6.5 ms; recorders start a little apart).
MAX_ALIGN_S = 1.0
#: ... when the changes of level of two tracks agree at some lag at least this well
#: (correlation): each person's voice leaking into the other's track shows the lag. Measured
#: on generated one-minute conversations (three pairs of voices, four each): 0.21-0.32 with
#: crosstalk at -25 dB, 0.11-0.19 at -30 dB, at most 0.03 at any lag for tracks without
#: leak (each recorded on its own, as Zoom does), which are left as their offsets say.
MIN_ALIGN_CORRELATION = 0.1


def lag(reference: Frames, other: Frames) -> int:
    """How many frames ``other`` runs late against ``reference`` (negative: early), found
    by correlating the frame-to-frame changes of their levels within :data:`MAX_ALIGN_S`;
    0 when they do not correlate clearly (:data:`MIN_ALIGN_CORRELATION`).

    Changes, not levels: two people take turns, so their levels are anti-correlated at
    every lag, and a quiet leak (-25 dB, a few dB above the room's noise) hardly lifts the
    correlation at the right one. A syllable's onset and end, on the other hand, show in
    the leak at the same instant as in the voice, and nowhere else.
    """
    limit = round(MAX_ALIGN_S / FRAME_S)
    changes = []
    for frames in (reference, other):
        envelope = np.clip(frames.level_db - noise_floor(frames.level_db), 0.0, 40.0)
        change = np.diff(envelope, prepend=envelope[:1])
        change = change - change.mean()
        changes.append(change / (np.linalg.norm(change) or 1.0))
    one, two = changes
    size = len(one) + len(two)
    spectrum = np.fft.rfft(two, size) * np.conj(np.fft.rfft(one, size))
    correlation = np.fft.irfft(spectrum, size)
    lags = np.concatenate((correlation[: limit + 1], correlation[-limit:]))
    shifts = np.concatenate((np.arange(limit + 1), np.arange(-limit, 0)))
    best = int(np.argmax(lags))
    return int(shifts[best]) if lags[best] >= MIN_ALIGN_CORRELATION else 0


def same_sound(channels: Sequence[Frames]) -> bool:
    """Whether every channel carries the same sound (a mono recording saved with two
    channels, as many phones and browsers do): the levels of every voiced frame agree
    within 1 dB on all channels."""
    if len(channels) < 2:
        return True
    first = channels[0]
    voiced = first.voiced
    if not voiced.any():
        voiced = np.ones(len(first), dtype=bool)
    for other in channels[1:]:
        difference = np.abs(other.level_db[voiced] - first.level_db[voiced])
        if np.percentile(difference, 90) > 1.0:
            return False
    return True
