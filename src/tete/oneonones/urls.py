"""One-on-one URLs. Access rules are on the views (see docs/access.md and the app README)."""

from __future__ import annotations

from django.urls import path

from tete.oneonones import views

app_name = "oneonones"
urlpatterns = [
    path("one-on-ones/", views.oneonone_list, name="list"),
    path("one-on-ones/new/", views.start_oneonone, name="start"),
    path("one-on-ones/search/", views.search, name="search"),
    path("one-on-ones/<int:pk>/", views.oneonone_detail, name="detail"),
    path("one-on-ones/<int:pk>/settings/", views.oneonone_settings, name="settings"),
    path("one-on-ones/<int:pk>/end/", views.end_oneonone, name="end"),
    path("one-on-ones/<int:pk>/flags/dismiss/", views.dismiss_flag, name="dismiss_flag"),
    path("one-on-ones/<int:pk>/calendar.ics", views.oneonone_calendar, name="calendar"),
    path("one-on-ones/<int:pk>/export.md", views.oneonone_export, name="export"),
    path("one-on-ones/<int:pk>/meetings/new/", views.add_extra_meeting, name="add_meeting"),
    path(
        "one-on-ones/<int:pk>/meetings/next/",
        views.prepare_next_meeting,
        name="prepare_next_meeting",
    ),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting"),
    path("meetings/<int:pk>/calendar.ics", views.meeting_calendar, name="meeting_calendar"),
    path("meetings/<int:pk>/talking-points/", views.add_talking_point, name="add_talking_point"),
    path(
        "meetings/<int:pk>/talking-points/order/",
        views.reorder_talking_points,
        name="reorder_talking_points",
    ),
    path("meetings/<int:pk>/from-template/", views.add_from_template, name="add_from_template"),
    path("meetings/<int:pk>/notes/", views.save_shared_note, name="save_shared_note"),
    path("meetings/<int:pk>/private-note/", views.save_private_note, name="save_private_note"),
    path("meetings/<int:pk>/action-items/", views.add_action_item, name="add_action_item"),
    path("meetings/<int:pk>/held/", views.mark_held, name="mark_held"),
    path("meetings/<int:pk>/reschedule/", views.reschedule_meeting, name="reschedule"),
    path("meetings/<int:pk>/cancel/", views.cancel_meeting, name="cancel"),
    path("talking-points/<int:pk>/move/", views.move_talking_point, name="move_talking_point"),
    path("talking-points/<int:pk>/edit/", views.edit_talking_point, name="edit_talking_point"),
    path("talking-points/<int:pk>/discussed/", views.mark_discussed, name="mark_discussed"),
    path(
        "talking-points/<int:pk>/delete/", views.delete_talking_point, name="delete_talking_point"
    ),
    path("action-items/", views.my_action_items, name="my_action_items"),
    path("action-items/<int:pk>/done/", views.toggle_action_item, name="toggle_action_item"),
    path("action-items/<int:pk>/edit/", views.edit_action_item, name="edit_action_item"),
    path("action-items/<int:pk>/delete/", views.delete_action_item, name="delete_action_item"),
    path("templates/", views.template_list, name="templates"),
    path("templates/new/", views.template_create, name="template_create"),
    path("templates/<int:pk>/edit/", views.template_edit, name="template_edit"),
    path("templates/<int:pk>/delete/", views.template_delete, name="template_delete"),
]
