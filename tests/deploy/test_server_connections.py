"""`tete serve` on PostgreSQL: every gunicorn worker talks to the database on a connection
of its own.

The server migrates before gunicorn forks its workers from the same process. While that
process kept its connection open, the workers inherited its socket and used it as their own:
under concurrent requests one worker read another's results (a person's page built from rows
of someone else's query), or failed with errors and hung.
"""

from __future__ import annotations

import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests
from django.conf import settings
from django.db import connection
from django.test import Client

from tests.deploy.test_multi_server import free_port, postgres_url
from tests.processes import child_pids, connections_to_port, environment_without_settings

ROOT = Path(__file__).resolve().parents[2]
REQUESTS = 200
TETE_SERVE = [sys.executable, "-m", "tete.cli", "serve"]

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
        reason="a PostgreSQL connection is a socket the forked workers could share; the SQLite "
        "case is tests/test_cli.py's test_serve_migrates_and_answers",
    ),
]


def test_each_server_worker_has_a_database_connection_of_its_own(
    transactional_db, tmp_path, alice, bob
):
    sessions = {}
    for person in (alice, bob):
        client = Client()
        client.force_login(person)
        sessions[person.name.split()[0]] = client.cookies["sessionid"].value
    env = environment_without_settings()
    env.update(
        {
            # The test database, migrated already: the server's own migration finds nothing to do.
            "DATABASE_URL": postgres_url(connection.settings_dict["NAME"]),
            "TETE_SECRET_KEY": settings.SECRET_KEY,
            "TETE_DATA_DIR": str(tmp_path),
            # gunicorn's sync worker answers in the thread the worker was forked in.
            "TETE_THREADS": "1",
            "TETE_PAGE_CACHE": "0",
            "TETE_LOG_LEVEL": "WARNING",
            "PYTHONPATH": str(ROOT),
        }
    )
    port = free_port()
    log = tmp_path / "server.log"
    server = subprocess.Popen(
        [*TETE_SERVE, "--port", str(port), "--workers", "2", "--no-task-worker"],
        env=env,
        cwd=ROOT,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(base, server, log)
        database_port = int(connection.settings_dict["PORT"] or 5432)
        held = connections_to_port(server.pid, database_port)
        assert not held, f"the process the workers are forked from holds {held}"

        def page(number: int) -> tuple[str, int, str]:
            name = sorted(sessions)[number % 2]
            response = requests.get(base + "/", cookies={"sessionid": sessions[name]}, timeout=60)
            return name, response.status_code, response.text

        with ThreadPoolExecutor(max_workers=8) as pool:
            answers = list(pool.map(page, range(REQUESTS)))
        failed = [(name, status) for name, status, _ in answers if status != 200]
        assert not failed, f"{len(failed)} of {REQUESTS} failed:\n{log.read_text()[-3000:]}"
        # Each person got their own home page.
        assert all(f"Hello {name}" in text for name, _, text in answers)

        workers = child_pids(server.pid)
        assert len(workers) == 2
        per_worker = [connections_to_port(pid, database_port) for pid in workers]
        assert all(per_worker), per_worker  # both answered and queried
        assert not per_worker[0] & per_worker[1], "the two workers share a connection"
    finally:
        server.terminate()
        server.wait(timeout=30)


def wait_for(base: str, server: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 120
    while True:
        try:
            if requests.get(base + "/health/", timeout=10).status_code == 200:
                return
        except (requests.ConnectionError, requests.Timeout):
            pass  # still starting
        assert server.poll() is None, "the server stopped:\n" + log.read_text()[-3000:]
        assert time.monotonic() < deadline, "no answer:\n" + log.read_text()[-3000:]
        time.sleep(0.2)
