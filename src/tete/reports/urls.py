"""Conversation report URLs; every view is for the one-on-one's two participants only."""

from __future__ import annotations

from django.urls import path

from tete.reports import views

app_name = "reports"
urlpatterns = [
    path("meetings/<int:meeting_id>/transcripts/", views.upload_transcript, name="upload"),
    path("transcripts/<int:pk>/", views.transcript_report, name="report"),
    path("transcripts/<int:pk>/status/", views.transcript_status, name="status"),
    path("transcripts/<int:pk>/retry/", views.retry_transcript, name="retry"),
    path("transcripts/<int:pk>/speakers/", views.speaker_mapping, name="speakers"),
    path("transcripts/<int:pk>/delete/", views.delete_transcript, name="delete"),
    path("suggestions/<int:pk>/accept/", views.accept_suggestion, name="accept_suggestion"),
    path("suggestions/<int:pk>/dismiss/", views.dismiss_suggestion, name="dismiss_suggestion"),
    path("one-on-ones/<int:oneonone_id>/trends/", views.oneonone_trends, name="trends"),
]
