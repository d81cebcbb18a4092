"""Benchmark `tete.conversation` on one-hour, two-speaker transcripts of every common shape.

For each shape of benchmarks/shapes.py (Zoom, Teams and Meet WebVTT, SRT, WhisperX JSON),
prints JSON with the time to read and analyse the file (core metrics), the reference's time
and the ratio: for the WebVTT and SRT files the reference is webvtt-py's parse alone
(``webvtt.read`` / ``webvtt.from_srt``), for the JSON file the standard library's
``json.load`` plus the same arithmetic (talk time per speaker). Each figure is the median of
30 calls interleaved in one process, in time passed and in processor time, with the
compiled speed-ups and without them (as where they cannot be built). It also checks each report's talk time per speaker against the
generated conversation's, and prints the time with text analysis, peak memory
(tracemalloc), and files per second over a folder of 1,000 files of every shape through the
multi-file path of `tete analyze`.

    uv run python benchmarks/analyze.py
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

from tete.conversation import analyze, native, read
from tete.conversation.cli import analyze_files

try:  # run as a script (python benchmarks/analyze.py) or as a module
    from shapes import SHAPES, conversation, speaker_id, talk_by_speaker
except ImportError:  # pragma: no cover
    from benchmarks.shapes import SHAPES, conversation, speaker_id, talk_by_speaker

REPEAT = 30


def side_by_side(
    functions: dict[str, Callable[[], object]], repeat: int
) -> tuple[dict[str, float], dict[str, float]]:
    """The median of ``repeat`` timed calls of each function, in seconds: of the time
    that passed, and of the processor time this process used.

    The calls are interleaved (each round calls every function once, in an order that
    rotates), so load from other processes falls on all of them alike. On a busy machine
    a call also waits for a core; processor time leaves that wait out.
    """
    for function in functions.values():  # warm up: imports, compiled patterns
        function()
    times: dict[str, list[float]] = {name: [] for name in functions}
    cpu: dict[str, list[float]] = {name: [] for name in functions}
    names = list(functions)
    for round_ in range(repeat):
        for name in names[round_ % len(names) :] + names[: round_ % len(names)]:
            function = functions[name]
            started, started_cpu = time.perf_counter(), time.process_time()
            function()
            cpu[name].append(time.process_time() - started_cpu)
            times[name].append(time.perf_counter() - started)
    return (
        {name: statistics.median(values) for name, values in times.items()},
        {name: statistics.median(values) for name, values in cpu.items()},
    )


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


def json_reference(path: Path) -> dict[str, float]:
    """What any reader of a WhisperX file must do at least: load it, add up talk per speaker."""
    with path.open("rb") as file:
        data = json.load(file)
    talk: dict[str, float] = {}
    for segment in data["segments"]:
        speaker = segment.get("speaker")
        talk[speaker] = talk.get(speaker, 0.0) + segment["end"] - segment["start"]
    return talk


def reference(shape: str, path: Path) -> Callable[[], object]:
    import webvtt

    if shape == "whisper":
        return lambda: json_reference(path)
    if shape == "srt":
        return lambda: webvtt.from_srt(str(path))
    return lambda: webvtt.read(str(path))


def talk_matches(path: Path, shape: str, expected: dict[str, float]) -> bool:
    """Whether the report gives every speaker's talk time to within 0.5 %."""
    report = analyze(read(path))
    got = {speaker.name: speaker.talk_time_s for speaker in report.speakers}
    if shape == "whisper":
        expected = {speaker_id(name): seconds for name, seconds in expected.items()}
    return set(got) == set(expected) and all(
        abs(got[name] - seconds) <= 0.005 * seconds for name, seconds in expected.items()
    )


def measure_shape(shape: str, path: Path, expected: dict[str, float]) -> dict[str, object]:
    timed, cpu = side_by_side(
        {
            "ours": lambda: analyze(read(path)),
            "reference": reference(shape, path),
            "ours_pure_python": pure_python(lambda: analyze(read(path))),
            "read": lambda: read(path),
        },
        repeat=REPEAT,
    )
    transcript = read(path)
    return {
        "bytes": path.stat().st_size,
        "segments": len(transcript.segments),
        "dialect": transcript.dialect,
        "read_and_analyze_s": round(timed["ours"], 5),
        "read_s": round(timed["read"], 5),
        "reference": "json.load" if shape == "whisper" else "webvtt-py",
        "reference_s": round(timed["reference"], 5),
        "speedup": round(timed["reference"] / timed["ours"], 1),
        # the same in processor time, which the machine's other work disturbs less
        "cpu": {
            "read_and_analyze_s": round(cpu["ours"], 5),
            "reference_s": round(cpu["reference"], 5),
            "speedup": round(cpu["reference"] / cpu["ours"], 1),
        },
        "pure_python": {
            "read_and_analyze_s": round(timed["ours_pure_python"], 5),
            "speedup": round(timed["reference"] / timed["ours_pure_python"], 1),
            "cpu_speedup": round(cpu["reference"] / cpu["ours_pure_python"], 1),
        },
        "talk_time_within_half_a_percent": talk_matches(path, shape, expected),
    }


def main() -> None:
    import webvtt

    load_at_start = round(os.getloadavg()[0], 2)
    cues = conversation()
    expected = talk_by_speaker(cues)
    results: dict[str, object] = {}
    with tempfile.TemporaryDirectory() as folder:
        paths: dict[str, Path] = {}
        for shape, (suffix, write) in SHAPES.items():
            path = paths[shape] = Path(folder) / f"one-hour-{shape}{suffix}"
            path.write_text(write(cues, 1), encoding="utf-8")
            results[shape] = measure_shape(shape, path, expected)

        teams = paths["teams"]
        with_text, _ = side_by_side({"text": lambda: analyze(read(teams), text_analysis=True)}, 5)
        peak_core = peak_memory(lambda: analyze(read(teams)))
        peak_text = peak_memory(lambda: analyze(read(teams), text_analysis=True))
        peak_webvtt = peak_memory(lambda: webvtt.read(str(teams)))

        many = Path(folder) / "many"
        many.mkdir()
        files = []
        shapes = list(SHAPES.items())
        for seed in range(1000):
            shape, (suffix, write) = shapes[seed % len(shapes)]
            file = many / f"meeting-{seed:04d}-{shape}{suffix}"
            file.write_text(write(conversation(seed), seed), encoding="utf-8")
            files.append(str(file))
        started = time.perf_counter()
        outcomes = analyze_files(files, text_analysis=False, roles={}, keep_segments=False)
        elapsed = time.perf_counter() - started
        failed = sum(isinstance(outcome, str) for outcome in outcomes)

    print(
        json.dumps(
            {
                "python": sys.version.split()[0],
                "cpus": os.cpu_count(),
                # Other work on the machine makes every figure noisy: compare runs taken at
                # a low load.
                "load_average_at_start": load_at_start,
                "repetitions": REPEAT,
                # The compiled speed-ups (src/tete/conversation/_speedups.c): whether they
                # are built here; each shape also gives the time without them.
                "compiled_speedups": native.speedups is not None,
                "shapes": results,
                "lowest_speedup": min(r["speedup"] for r in results.values()),  # type: ignore[index]
                "lowest_cpu_speedup": min(r["cpu"]["speedup"] for r in results.values()),  # type: ignore[index]
                "teams_read_and_analyze_with_text_analysis_s": round(with_text["text"], 4),
                "teams_peak_memory_bytes": {
                    "core": peak_core,
                    "with_text_analysis": peak_text,
                    "webvtt_py_parse": peak_webvtt,
                },
                "folder_of_1000_every_shape": {
                    "seconds": round(elapsed, 2),
                    "files_per_second": round(len(files) / elapsed, 1),
                    "failed": failed,
                },
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
