"""People partners, chosen by staff: a person and the teams whose aggregates they see."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from tete.leaders.models import PeoplePartner


@admin.register(PeoplePartner)
class PeoplePartnerAdmin(admin.ModelAdmin):
    list_display = ["person", "team_names"]
    autocomplete_fields = ["person"]
    filter_horizontal = ["teams"]

    @admin.display(description="Teams")
    def team_names(self, obj: PeoplePartner) -> str:
        return ", ".join(team.name for team in obj.teams.all())

    def get_queryset(self, request: HttpRequest) -> QuerySet[PeoplePartner]:
        return super().get_queryset(request).select_related("person").prefetch_related("teams")
