"""The leaders' view. Access rules are on the views (docs/leaders.md lists them)."""

from __future__ import annotations

from django.urls import path

from tete.leaders import views

app_name = "leaders"
urlpatterns = [
    path("", views.leaders_page, name="page"),
    path("export.csv", views.leaders_csv, name="csv"),
]
