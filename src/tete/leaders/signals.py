"""Keep the reporting lines and team grants as changes happen, wherever they are made (the
people pages, a CSV import, the admin, an erasure): each change closes the open record and
opens a new one. Nothing is rewritten, so past months keep the membership they had."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models.signals import m2m_changed, post_init, post_save, pre_delete
from django.dispatch import receiver
from django.utils import timezone

from tete.accounts.models import Person
from tete.leaders.models import PeoplePartner, ReportingLine, TeamGrant

Line = tuple[int | None, int | None, dt.date | None]
LINE_FIELDS = ("manager_id", "team_id", "start_date")
#: The names a save's update_fields may give them by.
SAVED_AS = {"manager", "manager_id", "team", "team_id", "start_date"}


def _line_of(person: Person) -> Line:
    return (person.manager_id, person.team_id, person.start_date)


def _open_line(person: Person, line: Line, **fields: Any) -> None:
    manager_id, team_id, start_date = line
    ReportingLine.objects.create(
        person_id=person.pk,
        manager_id=manager_id,
        team_id=team_id,
        start_date=start_date,
        **fields,
    )


@receiver(post_init, sender=Person, dispatch_uid="leaders-line-loaded")
def remember_line(sender: Any, instance: Person, **kwargs: Any) -> None:
    # Remembered as loaded, so that telling a change costs no query. A person loaded with
    # some of these fields deferred is not asked for them (that would load it again).
    loaded = instance.__dict__
    if all(name in loaded for name in LINE_FIELDS):
        instance._leaders_line = _line_of(instance)  # type: ignore[attr-defined]


@receiver(post_save, sender=Person, dispatch_uid="leaders-line-saved")
def record_line(sender: Any, instance: Person, created: bool, **kwargs: Any) -> None:
    update_fields = kwargs.get("update_fields")
    if update_fields is not None and not set(update_fields) & SAVED_AS:
        return  # a sign-in's last_login: nothing of the line
    line = _line_of(instance)
    if created:
        # A new person's first line counts from now, whatever their date_joined says: a line
        # opened earlier would change months already shown (and they held no one-on-ones
        # here before).
        _open_line(instance, line)
    else:
        before = getattr(instance, "_leaders_line", None)
        if before is None:  # loaded with these fields deferred: ask the open line
            open_line = (
                ReportingLine.objects.filter(person_id=instance.pk, valid_to__isnull=True)
                .values_list("manager_id", "team_id", "start_date")
                .first()
            )
            before = tuple(open_line) if open_line else None
        if line != before:
            now = timezone.now()
            ReportingLine.objects.filter(person_id=instance.pk, valid_to__isnull=True).update(
                valid_to=now
            )
            _open_line(instance, line, valid_from=now)
    instance._leaders_line = line  # type: ignore[attr-defined]


@receiver(m2m_changed, sender=PeoplePartner.teams.through, dispatch_uid="leaders-grants")
def record_grants(
    sender: Any, instance: PeoplePartner, action: str, pk_set: set[int] | None, **kwargs: Any
) -> None:
    if not isinstance(instance, PeoplePartner):
        return  # changed from the team's side: not done by the app
    if action == "post_add" and pk_set:
        TeamGrant.objects.bulk_create(
            TeamGrant(person_id=instance.person_id, team_id=team_id) for team_id in pk_set
        )
    elif action == "post_remove" and pk_set:
        _revoke(instance.person_id, pk_set)
    elif action == "pre_clear":
        _revoke(instance.person_id, None)


@receiver(pre_delete, sender=PeoplePartner, dispatch_uid="leaders-partner-deleted")
def revoke_all(sender: Any, instance: PeoplePartner, **kwargs: Any) -> None:
    _revoke(instance.person_id, None)


def _revoke(person_id: int, team_ids: set[int] | None) -> None:
    grants = TeamGrant.objects.filter(person_id=person_id, revoked_at__isnull=True)
    if team_ids is not None:
        grants = grants.filter(team_id__in=team_ids)
    grants.update(revoked_at=timezone.now())
