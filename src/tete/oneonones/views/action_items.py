"""Action items: the viewer's list, adding, closing, editing and deleting them."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from tete.access import access
from tete.oneonones import actions
from tete.oneonones.access import (
    get_action_item_for,
    get_meeting_for,
)
from tete.oneonones.forms import (
    ActionItemFilterForm,
    ActionItemForm,
)
from tete.oneonones.models import ActionItem
from tete.oneonones.queries import (
    action_items_for,
    partners_of,
)
from tete.oneonones.views.helpers import (
    ACTION_ITEMS_PAGE_SIZE,
    _is_htmx,
    _me,
    _redirect_back,
    _safe_next,
)
from tete.oneonones.views.meeting import _after_meeting_change, _read_only, _render_meeting


@access("signed_in")
@require_safe
def my_action_items(request: HttpRequest) -> HttpResponse:
    """The viewer's own action items, or those the people they meet own in their one-on-ones
    (``?whose=theirs``); open or done; with one person (``?person=``) or everyone."""
    me = _me(request)
    form = ActionItemFilterForm(request.GET, partners=partners_of(me))
    theirs, done, partner = form.choice()
    items = action_items_for(me, theirs=theirs, done=done, partner=partner)
    page = Paginator(items, ACTION_ITEMS_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "nav": "action_items",
        "page": page,
        "form": form,
        "theirs": theirs,
        "show_done": done,
        "partner": partner,
        "today": timezone.localdate(),
    }
    return render(request, "oneonones/action_items.html", context)


@access("participant")
@require_POST
def add_action_item(request: HttpRequest, pk: int) -> HttpResponse:
    me = _me(request)
    meeting = get_meeting_for(me, pk)
    form = ActionItemForm(request.POST, oneonone=meeting.oneonone, person=me)
    if form.is_valid():
        try:
            actions.add_action_item(
                meeting,
                by=me,
                text=form.cleaned_data["text"],
                owner=form.owner_person(),
                due_date=form.cleaned_data["due_date"],
            )
        except actions.OneOnOneEnded as exc:
            return _read_only(request, meeting, "action_items", exc)
        except ValidationError as exc:
            form.add_error(None, exc)
    if form.errors:
        return _render_meeting(request, meeting, "action_items", status=400, item_form=form)
    return _after_meeting_change(request, meeting, "action_items")


@access("participant")
@require_POST
def toggle_action_item(request: HttpRequest, pk: int) -> HttpResponse:
    me = _me(request)
    item = get_action_item_for(me, pk)
    # The meeting page it was toggled on, if any: htmx answers with its action items.
    meeting_id = request.POST.get("meeting") or ""
    # Works on an ended one-on-one too: an action item stays closable after the end.
    if request.POST.get("done") == "0":
        actions.reopen_action_item(item, by=me)
    else:
        actions.complete_action_item(item, by=me)
    if _is_htmx(request):
        if meeting_id.isdigit():
            meeting = get_meeting_for(me, int(meeting_id))
            return _render_meeting(request, meeting, "action_items")
        return _item_row(request, item)
    return _redirect_back(request, reverse("oneonones:my_action_items"))


def _item_home(item: ActionItem) -> str:
    """Where an action item is shown: the meeting it was agreed in, else its one-on-one."""
    if item.created_in_id:
        return reverse("oneonones:meeting", args=[item.created_in_id])
    return reverse("oneonones:detail", args=[item.oneonone_id])


def _items_close_only(request: HttpRequest, back: str) -> HttpResponseRedirect:
    """An ended one-on-one's action items: back where the person came from, saying why."""
    messages.warning(request, "This one-on-one has ended; its action items can only be closed.")
    return redirect(back)


def _back_to(request: HttpRequest, item: ActionItem) -> str:
    """The same-site page an item's edit or delete page was opened from, else its home."""
    return _safe_next(request) or _item_home(item)


@access("participant")
@require_http_methods(["GET", "POST"])
def edit_action_item(request: HttpRequest, pk: int) -> HttpResponse:
    me = _me(request)
    item = get_action_item_for(me, pk)
    back = _back_to(request, item)
    if item.oneonone.is_ended:
        return _items_close_only(request, back)
    initial = {"text": item.text, "owner": item.owner_id, "due_date": item.due_date}
    form = ActionItemForm(request.POST or None, initial=initial, oneonone=item.oneonone, person=me)
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_action_item(
                item,
                by=me,
                text=form.cleaned_data["text"],
                owner=form.owner_person(),
                due_date=form.cleaned_data["due_date"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "Action item saved.")
            return redirect(back)
    context = {"nav": "oneonones", "item": item, "form": form, "back": back}
    return render(
        request,
        "oneonones/action_item_form.html",
        context,
        status=400 if form.is_bound else 200,
    )


@access("participant")
@require_http_methods(["GET", "POST"])
def delete_action_item(request: HttpRequest, pk: int) -> HttpResponse:
    """GET asks first (a page, so it works without JavaScript); POST deletes."""
    me = _me(request)
    item = get_action_item_for(me, pk)
    back = _back_to(request, item)
    if item.oneonone.is_ended:
        return _items_close_only(request, back)
    if request.method == "GET":
        context = {"nav": "oneonones", "item": item, "back": back}
        return render(request, "oneonones/action_item_delete.html", context)
    actions.delete_action_item(item, by=me)
    messages.success(request, "Action item deleted.")
    return redirect(back)


def _item_row(request: HttpRequest, item: ActionItem) -> HttpResponse:
    """One action item of a list (htmx swaps the row it was toggled in)."""
    context = {"item": item, "today": timezone.localdate(), "user": _me(request)}
    return render(request, "oneonones/action_items.html#item_row", context)
