"""Two checkouts of the app compared page by page, in turns: processor time per request.

On a machine whose speed drifts (a shared virtual machine: the same code measured 1.2 to 2.1 ms
for the bare view between runs), two versions timed one after the other are not comparable.
This starts one process per checkout, each with the pages of page_cpu.py loaded and warm, and
asks them in turns for a batch of requests each, page by page: both see the same machine at
nearly the same moment, and each pair of batches gives a ratio. Every cache is off. Prints
JSON with the median app and database milliseconds per request of each checkout, the median
of the paired ratios, the ratio of the fastest batches, and each page's share of the bare
view's throughput:

    uv run python benchmarks/page_ab.py /path/to/before /path/to/after [--rounds 15] [--requests 20]

Each path is a checkout with its own `uv sync` done (its .venv is used). The database is
PostgreSQL's `tete_bench` (DATABASE_URL to change it), filled by page_cpu.py or pages.py.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/tete_bench"
PAGES = ("bare", "home", "oneonone", "meeting")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("before", type=Path)
    parser.add_argument("after", type=Path)
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--requests", type=int, default=20)
    args = parser.parse_args()
    env = dict(os.environ, DATABASE_URL=os.environ.get("DATABASE_URL", DEFAULT_DB))
    workers = {
        name: _start(path.resolve(), env)
        for name, path in (("before", args.before), ("after", args.after))
    }
    figures: dict[str, dict[str, list[tuple[float, float]]]] = {}
    for page in PAGES:
        count = args.requests * (5 if page == "bare" else 1)  # the bare view is quick
        figures[page] = {"before": [], "after": []}
        for index in range(args.rounds):
            order = ("before", "after") if index % 2 == 0 else ("after", "before")
            for name in order:
                figures[page][name].append(_ask(workers[name], page, count))
    for worker in workers.values():
        worker.stdin.close()  # type: ignore[union-attr]
    print(json.dumps(_summary(figures), indent=2))


def _summary(figures: dict[str, dict[str, list[tuple[float, float]]]]) -> dict[str, object]:
    def medians(rows: list[tuple[float, float]]) -> tuple[float, float]:
        return statistics.median(r[0] for r in rows), statistics.median(r[1] for r in rows)

    result: dict[str, object] = {"load_average": [round(v, 2) for v in os.getloadavg()]}
    for page, rows in figures.items():
        entry: dict[str, object] = {}
        for name in ("before", "after"):
            app, database = medians(rows[name])
            bare = sum(medians(figures["bare"][name]))
            entry[name] = {
                "app_ms": round(app, 2),
                "database_ms": round(database, 2),
                "share_of_bare_with_database": round(bare / (app + database), 3),
            }
        pairs = zip(rows["before"], rows["after"], strict=True)
        entry["after_over_before_app"] = round(statistics.median(a[0] / b[0] for b, a in pairs), 3)
        # The least disturbed batch of each: what the code costs when nothing else runs.
        fastest = {name: min(r[0] for r in rows[name]) for name in ("before", "after")}
        entry["fastest_after_over_fastest_before_app"] = round(
            fastest["after"] / fastest["before"], 3
        )
        result[page] = entry
    return result


def _start(checkout: Path, env: dict[str, str]) -> subprocess.Popen[str]:
    worker = subprocess.Popen(
        [str(checkout / ".venv/bin/python"), str(Path(__file__).resolve()), "--worker"],
        cwd=checkout,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert worker.stdout is not None
    if worker.stdout.readline().strip() != "ready":
        raise SystemExit(f"{checkout}: the pages did not load (run it alone to see why)")
    return worker


def _ask(worker: subprocess.Popen[str], page: str, count: int) -> tuple[float, float]:
    assert worker.stdin is not None and worker.stdout is not None
    worker.stdin.write(f"{page} {count}\n")
    worker.stdin.flush()
    app, database = worker.stdout.readline().split()
    return float(app), float(database)


def _worker() -> None:
    """In the checkout's own environment (its `tete` is the one installed in its .venv): the
    pages of page_cpu.py, timed on demand. The benchmark code is this one's, so an older
    checkout is measured the same way."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from benchmarks.page_cpu import database_cpu_reader, signed_in_pages

    client, pages = signed_in_pages()
    database_cpu = database_cpu_reader()
    for path in pages.values():
        for _ in range(10):
            client.get(path)
    print("ready", flush=True)
    for line in sys.stdin:
        page, count = line.split()
        database_started, started = database_cpu(), time.process_time()
        for _ in range(int(count)):
            client.get(pages[page])
        app = (time.process_time() - started) / int(count) * 1000
        print(app, (database_cpu() - database_started) / int(count) * 1000, flush=True)


if __name__ == "__main__":
    if sys.argv[1:] == ["--worker"]:
        _worker()
    else:
        main()
