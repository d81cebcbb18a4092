from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from tete.leaders.access import leader_role


def leaders_nav(request: HttpRequest) -> dict[str, Any]:
    """Whether the navigation links the leaders' view; asked only when a page shows it."""
    return {"may_open_leaders": lambda: bool(leader_role(getattr(request, "user", None)))}
