"""What every one-on-one page module shares: the viewer, htmx, safe redirects, downloads."""

from __future__ import annotations

import datetime as dt
import unicodedata
from typing import cast

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import slugify

from tete.accounts.models import Person

HISTORY_PAGE_SIZE = 10
HOME_LIST_SIZE = 8
LATER_MEETINGS = 5
ACTION_ITEMS_PAGE_SIZE = 25


def _me(request: HttpRequest) -> Person:
    return cast(Person, request.user)


def _is_htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


def _safe_next(request: HttpRequest) -> str:
    """The page a form or link came from (`next`, posted or in the query), when same-site."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


def _redirect_back(request: HttpRequest, default: str) -> HttpResponseRedirect:
    """Back to the page the form was on (a same-site `next`), else to `default`."""
    return redirect(_safe_next(request) or default)


def _start_of_today() -> dt.datetime:
    """Midnight of the viewer's today, in their timezone (pages show their dates)."""
    return dt.datetime.combine(
        timezone.localdate(), dt.time(), tzinfo=timezone.get_current_timezone()
    )


def _download(content: bytes | str, content_type: str, filename: str) -> HttpResponse:
    """A file to save (``filename`` is ASCII: see _ascii_slug)."""
    response = HttpResponse(content, content_type=f"{content_type}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _ascii_slug(text: str) -> str:
    return slugify(unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode())
