"""Recording URLs; every view is for the one-on-one's two participants only."""

from __future__ import annotations

from django.urls import path

from tete.recordings import views

app_name = "recordings"
urlpatterns = [
    path("meetings/<int:meeting_id>/recordings/", views.upload_recording, name="upload"),
    path("meetings/<int:meeting_id>/recordings/start/", views.start_recording, name="start"),
    path("recordings/<int:pk>/chunks/<int:index>/", views.add_chunk, name="chunk"),
    path("recordings/<int:pk>/continue/", views.continue_recording, name="continue"),
    path("recordings/<int:pk>/state/", views.recording_state, name="state"),
    path("recordings/<int:pk>/finish/", views.finish_recording, name="finish"),
    path("recordings/<int:pk>/delete/", views.delete_recording, name="delete"),
    path("recordings/<int:pk>/voices/<int:sample_id>/", views.voice_sample, name="voice_sample"),
]
