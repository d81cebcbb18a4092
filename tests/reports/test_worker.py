"""The database task backend with a real `tete worker` process.

The worker is another process, so it must see the test's rows: the test runs outside a
transaction (transactional_db). On PostgreSQL the worker connects to the test database
itself. SQLite's test database lives in this process's memory, so it is copied to a file
for the worker and copied back afterwards.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection

from tete.reports import actions
from tete.reports.models import ConversationReport, Transcript

from .conftest import sample_vtt

pytestmark = [pytest.mark.django_db(transaction=True)]
# A deadline for a slow machine, not a speed check: the worker loads the text analysis's
# models, then analyses.
WORKER_TIMEOUT_S = 120


def _postgres_url() -> str:
    db = connection.settings_dict
    auth = quote(db["USER"] or "")
    if db["PASSWORD"]:
        auth += ":" + quote(db["PASSWORD"])
    host = db["HOST"] or "localhost"
    port = f":{db['PORT']}" if db["PORT"] else ""
    return f"postgres://{auth}@{host}{port}/{db['NAME']}"


@contextmanager
def worker_database(tmp_path: Path) -> Iterator[str]:
    """A DATABASE_URL under which another process sees this test's database."""
    if connection.vendor == "postgresql":
        yield _postgres_url()
        return
    assert connection.vendor == "sqlite"
    path = tmp_path / "worker.sqlite3"
    connection.ensure_connection()
    with sqlite3.connect(path) as file_db:
        connection.connection.backup(file_db)
    try:
        yield f"sqlite:///{path}"
    finally:
        with sqlite3.connect(path) as file_db:
            file_db.backup(connection.connection)


def _status(database_url: str, transcript_id: int) -> str | None:
    if database_url.startswith("sqlite:///"):
        with sqlite3.connect(database_url.removeprefix("sqlite:///"), timeout=5) as db:
            row = db.execute(
                "SELECT status FROM reports_transcript WHERE id = ?", (transcript_id,)
            ).fetchone()
        return row[0] if row else None
    return Transcript.objects.filter(pk=transcript_id).values_list("status", flat=True).first()


def run_worker_until(database_url: str, tmp_path: Path, transcript_id: int, status: str) -> str:
    """Start `tete worker`, wait until the transcript reaches ``status``, stop the worker."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "TETE_TASKS": "database",
        "TETE_DATA_DIR": str(tmp_path / "data"),
        "TETE_LOG_LEVEL": "WARNING",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    worker = subprocess.Popen(
        [sys.executable, "-m", "tete.cli", "worker"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + WORKER_TIMEOUT_S
        seen = None
        while time.monotonic() < deadline:
            seen = _status(database_url, transcript_id)
            if seen == status or worker.poll() is not None:
                break
            time.sleep(0.3)
        return seen or "missing"
    finally:
        worker.send_signal(signal.SIGTERM)
        try:
            output, _ = worker.communicate(timeout=15)
        except subprocess.TimeoutExpired:
            worker.kill()
            output, _ = worker.communicate()
        if seen != status:
            print(output.decode(errors="replace"))


def test_a_real_worker_analyses_a_queued_upload(database_tasks, meeting, alice, tmp_path):
    result = actions.upload_transcript(
        meeting, by=alice, filename="call.vtt", content=sample_vtt(seed=21)
    )
    transcript_id = result.transcript.pk
    # The database backend only queues: nothing is analysed in the request.
    assert Transcript.objects.get(pk=transcript_id).status == "queued"
    assert not ConversationReport.objects.exists()
    with worker_database(tmp_path) as url:
        assert run_worker_until(url, tmp_path, transcript_id, "done") == "done"
    transcript = Transcript.objects.get(pk=transcript_id)
    assert transcript.status == "done"
    assert transcript.attempts == 1
    assert ConversationReport.objects.get(transcript=transcript).suggestions.exists()


def test_a_transcript_left_running_by_a_killed_worker_is_retried(
    database_tasks, meeting, alice, tmp_path
):
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    result = actions.upload_transcript(
        meeting, by=alice, filename="call.vtt", content=sample_vtt(seed=22)
    )
    transcript_id = result.transcript.pk
    # What kill -9 in the middle of the task leaves behind: the transcript "running" since
    # long ago, its task claimed and never finished, no report.
    long_ago = timezone.now() - timezone.timedelta(hours=2)
    Transcript.objects.filter(pk=transcript_id).update(
        status="running", started_at=long_ago, attempts=1
    )
    DBTaskResult.objects.update(status="RUNNING", started_at=long_ago)
    assert actions.requeue_stuck_transcripts() == [transcript_id]
    with worker_database(tmp_path) as url:
        assert run_worker_until(url, tmp_path, transcript_id, "done") == "done"
    transcript = Transcript.objects.get(pk=transcript_id)
    assert transcript.attempts == 2
    assert ConversationReport.objects.filter(transcript=transcript).count() == 1


def test_a_corrupt_file_fails_in_the_worker_with_the_reason(
    database_tasks, meeting, alice, tmp_path
):
    result = actions.upload_transcript(
        meeting, by=alice, filename="broken.srt", content=b"1\n00:00:01,000 --> garbage\n"
    )
    with worker_database(tmp_path) as url:
        assert run_worker_until(url, tmp_path, result.transcript.pk, "failed") == "failed"
    transcript = Transcript.objects.get(pk=result.transcript.pk)
    assert transcript.failure_reason.startswith("The file could not be read: SRT cue timings")
    assert not ConversationReport.objects.exists()
