"""System checks for a deployment (``tete manage check --deploy``)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Tags, Warning, register


@register(Tags.security, deploy=True)
def rate_limits_are_shared(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """Rate limits count in the cache: one per process unless TETE_CACHE_URL is shared."""
    backend = settings.CACHES["limits"]["BACKEND"]
    if backend.endswith(("LocMemCache", "DummyCache")):
        return [
            Warning(
                "The cache is each process's own memory, so rate limits (password reset, "
                "downloads, searches, report rebuilds) count per process, not for the site.",
                hint="Set TETE_CACHE_URL to db://tete_cache (and run `tete manage "
                "createcachetable`) or to redis://… (docs/deploy.md).",
                id="tete.W001",
            )
        ]
    return []
