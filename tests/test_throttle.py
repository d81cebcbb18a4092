"""The shared rate limit helper (tete/throttle.py)."""

from __future__ import annotations

import pytest

from tete import throttle as throttle_module
from tete.throttle import duration_words, throttle


@pytest.fixture
def clock(monkeypatch):
    """A clock the test moves: starts one second into an hour."""
    now = [1_800_000_000.0 + 1]  # a multiple of 3600, plus one second
    monkeypatch.setattr(throttle_module.time, "time", lambda: now[0])
    return now


def test_it_allows_up_to_the_limit_in_a_window_then_refuses(clock):
    results = [throttle("upload:1", limit=3, per_seconds=3600) for _ in range(4)]
    assert [r.allowed for r in results] == [True, True, True, False]
    assert [r.count for r in results] == [1, 2, 3, 4]
    assert results[-1].retry_after == 3599
    assert results[-1].limit_text == "3 an hour"
    assert results[-1].retry_after_text == "in 60 minutes"


def test_a_new_window_starts_the_count_again(clock):
    for _ in range(3):
        throttle("upload:1", limit=2, per_seconds=60)
    clock[0] += 60
    again = throttle("upload:1", limit=2, per_seconds=60)
    assert again.allowed and again.count == 1


def test_keys_are_counted_apart(clock):
    throttle("upload:1", limit=1, per_seconds=60)
    assert not throttle("upload:1", limit=1, per_seconds=60).allowed
    assert throttle("upload:2", limit=1, per_seconds=60).allowed
    assert throttle("search:1", limit=1, per_seconds=60).allowed


def test_durations_read_as_words():
    assert duration_words(1) == "1 second"
    assert duration_words(45) == "45 seconds"
    assert duration_words(61) == "2 minutes"
    assert duration_words(3 * 3600) == "3 hours"
