"""A worker killed with SIGKILL in the middle of an analysis: nothing half-written, retried."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from tete.reports import actions
from tete.reports.models import ConversationReport, Transcript

from .conftest import sample_vtt
from .test_worker import _status, run_worker_until, worker_database

pytestmark = [pytest.mark.django_db(transaction=True)]


def start_worker(database_url: str, tmp_path, **extra_env: str) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "TETE_TASKS": "database",
        "TETE_DATA_DIR": str(tmp_path / "data"),
        "TETE_LOG_LEVEL": "WARNING",
        **extra_env,
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.Popen(
        [sys.executable, "-m", "tete.cli", "worker"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def report_count(database_url: str, transcript_id: int) -> int:
    """Reports stored for the transcript, read from the database the worker writes to."""
    if database_url.startswith("sqlite:///"):
        with sqlite3.connect(database_url.removeprefix("sqlite:///"), timeout=5) as db:
            table = ConversationReport._meta.db_table
            row = db.execute(
                f"SELECT count(*) FROM {table} WHERE transcript_id = ?", (transcript_id,)
            ).fetchone()
        return int(row[0])
    return ConversationReport.objects.filter(transcript_id=transcript_id).count()


def test_a_worker_killed_mid_analysis_leaves_no_report_and_the_next_worker_retries(
    database_tasks, meeting, alice, tmp_path, monkeypatch
):
    # Ten hours of conversation: the analysis takes long enough to be caught running.
    long_call = sample_vtt(seed=5, minutes=600)
    transcript_id = actions.upload_transcript(
        meeting, by=alice, filename="long.vtt", content=long_call
    ).transcript.pk

    with worker_database(tmp_path) as url:
        worker = start_worker(url, tmp_path)
        try:
            deadline = time.monotonic() + 60
            while _status(url, transcript_id) != "running":
                assert time.monotonic() < deadline, "the worker never started the analysis"
                assert worker.poll() is None, "the worker stopped on its own"
                time.sleep(0.02)
        finally:
            worker.send_signal(signal.SIGKILL)
            worker.wait(timeout=10)
        assert _status(url, transcript_id) == "running"
        assert report_count(url, transcript_id) == 0  # nothing half-written

        # The killed worker's lease runs out (here after 2 s, by default 40 s) and the next
        # worker's recovery round queues the analysis again.
        monkeypatch.setenv("TETE_ANALYSIS_LEASE_SECONDS", "2")
        assert run_worker_until(url, tmp_path, transcript_id, "done") == "done"

    transcript = Transcript.objects.get(pk=transcript_id)
    assert transcript.status == "done"
    assert transcript.attempts == 2
    assert ConversationReport.objects.filter(transcript=transcript).count() == 1
