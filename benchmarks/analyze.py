"""Benchmark `tete.conversation` on a generated one-hour, two-speaker WebVTT transcript.

Prints JSON: read + analyse time (core metrics) against webvtt-py's parse alone of the same
file, both the median of 30 calls interleaved in the same process (also without the
compiled speed-ups, as where they cannot be built); the time with text
analysis, peak memory (tracemalloc), and files per second over a folder of 1,000 such files
through the multi-file path of `tete analyze`.

    uv run python benchmarks/analyze.py
"""

from __future__ import annotations

import json
import os
import random
import re
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

from tete.conversation import analyze, native, read
from tete.conversation.cli import analyze_files

SPEAKERS = ("Alice Moreau", "Bob Okafor")
OPENERS = ("So", "Well", "I think", "Honestly", "Right, so", "And", "But", "Okay, and", "Also")
TOPICS = (
    "the onboarding plan",
    "the quarterly goals",
    "the design review",
    "my workload",
    "the release next week",
    "feedback from the customer",
    "the hiring pipeline",
    "the roadmap",
    "career growth",
    "the on-call rotation",
)
VERBS = (
    "is going well",
    "feels a bit stuck",
    "needs more time",
    "could use your help",
    "went better than expected",
)
TAILS = (
    "and I want to talk about it.",
    "but I am not sure why.",
    "so maybe we can look at it together?",
    "and I'll send you the notes by Friday.",
    "can you review the draft before our next one-on-one?",
    "which is great.",
    "um, you know, it depends.",
)
BACKCHANNELS = ("Mm-hmm.", "Yeah.", "Right.", "Okay.", "I see.")


def _timestamp(seconds: float) -> str:
    millis = round(seconds * 1000)
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    return f"{hours:02d}:{minutes:02d}:{rest // 1000:02d}.{rest % 1000:03d}"


def generate_webvtt(seed: int = 1, cues: int = 900, duration: float = 3600.0) -> str:
    """A realistic captions file: Teams-style ids and <v> spans, pauses, backchannels,
    the odd interruption."""
    rng = random.Random(seed)
    lines = ["WEBVTT", ""]
    step = duration / cues
    time_now = 0.0
    speaker = 0
    for index in range(cues):
        if rng.random() < 0.35:
            speaker = 1 - speaker
        if rng.random() < 0.06:
            text = rng.choice(BACKCHANNELS)
            length = 0.8
            start = max(0.0, time_now - 1.5)  # said over the other speaker
            who = 1 - speaker
        else:
            text = f"{rng.choice(OPENERS)} {rng.choice(TOPICS)} {rng.choice(VERBS)} {rng.choice(TAILS)}"
            start = max(time_now, index * step + rng.uniform(0.0, 0.4))
            length = step * rng.uniform(0.8, 0.97)
            who = speaker
            time_now = start + length
        lines.append(f"{index + 1}")
        lines.append(f"{_timestamp(start)} --> {_timestamp(start + length)}")
        lines.append(f"<v {SPEAKERS[who]}>{text}</v>")
        lines.append("")
    return "\n".join(lines)


# Only what any reader of this file must do: find each cue's times and voice, turn the times
# into seconds, add up talk per voice. No validation, no metrics: a floor to compare with.
_BARE_CUE = re.compile(
    r"(\d\d):(\d\d):(\d\d)\.(\d\d\d) --> (\d\d):(\d\d):(\d\d)\.(\d\d\d)[^\n]*\n<v ([^>]*)>"
)


def extract_only(path: Path) -> dict[str, float]:
    """A lower bound for any pure-Python read of the file (see _BARE_CUE)."""
    talk: dict[str, float] = {}
    for h1, m1, s1, f1, h2, m2, s2, f2, voice in _BARE_CUE.findall(path.read_text("utf-8")):
        start = int(h1) * 3600 + int(m1) * 60 + int(s1) + int(f1) / 1000
        end = int(h2) * 3600 + int(m2) * 60 + int(s2) + int(f2) / 1000
        talk[voice] = talk.get(voice, 0.0) + end - start
    return talk


def side_by_side(functions: dict[str, Callable[[], object]], repeat: int) -> dict[str, float]:
    """The median of ``repeat`` timed calls of each function, in seconds.

    The calls are interleaved (each round calls every function once, in an order that
    rotates), so load from other processes falls on all of them alike.
    """
    for function in functions.values():  # warm up: imports, compiled patterns
        function()
    times: dict[str, list[float]] = {name: [] for name in functions}
    names = list(functions)
    for round_ in range(repeat):
        for name in names[round_ % len(names) :] + names[: round_ % len(names)]:
            function = functions[name]
            started = time.perf_counter()
            function()
            times[name].append(time.perf_counter() - started)
    return {name: statistics.median(values) for name, values in times.items()}


def pure_python(function: Callable[[], object]) -> Callable[[], object]:
    """``function`` run without the compiled speed-ups, as where they cannot be built."""

    def without_speedups() -> object:
        compiled, native.speedups = native.speedups, None
        try:
            return function()
        finally:
            native.speedups = compiled

    return without_speedups


def peak_memory(function: Callable[[], object]) -> int:
    tracemalloc.start()
    try:
        function()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def main() -> None:
    import webvtt

    load_at_start = round(os.getloadavg()[0], 2)

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "one-hour.vtt"
        path.write_text(generate_webvtt(), encoding="utf-8")
        size = path.stat().st_size
        transcript = read(path)
        cues = len(transcript.segments)

        # Every call reads the file from disk and computes everything afresh.
        timed = side_by_side(
            {
                "ours": lambda: analyze(read(path)),
                "webvtt_py": lambda: webvtt.read(str(path)),
                "read": lambda: read(path),
                "analyze": lambda: analyze(transcript),
                "ours_to_dict": lambda: analyze(read(path)).to_dict(),
                "extract_only": lambda: extract_only(path),
                "ours_pure_python": pure_python(lambda: analyze(read(path))),
            },
            repeat=30,
        )
        with_text = side_by_side({"text": lambda: analyze(read(path), text_analysis=True)}, 5)
        peak_core = peak_memory(lambda: analyze(read(path)))
        peak_text = peak_memory(lambda: analyze(read(path), text_analysis=True))
        peak_webvtt = peak_memory(lambda: webvtt.read(str(path)))

        many = Path(folder) / "many"
        many.mkdir()
        paths = []
        for seed in range(1000):
            file = many / f"meeting-{seed:04d}.vtt"
            file.write_text(generate_webvtt(seed), encoding="utf-8")
            paths.append(str(file))
        started = time.perf_counter()
        outcomes = analyze_files(paths, text_analysis=False, roles={}, keep_segments=False)
        elapsed = time.perf_counter() - started
        failed = sum(isinstance(outcome, str) for outcome in outcomes)

    report = analyze(transcript)
    print(
        json.dumps(
            {
                "python": sys.version.split()[0],
                "cpus": os.cpu_count(),
                # Other work on the machine makes every figure noisy: compare runs taken at
                # a low load.
                "load_average_at_start": load_at_start,
                "file": {"bytes": size, "cues": cues, "duration_s": round(report.duration_s, 1)},
                "repetitions": 30,
                "read_and_analyze_s": round(timed["ours"], 5),
                "webvtt_py_parse_s": round(timed["webvtt_py"], 5),
                "speedup_vs_webvtt_py": round(timed["webvtt_py"] / timed["ours"], 1),
                # The compiled speed-ups (src/tete/conversation/_speedups.c): whether they
                # are built here, and the same work without them.
                "compiled_speedups": native.speedups is not None,
                "pure_python": {
                    "read_and_analyze_s": round(timed["ours_pure_python"], 5),
                    "speedup_vs_webvtt_py": round(
                        timed["webvtt_py"] / timed["ours_pure_python"], 1
                    ),
                },
                "breakdown_s": {
                    "read": round(timed["read"], 5),
                    "analyze": round(timed["analyze"], 5),
                    "read_analyze_and_to_dict": round(timed["ours_to_dict"], 5),
                },
                # The floor: regex extraction and timestamp conversion alone, no metrics.
                "extract_only_floor_s": round(timed["extract_only"], 5),
                "floor_speedup_vs_webvtt_py": round(timed["webvtt_py"] / timed["extract_only"], 1),
                "read_and_analyze_with_text_analysis_s": round(with_text["text"], 4),
                "peak_memory_bytes": {
                    "core": peak_core,
                    "with_text_analysis": peak_text,
                    "webvtt_py_parse": peak_webvtt,
                },
                "folder_of_1000": {
                    "seconds": round(elapsed, 2),
                    "files_per_second": round(len(paths) / elapsed, 1),
                    "failed": failed,
                },
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
