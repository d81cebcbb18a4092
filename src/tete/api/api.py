"""The REST API under /api/v1/: django-ninja, OpenAPI 3.1, personal access tokens.

Endpoints fetch through the same access helpers and write through the same actions as the
pages (STYLE.md): a one-on-one that is not the caller's is 404, whoever asks.
"""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from ninja import NinjaAPI
from ninja.openapi.docs import DocsBase

from tete.api import problems
from tete.api.auth import PersonalToken
from tete.api.endpoints import agenda, oneonones, recordings, reports, surveys

DESCRIPTION = """\
The one-on-ones, meetings, agendas, notes, action items, check-ins, transcripts,
recordings, conversation reports and survey results a person can see on the pages, with
the same access rules.

Authenticate with a personal access token (profile → Tokens and calendar feed):
`Authorization: Bearer tete_…`. Lists are paginated with `cursor` and `limit`; errors are
`application/problem+json` (RFC 9457). See docs/api.md.
"""


class VendoredDocs(DocsBase):
    """Swagger UI from the files django-ninja ships (served as static files, no CDN), with
    its settings in a data attribute and no inline script, so the page keeps the strict CSP."""

    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        settings = {
            "url": self.get_openapi_url(api, kwargs),
            "layout": "BaseLayout",
            "deepLinking": True,
        }
        return render(request, "api/docs.html", {"api": api, "settings": json.dumps(settings)})


class TeteAPI(NinjaAPI):
    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> Any:
        """The schema, with errors described as what they are: application/problem+json."""
        schema = super().get_openapi_schema(*args, **kwargs)
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                for status, response in operation.get("responses", {}).items():
                    content = response.get("content", {})
                    if int(status) >= 400 and "application/json" in content:
                        content[problems.PROBLEM_TYPE] = content.pop("application/json")
        return schema


api = TeteAPI(
    title="Tête-à-tête API",
    version="1",
    description=DESCRIPTION,
    auth=PersonalToken(),
    urls_namespace="api-v1",
    docs=VendoredDocs(),
    docs_url="/docs",
    openapi_url="/openapi.json",
)
problems.install(api)
for router in (
    oneonones.router,
    agenda.router,
    reports.router,
    recordings.router,
    surveys.router,
):
    api.add_router("", router)
