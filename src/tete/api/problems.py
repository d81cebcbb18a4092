"""Errors as problem details (RFC 9457): ``application/problem+json`` with a clear ``detail``.

Every refusal the API makes goes through :class:`Problem` or one of the handlers here, so a
client reads the same shape whatever went wrong: ``type``, ``title``, ``status``, ``detail``,
and for invalid input the ``errors`` that say which field and why.
"""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from pydantic import BaseModel

from tete.oneonones.actions import OneOnOneEnded

if TYPE_CHECKING:
    from ninja import NinjaAPI

logger = logging.getLogger(__name__)

PROBLEM_TYPE = "application/problem+json"


class FieldError(BaseModel):
    field: str
    message: str


class ProblemOut(BaseModel):
    """RFC 9457 problem details."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str
    errors: list[FieldError] | None = None


class Problem(Exception):
    """Raised anywhere in an endpoint: the API answers with this problem."""

    def __init__(
        self,
        status: int,
        detail: str,
        *,
        headers: dict[str, str] | None = None,
        errors: list[dict[str, str]] | None = None,
        extra: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.headers = headers or {}
        self.errors = errors
        self.extra = extra or {}


def problem_response(
    status: int,
    detail: str,
    *,
    headers: dict[str, str] | None = None,
    errors: list[dict[str, str]] | None = None,
    extra: dict[str, Any] | None = None,
) -> HttpResponse:
    import json

    body: dict[str, Any] = {
        "type": "about:blank",
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
    }
    if errors is not None:
        body["errors"] = errors
    body.update(extra or {})
    response = HttpResponse(
        json.dumps(body, ensure_ascii=False), status=status, content_type=PROBLEM_TYPE
    )
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def _location(loc: Any) -> str:
    parts = [str(p) for p in loc if p not in ("body", "payload", "query", "path", "form")]
    return ".".join(parts) or "body"


def install(api: NinjaAPI) -> None:
    """Answer every error the API meets with problem details."""

    def on_problem(request: HttpRequest, exc: Problem) -> HttpResponse:
        return problem_response(
            exc.status, exc.detail, headers=exc.headers, errors=exc.errors, extra=exc.extra
        )

    def on_validation(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        from tete import uploads

        if refusal := uploads.refusal(request):
            # The file was dropped while it arrived, for its size: that, not its absence.
            return problem_response(413, refusal)
        errors = [
            {"field": _location(e.get("loc", ())), "message": str(e.get("msg", "Invalid."))}
            for e in exc.errors
        ]
        fields = ", ".join(sorted({e["field"] for e in errors}))
        return problem_response(422, f"The request is not valid: check {fields}.", errors=errors)

    def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        detail = str(exc)
        if exc.status_code == 400 and detail.startswith("Cannot parse request body"):
            detail = "The request body is not valid JSON."
        return problem_response(exc.status_code, detail)

    def on_authentication(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return problem_response(
            401,
            "Send a valid personal access token: Authorization: Bearer tete_…",
            headers={"WWW-Authenticate": 'Bearer realm="tete"'},
        )

    def on_404(request: HttpRequest, exc: Http404) -> HttpResponse:
        # The helpers' own words ("No such meeting.") say what was not found and no more.
        detail = str(exc) if str(exc).startswith("No such") else "Not found."
        return problem_response(404, detail)

    def on_permission(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        return problem_response(403, str(exc) or "You may not do this.")

    def on_ended(request: HttpRequest, exc: OneOnOneEnded) -> HttpResponse:
        return problem_response(409, " ".join(exc.messages))

    def on_invalid(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
        return problem_response(422, " ".join(exc.messages))

    def on_unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
        logger.exception("Unexpected error in the API", exc_info=exc)
        return problem_response(500, "Something went wrong on the server; it has been logged.")

    handlers: list[tuple[type[Exception], Any]] = [
        (Problem, on_problem),
        (NinjaValidationError, on_validation),
        (HttpError, on_http_error),
        (AuthenticationError, on_authentication),
        (Http404, on_404),
        (PermissionDenied, on_permission),
        (OneOnOneEnded, on_ended),
        (DjangoValidationError, on_invalid),
        (Exception, on_unexpected),
    ]
    for exception, handler in handlers:
        api.add_exception_handler(exception, handler)
