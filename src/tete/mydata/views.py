"""A person's own data: their exports, their access log, erasing their data; and staff's
erasure pages. Thin views: access helpers fetch, actions in exports.py and erasure.py write."""

from __future__ import annotations

import uuid
from typing import cast

from django.contrib import messages
from django.contrib.auth import logout
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from tete import limits
from tete.access import access
from tete.accounts.models import Person
from tete.mydata import access_log, erasure, exports
from tete.mydata.access import get_erasure_for_staff, get_export_for
from tete.mydata.forms import EraseMyDataForm
from tete.people.access import get_person_for

ACCESS_LOG_PAGE_SIZE = 50
EXPORTS_SHOWN = 5


def _me(request: HttpRequest) -> Person:
    return cast(Person, request.user)


@access("signed_in")
@require_safe
def my_data(request: HttpRequest) -> HttpResponse:
    me = _me(request)
    context = {
        "nav": "people",
        "exports": list(exports.exports_of(me)[:EXPORTS_SHOWN]),
        "now": timezone.now(),
        "pending_erasure": erasure.pending_erasure_of(me),
    }
    return render(request, "mydata/my_data.html", context)


@access("signed_in")
@require_POST
@limits.limited_per_person("data_exports")
def start_export(request: HttpRequest) -> HttpResponse:
    export = exports.request_export(_me(request))
    messages.success(request, "Your copy is being made. This page shows when it is ready.")
    return redirect("mydata:export", export_id=export.pk)


@access("author")
@require_safe
def export_status(request: HttpRequest, export_id: uuid.UUID) -> HttpResponse:
    """An export's progress; with htmx, the part of the page that polls until it is done."""
    export = get_export_for(_me(request), export_id)
    template = "mydata/export.html"
    if getattr(request, "htmx", False):
        template += "#status"
    return render(request, template, {"nav": "people", "export": export, "now": timezone.now()})


@access("author")
@require_safe
def export_download(request: HttpRequest, export_id: uuid.UUID) -> HttpResponse:
    export = get_export_for(_me(request), export_id)
    content = exports.content_of(export) if export.is_downloadable() else None
    if content is None:
        return render(
            request, "mydata/export_gone.html", {"nav": "people", "export": export}, status=410
        )
    response = HttpResponse(content, content_type="application/zip")
    name = f"my-data-{timezone.localtime(export.requested_at):%Y-%m-%d}.zip"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@access("signed_in")
@require_safe
def my_access_log(request: HttpRequest) -> HttpResponse:
    page = Paginator(access_log.entries_for(_me(request)), ACCESS_LOG_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    entries = [(event, access_log.describe(event)) for event in page.object_list]
    return render(
        request, "mydata/access_log.html", {"nav": "people", "page": page, "entries": entries}
    )


@access("signed_in")
@require_http_methods(["GET", "POST"])
def erase_my_data(request: HttpRequest) -> HttpResponse:
    """GET explains what goes and what stays; POST, with the password, erases at once."""
    me = _me(request)
    form = EraseMyDataForm(request.POST or None, person=me, request=request)
    refusal = None
    if request.method == "POST" and form.is_valid():
        try:
            erasure.erase_own_data(me)
        except erasure.ErasureRefused as error:
            refusal = str(error)
        else:
            logout(request)
            return render(request, "mydata/erased.html")
    status = 409 if refusal else (400 if form.is_bound else 200)
    return render(
        request,
        "mydata/erase.html",
        {"nav": "people", "form": form, "refusal": refusal},
        status=status,
    )


# Staff ---------------------------------------------------------------------------------------


@access("staff")
@require_safe
def erasure_list(request: HttpRequest) -> HttpResponse:
    pending = list(erasure.pending_erasures().order_by("due_at"))
    names = dict(
        Person.objects.filter(
            pk__in={e.person_id_erased for e in pending} | {e.requested_by_id for e in pending}
        ).values_list("pk", "name")
    )
    rows = [
        {
            "erasure": e,
            "person": names.get(e.person_id_erased, ""),
            "by": names.get(e.requested_by_id or 0, ""),
            "mine": e.requested_by_id == _me(request).pk,
        }
        for e in pending
    ]
    return render(request, "mydata/erasures.html", {"nav": "people", "rows": rows})


@access("staff")
@require_http_methods(["GET", "POST"])
def start_erasure(request: HttpRequest, pk: int) -> HttpResponse:
    me = _me(request)
    person = get_person_for(me, pk)
    refusal = None
    if request.method == "POST":
        try:
            erasure.start_erasure(person, by=me)
        except erasure.ErasureRefused as error:
            refusal = str(error)
        else:
            messages.success(
                request,
                f"Erasing {person}'s data waits for a second staff person to confirm it, or "
                "for the delay to pass.",
            )
            return redirect("mydata:erasures")
    context = {
        "nav": "people",
        "person": person,
        "refusal": refusal,
        "pending": erasure.pending_erasure_of(person),
    }
    return render(request, "mydata/start_erasure.html", context, status=409 if refusal else 200)


@access("staff")
@require_POST
def confirm_erasure(request: HttpRequest, pk: int) -> HttpResponse:
    record = get_erasure_for_staff(_me(request), pk)
    try:
        erasure.confirm_erasure(record, by=_me(request))
    except erasure.ErasureRefused as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "The data is erased. The people they met keep their history.")
    return redirect("mydata:erasures")


@access("staff")
@require_POST
def cancel_erasure(request: HttpRequest, pk: int) -> HttpResponse:
    record = get_erasure_for_staff(_me(request), pk)
    try:
        erasure.cancel_erasure(record, by=_me(request))
    except erasure.ErasureRefused as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "The erasure is cancelled.")
    return redirect("mydata:erasures")
