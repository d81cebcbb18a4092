"""How long a full garbage collection pauses an app server's worker, with and without the
objects its loading made frozen (`tete serve` freezes them: tete.cli.loaded_application).

A full collection runs every few hundred requests and stops the request in progress, and
every request queued behind it, for as long as it takes to go through every object the
process holds. Each mode runs in a fresh process: load the app as a gunicorn worker does
(the frozen mode then freezes), sign in, serve the home, one-on-one and meeting pages 20 times
each (templates, addresses and
queries made, as in a running server), then time five full collections. Prints JSON:

    uv run python benchmarks/gc_pause.py

Uses page_cpu.py's generated organisation on PostgreSQL (DATABASE_URL to change it).
"""

from __future__ import annotations

import gc
import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MODES = ("as loaded", "frozen after loading")


def main() -> None:
    results = {}
    for mode in MODES:
        answer = subprocess.run(
            [sys.executable, __file__, "--measure", mode],
            capture_output=True,
            text=True,
            check=True,
            cwd=ROOT,
        )
        results[mode] = json.loads(answer.stdout.strip().splitlines()[-1])
    print(json.dumps(results, indent=2))


def _measure(mode: str) -> None:
    sys.path.insert(0, str(ROOT))
    from benchmarks.page_cpu import signed_in_pages, use_generated_organisation

    use_generated_organisation()
    if mode == "frozen after loading":
        from tete.cli import loaded_application

        loaded_application()  # as a gunicorn worker starts: before its first request
    client, pages = signed_in_pages()
    for path in pages.values():
        for _ in range(20):
            client.get(path)
    pauses = []
    for _ in range(5):
        started = time.perf_counter()
        gc.collect()
        pauses.append(round((time.perf_counter() - started) * 1000, 1))
    print(
        json.dumps(
            {
                "full_collection_ms": pauses,
                "objects_collected_over": len(gc.get_objects()),
                "objects_frozen": gc.get_freeze_count(),
            }
        )
    )


if __name__ == "__main__":
    if sys.argv[1:2] == ["--measure"]:
        _measure(sys.argv[2])
    else:
        main()
