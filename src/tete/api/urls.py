from __future__ import annotations

from django.urls import path

from tete.api import views

app_name = "api"

urlpatterns = [
    path("me/tokens/", views.tokens, name="tokens"),
    path("me/tokens/<int:pk>/revoke/", views.revoke, name="revoke"),
    path("me/calendar-feed/reset/", views.reset_feed, name="reset_feed"),
    path("me/calendar-feed/stop/", views.stop_feed, name="stop_feed"),
    path("calendar/<str:secret>.ics", views.calendar_feed, name="calendar_feed"),
]
