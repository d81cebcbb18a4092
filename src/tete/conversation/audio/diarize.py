"""One microphone, two voices: who spoke when, estimated from the spectral shape of the
voices (MFCCs) and clustering. No model weights, no torch, nothing downloaded.

1. Speech: frames the voice activity detector hears, :data:`~.crosstalk.FLOOR_MARGIN_DB`
   above the noise floor, bridged as on every channel.
2. Voices: speech is cut into windows of :data:`WINDOW_S` (every :data:`WINDOW_HOP_S`);
   each window is described by the mean and spread of its MFCCs, and the windows are
   clustered into two voices (a Gaussian mixture on their principal components).
3. One voice or two: the two clusters are one voice unless they stand apart
   (:data:`MIN_SEPARATION`) and the smaller holds at least :data:`MIN_VOICE_SHARE` of the
   speech.
4. Resegmentation: a Gaussian mixture of each voice's frames scores every speech frame;
   the score difference, averaged over :data:`SMOOTH_S`, gives each frame its voice, so
   turns change at the frame where the voice does, not at a window's edge.

This is an estimate; docs/metrics.md gives the accuracy measured on generated
conversations. It cannot hear two people talking at once: overlap is not measured.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .crosstalk import FLOOR_MARGIN_DB, noise_floor
from .frames import FRAME_S, Frames
from .speech import runs, stretches

#: Length and step of the windows clustered into voices (seconds).
WINDOW_S = 1.5
WINDOW_HOP_S = 0.75
#: Principal components of the window descriptions kept for clustering.
COMPONENTS = 12
#: The clusters are two voices only when their centres are at least this many standard
#: deviations apart along the line that joins them (Ashman's D). On generated
#: conversations, two flite voices stood 4.9–6.6 apart and one voice split in two 2.5–4.0.
MIN_SEPARATION = 4.4
#: ... and the smaller voice holds at least this share of the speech.
MIN_VOICE_SHARE = 0.04
#: Gaussians per voice in the frame-level models.
VOICE_GAUSSIANS = 8
#: Frames used to fit each voice's model, at most.
MAX_TRAINING_FRAMES = 20_000
#: The frame score is averaged over this many seconds before each frame is given a voice.
SMOOTH_S = 0.5
#: Frames scored at once (bounds memory on long recordings).
SCORE_BLOCK = 100_000
#: A voice's excerpts: up to this many stretches of speech, each cut to at most
#: :data:`EXCERPT_MAX_S` and, where the voice has them, at least :data:`EXCERPT_MIN_S`.
EXCERPTS = 3
EXCERPT_MIN_S = 1.5
EXCERPT_MAX_S = 6.0
#: Same seed every time: the same recording gives the same estimate.
SEED = 0


@dataclass(frozen=True, slots=True)
class Voices:
    """Per voice (in order of first speech), its speech frames and how sure the estimate
    is of each frame (the smoothed score difference, larger is surer)."""

    speech: tuple[np.ndarray, ...]
    confidence: np.ndarray
    separation: float


def diarize(frames: Frames) -> Voices:
    """Who spoke when on one microphone (see the module docstring)."""
    import warnings

    from sklearn.exceptions import ConvergenceWarning
    from threadpoolctl import threadpool_limits

    # One core, as the speed goals say; a few iterations short of convergence change no
    # frame's voice, so sklearn's warning about it is not news.
    with threadpool_limits(1), warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return _diarize(frames)


def _diarize(frames: Frames) -> Voices:
    assert frames.cepstra is not None
    floor = noise_floor(frames.level_db)
    speech = stretches(frames.voiced & (frames.level_db >= floor + FLOOR_MARGIN_DB))
    confidence = np.zeros(len(frames), dtype=np.float32)
    windows = _windows(speech)
    if len(windows) < 4:
        return Voices((speech,), confidence, 0.0)
    described = _describe(frames.cepstra, windows)
    labels, separation = _cluster(described)
    shares = np.bincount(labels, minlength=2) / len(labels)
    if separation < MIN_SEPARATION or shares.min() < MIN_VOICE_SHARE:
        return Voices((speech,), confidence, separation)
    voice, confidence = _resegment(frames.cepstra, speech, windows, labels)
    masks = [stretches(speech & (voice == code)) for code in (0, 1)]
    firsts = [int(np.argmax(mask)) if mask.any() else len(mask) for mask in masks]
    order = np.argsort(firsts, kind="stable")
    return Voices(tuple(masks[i] for i in order), confidence, separation)


def _windows(speech: np.ndarray) -> np.ndarray:
    """(first, last + 1) frames of the windows inside stretches of speech; a stretch
    shorter than a window is one window."""
    size = round(WINDOW_S / FRAME_S)
    hop = round(WINDOW_HOP_S / FRAME_S)
    found: list[tuple[int, int]] = []
    for start, end in zip(*runs(speech), strict=True):
        if end - start <= size:
            if (end - start) * FRAME_S >= 0.3:
                found.append((int(start), int(end)))
            continue
        for first in range(int(start), int(end) - size + 1, hop):
            found.append((first, first + size))
        if (end - start - size) % hop:
            found.append((int(end) - size, int(end)))
    return np.array(found, dtype=np.int64).reshape(-1, 2)


def _describe(cepstra: np.ndarray, windows: np.ndarray) -> np.ndarray:
    """Each window's MFCC means and standard deviations (a block of windows at a time, so
    memory stays small on long recordings)."""
    described = np.empty((len(windows), 2 * cepstra.shape[1]), dtype=np.float64)
    block = 512
    for at in range(0, len(windows), block):
        part = windows[at : at + block]
        longest = int((part[:, 1] - part[:, 0]).max())
        index = part[:, :1] + np.arange(longest)
        inside = index < part[:, 1:]
        values = cepstra[np.minimum(index, len(cepstra) - 1)].astype(np.float32)
        values *= inside[:, :, np.newaxis]
        counts = inside.sum(axis=1, keepdims=True)
        mean = values.sum(axis=1) / counts
        variance = (values**2).sum(axis=1) / counts - mean**2
        described[at : at + block] = np.hstack((mean, np.sqrt(np.maximum(variance, 0))))
    return described


def _cluster(described: np.ndarray) -> tuple[np.ndarray, float]:
    """Two clusters of windows, and how far apart they stand (Ashman's D along the line
    joining their centres)."""
    from sklearn.decomposition import PCA
    from sklearn.mixture import GaussianMixture
    from sklearn.preprocessing import StandardScaler

    scaled = StandardScaler().fit_transform(described)
    reduced = PCA(n_components=min(COMPONENTS, *scaled.shape), random_state=SEED).fit_transform(
        scaled
    )
    mixture = GaussianMixture(2, covariance_type="full", n_init=2, random_state=SEED)
    labels = mixture.fit_predict(reduced)
    if len(set(labels.tolist())) < 2:
        return labels, 0.0
    centres = [reduced[labels == code].mean(axis=0) for code in (0, 1)]
    direction = centres[1] - centres[0]
    direction /= np.linalg.norm(direction) or 1.0
    projected = reduced @ direction
    spreads = [projected[labels == code].var() for code in (0, 1)]
    gap = abs(projected[labels == 1].mean() - projected[labels == 0].mean())
    return labels, float(np.sqrt(2) * gap / np.sqrt(sum(spreads) + 1e-12))


def _resegment(
    cepstra: np.ndarray, speech: np.ndarray, windows: np.ndarray, labels: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Each speech frame's voice (0 or 1; -1 elsewhere) and the estimate's confidence."""
    from sklearn.mixture import GaussianMixture

    rng = np.random.default_rng(SEED)
    models = []
    for code in (0, 1):
        member = np.zeros(len(speech), dtype=bool)
        for first, last in windows[labels == code]:
            member[first:last] = True
        index = np.flatnonzero(member & speech)
        if len(index) > MAX_TRAINING_FRAMES:
            index = np.sort(rng.choice(index, MAX_TRAINING_FRAMES, replace=False))
        model = GaussianMixture(
            min(VOICE_GAUSSIANS, max(1, len(index) // 50)),
            covariance_type="diag",
            max_iter=30,
            init_params="k-means++",
            random_state=SEED,
        )
        models.append(model.fit(cepstra[index].astype(np.float32)))
    speaking = np.flatnonzero(speech)
    score = np.zeros(len(speech), dtype=np.float32)
    for at in range(0, len(speaking), SCORE_BLOCK):
        block = speaking[at : at + SCORE_BLOCK]
        values = cepstra[block].astype(np.float32)
        score[block] = models[1].score_samples(values) - models[0].score_samples(values)
    # Average the score over nearby speech frames only (silence says nothing).
    width = max(1, round(SMOOTH_S / FRAME_S))
    kernel = np.ones(width, dtype=np.float32)
    summed = np.convolve(score, kernel, "same")
    counted = np.convolve(speech.astype(np.float32), kernel, "same")
    smoothed = np.where(speech, summed / np.maximum(counted, 1), 0).astype(np.float32)
    voice = np.where(speech, (smoothed > 0).astype(np.int8), -1)
    return voice, np.abs(smoothed)


def excerpts(
    mask: np.ndarray, confidence: np.ndarray | None = None, offset_s: float = 0.0
) -> tuple[tuple[float, float], ...]:
    """Up to :data:`EXCERPTS` (start, end) stretches in which a voice is heard alone and
    clearly: the longest (and, for an estimate, surest) stretches of its speech, each cut to
    at most :data:`EXCERPT_MAX_S`, in time order."""
    starts, ends = runs(mask)
    if not len(starts):
        return ()
    lengths = (ends - starts) * FRAME_S
    if confidence is not None and confidence.any():
        sureness = np.array(
            [float(confidence[a:b].mean()) for a, b in zip(starts, ends, strict=True)]
        )
    else:
        sureness = np.ones(len(starts))
    long_enough = lengths >= EXCERPT_MIN_S
    rank = np.lexsort((-lengths, -sureness * np.minimum(lengths, EXCERPT_MAX_S), ~long_enough))
    chosen = sorted(rank[:EXCERPTS].tolist(), key=lambda i: int(starts[i]))
    longest = round(EXCERPT_MAX_S / FRAME_S)
    return tuple(
        (
            round(offset_s + int(starts[i]) * FRAME_S, 3),
            round(offset_s + min(int(ends[i]), int(starts[i]) + longest) * FRAME_S, 3),
        )
        for i in chosen
    )
