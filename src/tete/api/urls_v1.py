"""/api/v1/: the API's operations, each given its access rule for the URL walk (access.py)."""

from __future__ import annotations

from typing import Any

from django.urls import URLPattern, URLResolver

from tete.api.api import api
from tete.api.endpoints import recordings
from tete.recordings.actions import max_recording_bytes


def _with_rules(patterns: list[Any]) -> None:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            _with_rules(entry.url_patterns)
        elif isinstance(entry, URLPattern):
            name = entry.name or ""
            # The schema and its documentation are public; every operation needs a token.
            rule = "public" if name in {"openapi-json", "openapi-view"} else "api_token"
            entry.callback.access_rule = rule  # type: ignore[attr-defined]
            if name == recordings.UPLOAD_URL_NAME:
                # Recordings are larger than other uploads, as on the upload page.
                entry.callback.upload_limit = max_recording_bytes  # type: ignore[attr-defined]


def api_v1_urls() -> tuple[list[Any], str, str]:
    patterns, app_name, namespace = api.urls
    _with_rules(patterns)
    return patterns, app_name, namespace
