"""Readers and metrics run with the compiled speed-ups and without them.

Modules that use the ``each_implementation`` fixture run every test twice: once with
``tete.conversation._speedups`` (when it is built) and once on the pure-Python paths.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from tete.conversation import native

NOT_BUILT = (
    "the compiled speed-ups (tete.conversation._speedups) are not built: install a C "
    "compiler and the Python headers, then `uv sync --reinstall-package tete`"
)


def compiled_speedups():
    """The extension module; skips the test when it is not built, except under CI=true,
    where that is a failure."""
    try:
        from tete.conversation import _speedups
    except ImportError:
        if os.environ.get("CI") == "true":
            pytest.fail(NOT_BUILT)
        pytest.skip(NOT_BUILT)
    return _speedups


# Module scope: hypothesis refuses function-scoped fixtures around its examples.
@pytest.fixture(scope="module", params=["compiled", "python"])
def each_implementation(request: pytest.FixtureRequest) -> Iterator[str]:
    chosen = compiled_speedups() if request.param == "compiled" else None
    before = native.speedups
    native.speedups = chosen
    try:
        yield request.param
    finally:
        native.speedups = before
