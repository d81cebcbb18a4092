"""Rows for the several-servers test, written into its own database by another process.

The test's own Django is connected to pytest's test database; the servers and workers it
starts use a database of their own. This runs as `python -m tests.deploy.seed COMMAND`
with that database's DATABASE_URL and prints JSON:

    people N          alice and bob, their one-on-one and its next meeting, and N different
                      short transcripts of that meeting with their N analyses queued
    long MINUTES      one long transcript uploaded (its analysis takes seconds)
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import sys


def setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tete.settings")
    import django

    django.setup()


def people() -> dict[str, object]:
    from tete.accounts.models import Person
    from tete.oneonones import actions

    password = "correct horse battery staple"
    alice = Person.objects.create_user("alice@example.com", password, name="Alice Martin")
    bob = Person.objects.create_user("bob@example.com", password, name="Bob Jones", manager=alice)
    oneonone = actions.start_oneonone(
        by=alice,
        other=bob,
        kind="manager_report",
        focus_person=bob,
        cadence="weekly",
        weekday=0,
        time_of_day=dt.time(10, 0),
        duration_minutes=30,
        tz="Europe/Paris",
    )
    meeting = actions.ensure_next_meeting(oneonone)
    return {
        "alice": alice.email,
        "bob": bob.email,
        "password": password,
        "oneonone": oneonone.pk,
        "meeting": meeting.pk,
    }


def queue_analyses(count: int) -> list[int]:
    """Transcripts written at once, then queued one by one as an upload queues them: what is
    tested is the queue and the workers, and uploading 500 files one by one takes long."""
    import hashlib

    from tete.accounts.models import Person
    from tete.oneonones.models import Meeting
    from tete.reports.actions import enqueue_analysis
    from tete.reports.models import Transcript
    from tete.reports.samples import generate_webvtt

    alice = Person.objects.get(email="alice@example.com")
    meeting = Meeting.objects.get(oneonone__first=alice)
    contents = [
        generate_webvtt(
            random.Random(seed), "Alice Martin", "Bob Jones", lead_share=0.6, minutes=0.1
        ).encode()
        for seed in range(count)
    ]
    transcripts = Transcript.objects.bulk_create(
        Transcript(
            meeting=meeting,
            uploaded_by=alice,
            filename=f"call-{index}.vtt",
            size_bytes=len(content),
            sha256=hashlib.sha256(content).hexdigest(),
            content=content,
        )
        for index, content in enumerate(contents)
    )
    for transcript in transcripts:
        enqueue_analysis(transcript)
    return [transcript.pk for transcript in transcripts]


def upload(count: int, minutes: float, first_seed: int) -> list[int]:
    from tete.accounts.models import Person
    from tete.oneonones.models import Meeting
    from tete.reports import actions
    from tete.reports.samples import generate_webvtt

    alice = Person.objects.get(email="alice@example.com")
    meeting = Meeting.objects.select_related("oneonone").get(oneonone__first=alice)
    ids = []
    for seed in range(first_seed, first_seed + count):
        content = generate_webvtt(
            random.Random(seed), "Alice Martin", "Bob Jones", lead_share=0.6, minutes=minutes
        ).encode()
        result = actions.upload_transcript(
            meeting, by=alice, filename=f"call-{seed}.vtt", content=content
        )
        assert not result.duplicate
        ids.append(result.transcript.pk)
    return ids


def main(argv: list[str]) -> None:
    setup()
    command, number = argv[0], int(argv[1]) if len(argv) > 1 else 0
    if command == "people":
        seeded = people()
        print(json.dumps({**seeded, "transcripts": queue_analyses(number)}))
    elif command == "long":
        print(json.dumps(upload(1, minutes=number, first_seed=100_000)))
    else:
        raise SystemExit(f"unknown command {command!r}")


if __name__ == "__main__":
    main(sys.argv[1:])
