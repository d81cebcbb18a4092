"""Rate limits counted in Django's cache.

``throttle(key, limit, per_seconds)`` counts one use of ``key`` and says whether it stays
within ``limit`` uses in any ``per_seconds``. The count lives in the cache named "limits"
(settings.CACHES), so it holds across processes and app servers when that cache is shared
(TETE_CACHE_URL: Redis or the database); with the default memory cache each process counts
on its own.

Each use takes one of ``limit`` slots: a cache entry that holds the time it was taken and
expires ``per_seconds`` later. So the slots alive are exactly the uses of the last
``per_seconds`` (a sliding window, no burst at a window's edge), a use is allowed while a slot
is free, and the wait is until the oldest slot expires. Slots are taken with ``cache.add``,
which every cache backend does atomically, so two app servers never take the same one; and
no counter is incremented, which the database cache would do without keeping its expiry.
A refused use takes no slot: someone who waits as long as they were told gets through.

A check costs the same whatever the limit. Slots are taken in turn, round a ring, and a
*next* entry says which one comes after the last taken: that one is the oldest, so when it is
free, a use is allowed with one ``add``. Only when it is not (another app server took it a
moment ago, or the entry was lost) is every slot read, as a check always did. A refusal
leaves a *refused until* entry that answers every use until the oldest slot expires, without
reading a slot (nothing can free one sooner: refused uses take none).
"""

from __future__ import annotations

import hashlib
import math
import time
from dataclasses import dataclass

from django.core.cache import caches


@dataclass(frozen=True)
class Throttle:
    allowed: bool
    #: Whole seconds to wait before another use is allowed; 0 when this one was.
    retry_after: int
    limit: int
    per_seconds: int


def throttle(key: str, limit: int, per_seconds: int) -> Throttle:
    """Count one use of ``key``; allowed while at most ``limit`` fall in any ``per_seconds``."""
    if limit < 1 or per_seconds < 1:
        raise ValueError("A throttle needs a limit and a period of at least 1.")
    # Hashed: a key may hold an email address, which the cache need not keep (nor its backend
    # refuse for its length or characters). Short, as the cache checks each key's characters.
    name = hashlib.sha256(f"{key}\x1f{per_seconds}".encode()).hexdigest()[:20]
    next_key, refused_key = f"n:{name}", f"r:{name}"
    cache = caches["limits"]
    state = cache.get_many([next_key, refused_key])
    now = time.time()
    refused_until = state.get(refused_key)
    if refused_until is not None and float(refused_until) > now:
        return _refused(float(refused_until) - now, limit, per_seconds)
    # The entries live as long as the slots they point at: when the next one has expired,
    # so has every slot, and slot 0 is as good as any.
    turn = int(state.get(next_key) or 0) % limit
    if cache.add(_slot(name, turn), now, timeout=per_seconds):
        cache.set(next_key, turn + 1, timeout=per_seconds)
        return Throttle(True, 0, limit, per_seconds)
    return _look_at_every_slot(name, limit, per_seconds)


def _slot(name: str, index: int) -> str:
    return f"t:{name}:{index}"


def _look_at_every_slot(name: str, limit: int, per_seconds: int) -> Throttle:
    cache = caches["limits"]
    slots = [_slot(name, index) for index in range(limit)]
    taken = cache.get_many(slots)
    now = time.time()
    for index, slot in enumerate(slots):
        # Another process may take a free slot first: add() then fails, try the next one.
        if slot not in taken and cache.add(slot, now, timeout=per_seconds):
            cache.set(f"n:{name}", index + 1, timeout=per_seconds)
            return Throttle(True, 0, limit, per_seconds)
    # Every slot is taken: the oldest frees first (slots others took meanwhile are newer).
    oldest = min((float(t) for t in taken.values()), default=now)
    until = oldest + per_seconds
    if until > now:
        cache.set(f"r:{name}", until, timeout=math.ceil(until - now))
    return _refused(until - now, limit, per_seconds)


def _refused(wait: float, limit: int, per_seconds: int) -> Throttle:
    return Throttle(False, max(1, math.ceil(wait)), limit, per_seconds)
