from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from tete.access import access


@access("signed_in")
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "oneonones/home.html", {"nav": "home"})


@access("signed_in")
def oneonone_list(request: HttpRequest) -> HttpResponse:
    return render(request, "oneonones/home.html", {"nav": "oneonones"})


@access("signed_in")
def my_action_items(request: HttpRequest) -> HttpResponse:
    return render(request, "oneonones/home.html", {"nav": "action_items"})
