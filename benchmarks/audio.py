"""Benchmark tete.conversation.audio on generated conversations with known ground truth.

Prints JSON: speed (times real time, one core) for a channel per person, tracks and one
microphone; peak memory of each (its own process, ``ru_maxrss``); accuracy against the
ground truth (talk share error in points, overlap error, DER with pyannote.metrics, collar
0.25 s) for each case, with crosstalk at -15 and -25 dB; and the voice activity detectors
(WebRTC's, Silero's) compared on speed and accuracy. Needs Debian's flite.

    uv run python benchmarks/audio.py [--stereo-minutes 60] [--mono-minutes 20]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.conversation.audio import synth  # noqa: E402

#: Turns per generated minute (a run of 10 per minute gave 39 minutes for 60).
TURNS_PER_MINUTE = 15

# The peak is read from /proc (VmHWM): Linux keeps ru_maxrss across exec, so a child would
# report this process's own peak. CPU time is given beside wall time: on a busy machine the
# wall time measures the other processes too.
PEAK = """
import json, resource, sys, time
from tete.conversation import analyze
from tete.conversation.audio import read_recording, read_tracks
paths = sys.argv[2:]
start = time.perf_counter()
if sys.argv[1] == "tracks":
    transcript = read_tracks(paths)
else:
    transcript = read_recording(paths[0])
analyze(transcript)
usage = resource.getrusage(resource.RUSAGE_SELF)
status = open("/proc/self/status").read()
print(json.dumps({"seconds": time.perf_counter() - start,
                  "cpu_seconds": usage.ru_utime + usage.ru_stime,
                  "peak_mb": int(status.split("VmHWM:")[1].split()[0]) / 1024}))
"""


def one_core_env() -> dict[str, str]:
    env = dict(os.environ)
    env.update(OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1", MKL_NUM_THREADS="1")
    return env


def run_alone(kind: str, paths: list[Path]) -> dict[str, float]:
    """Analyse in a process of its own, pinned to one core: time and peak memory."""
    command = [sys.executable, "-c", PEAK, kind, *map(str, paths)]
    if hasattr(os, "sched_setaffinity"):
        command = ["taskset", "-c", "0", *command]
    done = subprocess.run(command, capture_output=True, text=True, check=True, env=one_core_env())
    return json.loads(done.stdout)


def figures(duration_s: float, measured: dict[str, float]) -> dict[str, float]:
    return {
        "audio_minutes": round(duration_s / 60, 1),
        "wall_seconds": round(measured["seconds"], 2),
        "cpu_seconds": round(measured["cpu_seconds"], 2),
        "times_real_time_wall": round(duration_s / measured["seconds"], 1),
        "times_real_time_cpu": round(duration_s / measured["cpu_seconds"], 1),
        "peak_mb": round(measured["peak_mb"], 1),
    }


def spans(transcript, name):
    return [(s.start, s.end) for s in transcript.segments if s.speaker == name]


def total(intervals):
    return sum(b - a for a, b in intervals)


def overlap(one, two):
    """Shared time of two sorted interval lists."""
    shared, j = 0.0, 0
    for a, b in one:
        while j < len(two) and two[j][1] <= a:
            j += 1
        k = j
        while k < len(two) and two[k][0] < b:
            shared += max(0.0, min(b, two[k][1]) - max(a, two[k][0]))
            k += 1
    return shared


def der(truth, found) -> float:
    from pyannote.core import Annotation, Segment
    from pyannote.metrics.diarization import DiarizationErrorRate

    def annotation(speakers):
        made = Annotation()
        for name, intervals in speakers.items():
            for start, end in intervals:
                made[Segment(start, end)] = name
        return made

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return float(DiarizationErrorRate(collar=0.25)(annotation(truth), annotation(found)))


def accuracy(transcript, truth) -> dict[str, float | None]:
    names = list(transcript.speakers)
    if len(names) != 2:
        return {"speakers_found": len(names)}
    found = [spans(transcript, name) for name in names]
    true_total = [total(t) for t in truth]
    found_total = [total(f) for f in found]
    share_error = abs(found_total[0] / sum(found_total) - true_total[0] / sum(true_total))
    true_overlap = overlap(*truth)
    found_overlap = overlap(*found)
    return {
        "share_error_points": round(100 * share_error, 2),
        "overlap_true_s": round(true_overlap, 2),
        "overlap_found_s": round(found_overlap, 2),
        "overlap_error": round(abs(found_overlap - true_overlap) / true_overlap, 3)
        if true_overlap
        else None,
        "der": round(der({"a": truth[0], "b": truth[1]}, {"a": found[0], "b": found[1]}), 4),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--stereo-minutes", type=float, default=60)
    parser.add_argument("--mono-minutes", type=float, default=20)
    parser.add_argument("--accuracy-minutes", type=float, default=5)
    options = parser.parse_args()
    if not synth.have_flite():
        sys.exit(synth.NO_FLITE)
    from tete.conversation.audio import read_recording, read_tracks

    folder = Path(tempfile.mkdtemp(prefix="tete-audio-bench-"))
    results: dict[str, object] = {}

    # Accuracy: a few minutes per case, two pairs of voices, crosstalk at -15 and -25 dB.
    accuracy_cases = {}
    vad_comparison: dict[str, dict[str, object]] = {}
    turns = int(options.accuracy_minutes * TURNS_PER_MINUTE)
    for voices in (("slt", "rms"), ("kal", "awb")):
        conversation = synth.converse(voices, turns=turns, seed=21)
        truth = synth.truth(conversation)
        pair = "+".join(voices)
        for leak in (-15.0, -25.0):
            mics = synth.microphones(conversation, leak_db=(leak, leak), noise_db=-50.0)
            stereo = synth.write(folder / f"{pair}{leak:.0f}.flac", mics)
            for vad in ("webrtc", "silero"):
                start = time.perf_counter()
                transcript = read_recording(stereo, vad=vad)
                seconds = time.perf_counter() - start
                case = accuracy(transcript, truth)
                accuracy_cases[f"stereo {pair} leak {leak:.0f} dB ({vad})"] = case
                entry = vad_comparison.setdefault(vad, {"times_real_time": [], "der": []})
                entry["times_real_time"].append(round(conversation.duration_s / seconds, 1))  # type: ignore[union-attr]
                entry["der"].append(case.get("der"))  # type: ignore[union-attr]
            alice = synth.write(folder / f"{pair}{leak:.0f}-a.m4a", mics[:1])
            bob = synth.write(folder / f"{pair}{leak:.0f}-b.ogg", mics[1:], rate=48000)
            accuracy_cases[f"tracks {pair} leak {leak:.0f} dB"] = accuracy(
                read_tracks([alice, bob]), truth
            )
        mono = synth.write(folder / f"{pair}-mono.wav", synth.one_microphone(conversation))
        accuracy_cases[f"one microphone {pair}"] = accuracy(read_recording(mono), truth)
    results["accuracy"] = accuracy_cases
    results["vad_comparison"] = vad_comparison

    # Speed and memory: long recordings, each analysed in a process of its own on one core.
    speed = {}
    long_conversation = synth.converse(
        ("slt", "rms"), turns=int(options.stereo_minutes * TURNS_PER_MINUTE), seed=5
    )
    mics = synth.microphones(long_conversation, leak_db=(-20.0, -20.0))
    stereo = synth.write(folder / "long-stereo.wav", mics, rate=48000)
    alice = synth.write(folder / "long-a.wav", mics[:1])
    bob = synth.write(folder / "long-b.wav", mics[1:])
    del mics
    for kind, paths in (("stereo", [stereo]), ("tracks", [alice, bob])):
        speed[kind] = figures(long_conversation.duration_s, run_alone(kind, paths))
    mono_conversation = synth.converse(
        ("slt", "rms"), turns=int(options.mono_minutes * TURNS_PER_MINUTE), seed=6
    )
    mono = synth.write(folder / "long-mono.wav", synth.one_microphone(mono_conversation), 48000)
    speed["one microphone"] = figures(mono_conversation.duration_s, run_alone("mono", [mono]))
    results["speed"] = speed
    results["machine"] = {"cpus": os.cpu_count(), "load_average": os.getloadavg()}
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
