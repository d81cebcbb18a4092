"""The "Tokens and calendar feed" page, and the calendar feed itself."""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING, Any, cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from tete import limits
from tete.access import access
from tete.api import actions, feed
from tete.api.forms import TokenForm
from tete.api.models import ApiToken, CalendarFeed

if TYPE_CHECKING:
    from tete.accounts.models import Person

#: Revoked tokens stay listed this long, so that their owner sees what they revoked.
REVOKED_SHOWN = 10


def _me(request: HttpRequest) -> Person:
    return cast("Person", request.user)


def _page(request: HttpRequest, form: TokenForm, status: int = 200, **extra: Any) -> HttpResponse:
    me = _me(request)
    tokens = ApiToken.objects.filter(person=me)
    context = {
        "nav": "profile",
        "form": form,
        "tokens": list(tokens.filter(revoked_at__isnull=True)),
        "revoked": list(tokens.filter(revoked_at__isnull=False).order_by("-revoked_at")[:10]),
        "now": timezone.now(),
        "feed": CalendarFeed.objects.filter(person=me).first(),
        "api_docs": reverse("api-v1:openapi-view"),
        **extra,
    }
    return render(request, "api/tokens.html", context, status=status)


@access("signed_in")
@require_http_methods(["GET", "POST"])
def tokens(request: HttpRequest) -> HttpResponse:
    """List, make (shown once, here) and revoke personal access tokens; the feed address."""
    if request.method != "POST":
        return _page(request, TokenForm())
    form = TokenForm(request.POST)
    if form.is_valid():
        try:
            new = actions.create_token(_me(request), **form.token_fields())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            # Rendered, not redirected: the token is shown on this one response and kept
            # nowhere (no session, no message); the response is never cached.
            return _page(request, TokenForm(), status=201, new_token=new)
    return _page(request, form, status=400)


@access("author")
@require_POST
def revoke(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        token = ApiToken.objects.get(pk=pk, person=_me(request))
    except ApiToken.DoesNotExist:
        raise Http404("No such token.") from None
    actions.revoke_token(token, by=_me(request))
    messages.success(request, f"Token “{token.name}” revoked: it no longer works.")
    return redirect("api:tokens")


def _feed_url(request: HttpRequest, secret: str) -> str:
    return request.build_absolute_uri(reverse("api:calendar_feed", args=[secret]))


@access("signed_in")
@require_POST
def reset_feed(request: HttpRequest) -> HttpResponse:
    """A new feed address, shown once; the old one stops working."""
    secret = actions.reset_calendar_feed(_me(request))
    https = _feed_url(request, secret)
    webcal = "webcal://" + https.split("://", 1)[1]
    return _page(request, TokenForm(), new_feed_url=https, new_feed_webcal=webcal)


@access("signed_in")
@require_POST
def stop_feed(request: HttpRequest) -> HttpResponse:
    actions.stop_calendar_feed(_me(request))
    messages.success(request, "Calendar feed turned off: its address no longer works.")
    return redirect("api:tokens")


@access("public")
@require_safe
def calendar_feed(request: HttpRequest, secret: str) -> HttpResponse:
    """The feed: the secret in the address is the key (calendars send no other)."""
    found = actions.feed_owner(secret)
    if found is None:
        raise Http404("No such calendar feed.")
    if refusal := limits.check("calendar_feeds", f"feed:{found.pk}"):
        response = HttpResponse(
            f"Too many requests for this feed: {refusal.limit_text}.",
            status=429,
            content_type="text/plain; charset=utf-8",
        )
        response["Retry-After"] = str(refusal.result.retry_after)
        return response
    content = feed.person_calendar(
        found.person,
        host=request.get_host().split(":")[0],
        meeting_link=lambda pk: request.build_absolute_uri(reverse("oneonones:meeting", args=[pk])),
        oneonone_link=lambda pk: request.build_absolute_uri(reverse("oneonones:detail", args=[pk])),
        now=timezone.now(),
    )
    etag = '"' + hashlib.sha256(content).hexdigest()[:32] + '"'
    if etag in [tag.strip() for tag in request.headers.get("If-None-Match", "").split(",")]:
        response = HttpResponse(status=304)
    else:
        response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = 'inline; filename="one-on-ones.ics"'
    response["ETag"] = etag
    # Calendars keep the feed and ask again with If-None-Match: no "no-store" here
    # (tete.middleware.PrivateCacheMiddleware), but private and checked every time.
    response.revalidate_privately = True  # type: ignore[attr-defined]
    return response
