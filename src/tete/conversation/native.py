"""The optional compiled speed-ups (``_speedups.c``), and how to do without them.

The install compiles them where it can (setup.py). Every caller keeps a pure-Python path
that gives the same results, used when :data:`speedups` is ``None``: when the extension
was not built, or when the environment sets ``TETE_PURE_PYTHON=1``. Callers read the
attribute at each call, so tests can switch it off.
"""

from __future__ import annotations

import os
from types import ModuleType

speedups: ModuleType | None = None
if not os.environ.get("TETE_PURE_PYTHON"):
    try:
        from . import _speedups as speedups
    except ImportError:  # not compiled here: the pure-Python paths run
        speedups = None
