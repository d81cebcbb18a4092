"""DESIGN.md access rule 1: Django's admin registers nothing that holds one-on-one content."""

from __future__ import annotations

from django.contrib import admin

# Task results carry object ids only, never one-on-one text (tasks take ids as arguments);
# django-axes lists failed sign-ins (an email and an address), for staff to lift a pause.
ALLOWED_APPS = {"accounts", "auth", "django_tasks_database", "axes"}


def test_admin_registers_only_people_and_infrastructure():
    registered = {model._meta.app_label for model in admin.site._registry}
    assert registered <= ALLOWED_APPS, registered - ALLOWED_APPS


def test_admin_is_closed_to_non_staff(client, bob):
    client.force_login(bob)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
