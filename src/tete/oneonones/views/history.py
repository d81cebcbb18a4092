"""A one-on-one's history as a file to keep."""

from __future__ import annotations

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from tete import limits
from tete.access import access
from tete.mydata import access_log
from tete.mydata.models import EventKind
from tete.oneonones import export
from tete.oneonones.access import get_oneonone_for
from tete.oneonones.views.helpers import _ascii_slug, _download, _me


@access("participant")
@require_http_methods(["GET", "POST"])
@limits.limited_per_person("downloads", methods=("POST",))
def oneonone_export(request: HttpRequest, pk: int) -> HttpResponse:
    """The history the viewer can read, as a Markdown file to keep.

    The file comes from a POST: its download is written to the other participant's access
    log, and a GET never writes. A GET (an old link, a bookmark) shows the button.
    """
    me = _me(request)
    oneonone = get_oneonone_for(me, pk)
    other = oneonone.other(me)
    if request.method == "GET":
        context = {"nav": "oneonones", "oneonone": oneonone, "other": other}
        return render(request, "oneonones/export.html", context)
    with transaction.atomic():
        content = export.export_markdown(oneonone, me)
        access_log.record(
            other,
            EventKind.HISTORY_DOWNLOADED,
            actor=me,
            detail={"name": me.name, "what": "as a Markdown file"},
        )
    name = f"one-on-ones-{_ascii_slug(other.name)}-{timezone.localdate():%Y-%m-%d}"
    return _download(content, "text/markdown", f"{name}.md")
