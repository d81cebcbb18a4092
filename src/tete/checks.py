"""System checks for a deployment (``tete manage check --deploy``)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Tags, Warning, register
from django.db import connection


@register(Tags.security, deploy=True)
def rate_limits_are_shared(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """Rate limits count in the cache: one per process unless TETE_CACHE_URL is shared."""
    backend = settings.CACHES["limits"]["BACKEND"]
    if backend.endswith(("LocMemCache", "DummyCache")):
        return [
            Warning(
                "The cache is each process's own memory, so rate limits (password reset, "
                "downloads, searches, report rebuilds) count per process, not for the site.",
                hint="Set TETE_CACHE_URL to the same redis://… (Redis or Valkey) on every app "
                "server, or to db://tete_cache and run `tete manage createcachetable` "
                "(docs/deploy.md).",
                id="tete.W001",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def secret_key_is_shared(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """On PostgreSQL, several app servers: a key each generated for itself splits them."""
    if settings.TETE_SECRET_KEY_GENERATED and connection.vendor == "postgresql":
        return [
            Warning(
                "The secret key was generated in this server's data directory. Each app "
                "server generates its own, and a session or password reset link made on one "
                "is refused by the others.",
                hint="Set TETE_SECRET_KEY to the same long random value on every app server "
                "and worker (docs/deploy.md).",
                id="tete.W002",
            )
        ]
    return []
