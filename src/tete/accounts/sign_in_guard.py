"""What django-axes needs to know to slow down password guessing (settings: AXES_*).

Failed sign-ins are counted per email and client address together; see settings.py.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest


def attempted_email(request: HttpRequest, credentials: dict[str, Any] | None = None) -> str:
    """The email a sign-in tried, as the sign-in matches it: case and spaces do not make a
    fresh count."""
    data = credentials if credentials is not None else request.POST
    return str(data.get("username") or "").strip().lower()


def client_address(request: HttpRequest) -> str:
    """The client's address: behind the HTTPS proxy (``TETE_HTTPS``), the last address the
    proxy added to X-Forwarded-For, which the client cannot forge; else the connection's."""
    if settings.TETE_BEHIND_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")[-1].strip()
        if forwarded:
            return forwarded
    return str(request.META.get("REMOTE_ADDR", ""))
