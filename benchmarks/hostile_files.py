"""What each hostile transcript costs to refuse: outcome, peak memory and time.

Reads every file of the limits test (``tests/conversation/test_limits.py``: zip bombs, a
billion laughs, deep JSON, huge cue counts, endless lines, absurd timings) in a fresh
process, as the background analysis does, and prints JSON: per file, its size, the outcome
(the reader's own refusal naming the limit), the process's peak resident memory (VmHWM)
and the wall time.

    uv run python benchmarks/hostile_files.py
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.conversation.test_limits import HOSTILE, read_in_a_process


def main() -> None:
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        for name, (suffix, make, _limit) in HOSTILE.items():
            path = Path(folder) / f"hostile.{suffix}"
            path.write_bytes(make())
            started = time.perf_counter()
            result, peak_mb = read_in_a_process(path)
            rows.append(
                {
                    "file": name,
                    "bytes": path.stat().st_size,
                    "outcome": result["outcome"],
                    "message": result.get("message", ""),
                    "peak_mb": round(peak_mb, 1),
                    "seconds": round(time.perf_counter() - started, 2),
                }
            )
            path.unlink()
    print(json.dumps(rows, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
