"""What every endpoint module shares: the caller, absolute links, the documented errors."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, cast

from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from tete.api.problems import ProblemOut

if TYPE_CHECKING:
    from tete.accounts.models import Person
    from tete.api.models import ApiToken

#: The errors every authenticated operation can answer with (problem+json).
ERRORS: dict[int, Any] = {
    400: ProblemOut,
    401: ProblemOut,
    403: ProblemOut,
    404: ProblemOut,
    422: ProblemOut,
    429: ProblemOut,
}
#: Writes can also meet a conflict (a one-on-one that has ended, a note changed meanwhile).
WRITE_ERRORS: dict[int, Any] = {**ERRORS, 409: ProblemOut}


def responses(ok: Any, status: int = 200, *, write: bool = False) -> dict[int, Any]:
    return {status: ok, **(WRITE_ERRORS if write else ERRORS)}


def rendered(request: HttpRequest, body: Any, status: int = 200) -> HttpResponse:
    """``body`` written as the API writes every answer (its renderer, its content type), by
    an endpoint that builds the plain data its response schema would dump, for speed. The
    operation still declares that schema: the OpenAPI document stays the same."""
    from tete.api.api import api  # the API imports every endpoint module

    return api.create_response(request, body, status=status)


def caller(request: HttpRequest) -> Person:
    """The person the token acts as (auth.PersonalToken set it)."""
    return cast("Person", request.user)


def token_of(request: HttpRequest) -> ApiToken:
    return cast("ApiToken", request.auth)  # type: ignore[attr-defined]


def link(request: HttpRequest, name: str, *args: Any) -> str:
    return request.build_absolute_uri(reverse(name, args=args))


#: Stands for a row's id in a link reversed once for a whole list (no real id is this large).
_ANY_ID = 2_147_483_647


def links(request: HttpRequest, name: str) -> Callable[[int], str]:
    """``link(request, name, pk)`` for every row of a list: the URL is reversed once and each
    row's id put in its place (reversing was most of the cost of a list's row)."""
    pattern = link(request, name, _ANY_ID)
    marker = f"/{_ANY_ID}/"
    if marker not in pattern:  # a URL whose id is not a whole segment: reverse each time
        return lambda pk: link(request, name, pk)
    return lambda pk: pattern.replace(marker, f"/{pk}/")
