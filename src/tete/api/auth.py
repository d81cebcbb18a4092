"""Bearer authentication with personal access tokens, and what a token may do.

Checked on every request, from the database: a token revoked or expired is refused by the
very next request. A read-only token is refused (403) on any write before the endpoint
runs. Each token has its own rate limit (TETE_RATE_LIMITS["api_requests"]).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer

from tete import limits
from tete.api import actions
from tete.api.problems import Problem

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
#: Query parameters that would carry a token in an address (logs, browser history, Referer).
TOKEN_PARAMETERS = ("token", "access_token", "api_key", "apikey", "key", "bearer")


class PersonalToken(HttpBearer):
    def __call__(self, request: HttpRequest) -> Any:
        for name in TOKEN_PARAMETERS:
            if name in request.GET:
                raise Problem(
                    400,
                    "A token in the address is refused: addresses end up in logs and "
                    "histories. Send it in the Authorization header: Bearer tete_…",
                )
        return super().__call__(request)

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = actions.usable_token(token.strip())
        if found is None:
            return None  # 401 with WWW-Authenticate (problems.on_authentication)
        if refusal := limits.check("api_requests", f"token:{found.pk}"):
            raise Problem(
                429,
                f"This token has made more than {refusal.limit_text}; "
                f"try again in {refusal.wait_text}.",
                headers={"Retry-After": str(refusal.result.retry_after)},
            )
        if request.method not in SAFE_METHODS and not found.can_write:
            raise Problem(
                403,
                "This token is read-only; make a read-write token to change anything.",
            )
        actions.note_token_use(found)
        request.user = found.person
        return found
