"""Backups that restore: `tete manage backup` while the app writes, `tete manage restore` into
an empty instance, checked first, with erasures applied again.

Each instance is a real one in subprocesses, on the database the suite runs on: a SQLite file,
or (with DATABASE_URL set to PostgreSQL) databases of their own on that server.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ON_POSTGRES = os.environ.get("DATABASE_URL", "").startswith("postgres")


class Instance:
    """A Tête-à-tête instance: its data folder and database (empty, or a copy of `template`'s)."""

    def __init__(self, root: Path, name: str, template: Instance | None = None):
        self.data_dir = root / name
        if template is None:
            self.data_dir.mkdir(parents=True)
        else:
            # The data folder holds the SQLite file, which is then the copy of the database.
            shutil.copytree(template.data_dir, self.data_dir)
        if ON_POSTGRES:
            import psycopg

            self.database = f"tete_backup_{name}_{uuid.uuid4().hex[:8]}"
            server = os.environ["DATABASE_URL"].rsplit("/", 1)[0]
            copy = f' TEMPLATE "{template.database}"' if template is not None else ""
            with psycopg.connect(os.environ["DATABASE_URL"], autocommit=True) as db:
                db.execute(f'CREATE DATABASE "{self.database}"{copy}')
            self.url = f"{server}/{self.database}"
        else:
            self.url = f"sqlite:///{self.data_dir / 'tete.sqlite3'}"

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
        env.update(DATABASE_URL=self.url, TETE_DATA_DIR=str(self.data_dir), TETE_TASKS="immediate")
        return env

    def manage(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        done = subprocess.run(
            [sys.executable, "-m", "tete.cli", "manage", *args],
            env=self.env(),
            capture_output=True,
            text=True,
            timeout=300,
        )
        if check:
            assert done.returncode == 0, done.stderr + done.stdout
        return done

    def python(self, code: str) -> str:
        return self.manage("shell", "-v", "0", "-c", code).stdout

    def rows(self) -> set[str]:
        """Every row of every model, one JSON text each (dumpdata's objects)."""
        objects = json.loads(self.manage("dumpdata", "--indent", "0").stdout)
        return {json.dumps(obj, sort_keys=True) for obj in objects}

    def drop(self) -> None:
        if ON_POSTGRES:
            import psycopg

            with psycopg.connect(os.environ["DATABASE_URL"], autocommit=True) as db:
                db.execute(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)')


#: The people and meetings of the generated instance every test backs up.
PEOPLE, MEETINGS = 12, 120


@pytest.fixture(scope="session")
def generated(tmp_path_factory):
    """An instance at today's schema filled by `generate_org`, made once: each test backs up a
    copy of it (a copy takes a moment; migrating and generating, several seconds)."""
    instance = Instance(tmp_path_factory.mktemp("backups"), "generated")
    instance.python(
        "from django.core.management import call_command\n"
        "call_command('migrate', verbosity=0)\n"
        f"call_command('generate_org', people={PEOPLE}, meetings={MEETINGS})"
    )
    yield instance
    instance.drop()


@pytest.fixture
def instances(tmp_path, generated):
    """instances(name) makes an empty instance; instances(name, generated=True) a copy of the
    generated one."""
    made: list[Instance] = []

    def make(name: str, *, generated_copy: bool = False) -> Instance:
        made.append(Instance(tmp_path, name, template=generated if generated_copy else None))
        return made[-1]

    yield make
    for instance in made:
        instance.drop()


WRITER = """
import os, time
from pathlib import Path
from tete.oneonones.models import Meeting, TalkingPoint
meeting = Meeting.objects.order_by("pk").last()
stop = Path(os.environ["STOP_FILE"])
deadline = time.monotonic() + 120
while not stop.exists() and time.monotonic() < deadline:
    TalkingPoint.objects.create(meeting=meeting, author=meeting.oneonone.first, text="later")
"""

WRITTEN = "from tete.oneonones.models import TalkingPoint; print(TalkingPoint.objects.filter(text='later').count())"


def test_a_backup_taken_while_writes_go_on_restores_every_row(instances, tmp_path):
    source = instances("source", generated_copy=True)
    before = source.rows()
    stop = tmp_path / "stop-writing"
    writer = subprocess.Popen(
        [sys.executable, "-m", "tete.cli", "manage", "shell", "-c", WRITER],
        env=dict(source.env(), STOP_FILE=str(stop)),
    )
    while int(source.python(WRITTEN)) == 0:  # the writer is under way
        assert writer.poll() is None, "the writer stopped before writing"
    source.manage("backup", str(tmp_path / "backup"))
    stop.touch()
    assert writer.wait(timeout=60) == 0
    after = source.rows()

    target = instances("target")
    restored = target.manage("restore", str(tmp_path / "backup"))
    assert "Restored the backup taken at" in restored.stdout
    rows = target.rows()
    # A consistent snapshot: everything there was before it began, nothing that never was,
    # and of what the writer added, a prefix.
    assert before <= rows <= after
    # The writer went on after the snapshot, and only its rows are missing.
    added = {json.loads(row)["model"] for row in after - rows}
    assert added == {"oneonones.talkingpoint"}
    # The restored instance works: it is up to date and serves its people.
    assert target.manage("migrate", "--check", check=False).returncode == 0
    assert str(PEOPLE) in target.python(
        "from tete.accounts.models import Person; print(Person.objects.count())"
    )


def test_a_damaged_or_newer_backup_is_refused_and_nothing_is_written(instances, tmp_path):
    source = instances("source", generated_copy=True)
    folder = tmp_path / "backup"
    source.manage("backup", str(folder))
    manifest_path = folder / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    (database,) = [name for name in manifest["files"] if name.startswith("db.")]

    target = instances("target")
    newer = dict(manifest, migrations=[*manifest["migrations"], "oneonones.9999_from_the_future"])
    manifest_path.write_text(json.dumps(newer))
    refused = target.manage("restore", str(folder), check=False)
    assert refused.returncode != 0
    assert "comes from a newer version" in refused.stderr
    assert "oneonones.9999_from_the_future" in refused.stderr

    manifest_path.write_text(json.dumps(manifest))
    data = bytearray((folder / database).read_bytes())
    data[len(data) // 2] ^= 0xFF
    (folder / database).write_bytes(bytes(data))
    refused = target.manage("restore", str(folder), check=False)
    assert refused.returncode != 0
    assert f"{database} does not match its checksum: the backup is damaged" in refused.stderr
    # Nothing was written: the target can still take a good backup.
    target.manage("migrate", "-v", "0")
    assert "0" in target.python(
        "from tete.accounts.models import Person; print(Person.objects.count())"
    )

    (folder / "manifest.json").unlink()
    refused = target.manage("restore", str(folder), check=False)
    assert "not a backup, or its writing was interrupted" in refused.stderr
    # A good backup is never restored over an instance that holds people.
    source.manage("backup", str(tmp_path / "again"))
    refused = source.manage("restore", str(tmp_path / "again"), check=False)
    assert refused.returncode != 0 and "already holds people" in refused.stderr


ERASE = """
from tete.accounts.models import Person
from tete.mydata.erasure import erase_own_data
from tete.oneonones.models import PrivateNote, Meeting
person = Person.objects.filter(manager__isnull=False).order_by("pk").first()
meeting = Meeting.objects.filter(oneonone__second=person).first()
print(person.pk)
"""

PRIVATE = """
from tete.accounts.models import Person
from tete.oneonones.models import PrivateNote, Meeting
person = Person.objects.get(pk={pk})
meeting = Meeting.objects.filter(oneonone__second=person).first()
PrivateNote.objects.create(meeting=meeting, author=person, text="only mine")
"""

STATE = """
from tete.accounts.models import Person
from tete.oneonones.models import OneOnOne, PrivateNote
person = Person.objects.get(pk={pk})
print(person.name, PrivateNote.objects.filter(author=person).count(),
      OneOnOne.objects.filter(second=person).exists())
"""


def test_an_erasure_made_after_the_backup_survives_the_restore(instances, tmp_path):
    source = instances("source", generated_copy=True)
    pk = int(source.python(ERASE).strip())
    source.python(PRIVATE.format(pk=pk))
    source.manage("backup", str(tmp_path / "backup"))
    source.python(
        f"from tete.accounts.models import Person\n"
        f"from tete.mydata.erasure import erase_own_data\n"
        f"erase_own_data(Person.objects.get(pk={pk}))"
    )
    ledger = source.data_dir / "erasures.jsonl"
    assert json.loads(ledger.read_text().splitlines()[-1])["person_id"] == pk

    target = instances("target")
    done = target.manage("restore", str(tmp_path / "backup"), "--erasures", str(ledger))
    assert "Erased again 1 person whose data had been erased after the backup" in done.stdout
    # Gone again: their private writing and account details; the shared history stays.
    assert target.python(STATE.format(pk=pk)).split() == ["a", "former", "colleague", "0", "True"]


def test_an_older_schema_is_brought_up_to_date(instances, tmp_path):
    """A database as an earlier release left it (before each person's own data and the
    health flags) is restored and migrated to today's schema, its rows kept."""
    source = instances("source", generated_copy=True)
    source.manage("migrate", "mydata", "zero", "-v", "0")
    source.manage("migrate", "oneonones", "0005", "-v", "0")
    folder = tmp_path / "backup"
    source.manage("backup", str(folder))
    assert (
        "oneonones.0006_flag_dismissal"
        not in json.loads((folder / "manifest.json").read_text())["migrations"]
    )

    target = instances("target")
    target.manage("restore", str(folder))
    assert target.manage("migrate", "--check", check=False).returncode == 0
    counts = "from tete.oneonones.models import Meeting, FlagDismissal; print(Meeting.objects.count(), FlagDismissal.objects.count())"
    assert (
        target.python(counts).split()
        == source.python(counts.replace(", FlagDismissal.objects.count()", ", 0")).split()
    )


#: Each of our apps' last migration in the previous release: a database that release made
#: stops there (apps missing here did not exist yet). Migrations are only ever added, so
#: migrating back to these gives that release's schema exactly. Move it on at each release.
PREVIOUS_RELEASE = {
    "accounts": "0004_person_pending_email",
    "api": "0001_tokens_and_calendar_feed",
    "mydata": "0002_api_events",
    "oneonones": "0006_flag_dismissal",
    "people": "0001_initial",
    "recordings": "0001_initial",
    "reports": "0002_transcript_heartbeat_at",
    "surveys": "0003_response_release",
}

TO_PREVIOUS_RELEASE = """
from django.core.management import call_command
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
loader = MigrationLoader(None, ignore_no_migrations=True)
ours = sorted(
    app for app, name in loader.graph.leaf_nodes()
    if loader.graph.nodes[app, name].__module__.startswith("tete.")
)
# Back to that release, one app at a time, the last ones first, in one process.
for app in reversed(ours):
    call_command("migrate", app, {previous}.get(app, "zero"), verbosity=0)
print(" ".join(ours))
# Models added since that release to apps it had: no table yet, so nothing to compare.
from django.apps import apps
from django.db import connection
tables = set(connection.introspection.table_names())
print(" ".join(
    model._meta.label for model in apps.get_models()
    if model._meta.app_label in {previous} and model._meta.db_table not in tables
))
for app, name in sorted(MigrationRecorder.Migration.objects.values_list("app", "name")):
    print(app, name)
"""


def test_a_database_of_the_previous_release_is_brought_up_to_date(instances, tmp_path):
    """A database at the previous release's schema, restored and migrated to today's: every
    row kept, and what the new migrations fill in (reporting lines) filled in."""
    source = instances("source", generated_copy=True)
    ours, new_models, *applied_lines = source.python(
        TO_PREVIOUS_RELEASE.format(previous=PREVIOUS_RELEASE)
    ).splitlines()
    latest = ours.split()
    applied: dict[str, list[str]] = {}
    for line in applied_lines:
        app, name = line.split()
        applied.setdefault(app, []).append(name)
    # The source is that release's schema: each app stops at its migration, new apps are absent.
    for app in latest:
        expected = PREVIOUS_RELEASE.get(app)
        assert (max(applied[app]) if app in applied else None) == expected, app
    new_apps = sorted(set(latest) - set(PREVIOUS_RELEASE))
    excluded = [arg for name in new_apps + new_models.split() for arg in ("--exclude", name)]
    before = {
        json.dumps(obj, sort_keys=True)
        for obj in json.loads(source.manage("dumpdata", "--indent", "0", *excluded).stdout)
    }
    folder = tmp_path / "backup"
    source.manage("backup", str(folder))

    target = instances("target")
    target.manage("restore", str(folder))
    assert target.manage("migrate", "--check", check=False).returncode == 0
    after = {
        json.dumps(obj, sort_keys=True)
        for obj in json.loads(target.manage("dumpdata", "--indent", "0", *excluded).stdout)
    }
    assert len(before) > 100
    assert after == before
    lines = (
        "from tete.accounts.models import Person; from tete.leaders.models import ReportingLine; "
        "print(Person.objects.count(), ReportingLine.objects.count(), "
        "ReportingLine.objects.filter(manager_id__isnull=False).count(), "
        "Person.objects.filter(manager__isnull=False).count())"
    )
    people, reporting_lines, managed_lines, managed_people = map(int, target.python(lines).split())
    assert (reporting_lines, managed_lines) == (people, managed_people)
