"""Benchmark recordings in the app: storing an upload, and its analysis as a worker runs it.

Generates a conversation with flite (a channel per person, and the same on one microphone),
uploads each to a meeting in a fresh SQLite database in a temporary directory, then runs the
analysis as `tete worker` does (a forked child process with the memory and time limits). Prints
JSON: upload storage speed; the worker's start-up (loading the text analysis's models and the
audio libraries, once per worker process) apart; each analysis's wall time and times real
time, the first in the process against the next ones; and that the sound is gone afterwards.
Needs Debian's flite.

    uv run python benchmarks/recordings.py [--minutes 10]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.conversation.audio import synth  # noqa: E402

TURNS_PER_MINUTE = 15


class _File:
    """An uploaded file as the recording actions read it (``name``, ``size``, ``chunks``)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.name = path.name
        self.size = path.stat().st_size

    def chunks(self, chunk_size: int | None = None):
        with open(self.path, "rb") as source:
            while piece := source.read(chunk_size or 1 << 20):
                yield piece


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=10.0)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="tete-bench-recordings-"))
    os.environ.update(
        {
            "TETE_DATA_DIR": str(folder),
            "DATABASE_URL": f"sqlite:///{folder / 'bench.sqlite3'}",
            "TETE_SECRET_KEY": "benchmark-secret-key-" + "x" * 40,
            "TETE_TASKS": "database",
            "DJANGO_SETTINGS_MODULE": "tete.settings",
        }
    )
    started = time.perf_counter()
    conversation = synth.converse(
        ("slt", "rms"), turns=round(args.minutes * TURNS_PER_MINUTE), seed=11
    )
    stereo = synth.write(
        folder / "stereo.wav", synth.microphones(conversation, leak_db=(-20.0, -20.0))
    )
    mono = synth.write(folder / "table.m4a", synth.one_microphone(conversation), rate=48000)
    generated_s = time.perf_counter() - started

    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from tete.accounts.models import Person
    from tete.oneonones import actions as oneonone_actions
    from tete.recordings import actions
    from tete.recordings.actions import Track
    from tete.recordings.analysis import load_audio_modules
    from tete.recordings.models import AudioChunk
    from tete.reports.actions import load_analysis_models, run_analysis

    alice = Person.objects.create_user("alice@example.com", "x" * 20, name="Alice Martin")
    bob = Person.objects.create_user("bob@example.com", "x" * 20, name="Bob Jones")
    oneonone = oneonone_actions.start_oneonone(by=alice, other=bob, cadence="weekly")
    meeting = oneonone.meetings.first()
    results: dict[str, object] = {"generated_s": round(generated_s, 1)}
    # What run_analysis does first in each worker process: measured apart from the work.
    begin = time.perf_counter()
    load_analysis_models()
    load_audio_modules()
    results["worker_startup_s"] = round(time.perf_counter() - begin, 2)
    for name, kind, path, channel_people in (
        ("channel_per_person_first", "channels", stereo, [alice, bob]),
        ("one_microphone", "one_microphone", mono, []),
        ("channel_per_person_again", "channels", stereo, [alice, bob]),
    ):
        if name.endswith("again"):
            # Another meeting: the same file is refused twice in one one-on-one.
            other = oneonone_actions.start_oneonone(
                by=alice,
                other=Person.objects.create_user("carol@example.com", "x" * 20, name="Carol Smith"),
                cadence="weekly",
            )
            meeting, channel_people = other.meetings.first(), [alice, None]
        file = _File(path)
        begin = time.perf_counter()
        recording = actions.upload_recording(
            meeting, by=alice, kind=kind, tracks=[Track(file)], channel_people=channel_people
        )
        stored_s = time.perf_counter() - begin
        begin = time.perf_counter()
        status = run_analysis(recording.transcript_id)
        analysed_s = time.perf_counter() - begin
        recording.refresh_from_db()
        transcript = recording.transcript
        duration = float(recording.speech["recording"]["duration_s"]) if recording.speech else 0
        results[name] = {
            "status": status,
            "failure": transcript.failure_reason if transcript else "",
            "file_mb": round(file.size / 2**20, 1),
            "recording_minutes": round(duration / 60, 1),
            "store_s": round(stored_s, 2),
            "store_mb_per_s": round(file.size / 2**20 / stored_s, 1),
            "analysis_s": round(analysed_s, 2),
            "times_real_time": round(duration / analysed_s, 1) if analysed_s else None,
            "sound_chunks_left": AudioChunk.objects.filter(file__recording=recording).count(),
            "voice_samples": recording.samples.count(),
        }
    results["load_average"] = os.getloadavg()
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
