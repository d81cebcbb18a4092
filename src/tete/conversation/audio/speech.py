"""Frames to stretches of speech: runs, short gaps bridged, crumbs dropped."""

from __future__ import annotations

import numpy as np

from .frames import FRAME_S

#: A pause shorter than this (seconds) inside someone's speech does not end it: people
#: breathe, and consonants are quiet.
BRIDGE_GAP_S = 0.3
#: A stretch of speech shorter than this (seconds) after bridging is a click or a cough,
#: not speech ("mm-hmm" lasts about 0.3 s).
MIN_SPEECH_S = 0.15


def runs(mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Starts and ends (exclusive), in frames, of the runs of True in ``mask``."""
    padded = np.concatenate(([False], mask.astype(bool), [False]))
    changes = np.flatnonzero(padded[1:] != padded[:-1])
    return changes[0::2], changes[1::2]


def bridge(mask: np.ndarray, gap_s: float = BRIDGE_GAP_S) -> np.ndarray:
    """``mask`` with gaps shorter than ``gap_s`` between two runs filled in."""
    starts, ends = runs(mask)
    out = mask.astype(bool, copy=True)
    if len(starts) < 2:
        return out
    gaps = starts[1:] - ends[:-1]
    for start, end in zip(
        ends[:-1][gaps * FRAME_S < gap_s], starts[1:][gaps * FRAME_S < gap_s], strict=True
    ):
        out[start:end] = True
    return out


def drop_short(mask: np.ndarray, min_s: float = MIN_SPEECH_S) -> np.ndarray:
    """``mask`` without runs shorter than ``min_s``."""
    starts, ends = runs(mask)
    out = mask.astype(bool, copy=True)
    for start, end in zip(starts, ends, strict=True):
        if (end - start) * FRAME_S < min_s:
            out[start:end] = False
    return out


def stretches(mask: np.ndarray) -> np.ndarray:
    """Speech frames to stretches of speech: gaps under :data:`BRIDGE_GAP_S` bridged, then
    runs under :data:`MIN_SPEECH_S` dropped."""
    return drop_short(bridge(mask))


def intervals(mask: np.ndarray, offset_s: float = 0.0) -> list[tuple[float, float]]:
    """The runs of ``mask`` as (start, end) seconds, shifted by ``offset_s``."""
    starts, ends = runs(mask)
    return [
        (round(offset_s + start * FRAME_S, 3), round(offset_s + end * FRAME_S, 3))
        for start, end in zip(starts.tolist(), ends.tolist(), strict=True)
    ]
