"""What one rate-limit check (`tete.throttle.throttle`) costs, with each cache backend at hand.

A check reads which slot comes next and takes it (add); only when that fails, or on the first
refusal, does it read all the key's `limit` slots. Measured at the largest limit the app sets
per person (60 searches) with 50 people each at half their limit, then past it (100
refusals: each person's first reads every slot, the next is answered from the "refused
until" entry), in the memory cache and in the database cache (SQLite in a temporary folder).
Prints JSON: microseconds per check, medians of 5 runs.

    uv run python benchmarks/throttle.py
"""

from __future__ import annotations

import json
import os
import statistics
import tempfile
import time

os.environ["TETE_DATA_DIR"] = tempfile.mkdtemp()
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tete.settings")
os.environ.pop("DATABASE_URL", None)
os.environ.pop("TETE_CACHE_URL", None)

import django

django.setup()

from django.core.cache import caches  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test.utils import override_settings  # noqa: E402

from tete.settings import _cache_from_url  # noqa: E402
from tete.throttle import throttle  # noqa: E402

LIMIT = 60
PEOPLE = 50


def per_check_us(calls: int) -> dict[str, float]:
    def run() -> tuple[float, float]:
        caches["limits"].clear()
        started = time.perf_counter()
        for i in range(calls):
            throttle(f"person:{i % PEOPLE}", LIMIT, 600)
        filling = (time.perf_counter() - started) / calls
        for i in range(PEOPLE * LIMIT - calls):
            throttle(f"person:{i % PEOPLE}", LIMIT, 600)
        started = time.perf_counter()
        refused = sum(not throttle(f"person:{i % PEOPLE}", LIMIT, 600).allowed for i in range(100))
        assert refused == 100
        return filling, (time.perf_counter() - started) / 100

    runs = [run() for _ in range(5)]
    return {
        "allowed_us": round(statistics.median(r[0] for r in runs) * 1e6, 1),
        "refused_us": round(statistics.median(r[1] for r in runs) * 1e6, 1),
    }


def main() -> None:
    results = {"limit": LIMIT, "memory": per_check_us(PEOPLE * LIMIT // 2)}
    call_command("migrate", verbosity=0)
    call_command("createcachetable", "tete_cache", verbosity=0)
    shared = _cache_from_url("db://tete_cache")
    with override_settings(CACHES={"default": shared, "limits": shared}):
        results["database_sqlite"] = per_check_us(PEOPLE * LIMIT // 2)
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
