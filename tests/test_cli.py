"""The `tete` command as a newcomer runs it: real processes, their own data directories."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.processes import child_pids, open_handles

TETE = [sys.executable, "-m", "tete.cli"]


def tete_env(data_dir: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "TETE_TASKS"}}
    env.update(TETE_DATA_DIR=str(data_dir), **extra)
    return env


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run_python(code: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """`code` in a Python process of its own."""
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120
    )


def test_help_lists_the_commands():
    result = subprocess.run([*TETE, "--help"], capture_output=True, text=True, check=True)
    for command in ("serve", "demo", "analyze", "worker", "manage"):
        assert command in result.stdout


def test_worker_explains_the_setting_it_needs(tmp_path):
    result = subprocess.run(
        [*TETE, "worker"],
        capture_output=True,
        text=True,
        env=tete_env(tmp_path, TETE_TASKS="immediate"),
    )
    assert result.returncode == 2
    assert "TETE_TASKS=database" in result.stderr


def test_a_server_worker_freezes_what_loading_the_app_made(tmp_path):
    # In a process of its own: freezing is for the whole process.
    code = (
        "import gc; from tete.cli import loaded_application; "
        "application = loaded_application(); "
        "print(callable(application), gc.get_freeze_count())"
    )
    result = run_python(code, tete_env(tmp_path))
    assert result.returncode == 0, result.stderr
    is_application, frozen = result.stdout.split()
    assert is_application == "True"
    # Django and the app's models: tens of thousands of objects, out of the collector's reach.
    assert int(frozen) > 20_000


def test_a_server_worker_refuses_a_database_connection_it_inherited(tmp_path):
    # A connection opened before gunicorn forks would be shared by every worker.
    code = (
        "import django; django.setup(); from django.db import connection; "
        "connection.ensure_connection(); "
        "from tete.cli import loaded_application; loaded_application()"
    )
    result = run_python(code, tete_env(tmp_path, DJANGO_SETTINGS_MODULE="tete.settings"))
    assert result.returncode != 0
    assert "started with database connections open (default)" in result.stderr


def _children(pid: int) -> list[list[str]]:
    """The command lines of a process's children (Linux)."""
    found = []
    for child in child_pids(pid):
        cmdline = Path(f"/proc/{child}/cmdline").read_bytes().split(b"\0")
        found.append([part.decode() for part in cmdline if part])
    return found


def test_serve_migrates_and_answers(tmp_path):
    port = free_port()
    server = subprocess.Popen(
        [*TETE, "serve", "--port", str(port), "--workers", "1"],
        env=tete_env(tmp_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        body = b""
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/login/", timeout=5) as r:
                    body = r.read()
                    break
            except OSError:
                time.sleep(0.3)
        assert b"Sign in" in body
        database = tmp_path / "tete.sqlite3"
        assert database.exists()
        # Migrating opened the database in this process, which gunicorn forks its workers
        # from: it must let go first, or every worker shares one SQLite handle.
        held = {handle for handle in open_handles(server.pid) if handle.startswith(str(database))}
        assert not held, f"the server's parent process still holds {held}"
        # Transcripts are analysed by a task worker beside the web server, not in requests.
        assert any(command[-1:] == ["worker"] for command in _children(server.pid))
    finally:
        server.terminate()
        server.wait(timeout=20)


@pytest.mark.slow
def test_demo_builds_once_in_its_own_database(tmp_path):
    first = subprocess.run(
        [*TETE, "demo", "--build-only"],
        capture_output=True,
        text=True,
        env=tete_env(tmp_path),
        timeout=300,
    )
    assert first.returncode == 0, first.stderr
    assert "Built the demo organisation" in first.stdout
    assert "alice@demo.example.com" in first.stdout
    assert "tete-demo" in first.stdout
    assert (tmp_path / "demo" / "tete.sqlite3").exists()
    assert not (tmp_path / "tete.sqlite3").exists(), "the demo must not touch the real database"

    second = subprocess.run(
        [*TETE, "demo", "--build-only"],
        capture_output=True,
        text=True,
        env=tete_env(tmp_path),
        timeout=120,
    )
    assert second.returncode == 0, second.stderr
    assert "Reusing the demo organisation" in second.stdout


def readme_first_administrator_lines() -> list[str]:
    """The README's commands for a first start, as shell lines (continuations joined)."""
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text()
    block = readme.split("<!-- first-administrator:", 1)[1].split("```sh\n", 1)[1]
    script = block.split("```", 1)[0].replace("\\\n", " ")
    return [line.strip() for line in script.splitlines() if line.strip()]


def test_the_readmes_first_administrator_commands_work(tmp_path):
    """Exactly the README's lines, `uv run` included, up to serving (which does not end)."""
    uv = shutil.which("uv")
    if uv is None:
        if os.environ.get("CI") == "true":
            pytest.fail("uv is not on the PATH")
        pytest.skip("uv is not on the PATH")
    lines = readme_first_administrator_lines()
    assert lines[-1] == "uv run tete serve"
    assert any("createsuperuser" in line and "--noinput" in line for line in lines)
    repo = Path(__file__).resolve().parent.parent
    for line in lines[:-1]:
        result = subprocess.run(
            ["bash", "-c", line],
            cwd=repo,
            capture_output=True,
            text=True,
            env=tete_env(tmp_path),
            timeout=300,
        )
        assert result.returncode == 0, f"{line}\n{result.stdout}\n{result.stderr}"
    check = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from tete.accounts.models import Person; "
            "p = Person.objects.get(email='admin@example.com'); "
            "print(p.name, p.is_staff, p.is_superuser, p.check_password('choose a long passphrase'))",
        ],
        capture_output=True,
        text=True,
        env=tete_env(tmp_path, DJANGO_SETTINGS_MODULE="tete.settings"),
        timeout=120,
    )
    assert check.stdout.strip() == "Ada Admin True True True", check.stderr
