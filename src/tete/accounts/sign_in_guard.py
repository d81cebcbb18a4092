"""What django-axes needs to know to slow down password guessing (settings: AXES_*).

Failed sign-ins are counted per email and client address together, and per client address
whatever the email, each with its own limit; see settings.py.
"""

from __future__ import annotations

from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_failure_limit
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


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


class SignInGuardHandler(AxesDatabaseHandler):
    """django-axes' database handler, with a second, higher limit per client address.

    AXES_LOCKOUT_PARAMETERS lists two counts: failures for one email from one address, and
    failures from one address whatever the email (trying a few passwords on many accounts).
    django-axes compares the larger of them with one limit, AXES_FAILURE_LIMIT; here the
    address's count has a limit of its own, TETE_SIGN_IN_ADDRESS_ATTEMPTS, as a whole office
    behind one address mistypes more often than one person does.
    """

    def failures_by_email_and_address(
        self, request: HttpRequest, credentials: dict[str, Any] | None = None
    ) -> tuple[int, int]:
        """(failures for this email from this address, failures from this address)."""
        pair, address = (
            attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        )
        return pair, address

    def get_failures(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> int:
        pair, address = self.failures_by_email_and_address(request, credentials)
        if address >= settings.TETE_SIGN_IN_ADDRESS_ATTEMPTS:
            return max(pair, get_failure_limit(request, credentials))
        return pair

    def reset_user_attempts(
        self, request: HttpRequest, credentials: dict[str, Any] | None = None
    ) -> int:
        # Signing in clears the count of this email from this address only: someone trying
        # passwords on many accounts cannot wipe the address's count by signing in to theirs.
        pair, _address = self.filter_user_attempts(request, credentials)
        count, _ = pair.delete()
        return count


def locked_out(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    """The page that says signing in is paused, and whether for one email or the address."""
    handler = SignInGuardHandler()
    pair, _address = handler.failures_by_email_and_address(request, credentials)
    whole_address = pair < get_failure_limit(request, credentials)
    context = {
        "whole_address": whole_address,
        "failure_limit": (
            settings.TETE_SIGN_IN_ADDRESS_ATTEMPTS
            if whole_address
            else get_failure_limit(request, credentials)
        ),
        "username": get_client_username(request, credentials) or "",
        "pause_minutes": round(settings.AXES_COOLOFF_TIME.total_seconds() / 60),
    }
    return render(request, "registration/locked_out.html", context, status=429)
