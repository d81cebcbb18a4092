"""Talking-point templates: built-in ones and the viewer's own."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from tete.access import access
from tete.oneonones import actions
from tete.oneonones.access import (
    get_own_template_for,
    templates_for,
)
from tete.oneonones.forms import TemplateForm
from tete.oneonones.models import Template
from tete.oneonones.views.helpers import _me


@access("signed_in")
@require_safe
def template_list(request: HttpRequest) -> HttpResponse:
    me = _me(request)
    templates = list(templates_for(me).select_related("owner").prefetch_related("questions"))
    return render(
        request,
        "oneonones/templates.html",
        {
            "nav": "oneonones",
            "built_in": [t for t in templates if t.owner_id is None],
            "mine": [t for t in templates if t.owner_id == me.pk],
        },
    )


@access("signed_in")
@require_http_methods(["GET", "POST"])
def template_create(request: HttpRequest) -> HttpResponse:
    return _template_page(request, None)


@access("author")
@require_http_methods(["GET", "POST"])
def template_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _template_page(request, get_own_template_for(_me(request), pk))


def _template_page(request: HttpRequest, template: Template | None) -> HttpResponse:
    """Writing a template (``None``) or changing one of the viewer's own."""
    me = _me(request)
    initial = TemplateForm.initial_for(template) if template is not None else None
    form = TemplateForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        if template is None:
            actions.create_template(owner=me, **form.template_fields())
            messages.success(request, "Template saved. Only you can see and use it.")
        else:
            actions.update_template(template, by=me, **form.template_fields())
            messages.success(request, "Template saved.")
        return redirect("oneonones:templates")
    return render(
        request,
        "oneonones/template_form.html",
        {"nav": "oneonones", "form": form, "template": template},
        status=400 if form.is_bound else 200,
    )


@access("author")
@require_http_methods(["GET", "POST"])
def template_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """GET asks first (a page, so it works without JavaScript); POST deletes."""
    me = _me(request)
    template = get_own_template_for(me, pk)
    if request.method == "GET":
        return render(
            request, "oneonones/template_delete.html", {"nav": "oneonones", "template": template}
        )
    actions.delete_template(template, by=me)
    messages.success(request, f"Template “{template.name}” deleted.")
    return redirect("oneonones:templates")
