from __future__ import annotations

from django.urls import path

from tete.oneonones import views

app_name = "oneonones"
urlpatterns = [
    path("one-on-ones/", views.oneonone_list, name="list"),
    path("action-items/", views.my_action_items, name="my_action_items"),
]
