"""For the tests that start `tete serve` as a real process: an environment without this
process's settings, and what a running process holds, read from Linux's /proc (its children,
its open files and its TCP connections)."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path


def environment_without_settings() -> dict[str, str]:
    """This process's environment without its Tête-à-tête and Django settings, for a process
    given settings of its own."""
    return {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("TETE_", "DJANGO_")) and key != "DATABASE_URL"
    }


def child_pids(pid: int) -> list[int]:
    return [
        int(child)
        for task in Path(f"/proc/{pid}/task").iterdir()
        for child in (task / "children").read_text().split()
    ]


def open_handles(pid: int) -> set[str]:
    """What the process's file descriptors point at: paths, or `socket:[inode]`."""
    handles = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        with contextlib.suppress(FileNotFoundError):  # closed meanwhile
            handles.add(os.readlink(fd))
    return handles


def connections_to_port(pid: int, port: int) -> set[str]:
    """The process's TCP connections to a remote port, as `socket:[inode]`."""
    to_port = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            remote_port = int(fields[2].rsplit(":", 1)[1], 16)
            if remote_port == port:
                to_port.add(f"socket:[{fields[9]}]")
    return open_handles(pid) & to_port
