from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from tete.access import access


@access("signed_in")
def directory(request: HttpRequest) -> HttpResponse:
    return render(request, "people/directory.html", {"nav": "people"})


@access("signed_in")
def profile(request: HttpRequest) -> HttpResponse:
    return render(request, "people/directory.html", {"nav": "people"})


@access("staff")
def invitations(request: HttpRequest) -> HttpResponse:
    return render(request, "people/directory.html", {"nav": "people"})
