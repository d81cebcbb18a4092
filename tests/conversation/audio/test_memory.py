"""A long recording is decoded as a stream: memory does not grow with its length.

The peak resident memory of a process that analyses one hour of stereo sound is measured
(``ru_maxrss``) and bounded; the bound holds for a three-hour recording too, since nothing
but per-frame figures (a few bytes per 10 ms) is kept.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from .test_bad_input import wav_header

#: Peak memory allowed for analysing an hour of stereo (the goal: about 300 MB for three
#: hours; Python, numpy, PyAV and scikit-learn alone take about 120 MB).
PEAK_MB = 300

# The peak is read from /proc (VmHWM), not getrusage: Linux keeps ru_maxrss across exec, so
# a child would report its parent's peak (pytest's) when that is larger.
PROGRAM = """
import json, sys
from tete.conversation import analyze
from tete.conversation.audio import read_recording
report = analyze(read_recording(sys.argv[1]))
status = open("/proc/self/status").read()
peak_kb = int(status.split("VmHWM:")[1].split()[0])
print(json.dumps({
    "peak_mb": peak_kb / 1024,
    "duration_s": report.to_dict()["recording"]["duration_s"],
    "speakers": len(report.speakers),
}))
"""


def long_stereo(path: Path, seconds: int, rate: int = 8000) -> Path:
    """An hour of 8 kHz 8-bit stereo (58 MB), made in a second: ten seconds of two people
    taking turns (a tone each, and a little of the other leaking in), over and over."""
    t = np.arange(10 * rate) / rate
    one = np.where(
        (t % 5) < 2.5, 0.5 * np.sin(2 * np.pi * 180 * t) * (1 + np.sin(2 * np.pi * 4 * t)) / 2, 0
    )
    two = np.roll(one, int(2.5 * rate)) * 0.8
    left, right = one + 0.05 * two, two + 0.05 * one
    block = np.stack((left, right), axis=1).reshape(-1)
    pcm = (128 + np.clip(block, -1, 1) * 100).astype(np.uint8).tobytes()
    repeats = seconds // 10
    with path.open("wb") as file:
        file.write(wav_header(2, rate, len(pcm) * repeats, bits=8))
        for _ in range(repeats):
            file.write(pcm)
    return path


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs Linux's /proc")
def test_an_hour_of_stereo_stays_within_the_memory_bound(tmp_path: Path):
    path = long_stereo(tmp_path / "hour.wav", 3600)
    done = subprocess.run(
        [sys.executable, "-c", PROGRAM, str(path)], capture_output=True, text=True, check=True
    )
    result = json.loads(done.stdout)
    assert result["duration_s"] == 3600.0
    assert result["speakers"] == 2
    assert result["peak_mb"] < PEAK_MB, result
