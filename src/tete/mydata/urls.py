"""Each person's own data. Access rules are on the views (docs/my-data.md lists them)."""

from __future__ import annotations

from django.urls import path

from tete.mydata import views

app_name = "mydata"
urlpatterns = [
    path("", views.my_data, name="home"),
    path("exports/", views.start_export, name="start_export"),
    path("exports/<uuid:export_id>/", views.export_status, name="export"),
    path("exports/<uuid:export_id>/download/", views.export_download, name="download"),
    path("access-log/", views.my_access_log, name="access_log"),
    path("erase/", views.erase_my_data, name="erase"),
    path("erasures/", views.erasure_list, name="erasures"),
    path("erasures/people/<int:pk>/", views.start_erasure, name="start_erasure"),
    path("erasures/<int:pk>/confirm/", views.confirm_erasure, name="confirm_erasure"),
    path("erasures/<int:pk>/cancel/", views.cancel_erasure, name="cancel_erasure"),
]
