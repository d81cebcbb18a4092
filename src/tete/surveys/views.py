from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from tete.access import access


@access("signed_in")
def survey_list(request: HttpRequest) -> HttpResponse:
    return render(request, "surveys/list.html", {"nav": "surveys"})
