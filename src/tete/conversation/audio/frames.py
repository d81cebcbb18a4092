"""Per-frame measures of one channel, read chunk by chunk: level, voice activity and, for
one-microphone recordings, the spectral shape of the voice (MFCCs).

Everything downstream works on these arrays (one value per 10 ms frame: 360,000 for an
hour), never on the samples, which are dropped as soon as a chunk is measured.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np

from .decode import HOP, SAMPLE_RATE
from .vad import detector

#: Seconds per analysis frame.
FRAME_S = HOP / SAMPLE_RATE
#: Spectral analysis: 25 ms windows every 10 ms, 40 mel bands from 60 Hz to 7.6 kHz, and
#: cepstral coefficients 1 to 19 (the 0th is the level, which says nothing of the voice).
WINDOW = 400
FFT_SIZE = 512
MEL_BANDS = 40
MEL_LOW_HZ = 60.0
MEL_HIGH_HZ = 7600.0
CEPSTRA = 19
#: Level of digital silence, in dBFS (a floor for the logarithm).
SILENCE_DB = -100.0


@dataclass(frozen=True, slots=True)
class Frames:
    """One channel's measures, one row per 10 ms frame."""

    #: Level in dB relative to full scale.
    level_db: np.ndarray
    #: What the voice activity detector says.
    voiced: np.ndarray
    #: Cepstral coefficients (float16, ``(frames, CEPSTRA)``), for one-microphone
    #: recordings only.
    cepstra: np.ndarray | None = None

    def __len__(self) -> int:
        return len(self.level_db)


class ChannelReader:
    """Measures one channel as its chunks arrive."""

    def __init__(self, vad: str, spectral: bool = False) -> None:
        self._vad = detector(vad)
        self._levels: list[np.ndarray] = []
        self._cepstra: list[np.ndarray] | None = [] if spectral else None
        self._tail = np.zeros(WINDOW - HOP, dtype=np.float32)

    def feed(self, samples: np.ndarray) -> None:
        """The next samples (float32 at 16 kHz, a whole number of frames)."""
        frames = samples.reshape(-1, HOP)
        power = np.einsum("ij,ij->i", frames, frames, dtype=np.float64) / HOP
        self._levels.append((10 * np.log10(power + 1e-10)).astype(np.float32))
        self._vad.feed(samples)
        if self._cepstra is not None:
            extended = np.concatenate((self._tail, samples))
            self._tail = extended[-(WINDOW - HOP) :].copy()
            self._cepstra.append(cepstra(extended))

    def finish(self) -> Frames:
        level = np.concatenate(self._levels) if self._levels else np.zeros(0, np.float32)
        voiced = self._vad.result(len(level))
        spectral = None
        if self._cepstra is not None:
            spectral = (
                np.concatenate(self._cepstra)
                if self._cepstra
                else np.zeros((0, CEPSTRA), np.float16)
            )
        return Frames(np.maximum(level, SILENCE_DB), voiced, spectral)


def cepstra(samples: np.ndarray) -> np.ndarray:
    """MFCCs 1..:data:`CEPSTRA` of the 25 ms windows that end at each 10 ms frame's end
    (``samples`` starts with the :data:`WINDOW` − :data:`HOP` samples before the first
    frame), as float16."""
    from numpy.lib.stride_tricks import sliding_window_view
    from scipy.fft import dct

    windows = sliding_window_view(samples, WINDOW)[::HOP]
    spectrum = np.fft.rfft(windows * _hamming(), n=FFT_SIZE)
    power = spectrum.real**2 + spectrum.imag**2
    mel = np.log(power.astype(np.float32) @ _mel_filters() + 1e-8)
    return dct(mel, type=2, norm="ortho", axis=1)[:, 1 : CEPSTRA + 1].astype(np.float16)


@cache
def _hamming() -> np.ndarray:
    return np.hamming(WINDOW).astype(np.float32)


@cache
def _mel_filters() -> np.ndarray:
    """Triangular mel filters, ``(FFT_SIZE // 2 + 1, MEL_BANDS)``."""

    def mel(hz: np.ndarray) -> np.ndarray:
        return 2595 * np.log10(1 + hz / 700)

    def hz(mels: np.ndarray) -> np.ndarray:
        return 700 * (10 ** (mels / 2595) - 1)

    edges = hz(np.linspace(mel(np.array(MEL_LOW_HZ)), mel(np.array(MEL_HIGH_HZ)), MEL_BANDS + 2))
    bins = np.fft.rfftfreq(FFT_SIZE, 1 / SAMPLE_RATE)
    filters = np.zeros((len(bins), MEL_BANDS), dtype=np.float32)
    for band in range(MEL_BANDS):
        low, middle, high = edges[band : band + 3]
        rising = (bins - low) / (middle - low)
        falling = (high - bins) / (high - middle)
        filters[:, band] = np.maximum(0, np.minimum(rising, falling))
    return filters
