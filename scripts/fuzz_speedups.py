"""Fuzz the compiled speed-ups against the pure-Python readers, for a sanitizer build.

    uv run python scripts/fuzz_speedups.py [--rounds 20000] [--seed 1]

Mutates the corpus files (tests/conversation/fixtures/corpus) and the benchmark's shapes
(bytes replaced, inserted, removed, lines repeated or dropped, the end cut off) and reads
each result with the compiled readers and with the pure-Python ones: both must give the
same transcript, or the same error. Meant to run under AddressSanitizer and
UndefinedBehaviorSanitizer (docs/metrics.md, "Compiled speed-ups", says how); prints a
count of each outcome as JSON.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from shapes import SHAPES, conversation  # noqa: E402
from tete.conversation import TranscriptError, native, read  # noqa: E402


def samples() -> list[tuple[str, bytes]]:
    corpus = ROOT / "tests" / "conversation" / "fixtures" / "corpus"
    found = [
        (path.name, path.read_bytes()) for path in sorted(corpus.iterdir()) if path.suffix != ".md"
    ]
    cues = conversation(cues=40, duration_s=120.0)
    found += [(f"shape{suffix}", write(cues, 1).encode()) for suffix, write in SHAPES.values()]
    return found


def mutate(rng: random.Random, data: bytes) -> bytes:
    changed = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        at = rng.randrange(len(changed) + 1)
        choice = rng.random()
        if choice < 0.3:
            changed[at : at + rng.randint(0, 3)] = bytes(
                rng.randrange(256) for _ in range(rng.randint(0, 3))
            )
        elif choice < 0.6:
            changed[at:at] = rng.choice(
                [b"\n", b"\n\n", b" ", b"-->", b"<v ", b"</v>", b">", b":", b": ", b"\\u", b'"', b"{", b"}",
                 b"[", b"]", b",", b"0", b"-", b"\x00", b"\xc3\xa9", b"\xf0\x9f\x99\x82", b"\t", b"\x0c"]
            )  # fmt: skip
        elif choice < 0.8:
            lines = changed.split(b"\n")
            index = rng.randrange(len(lines))
            if rng.random() < 0.5:
                lines.insert(index, lines[index])
            else:
                del lines[index]
            changed = bytearray(b"\n".join(lines))
        else:
            del changed[at:]
    return bytes(changed)


def outcome(data: bytes, name: str, compiled: object) -> object:
    native.speedups = compiled  # type: ignore[assignment]
    try:
        transcript = read(data, name=name)
    except TranscriptError as error:
        return ("error", str(error))
    return (transcript, [segment.words for segment in transcript.segments])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=20000)
    parser.add_argument("--seed", type=int, default=1)
    arguments = parser.parse_args()
    compiled = native.speedups
    if compiled is None:
        sys.exit("the compiled speed-ups are not built")
    rng = random.Random(arguments.seed)
    found = samples()
    counts: Counter[str] = Counter()
    for _ in range(arguments.rounds):
        name, data = rng.choice(found)
        data = mutate(rng, data)
        fast, slow = outcome(data, name, compiled), outcome(data, name, None)
        if fast != slow:
            Path("/tmp/fuzz_failure.bin").write_bytes(data)
            sys.exit(
                f"{name}: the compiled and Python readers differ (input in /tmp/fuzz_failure.bin)"
            )
        counts["error" if isinstance(fast, tuple) and fast[0] == "error" else "read"] += 1
    native.speedups = compiled
    print(json.dumps({"rounds": arguments.rounds, **counts}))


if __name__ == "__main__":
    main()
