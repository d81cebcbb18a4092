"""Every view declares who may reach it (DESIGN.md access rule 5).

`@access(rule)` records the rule on the view and enforces the part that does not depend on
the object: signing in, staff status. Object-level checks (is this person a participant of
this one-on-one?) happen in each app's `access.py` helpers, which raise Http404 for anyone
else. tests/test_url_access.py walks every URL pattern and fails on a view without a rule.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseBase

RULES = {
    # Anyone, signed in or not (sign-in, password reset, invitation and public survey links).
    "public": "anyone",
    # Any active, signed-in person (home, directory, their own lists).
    "signed_in": "any signed-in person",
    # Signed in, and the object is fetched through an access helper that gives 404 to
    # anyone but the one-on-one's two participants.
    "participant": "the one-on-one's two participants only",
    # Signed in, and the object is fetched through a helper that gives 404 to all but its author.
    "author": "the author only",
    # Signed in, and the survey is fetched through a helper that gives 404 to all but its owner.
    "survey_owner": "the survey's owner only",
    # The REST API: a personal access token (Bearer) instead of a session; every object is
    # fetched through the same access helpers as the pages (tete/api/).
    "api_token": "a personal access token; objects through the pages' access helpers",
    # Signed in, and a person with reports' reports or a people partner; 404 for everyone
    # else, staff included (tete/leaders/access.py). Aggregates only, never a pair.
    "leader": "people with reports' reports, and people partners; aggregates only",
    # Signed-in staff (people administration; grants no access to one-on-one content).
    "staff": "staff only",
}

View = TypeVar("View", bound=Callable[..., HttpResponseBase])


def access(rule: str) -> Callable[[View], View]:
    if rule not in RULES:
        raise ValueError(f"Unknown access rule {rule!r}; choose one of {sorted(RULES)}")

    def decorator(view: View) -> View:
        guarded: Callable[..., HttpResponseBase] = view
        if rule == "staff":

            @wraps(view)
            def staff_only(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
                if not request.user.is_staff:
                    raise PermissionDenied
                return view(request, *args, **kwargs)

            guarded = staff_only
        if rule != "public":
            guarded = login_required(guarded)
        guarded.access_rule = rule  # type: ignore[attr-defined]
        return guarded  # type: ignore[return-value]

    return decorator
