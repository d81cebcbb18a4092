"""Write a backup, check one, restore one.

A backup is a folder:

    manifest.json   format, when, the database engine, the applied migrations, and each
                    file's size and SHA-256
    db.sqlite3      SQLite, copied through its online backup API (consistent while the app
                    writes), or
    db.dump         PostgreSQL, pg_dump's custom format (one transaction: consistent)
    media/          uploaded files kept on disk, if any

The manifest is written last: a folder without one is an interrupted backup, never restored.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connections
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder

FORMAT = 1
MANIFEST = "manifest.json"
#: Progress callbacks get (done, total, what).
Progress = Callable[[int, int, str], None]


class BackupError(Exception):
    """A backup that cannot be written or restored; the message says why and what to do."""


@dataclass(frozen=True)
class Manifest:
    created_at: str
    engine: str
    migrations: list[str]
    files: dict[str, dict[str, Any]]

    @classmethod
    def read(cls, folder: Path) -> Manifest:
        try:
            data = json.loads((folder / MANIFEST).read_text())
        except FileNotFoundError:
            raise BackupError(
                f"{folder} has no {MANIFEST}: it is not a backup, or its writing was interrupted."
            ) from None
        except ValueError as error:
            raise BackupError(f"{folder / MANIFEST} is damaged: {error}") from None
        if data.get("format") != FORMAT:
            raise BackupError(
                f"{folder} is a backup in format {data.get('format')!r}; this version reads "
                f"format {FORMAT}."
            )
        return cls(data["created_at"], data["engine"], data["migrations"], data["files"])


def _engine() -> str:
    vendor = connections["default"].vendor
    if vendor not in ("sqlite", "postgresql"):
        raise BackupError(f"Backups support SQLite and PostgreSQL, not {vendor}.")
    return vendor


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while block := stream.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def _applied_migrations() -> list[str]:
    recorder = MigrationRecorder(connections["default"])
    return sorted(f"{app}.{name}" for app, name in recorder.applied_migrations())


def _pg_env() -> dict[str, str]:
    db: dict[str, Any] = dict(settings.DATABASES["default"])
    env = dict(os.environ)
    for key, name in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER")):
        if db.get(key):
            env[name] = str(db[key])
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    env["PGDATABASE"] = str(db["NAME"])
    return env


def _run(command: list[str]) -> None:
    try:
        done = subprocess.run(command, env=_pg_env(), capture_output=True, text=True)
    except FileNotFoundError:
        raise BackupError(
            f"{command[0]} is not installed: PostgreSQL's client programs are needed "
            "(Debian: apt-get install postgresql-client)."
        ) from None
    if done.returncode != 0:
        raise BackupError(f"{command[0]} failed: {done.stderr.strip()}")


def backup(folder: Path, progress: Progress | None = None) -> Manifest:
    """Write a backup of the running instance into ``folder`` (new or empty)."""
    progress = progress or (lambda done, total, what: None)
    engine = _engine()
    if folder.exists() and any(folder.iterdir()):
        raise BackupError(f"{folder} is not empty: give a new folder for each backup.")
    folder.mkdir(parents=True, exist_ok=True)
    created_at = dt.datetime.now(dt.UTC).isoformat()
    migrations = _applied_migrations()
    if engine == "sqlite":
        _backup_sqlite(folder / "db.sqlite3", progress)
    else:
        progress(0, 1, "pg_dump")
        _run(["pg_dump", "--format=custom", "--no-owner", "--file", str(folder / "db.dump")])
        progress(1, 1, "pg_dump")
    media = Path(settings.MEDIA_ROOT)
    if media.is_dir() and any(media.iterdir()):
        shutil.copytree(media, folder / "media")
    files = {}
    paths = sorted(p for p in folder.rglob("*") if p.is_file())
    for number, path in enumerate(paths, start=1):
        files[path.relative_to(folder).as_posix()] = {
            "bytes": path.stat().st_size,
            "sha256": _sha256(path),
        }
        progress(number, len(paths), "checksums")
    manifest = {
        "format": FORMAT,
        "created_at": created_at,
        "engine": engine,
        "migrations": migrations,
        "files": files,
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=1) + "\n")
    return Manifest(created_at, engine, migrations, files)


def _backup_sqlite(target: Path, progress: Progress) -> None:
    source_path = settings.DATABASES["default"]["NAME"]
    source = sqlite3.connect(f"file:{source_path}?mode=ro", uri=True)
    destination = sqlite3.connect(target)
    try:
        # A few pages at a time: the app's writers wait at most for one step.
        source.backup(
            destination,
            pages=256,
            progress=lambda status, remaining, total: progress(total - remaining, total, "copy"),
        )
    finally:
        destination.close()
        source.close()


def check(folder: Path, progress: Progress | None = None) -> Manifest:
    """The manifest, once every file matches its size and checksum and this version knows
    every migration the backup's schema holds."""
    progress = progress or (lambda done, total, what: None)
    manifest = Manifest.read(folder)
    for number, (name, expected) in enumerate(sorted(manifest.files.items()), start=1):
        path = folder / name
        if not path.is_file():
            raise BackupError(f"{name} is missing from the backup.")
        if path.stat().st_size != expected["bytes"] or _sha256(path) != expected["sha256"]:
            raise BackupError(f"{name} does not match its checksum: the backup is damaged.")
        progress(number, len(manifest.files), "checksums")
    known = {f"{app}.{name}" for app, name in MigrationLoader(None).disk_migrations}
    unknown = sorted(set(manifest.migrations) - known)
    if unknown:
        raise BackupError(
            "This backup comes from a newer version of Tête-à-tête: its database has "
            f"{len(unknown)} migration{'s' if len(unknown) != 1 else ''} this version does not "
            f"know ({', '.join(unknown[:3])}{', …' if len(unknown) > 3 else ''}). Restore it "
            "with that version or a later one."
        )
    return manifest


def _is_empty() -> bool:
    connection = connections["default"]
    tables = set(connection.introspection.table_names())
    from tete.accounts.models import Person

    return Person._meta.db_table not in tables or not Person.objects.exists()


def restore(folder: Path, progress: Progress | None = None) -> Manifest:
    """Fill this empty instance from the backup in ``folder``, checked first."""
    progress = progress or (lambda done, total, what: None)
    manifest = check(folder, progress)
    engine = _engine()
    if manifest.engine != engine:
        raise BackupError(
            f"This backup is of a {manifest.engine} database and this instance uses {engine}: "
            "restore it into the same kind of database."
        )
    if not _is_empty():
        raise BackupError(
            "This instance already holds people: a backup is restored into an empty one only "
            "(a new database), so that nothing here is overwritten."
        )
    connections.close_all()
    if engine == "sqlite":
        _restore_sqlite(folder / "db.sqlite3", progress)
    else:
        progress(0, 1, "pg_restore")
        _run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--exit-on-error",
                "--single-transaction",
                "--dbname",
                str(settings.DATABASES["default"]["NAME"]),
                str(folder / "db.dump"),
            ]
        )
        progress(1, 1, "pg_restore")
    if (folder / "media").is_dir():
        shutil.copytree(folder / "media", Path(settings.MEDIA_ROOT), dirs_exist_ok=True)
    return manifest


def _restore_sqlite(source_path: Path, progress: Progress) -> None:
    source = sqlite3.connect(f"file:{source_path}?mode=ro", uri=True)
    destination = sqlite3.connect(settings.DATABASES["default"]["NAME"])
    try:
        source.backup(
            destination,
            progress=lambda status, remaining, total: progress(total - remaining, total, "copy"),
        )
    finally:
        destination.close()
        source.close()
