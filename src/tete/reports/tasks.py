"""Background tasks (Django Tasks API). Tasks take ids only: nothing private sits in a queue."""

from __future__ import annotations

from django_tasks import task


@task()
def analyse_transcript(transcript_id: int) -> str:
    """Analyse an uploaded transcript and store its report; returns the transcript's status."""
    from tete.reports.actions import run_analysis

    return run_analysis(transcript_id)
