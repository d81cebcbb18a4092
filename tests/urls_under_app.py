"""The app's addresses under /app/: a second URL configuration for tests."""

from django.urls import include, path

urlpatterns = [path("app/", include("tete.urls"))]
