"""Every worker looks, every few seconds, for analyses whose worker died, and queues them
again (actions.requeue_stuck_transcripts): a kill -9 is noticed within the lease, about
a minute at most, without a cron job. On the same rounds it deletes recordings' sound and
voice samples that are kept no longer (recordings.actions.delete_expired_sound)."""

from __future__ import annotations

import logging
import threading
import time

from django.conf import settings
from django.db import close_old_connections, connection

logger = logging.getLogger(__name__)


def recovery_interval() -> float:
    """A quarter of the lease: a dead worker's analysis waits at most 1.25 leases."""
    return max(1.0, float(settings.TETE_ANALYSIS_LEASE_SECONDS) / 4)


def recover_once() -> list[int]:
    from tete.recordings.actions import delete_expired_sound
    from tete.reports.actions import requeue_stuck_transcripts

    try:
        # Recordings' voice samples and unfinished recordings expire on the same rounds.
        delete_expired_sound()
        return requeue_stuck_transcripts()
    finally:
        connection.close()


def _loop(interval: float) -> None:
    while True:
        try:
            close_old_connections()
            ids = recover_once()
            if ids:
                logger.warning("Queued again the abandoned analyses of transcripts %s", ids)
        except Exception:  # a database hiccup must not end recovery for the worker's life
            logger.exception("Looking for abandoned analyses failed")
        time.sleep(interval)


def start_recovery_thread() -> threading.Thread:
    thread = threading.Thread(
        target=_loop, args=(recovery_interval(),), name="analysis-recovery", daemon=True
    )
    thread.start()
    return thread
