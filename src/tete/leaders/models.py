"""Who may open the leaders' view for which teams, and the history its figures are drawn from.

Every figure of a past month is computed over the people in a scope *at that month's end*, and
from the grants valid then (docs/leaders.md). Both histories are written when a change is made
and never rewritten, so that a month's figures, and which of them are hidden, stay the same
whenever they are read: someone joining, leaving or moving today changes no past month.
Ids are plain integers, not foreign keys, for the same reason: deleting a team must not
rewrite who was in it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class PeoplePartner(models.Model):
    """A person staff gave the people-partner role for chosen teams: they see the leaders'
    view of those teams (aggregates only), and nothing of any one-on-one."""

    person = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="people_partner"
    )
    teams = models.ManyToManyField("accounts.Team", related_name="+", blank=True)

    class Meta:
        verbose_name = "people partner"

    def __str__(self) -> str:
        return f"People partner #{self.pk}"


class ReportingLine(models.Model):
    """Who a person reported to, their team and start date, from `valid_from` until `valid_to`."""

    person_id = models.BigIntegerField(db_index=True)
    manager_id = models.BigIntegerField(null=True, blank=True)
    team_id = models.BigIntegerField(null=True, blank=True)
    #: The person's start date as it was then, for tenure bands.
    start_date = models.DateField(null=True, blank=True)
    valid_from = models.DateTimeField(default=timezone.now)
    valid_to = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["valid_from", "valid_to"])]

    def __str__(self) -> str:
        return f"Reporting line #{self.pk}"


class TeamGrant(models.Model):
    """A people partner's team, from when staff granted it until they took it back."""

    person_id = models.BigIntegerField(db_index=True)
    team_id = models.BigIntegerField()
    granted_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Team grant #{self.pk}"
