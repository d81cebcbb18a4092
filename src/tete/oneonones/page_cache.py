"""A cache of the rendered home, one-on-one and meeting pages.

Rendering these pages costs far more than checking who may see them, so a view checks access
first (the usual access helper, every request), then serves the HTML it rendered before when
nothing shown on the page can have changed. Nothing is ever invalidated: the key carries
everything the page depends on, and a change makes a new key.

The key (hashed, so no secret is stored in it) is made of
* the page kind, the object's id and the full path (the query string picks the history page);
* the viewer: id, and what the layout shows of them (name, email for initials, staff link);
* the viewer's timezone and local date: every time is shown in that timezone, and overdue
  flags, "fill in the check-in" and whether a cancelled meeting is still ahead or past change
  at midnight. Otherwise "upcoming" means scheduled and not yet held or cancelled, whatever
  the time; a planned next meeting (no row yet) adds its time to the key itself;
* the content version(s) (oneonones/versions.py), bumped by every write the pages show;
* the request's CSRF secret, so that the forms in a cached page carry a token valid for
  this browser only; a request without one yet is rendered, not cached;
* PAGE_FORMAT, a digest of the package's templates and code, so that a shared cache never
  serves HTML rendered by an earlier release.

Entries also expire after TETE_PAGE_CACHE_SECONDS: not for correctness, but to bound the
damage of a write that forgot to bump a version (the admin, a database shell).

Never cached: anything but GET, htmx requests, a request with messages waiting to be shown
(they are shown once), a response other than 200, a page that uses the request's CSP nonce
(the next response names another), a viewer who is not an active, signed-in person, or when
TETE_PAGE_CACHE is off.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

if TYPE_CHECKING:
    from tete.accounts.models import Person


def _code_digest() -> str:
    """A digest of the package's templates and code, read once per process.

    A deploy that changes how pages are rendered thus starts new keys by itself, so a shared
    cache (Redis, database) never serves HTML rendered by the previous release.
    """
    package = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*")):
        if path.suffix in {".html", ".py"} and "migrations" not in path.parts:
            digest.update(path.relative_to(package).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


PAGE_FORMAT = _code_digest()


def enabled() -> bool:
    return bool(getattr(settings, "TETE_PAGE_CACHE", True))


def _csrf_secret(request: HttpRequest) -> str | None:
    """The browser's CSRF secret, or None when this response is going to set a new one."""
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return None
    secret = request.META.get("CSRF_COOKIE")
    return secret or None


def _has_pending_messages(request: HttpRequest) -> bool:
    # len() loads the stored messages without marking them as shown; iterating would.
    return len(get_messages(request)) > 0


def _used_csp_nonce(request: HttpRequest) -> bool:
    """Whether the page carries this request's Content-Security-Policy nonce, which must not be
    served again: the next response's header names a new one."""
    return getattr(request, "_csp_nonce", None) is not None


def usable(request: HttpRequest) -> bool:
    """Whether this request may be served from the cache or stored in it, whatever the page.

    A view may skip what it reads only for the key (a content version) when it may not.
    """
    if not enabled() or request.method != "GET" or getattr(request, "htmx", False):
        return False
    viewer: Person = request.user  # type: ignore[assignment]
    if not viewer.is_authenticated or not viewer.is_active:
        return False
    return _csrf_secret(request) is not None and not _has_pending_messages(request)


def cache_key(
    request: HttpRequest, kind: str, object_id: int, versions: Iterable[Any]
) -> str | None:
    """The page's key, or None when this request must not use the cache."""
    if not usable(request):
        return None
    viewer: Person = request.user  # type: ignore[assignment]
    secret = _csrf_secret(request)
    parts = [
        PAGE_FORMAT,
        kind,
        object_id,
        request.get_full_path(),
        viewer.pk,
        viewer.name,
        viewer.email,
        viewer.is_staff,
        timezone.get_current_timezone_name(),
        timezone.localdate().isoformat(),
        *versions,
        secret,
    ]
    digest = hashlib.sha256("\x1f".join(map(str, parts)).encode()).hexdigest()
    return f"page:{kind}:{digest}"


def serve(
    request: HttpRequest,
    kind: str,
    object_id: int,
    versions: Iterable[Any],
    render: Callable[[], HttpResponse],
) -> HttpResponse:
    """The cached page when there is one for this key, else `render()` (stored if it may be).

    Call it only after the viewer's access to the object was checked for this request.
    The response's `page_cache` attribute says "hit", "miss" or "skip" (for tests).
    """
    key = cache_key(request, kind, object_id, versions)
    if key is not None:
        entry = cache.get(key)
        if entry is not None:
            content, content_type = entry
            response = HttpResponse(content, content_type=content_type)
            response.page_cache = "hit"  # type: ignore[attr-defined]
            return response
    response = render()
    storable = (
        key is not None
        and response.status_code == 200
        and not response.streaming
        and not _has_pending_messages(request)
        and not _used_csp_nonce(request)
    )
    if storable:
        assert key is not None
        cache.set(
            key,
            (response.content, response["Content-Type"]),
            timeout=int(getattr(settings, "TETE_PAGE_CACHE_SECONDS", 300)),
        )
    response.page_cache = "miss" if storable else "skip"  # type: ignore[attr-defined]
    return response
