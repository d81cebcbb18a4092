"""How much of each costly thing one person or one client may ask for (TETE_RATE_LIMITS).

Each limit is counted with `tete.throttle` in the shared cache. A refusal is a 429 page that
names the limit and says when to try again, with a Retry-After header.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any, TypeVar

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from tete.throttle import Throttle, throttle

#: What each limit counts, as the refusal names it.
WHAT = {
    "downloads": "downloads (exports, history and calendar files)",
    "searches": "searches",
    "report_rebuilds": "report rebuilds",
    "data_exports": "copies of your data",
    "password_resets_per_email": "password reset emails to one address",
    "password_resets_per_client": "password reset requests from one address",
    "api_requests": "API requests",
    "calendar_feeds": "calendar feed requests",
}


@dataclass(frozen=True)
class Refusal:
    """A use over its limit, as the 429 page and the Retry-After header tell it."""

    name: str
    result: Throttle

    @property
    def limit_text(self) -> str:
        """“30 downloads (…) per 10 minutes”."""
        return f"{self.result.limit} {WHAT[self.name]} {per_text(self.result.per_seconds)}"

    @property
    def wait_text(self) -> str:
        return duration_text(self.result.retry_after)

    @property
    def retry_at(self) -> dt.datetime:
        return timezone.now() + dt.timedelta(seconds=self.result.retry_after)


def per_text(seconds: int) -> str:
    """per minute, per 10 minutes, per hour, per 2 hours, per day."""
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds % size == 0:
            count = seconds // size
            return f"per {unit}" if count == 1 else f"per {count} {unit}s"
    return f"per {seconds} seconds"


def duration_text(seconds: int) -> str:
    """45 seconds, 1 minute, 12 minutes, 1 hour 5 minutes (rounded up to the minute)."""
    if seconds < 60:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    minutes = -(-seconds // 60)
    hours, minutes = divmod(minutes, 60)
    parts = []
    if hours:
        parts.append(f"{hours} hour{'s' if hours != 1 else ''}")
    if minutes:
        parts.append(f"{minutes} minute{'s' if minutes != 1 else ''}")
    return " ".join(parts)


def check(name: str, who: str) -> Refusal | None:
    """Count one use of the limit ``name`` by ``who``; the refusal when it is over."""
    count, per_seconds = settings.TETE_RATE_LIMITS[name]
    result = throttle(f"{name}:{who}", count, per_seconds)
    return None if result.allowed else Refusal(name, result)


def person_key(request: HttpRequest) -> str:
    return f"person:{request.user.pk}"


def too_many_requests(request: HttpRequest, refusal: Refusal) -> HttpResponse:
    """The 429 page in the app's style: the limit, and when to try again."""
    response = render(request, "429.html", {"refusal": refusal}, status=429)
    response["Retry-After"] = str(refusal.result.retry_after)
    return response


View = TypeVar("View", bound=Callable[..., HttpResponse])


def limited_per_person(name: str, methods: tuple[str, ...] | None = None) -> Callable[[View], View]:
    """Refuse the view's requests past the person's limit ``name`` (a signed-in view); with
    ``methods``, only those requests count (a page that shows the button is not the work)."""

    def decorator(view: View) -> View:
        @wraps(view)
        def limited(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            counted = methods is None or request.method in methods
            if counted and (refusal := check(name, person_key(request))):
                return too_many_requests(request, refusal)
            return view(request, *args, **kwargs)

        return limited  # type: ignore[return-value]

    return decorator
