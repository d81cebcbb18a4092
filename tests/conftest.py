"""Shared fixtures: the personas every view test uses (see STYLE.md).

alice manages bob; carol is an outsider with no one-on-one with either; admin is staff.
"""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import pytest
from django.db import connections
from django.db.backends.signals import connection_created

from tete.accounts.models import Person, Team

# Playwright's sync API runs an event loop in the test thread; Django's ORM refuses
# to run there unless told it is safe (it is: one test thread at a time).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

PASSWORD = "correct horse battery"

# PostgreSQL backend pid → the thread that opened that connection, to name it when it leaks.
_OPENED_BY: dict[int, str] = {}


def _note_opening_thread(sender, connection, **kwargs):
    if connection.vendor == "postgresql":
        _OPENED_BY[connection.connection.info.backend_pid] = threading.current_thread().name


connection_created.connect(_note_opening_thread, dispatch_uid="tests-note-opening-thread")


#: The analysis library's tests: it never imports Django, so no database can change them.
DJANGO_FREE = Path(__file__).parent / "conversation"


def pytest_collection_modifyitems(config, items):
    """With TETE_TESTS_DATABASE_ONLY=1, leave out the tests of the Django-free analysis library.

    CI runs the suite on SQLite, then again on PostgreSQL: the second run repeats only the
    tests whose outcome a database can change (the first one ran them all).
    """
    if os.environ.get("TETE_TESTS_DATABASE_ONLY") != "1":
        return
    kept, left_out = [], []
    for item in items:
        (left_out if DJANGO_FREE in Path(item.fspath).parents else kept).append(item)
    if left_out:
        config.hook.pytest_deselected(items=left_out)
        items[:] = kept


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database, and a check that the session closed every connection to it.

    Django drops the PostgreSQL test database at the end and cannot while another
    connection is open; pytest-django would only print a warning then. This check runs just
    before that, after the session fixtures set up later (the live server, Playwright) ended.
    The SQLite test database is in memory and shared with the live server: nothing to leak.
    """
    yield
    with django_db_blocker.unblock():
        for connection in connections.all():
            if connection.vendor == "postgresql":
                _fail_on_other_sessions(connection)


def _fail_on_other_sessions(connection, wait_seconds: float = 5.0) -> None:
    query = (
        "SELECT pid, state, query FROM pg_stat_activity"
        " WHERE datname = current_database() AND pid <> pg_backend_pid()"
    )
    # A live server thread still finishing its last request closes its connection soon.
    deadline = time.monotonic() + wait_seconds
    while True:
        with connection.cursor() as cursor:
            cursor.execute(query)
            others = cursor.fetchall()
        if not others or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    if others:
        sessions = "; ".join(
            f"pid {pid} opened by {_OPENED_BY.get(pid, 'an unknown thread')}, {state},"
            f" last query {last_query!r}"
            for pid, state, last_query in others
        )
        pytest.fail(
            f"The test session left {len(others)} connection(s) to the test database "
            f"{connection.settings_dict['NAME']} open: {sessions}",
            pytrace=False,
        )


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    # The page cache stays on, so every page test goes through it; ids repeat across tests
    # (rolled-back transactions), so no test may see another's pages.
    settings.TETE_PAGE_CACHE = True
    from django.core.cache import caches

    for alias in settings.CACHES:
        caches[alias].clear()


@pytest.fixture
def team(db) -> Team:
    return Team.objects.create(name="Platform")


@pytest.fixture
def alice(db, team) -> Person:
    return Person.objects.create_user(
        "alice@example.com", PASSWORD, name="Alice Martin", title="Engineering Manager", team=team
    )


@pytest.fixture
def bob(db, team, alice) -> Person:
    return Person.objects.create_user(
        "bob@example.com", PASSWORD, name="Bob Jones", title="Engineer", team=team, manager=alice
    )


@pytest.fixture
def carol(db) -> Person:
    return Person.objects.create_user("carol@example.com", PASSWORD, name="Carol Outsider")


@pytest.fixture
def admin(db) -> Person:
    return Person.objects.create_superuser("admin@example.com", PASSWORD, name="Ada Admin")


@pytest.fixture
def alice_client(client, alice):
    client.force_login(alice)
    return client


def signs_in(client, email: str, password: str) -> bool:
    """Whether the sign-in form takes this email and password, as a person types them (the
    test client's login() passes no request, which the guard against password guessing
    refuses)."""
    response = client.post("/login/", {"username": email, "password": password})
    return response.status_code == 302 and response["Location"] == "/"


@pytest.fixture
def client_for(client):
    """client_for(person) signs the test client in as that person (None: anonymous)."""

    def sign_in(person: Person | None):
        client.logout()
        if person is not None:
            client.force_login(person)
        return client

    return sign_in


def weekly_oneonone(manager: Person, report: Person):
    """`manager` and `report` meet weekly on Mondays at 10:00, Paris time."""
    import datetime as dt

    from tete.oneonones import actions

    return actions.start_oneonone(
        by=manager,
        other=report,
        kind="manager_report",
        focus_person=report,
        cadence="weekly",
        weekday=0,
        time_of_day=dt.time(10, 0),
        duration_minutes=30,
        tz="Europe/Paris",
    )


@pytest.fixture
def oneonone(alice, bob):
    """alice (manager) and bob (her report) meet weekly on Mondays at 10:00, Paris time."""
    return weekly_oneonone(alice, bob)


@pytest.fixture
def meeting(oneonone):
    """The next meeting of `oneonone`."""
    from tete.oneonones import actions

    return actions.ensure_next_meeting(oneonone)
