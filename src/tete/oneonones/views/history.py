"""A one-on-one's history as a file to keep."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_safe

from tete import limits
from tete.access import access
from tete.oneonones import export
from tete.oneonones.access import get_oneonone_for
from tete.oneonones.views.helpers import _ascii_slug, _download, _me


@access("participant")
@require_safe
@limits.limited_per_person("downloads")
def oneonone_export(request: HttpRequest, pk: int) -> HttpResponse:
    """The history the viewer can read, as a Markdown file to keep."""
    me = _me(request)
    oneonone = get_oneonone_for(me, pk)
    name = f"one-on-ones-{_ascii_slug(oneonone.other(me).name)}-{timezone.localdate():%Y-%m-%d}"
    return _download(export.export_markdown(oneonone, me), "text/markdown", f"{name}.md")
