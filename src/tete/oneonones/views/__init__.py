"""One-on-one pages, a module per page. Thin views: parse input, fetch through access
helpers, call an action.

In-page changes use htmx: with `request.htmx` a view renders the named partial of the page
("oneonones/meeting/_agenda.html"); without JavaScript the same form posts and redirects.
"""

from __future__ import annotations

from tete.oneonones.views.action_items import (
    add_action_item,
    delete_action_item,
    edit_action_item,
    my_action_items,
    toggle_action_item,
)
from tete.oneonones.views.agenda import (
    add_from_template,
    add_talking_point,
    delete_talking_point,
    edit_talking_point,
    mark_discussed,
    move_talking_point,
    reorder_talking_points,
)
from tete.oneonones.views.calendar import meeting_calendar, oneonone_calendar
from tete.oneonones.views.history import oneonone_export
from tete.oneonones.views.home import home, oneonone_list, search, start_oneonone
from tete.oneonones.views.meeting import (
    cancel_meeting,
    mark_held,
    meeting_detail,
    reschedule_meeting,
)
from tete.oneonones.views.notes import save_private_note, save_shared_note
from tete.oneonones.views.oneonone import (
    add_extra_meeting,
    dismiss_flag,
    end_oneonone,
    oneonone_detail,
    oneonone_settings,
    prepare_next_meeting,
)
from tete.oneonones.views.templates import (
    template_create,
    template_delete,
    template_edit,
    template_list,
)

__all__ = [
    "add_action_item",
    "add_extra_meeting",
    "add_from_template",
    "add_talking_point",
    "cancel_meeting",
    "delete_action_item",
    "delete_talking_point",
    "dismiss_flag",
    "edit_action_item",
    "edit_talking_point",
    "end_oneonone",
    "home",
    "mark_discussed",
    "mark_held",
    "meeting_calendar",
    "meeting_detail",
    "move_talking_point",
    "my_action_items",
    "oneonone_calendar",
    "oneonone_detail",
    "oneonone_export",
    "oneonone_list",
    "oneonone_settings",
    "prepare_next_meeting",
    "reorder_talking_points",
    "reschedule_meeting",
    "save_private_note",
    "save_shared_note",
    "search",
    "start_oneonone",
    "template_create",
    "template_delete",
    "template_edit",
    "template_list",
    "toggle_action_item",
]
