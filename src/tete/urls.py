from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

from tete.api.urls_v1 import api_v1_urls
from tete.health import health
from tete.oneonones.views import home

urlpatterns = [
    # First: the pages' patterns include one another under "", and an API request would try
    # them all (a tenth of the time of a one-on-one list) before reaching its own.
    path("api/v1/", api_v1_urls()),
    path("", home, name="home"),
    path("health/", health, name="health"),
    path("", include("tete.oneonones.urls")),
    path("", include("tete.accounts.urls")),
    path("people/", include("tete.people.urls")),
    path("surveys/", include("tete.surveys.urls")),
    path("", include("tete.reports.urls")),
    path("my-data/", include("tete.mydata.urls")),
    path("leaders/", include("tete.leaders.urls")),
    path("", include("tete.recordings.urls")),
    path("", include("tete.api.urls")),
    path("admin/", admin.site.urls),
]
