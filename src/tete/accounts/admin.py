"""Admin for people and teams only: nothing here holds one-on-one content (DESIGN.md rule 1)."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from tete.accounts.models import Person, Team


@admin.register(Person)
class PersonAdmin(UserAdmin):
    ordering = ["name"]
    list_display = ["name", "email", "title", "team", "manager", "is_active", "is_staff"]
    list_filter = ["is_active", "is_staff", "team"]
    search_fields = ["name", "email", "title"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (
            "Profile",
            {"fields": ("name", "title", "team", "manager", "timezone", "location", "start_date")},
        ),
        ("Permissions", {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("email", "name", "password1", "password2")}),
    )
    autocomplete_fields = ["manager"]
    filter_horizontal = ["groups"]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    search_fields = ["name"]
