"""Two app servers and two task workers on one PostgreSQL database, as docs/deploy.md sets
them up: `tete serve` and `tete worker` as real processes, the same TETE_SECRET_KEY, a shared
Redis cache, and each process with a data directory of its own.

One test, as the four checks share one costly set of processes (pytest-xdist would start
them again for each test it sends elsewhere). The processes use a database of their own,
created and dropped here, so that they never meet pytest's test database.
"""

from __future__ import annotations

import html
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
import pytest
import requests
from django.conf import settings
from django.db import connection

from tests.processes import environment_without_settings

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("TETE_TEST_REDIS_URL", "redis://127.0.0.1:6379/3")
# Short, so that a killed worker's analysis is taken over within seconds (40 s by default).
LEASE_SECONDS = 3
QUEUED_ANALYSES = 500
# Deadlines for a busy machine, not speed checks.
START_TIMEOUT_S = 240
ANALYSES_TIMEOUT_S = 240

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
        reason="several app servers share a PostgreSQL database: one SQLite file on one "
        "machine is not that setup (run with DATABASE_URL=postgres://…)",
    ),
]


def redis_is_up() -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping())
    except redis.RedisError:
        return False


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def postgres_url(name: str) -> str:
    db = connection.settings_dict
    auth = db["USER"] or ""
    if db["PASSWORD"]:
        auth += ":" + db["PASSWORD"]
    port = f":{db['PORT']}" if db["PORT"] else ""
    return f"postgres://{auth}@{db['HOST'] or 'localhost'}{port}/{name}"


@dataclass
class Deployment:
    database_url: str
    env: dict[str, str]
    logs: Path
    servers: list[str] = field(default_factory=list)
    workers: list[subprocess.Popen[bytes]] = field(default_factory=list)
    processes: list[subprocess.Popen[bytes]] = field(default_factory=list)

    def start(self, name: str, *args: str) -> subprocess.Popen[bytes]:
        env = {**self.env, "TETE_DATA_DIR": str(self.logs / f"{name}-data")}
        log = (self.logs / f"{name}.log").open("wb")
        process = subprocess.Popen(
            [sys.executable, "-m", "tete.cli", *args],
            env=env,
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        self.processes.append(process)
        return process

    def seed(self, *args: str) -> object:
        result = subprocess.run(
            [sys.executable, "-m", "tests.deploy.seed", *args],
            env={**self.env, "TETE_DATA_DIR": str(self.logs / "seed-data")},
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert result.returncode == 0, result.stderr[-3000:]
        return json.loads(result.stdout.strip().splitlines()[-1])

    def query(self, sql: str, params: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
        with psycopg.connect(self.database_url.replace("postgres://", "postgresql://")) as db:
            return db.execute(sql, params).fetchall()

    def log_tails(self) -> str:
        return "\n".join(
            f"--- {path.name}\n{path.read_text(errors='replace')[-2000:]}"
            for path in sorted(self.logs.glob("*.log"))
        )


@pytest.fixture
def deployment(tmp_path) -> Iterator[Deployment]:
    if not redis_is_up():
        reason = f"the shared cache, Redis at {REDIS_URL}, does not answer"
        if os.environ.get("CI"):
            pytest.fail(reason + " (.ci/run starts it)")
        pytest.skip(reason)
    name = f"tete_servers_{secrets.token_hex(4)}"
    admin_url = postgres_url("postgres").replace("postgres://", "postgresql://")
    with psycopg.connect(admin_url, autocommit=True) as db:
        db.execute(f'CREATE DATABASE "{name}"')
    env = environment_without_settings()
    env.update(
        {
            "DATABASE_URL": postgres_url(name),
            # The same on every server, or a session signed on one is refused by the other.
            "TETE_SECRET_KEY": secrets.token_urlsafe(50),
            "TETE_CACHE_URL": REDIS_URL,
            "TETE_TASKS": "database",
            "TETE_ANALYSIS_LEASE_SECONDS": str(LEASE_SECONDS),
            "TETE_LOG_LEVEL": "WARNING",
            "PYTHONPATH": str(ROOT),
        }
    )
    deployment = Deployment(database_url=postgres_url(name), env=env, logs=tmp_path)
    try:
        yield deployment
    finally:
        for process in deployment.processes:
            if process.poll() is None:
                process.terminate()
        for process in deployment.processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        with psycopg.connect(admin_url, autocommit=True) as db:
            db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def wait_for_servers(deployment: Deployment) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    for base in deployment.servers:
        while True:
            try:
                if requests.get(base + "/health/", timeout=10).status_code == 200:
                    break
            except (requests.ConnectionError, requests.Timeout):
                pass  # still starting
            for process in deployment.processes:
                assert process.poll() is None, "a process stopped:\n" + deployment.log_tails()
            assert time.monotonic() < deadline, "no answer:\n" + deployment.log_tails()
            time.sleep(0.2)


def sign_in(base: str, email: str, password: str) -> requests.Session:
    """Through the sign-in page, as a browser does."""
    browser = requests.Session()
    page = browser.get(base + "/login/", timeout=30)
    response = browser.post(
        base + "/login/",
        data={"username": email, "password": password, "csrfmiddlewaretoken": csrf_token(page)},
        allow_redirects=False,
        timeout=30,
    )
    assert response.status_code == 302 and response.headers["Location"] == "/", response.text
    return browser


def csrf_token(page: requests.Response) -> str:
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    assert match, page.text[:500]
    return match.group(1)


def test_two_app_servers_and_two_workers_share_one_database(deployment):
    # All four start at once on an empty database: they migrate one after the other.
    for index in range(2):
        port = free_port()
        deployment.start(
            f"server{index}",
            "serve",
            "--port",
            str(port),
            "--workers",
            "1",
            "--no-task-worker",
        )
        deployment.servers.append(f"http://127.0.0.1:{port}")
    deployment.workers = [deployment.start(f"worker{index}", "worker") for index in range(2)]
    wait_for_servers(deployment)

    seeded = deployment.seed("people", str(QUEUED_ANALYSES))
    assert isinstance(seeded, dict)
    transcript_ids = seeded["transcripts"]
    assert len(set(transcript_ids)) == QUEUED_ANALYSES

    # While the workers analyse, people use both servers.
    a_session_made_on_one_server_works_on_the_other(deployment, seeded)
    two_servers_saving_the_same_notes_at_once_lose_nothing(deployment, seeded)

    queued_analyses_each_run_exactly_once(deployment, transcript_ids)
    a_killed_worker_s_analysis_is_finished_by_the_other(deployment)


def a_session_made_on_one_server_works_on_the_other(deployment: Deployment, seeded: dict) -> None:
    server_a, server_b = deployment.servers
    browser = sign_in(server_a, seeded["alice"], seeded["password"])
    for path in ("/", f"/one-on-ones/{seeded['oneonone']}/", f"/meetings/{seeded['meeting']}/"):
        response = browser.get(server_b + path, allow_redirects=False, timeout=30)
        assert response.status_code == 200, (path, response.status_code)
        assert "Bob Jones" in response.text, path
    # Signing out on B ends the session on A too.
    out = browser.post(
        server_b + "/logout/",
        data={"csrfmiddlewaretoken": csrf_token(browser.get(server_b + "/", timeout=30))},
        allow_redirects=False,
        timeout=30,
    )
    assert out.status_code == 302
    assert browser.get(server_a + "/", allow_redirects=False, timeout=30).status_code == 302


def note_form(browser: requests.Session, base: str, meeting: int) -> tuple[str, int]:
    page = browser.get(f"{base}/meetings/{meeting}/", timeout=30)
    assert page.status_code == 200
    version = re.search(r'name="base_version" value="(\d+)"', page.text)
    assert version, page.text[:500]
    return csrf_token(page), int(version.group(1))


def post_at_once(
    posts: dict[str, tuple[requests.Session, str, dict[str, object]]],
) -> dict[str, requests.Response]:
    """Send the POSTs together, each from its own thread, released at the same moment."""
    answers: dict[str, requests.Response] = {}
    all_ready = threading.Barrier(len(posts))

    def post(who: str) -> None:
        browser, url, data = posts[who]
        all_ready.wait()
        answers[who] = browser.post(url, data=data, allow_redirects=False, timeout=30)

    threads = [threading.Thread(target=post, args=(who,)) for who in posts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers


def two_servers_saving_the_same_notes_at_once_lose_nothing(
    deployment: Deployment, seeded: dict
) -> None:
    server_a, server_b = deployment.servers
    meeting = seeded["meeting"]
    editors = {
        "alice": (sign_in(server_a, seeded["alice"], seeded["password"]), server_a),
        "bob": (sign_in(server_b, seeded["bob"], seeded["password"]), server_b),
    }
    for round_ in range(2):
        forms = {who: note_form(browser, base, meeting) for who, (browser, base) in editors.items()}
        base_versions = {version for _, version in forms.values()}
        assert len(base_versions) == 1  # both edit the same version
        texts = {who: f"{who} wrote this in round {round_}" for who in editors}
        answers = post_at_once(
            {
                who: (
                    browser,
                    f"{base}/meetings/{meeting}/notes/",
                    {
                        "text": texts[who],
                        "base_version": forms[who][1],
                        "csrfmiddlewaretoken": forms[who][0],
                    },
                )
                for who, (browser, base) in editors.items()
            }
        )

        statuses = sorted(answer.status_code for answer in answers.values())
        assert statuses == [302, 409], statuses
        winner = next(who for who, answer in answers.items() if answer.status_code == 302)
        loser = next(who for who in editors if who != winner)
        # The winner's text is saved; the loser's comes back in the editor beside it.
        conflict_page = answers[loser].text
        assert html.escape(texts[loser]) in conflict_page
        assert html.escape(texts[winner]) in conflict_page
        [(stored, version)] = deployment.query(
            "SELECT text, version FROM oneonones_sharednote WHERE meeting_id = %s", (meeting,)
        )
        assert stored == texts[winner]
        assert version == base_versions.pop() + 1

        # The loser combines both and saves again, on their own server: nothing was lost.
        browser, base = editors[loser]
        token, version = note_form(browser, base, meeting)
        combined = f"{texts[winner]}\n\n{texts[loser]}"
        again = browser.post(
            f"{base}/meetings/{meeting}/notes/",
            data={"text": combined, "base_version": version, "csrfmiddlewaretoken": token},
            allow_redirects=False,
            timeout=30,
        )
        assert again.status_code == 302
        [(stored,)] = deployment.query(
            "SELECT text FROM oneonones_sharednote WHERE meeting_id = %s", (meeting,)
        )
        assert stored == combined


def wait_until_done(deployment: Deployment, ids: list[int], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while True:
        [(pending,)] = deployment.query(
            "SELECT count(*) FROM reports_transcript WHERE id = ANY(%s) AND status <> 'done'",
            (ids,),
        )
        if pending == 0:
            return
        assert time.monotonic() < deadline, (
            f"{pending} analyses not done:\n" + deployment.log_tails()
        )
        time.sleep(0.5)


def queued_analyses_each_run_exactly_once(deployment: Deployment, ids: list[int]) -> None:
    wait_until_done(deployment, ids, ANALYSES_TIMEOUT_S)
    # Each analysis was claimed once (a second run would count a second attempt) ...
    attempts = deployment.query(
        "SELECT attempts, count(*) FROM reports_transcript WHERE id = ANY(%s) GROUP BY attempts",
        (ids,),
    )
    assert attempts == [(1, QUEUED_ANALYSES)]
    # ... its report written once ...
    [(reports, distinct)] = deployment.query(
        "SELECT count(*), count(DISTINCT transcript_id) FROM reports_conversationreport"
    )
    assert reports == distinct == QUEUED_ANALYSES
    # ... and each task taken by one worker, none lost; both workers took their share.
    tasks = deployment.query(
        "SELECT status, worker_ids, args_kwargs FROM django_tasks_database_dbtaskresult"
    )
    assert len(tasks) == QUEUED_ANALYSES
    assert {status for status, _, _ in tasks} == {"SUCCESSFUL"}
    assert all(len(worker_ids) == 1 for _, worker_ids, _ in tasks)
    assert sorted(args["args"][0] for _, _, args in tasks) == sorted(ids)
    workers = {worker_ids[0] for _, worker_ids, _ in tasks}
    assert len(workers) == 2, "one worker did everything"


def children_of(pid: int) -> list[int]:
    """Processes whose parent is ``pid`` (an analysis runs in a child of its worker)."""
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            children.append(int(stat.parent.name))
    return children


def a_killed_worker_s_analysis_is_finished_by_the_other(deployment: Deployment) -> None:
    # Ten hours of conversation: its analysis takes seconds, long enough to kill it midway.
    [transcript_id] = deployment.seed("long", "600")  # type: ignore[misc]
    deadline = time.monotonic() + START_TIMEOUT_S
    while True:
        busy = [w for w in deployment.workers if children_of(w.pid)]
        [(status,)] = deployment.query(
            "SELECT status FROM reports_transcript WHERE id = %s", (transcript_id,)
        )
        if busy and status == "running":
            break
        assert status in {"queued", "running"}, status
        assert time.monotonic() < deadline, "no worker started the analysis"
        time.sleep(0.05)
    [killed] = busy
    killed.send_signal(signal.SIGKILL)
    killed.wait(timeout=10)
    [(status, attempts)] = deployment.query(
        "SELECT status, attempts FROM reports_transcript WHERE id = %s", (transcript_id,)
    )
    assert (status, attempts) == ("running", 1)

    # Its lease runs out; the other worker queues the analysis again and runs it.
    wait_until_done(deployment, [transcript_id], ANALYSES_TIMEOUT_S)
    [(attempts,)] = deployment.query(
        "SELECT attempts FROM reports_transcript WHERE id = %s", (transcript_id,)
    )
    assert attempts == 2
    [(reports,)] = deployment.query(
        "SELECT count(*) FROM reports_conversationreport WHERE transcript_id = %s",
        (transcript_id,),
    )
    assert reports == 1
    [survivor] = [w for w in deployment.workers if w is not killed]
    assert survivor.poll() is None
