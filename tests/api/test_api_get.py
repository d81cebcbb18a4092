"""A GET to the API writes nothing: no content, no session. The one write it may make is the
token's own last-use time, at most once a minute (actions.note_token_use)."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.api.test_access import endpoints, world  # noqa: F401 (fixture)
from tests.test_get_never_writes import WRITE
from tete.api.models import ApiToken


def _writes(captured) -> list[str]:
    return [q["sql"] for q in captured.captured_queries if WRITE.match(q["sql"])]


def test_api_gets_write_nothing_but_the_tokens_last_use(world, api_as):  # noqa: F811
    client = api_as("alice")
    gets = [path for method, path, *_ in endpoints(world) if method == "get"]
    gets += ["/api/v1/me", "/api/v1/oneonones", "/api/v1/action-items", "/api/v1/surveys"]
    with CaptureQueriesContext(connection) as first:
        assert client.get(gets[0]).status_code == 200
    token_table = ApiToken._meta.db_table
    assert all(token_table in sql and "last_used_at" in sql for sql in _writes(first))
    for path in gets:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
        assert response.status_code == 200, path
        assert _writes(captured) == [], path


@pytest.mark.parametrize("path", ["/api/v1/openapi.json", "/api/v1/docs"])
def test_the_schema_and_its_documentation_are_public(client, path):
    assert client.get(path).status_code == 200


def test_the_documentation_loads_only_the_apps_own_files(client):
    """Swagger UI's files are served by the app (vendored in django-ninja, with ours over
    them): no CDN, nothing fetched from elsewhere."""
    page = client.get("/api/v1/docs").content.decode()
    files = re.findall(r'<(?:script|link)\b[^>]*?(?:src|href)="([^"]+)"', page)
    assert len(files) == 5, files
    for url in files:
        assert url.startswith("/static/"), url
        served = client.get(url)
        assert served.status_code == 200, url
        assert b"".join(served.streaming_content) if served.streaming else served.content
    names = " ".join(files)
    for name in ("swagger-ui-bundle.js", "swagger-ui.css", "api/docs.js", "api/docs.css"):
        assert name in names


def test_the_schema_is_openapi_3_1_with_bearer_auth_and_problem_errors(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["openapi"].startswith("3.1")
    schemes = schema["components"]["securitySchemes"]
    assert any(s.get("scheme") == "bearer" for s in schemes.values())
    responses = schema["paths"]["/api/v1/me"]["get"]["responses"]
    assert "application/problem+json" in responses["401"]["content"]
