from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from tete.mydata.access_log import current_request


class CurrentRequestMiddleware:
    """Lets access-log entries written by signal receivers say who acted (a staff person
    deactivating someone in the admin, say). The user is read only when an entry needs it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = current_request.set(request)
        try:
            return self.get_response(request)
        finally:
            current_request.reset(token)
