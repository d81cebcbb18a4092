"""GET /health/: what a load balancer asks each app server."""

from __future__ import annotations

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db


def test_it_answers_ok_without_signing_in(client):
    response = client.get("/health/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "failing": []}
    assert "no-store" in response["Cache-Control"]
    assert "sessionid" not in response.cookies


def test_it_answers_503_naming_a_cache_that_does_not_answer(client, settings):
    # (Changing the setting makes Django connect afresh.)
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            # Nothing listens on port 1.
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 0.5},
        },
    }
    response = client.get("/health/")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "failing": ["cache"]}


def test_it_answers_503_naming_a_database_that_does_not_answer(client, monkeypatch):
    def refuse(*args, **kwargs):
        raise connection.Database.OperationalError("the database is down")

    monkeypatch.setattr(connection, "cursor", refuse)
    response = client.get("/health/")
    assert response.status_code == 503
    assert response.json()["failing"] == ["database"]


def test_it_takes_get_only(client):
    assert client.post("/health/").status_code == 405
