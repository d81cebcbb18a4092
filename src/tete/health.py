"""A health check for load balancers and process supervisors: `GET /health/`.

It answers 200 while this app server can reach the database and the cache it shares with
the other servers, and 503 naming what it cannot reach, so a proxy stops sending people to a
server that would only fail them. It reads, never writes, and says nothing about anyone.
"""

from __future__ import annotations

import logging

from django.core.cache import caches
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_GET

from tete.access import access

logger = logging.getLogger(__name__)


def _database_answers() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        logger.exception("Health check: the database does not answer")
        return False


def _cache_answers() -> bool:
    try:
        caches["default"].get("tete-health-check")  # a miss is an answer too
    except Exception:
        logger.exception("Health check: the cache does not answer")
        return False
    return True


@access("public")
@require_GET
def health(request: HttpRequest) -> JsonResponse:
    failing = [
        name
        for name, answers in (("database", _database_answers), ("cache", _cache_answers))
        if not answers()
    ]
    response = JsonResponse(
        {"status": "unavailable" if failing else "ok", "failing": failing},
        status=503 if failing else 200,
    )
    response["Cache-Control"] = "no-store"
    return response
