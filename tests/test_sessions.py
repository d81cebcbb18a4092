"""The session store reads a session with a query compiled once: it must find, expire and
refuse sessions exactly as Django's database store does."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore as DjangoSessionStore
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.conftest import PASSWORD
from tete.accounts.sessions import SessionStore


def test_the_project_uses_it():
    assert settings.SESSION_ENGINE == "tete.accounts.sessions"


def test_a_signed_in_person_stays_signed_in_across_requests(client, alice):
    assert (
        client.post("/login/", {"username": "alice@example.com", "password": PASSWORD}).status_code
        == 302
    )
    home = client.get("/")
    assert home.status_code == 200
    assert home.wsgi_request.user == alice


def test_it_reads_what_djangos_store_wrote_and_the_other_way(db):
    written = DjangoSessionStore()
    written["said"] = "hello"
    written.create()
    assert SessionStore(written.session_key)["said"] == "hello"

    ours = SessionStore()
    ours["said"] = "again"
    ours.create()
    assert DjangoSessionStore(ours.session_key)["said"] == "again"


def test_an_expired_session_is_empty_and_its_key_forgotten(db):
    store = SessionStore()
    store["said"] = "hello"
    store.create()
    Session.objects.filter(session_key=store.session_key).update(
        expire_date=timezone.now() - dt.timedelta(seconds=1)
    )
    expired = SessionStore(store.session_key)
    assert expired.load() == {}
    assert expired.session_key is None


def test_an_unknown_or_invalid_key_gives_an_empty_session(db):
    assert dict(SessionStore("x" * 32).items()) == {}
    # Too short to be a key: Django's own check refuses it before any query.
    with CaptureQueriesContext(connection) as queries:
        assert dict(SessionStore("short").items()) == {}
    assert len(queries) == 0


def test_a_request_with_an_expired_session_cookie_is_anonymous(client, alice):
    client.force_login(alice)
    Session.objects.update(expire_date=timezone.now() - dt.timedelta(seconds=1))
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")
