"""The erasure ledger: one line per erasure carried out, ids only, kept apart from the data.

A backup taken before someone's data was erased still holds that data. Restoring it must not
bring the person back: ``restore`` reads this ledger and erases again everyone it lists whose
data the restored database still holds. The ledger holds no personal data (a person's id and
a time), so it can be kept where the backups are, or anywhere safer than the database:
``TETE_ERASURE_LEDGER`` says where (docs/deploy.md).

A line is written once the erasure's transaction has committed: an erasure rolled back leaves
no line, and a line is never lost to a rollback of something else.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_save


@dataclass(frozen=True)
class Entry:
    person_id: int
    erased_at: str


def path() -> Path:
    return Path(settings.TETE_ERASURE_LEDGER)


def append(entry: Entry) -> None:
    line = json.dumps({"person_id": entry.person_id, "erased_at": entry.erased_at}) + "\n"
    target = path()
    target.parent.mkdir(parents=True, exist_ok=True)
    # One write of one short line in append mode: lines from two processes do not interleave.
    fd = os.open(target, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(fd, line.encode())
        os.fsync(fd)
    finally:
        os.close(fd)


def entries(source: Path | None = None) -> list[Entry]:
    """Every erasure the ledger lists, oldest first; a damaged line is an error, not skipped."""
    source = source or path()
    if not source.exists():
        return []
    found = []
    for number, line in enumerate(source.read_text().splitlines(), start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            found.append(Entry(int(data["person_id"]), str(data["erased_at"])))
        except (ValueError, KeyError, TypeError) as error:
            raise ValueError(f"{source}, line {number}: not a ledger entry ({error})") from None
    return found


def _on_erasure_saved(sender: Any, instance: Any, update_fields: Any = None, **kwargs: Any) -> None:
    if instance.erased_at is None or (update_fields and "erased_at" not in update_fields):
        return
    entry = Entry(instance.person_id_erased, instance.erased_at.isoformat())
    transaction.on_commit(lambda: append(entry))


def connect() -> None:
    from tete.mydata.models import Erasure

    post_save.connect(_on_erasure_saved, sender=Erasure, dispatch_uid="erasure-ledger")


def erase_again(source: Path | None = None) -> tuple[list[int], list[str]]:
    """Erase again everyone the ledger lists whose data this database still holds (after a
    restore). Returns the ids erased and, for any that could not be, why."""
    from tete.accounts.models import Person
    from tete.mydata.erasure import ErasureRefused
    from tete.mydata.erasure import erase_again as erase_person

    erased, refused = [], []
    for person_id in dict.fromkeys(entry.person_id for entry in entries(source)):
        person = Person.objects.filter(pk=person_id).first()
        if person is None:
            continue
        try:
            if erase_person(person) is not None:
                erased.append(person_id)
        except ErasureRefused as error:
            refused.append(f"person {person_id}: {error}")
    return erased, refused
