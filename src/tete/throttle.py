"""Rate limits per person (or any key), kept in Django's cache.

>>> result = throttle(f"upload:{person.pk}", limit=20, per_seconds=3600)   # doctest: +SKIP
>>> result.allowed, result.retry_after                                      # doctest: +SKIP

Each call counts one use of ``key`` in the current window of ``per_seconds`` (fixed windows,
aligned to the clock) and says whether it is within ``limit``. The count lives in the
default cache: with a shared cache (Redis, the database; TETE_CACHE_URL) it holds across
processes and app servers; with the default memory cache, per process.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

from django.core.cache import cache

#: Prefix of every throttle's cache key.
KEY_PREFIX = "throttle"


@dataclass(frozen=True, slots=True)
class ThrottleResult:
    """What :func:`throttle` decided for one use."""

    allowed: bool
    #: Uses counted in this window, this one included.
    count: int
    limit: int
    per_seconds: int
    #: Seconds until the window ends and the count starts again.
    retry_after: int

    @property
    def limit_text(self) -> str:
        """The limit in words: "20 an hour", "3 a minute", "5 every 10 minutes"."""
        return f"{self.limit} {period_text(self.per_seconds)}"

    @property
    def retry_after_text(self) -> str:
        """When to try again, in words: "in 12 minutes", "in 40 seconds"."""
        return "in " + duration_words(self.retry_after)


def throttle(key: str, limit: int, per_seconds: int) -> ThrottleResult:
    """Count one use of ``key``; allowed while the window's count is at most ``limit``."""
    now = time.time()
    window = int(now // per_seconds)
    cache_key = f"{KEY_PREFIX}:{key}:{per_seconds}:{window}"
    # add() only sets a missing key, so two processes starting a window agree on it.
    cache.add(cache_key, 0, timeout=per_seconds + 60)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # the key expired or was evicted between add() and incr()
        cache.set(cache_key, 1, timeout=per_seconds + 60)
        count = 1
    retry_after = max(1, math.ceil((window + 1) * per_seconds - now))
    return ThrottleResult(count <= limit, count, limit, per_seconds, retry_after)


def period_text(seconds: int) -> str:
    named = {60: "a minute", 3600: "an hour", 86400: "a day", 604800: "a week"}
    return named.get(seconds) or "every " + duration_words(seconds)


def duration_words(seconds: int) -> str:
    """45 seconds, 1 minute, 12 minutes, 2 hours."""
    if seconds < 60:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    if seconds < 2 * 3600:
        minutes = math.ceil(seconds / 60)
        return f"{minutes} minute{'s' if minutes != 1 else ''}"
    hours = math.ceil(seconds / 3600)
    return f"{hours} hours"
