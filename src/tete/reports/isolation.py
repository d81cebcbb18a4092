"""Run one analysis in a child process with a memory and a time limit.

A transcript is untrusted input, and the analysis is pure computation (no database): it
runs in a process forked for it, whose address space is capped (``RLIMIT_AS``, beyond what
the parent already maps) and whose time is capped twice (``RLIMIT_CPU``, and the parent
kills it at the deadline). Whatever the child does — runs out of memory, spins, crashes —
the parent, the worker or the request, carries on, and says which limit was broken.

While it waits, the parent calls ``beat`` every few seconds (the analysis's lease, see
``actions.run_analysis``). On Linux the child dies with its parent.

Where ``os.fork`` does not exist (Windows) the work runs in this process, without limits.
"""

from __future__ import annotations

import math
import os
import pickle
import resource
import select
import signal
import time
import traceback
from collections.abc import Callable
from contextlib import ExitStack, suppress
from typing import Any, TypeVar

from tete.conversation import InternalReadError, TranscriptError

T = TypeVar("T")

# Exit codes of the child, when it cannot report through the pipe.
_OUT_OF_MEMORY = 3
_BROKEN = 4


class LimitExceeded(Exception):
    """The analysis broke its memory or time limit. ``message`` is for the person."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message


class AnalysisCrashed(Exception):
    """The analysis failed unexpectedly; ``details`` (a traceback) are for the log only."""

    def __init__(self, details: str) -> None:
        super().__init__(details)
        self.details = details


def memory_text(megabytes: int) -> str:
    return f"{megabytes / 1024:g} GB" if megabytes >= 1024 else f"{megabytes} MB"


def time_text(seconds: float) -> str:
    if seconds >= 60 and seconds % 60 == 0:
        minutes = int(seconds // 60)
        return f"{minutes}-minute" if minutes != 1 else "1-minute"
    return f"{seconds:g}-second"


def run_limited(
    work: Callable[[], T],
    *,
    memory_mb: int,
    seconds: float,
    beat: Callable[[], None] | None = None,
    beat_every: float = 5.0,
) -> T:
    """``work()``'s result, computed in a child process within the limits.

    Raises :class:`LimitExceeded` when a limit is broken, :class:`TranscriptError` as the
    work raised it, and :class:`AnalysisCrashed` for anything else.
    """
    if not hasattr(os, "fork"):
        return work()
    read_end, write_end = os.pipe()
    parent = os.getpid()
    pid = os.fork()
    if pid == 0:  # the child: never returns
        os.close(read_end)
        _child(work, write_end, parent, memory_mb, seconds)
    os.close(write_end)
    try:
        payload, status = _wait(pid, read_end, seconds, beat, beat_every)
    finally:
        os.close(read_end)
    return _outcome(payload, status, memory_mb, seconds)


def _child(work: Callable[[], Any], pipe: int, parent: int, memory_mb: int, seconds: float) -> None:
    code = 0
    try:
        _die_with(parent)
        _limit(memory_mb, seconds)
        try:
            with _no_database():
                result: tuple[Any, ...] = ("ok", work())
        except MemoryError:
            result = ("memory",)
        except InternalReadError as error:
            details = "".join(traceback.format_exception(error.__cause__ or error))
            result = ("crashed", details)
        except TranscriptError as error:
            # Exceptions with their own __init__ do not survive pickling: send the parts.
            result = ("transcript", error.source, error.reason, error.line)
        except BaseException:
            result = ("crashed", traceback.format_exc())
        data = pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)
        view = memoryview(data)
        while view:
            written = os.write(pipe, view)
            view = view[written:]
    except MemoryError:
        code = _OUT_OF_MEMORY
    except BaseException:
        code = _BROKEN
    finally:
        # No cleanup: the parent's database connections, files and atexit handlers are
        # the parent's.
        os._exit(code)


def _die_with(parent: int) -> None:
    """Ask Linux to kill this child when its parent dies (a worker killed with kill -9)."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:  # the parent died before the request took effect
        os._exit(_BROKEN)


def _limit(memory_mb: int, seconds: float) -> None:
    mapped = _mapped_bytes()
    if mapped is not None:
        limit = mapped + memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    cpu = math.ceil(seconds) + 1
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 2))


def _mapped_bytes() -> int | None:
    """The address space this process maps already (inherited from the parent)."""
    try:
        with open("/proc/self/statm") as statm:
            pages = int(statm.read().split()[0])
    except (OSError, ValueError, IndexError):
        return None
    return pages * os.sysconf("SC_PAGE_SIZE")


class _DatabaseForbidden(Exception):
    pass


def _no_database() -> ExitStack:
    """Any query in the child would run on the parent's connection: refuse it."""
    from django.db import connections

    def refuse(*args: Any) -> Any:
        raise _DatabaseForbidden("the analysis process may not use the database")

    stack = ExitStack()
    for connection in connections.all(initialized_only=True):
        stack.enter_context(connection.execute_wrapper(refuse))
    return stack


def _wait(
    pid: int,
    pipe: int,
    seconds: float,
    beat: Callable[[], None] | None,
    beat_every: float,
) -> tuple[bytes | None, int]:
    """The child's report and exit status; kills the child at the deadline."""
    deadline = time.monotonic() + seconds
    next_beat = time.monotonic() + beat_every
    chunks: list[bytes] = []
    timed_out = False
    while True:
        now = time.monotonic()
        if now >= deadline:
            timed_out = True
            break
        ready, _, _ = select.select([pipe], [], [], max(0.0, min(deadline, next_beat) - now))
        if ready:
            chunk = os.read(pipe, 1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
        if beat is not None and time.monotonic() >= next_beat:
            beat()
            next_beat = time.monotonic() + beat_every
    if timed_out:
        with suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        return None, -1
    _, status = os.waitpid(pid, 0)
    return b"".join(chunks), status


def _outcome(payload: bytes | None, status: int, memory_mb: int, seconds: float) -> Any:
    took_too_long = LimitExceeded(
        "time", f"The analysis took longer than the {time_text(seconds)} limit."
    )
    needed_too_much = LimitExceeded(
        "memory", f"The analysis needed more than the {memory_text(memory_mb)} memory limit."
    )
    if payload is None and status == -1:
        raise took_too_long
    if os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGXCPU:
        raise took_too_long
    if os.WIFEXITED(status) and os.WEXITSTATUS(status) == _OUT_OF_MEMORY:
        raise needed_too_much
    if not payload:
        raise AnalysisCrashed(f"the analysis process ended with status {status} and no result")
    result = pickle.loads(payload)
    kind = result[0]
    if kind == "ok":
        return result[1]
    if kind == "memory":
        raise needed_too_much
    if kind == "transcript":
        _, source, reason, line = result
        raise TranscriptError(source, reason, line)
    raise AnalysisCrashed(result[1])
