"""Shared fixtures: the personas every view test uses (see STYLE.md).

alice manages bob; carol is an outsider with no one-on-one with either; admin is staff.
"""

from __future__ import annotations

import os

import pytest

from tete.accounts.models import Person, Team

# Playwright's sync API runs an event loop in the test thread; Django's ORM refuses
# to run there unless told it is safe (it is: one test thread at a time).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

PASSWORD = "correct horse battery"


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    # The page cache stays on, so every page test goes through it; ids repeat across tests
    # (rolled-back transactions), so no test may see another's pages.
    settings.TETE_PAGE_CACHE = True
    from django.core.cache import cache

    cache.clear()


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


@pytest.fixture
def client_for(client):
    """client_for(person) signs the test client in as that person (None: anonymous)."""

    def sign_in(person: Person | None):
        client.logout()
        if person is not None:
            client.force_login(person)
        return client

    return sign_in


@pytest.fixture
def oneonone(alice, bob):
    """alice (manager) and bob (her report) meet weekly on Mondays at 10:00, Paris time."""
    import datetime as dt

    from tete.oneonones import actions

    return actions.start_oneonone(
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


@pytest.fixture
def meeting(oneonone):
    """The next meeting of `oneonone`."""
    from tete.oneonones import actions

    return actions.ensure_next_meeting(oneonone)
