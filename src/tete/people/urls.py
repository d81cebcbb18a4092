from __future__ import annotations

from django.urls import path

from tete.people import views

app_name = "people"
urlpatterns = [
    path("", views.directory, name="directory"),
    path("me/", views.profile, name="profile"),
    path("invitations/", views.invitations, name="invitations"),
]
