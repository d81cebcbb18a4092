"""Fixtures for conversation report tests: sample transcripts and an analysed one."""

from __future__ import annotations

import random

import pytest

from tete.reports import actions
from tete.reports.samples import generate_webvtt


def sample_vtt(seed: int = 1, lead_share: float = 0.7, minutes: float = 6.0, **names: str) -> bytes:
    lead = names.get("lead", "Alice Martin")
    partner = names.get("partner", "Bob Jones")
    return generate_webvtt(
        random.Random(seed), lead, partner, lead_share=lead_share, minutes=minutes
    ).encode()


@pytest.fixture
def vtt() -> bytes:
    return sample_vtt()


@pytest.fixture
def transcript(meeting, alice, vtt):
    """A transcript of `meeting` uploaded by alice and analysed (immediate backend)."""
    result = actions.upload_transcript(meeting, by=alice, filename="meeting.vtt", content=vtt)
    return result.transcript


@pytest.fixture
def database_tasks(settings):
    """Queue tasks in the database, for a real `tete worker` process to run."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
