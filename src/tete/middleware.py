"""Project-wide middleware."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.utils.cache import patch_cache_control


class PrivateCacheMiddleware:
    """``Cache-Control: private, no-store`` on every response the app itself makes.

    Pages and downloads name people and carry what they said: no shared cache (a company
    proxy, a CDN) may keep them, and neither may the browser's disk, where the next person on
    a shared computer would find them after signing out. Static files never reach this
    middleware: WhiteNoise, before it, answers them with their own long cache.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if getattr(response, "revalidate_privately", False):
            # A response meant to be kept by its one client and checked again each time
            # (a calendar feed's ETag): private, never reused unchecked.
            patch_cache_control(response, private=True, no_cache=True)
            return response
        patch_cache_control(response, private=True, no_store=True)
        return response
