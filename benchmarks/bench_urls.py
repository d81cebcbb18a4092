from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.template import engines
from django.urls import path

from tete.urls import urlpatterns as app_urlpatterns

BARE = engines["django"].from_string(
    "<!doctype html><title>{{ title }}</title><h1>{{ title }}</h1>"
    "<ul>{% for item in items %}<li>{{ item }}</li>{% endfor %}</ul>"
)


def bare(request: HttpRequest) -> HttpResponse:
    """The baseline: no database, no session, a small template."""
    return HttpResponse(BARE.render({"title": "Bare view", "items": range(10)}))


bare.access_rule = "public"  # type: ignore[attr-defined]

urlpatterns = [path("bench/bare/", bare), *app_urlpatterns]
