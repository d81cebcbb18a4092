"""Every write about people: invitations, profiles, deactivation, CSV import.

Views, tests and management commands call these functions; none of them saves a Person or
an Invitation directly. A person's name and active state show on the pages of each of their
one-on-ones, so changing them bumps those one-on-ones' content versions (the page cache's
stamp, tete/oneonones/versions.py) in the same transaction.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from tete.accounts.models import Person, Team
from tete.oneonones import versions
from tete.people.csv_import import PersonRow
from tete.people.models import Invitation, hash_token, new_token

logger = logging.getLogger(__name__)


class PeopleError(Exception):
    """A request that cannot be carried out; the message is shown to the person."""


# Invitations ---------------------------------------------------------------------------


@dataclass
class SentInvitation:
    invitation: Invitation
    # The raw token exists only here and in the email: the database keeps its hash.
    token: str
    emailed: bool


def invite_person(
    *,
    by: Person | None,
    email: str,
    name: str,
    title: str = "",
    team: Team | None = None,
    manager: Person | None = None,
    base_url: str | None = None,
) -> SentInvitation:
    """Create the person (not active until they accept) and email them an expiring link.

    An existing person who cannot sign in (invited earlier, or deactivated) gets a fresh
    invitation; accepting it activates them. An active person cannot be invited.
    """
    email = email.strip().lower()
    with transaction.atomic():
        person = Person.objects.filter(email__iexact=email).first()
        if person is not None and person.is_active:
            raise PeopleError(f"{email} already has an account.")
        if person is None:
            person = Person(email=email, is_active=False)
            person.set_unusable_password()
        person.name = name.strip()
        person.title = title.strip()
        person.team = team
        person.manager = manager
        person.save()
        versions.bump_for_person(person.pk)
        invitation, token = _open_invitation(person, by)
    return SentInvitation(invitation, token, _email_invitation(invitation, token, base_url))


def resend_invitation(
    invitation: Invitation, *, by: Person | None, base_url: str | None = None
) -> SentInvitation:
    """Email a new link with a fresh expiry. The old link is revoked rather than forgotten, so
    someone opening the older email is told a newer one was sent."""
    if invitation.accepted_at or invitation.revoked_at:
        raise PeopleError("This invitation is no longer open.")
    with transaction.atomic():
        new_invitation, token = _open_invitation(invitation.person, by)
    return SentInvitation(new_invitation, token, _email_invitation(new_invitation, token, base_url))


def revoke_invitation(invitation: Invitation) -> None:
    if invitation.accepted_at:
        raise PeopleError("This invitation was already accepted.")
    if invitation.revoked_at is None:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])


def accept_invitation(
    invitation: Invitation, *, name: str, password: str, timezone_name: str
) -> Person:
    """Activate the invited person with the name, password and timezone they chose."""
    with transaction.atomic():
        # Lock the row so two tabs submitting the same link cannot both accept it.
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.state != "pending":
            raise PeopleError("This invitation can no longer be used.")
        person = invitation.person
        person.name = name.strip()
        person.timezone = timezone_name
        person.set_password(password)
        person.is_active = True
        person.deactivated_at = None
        person.save()
        versions.bump_for_person(person.pk)
        now = timezone.now()
        invitation.accepted_at = now
        invitation.save(update_fields=["accepted_at"])
        # Other open invitations for the same person must not work any more.
        person.invitations.pending().exclude(pk=invitation.pk).update(revoked_at=now)
    return person


def _open_invitation(person: Person, by: Person | None) -> tuple[Invitation, str]:
    now = timezone.now()
    # Only one open link per person: a new invitation replaces older ones.
    person.invitations.pending().update(revoked_at=now)
    token = new_token()
    invitation = Invitation.objects.create(
        person=person,
        invited_by=by,
        token_hash=hash_token(token),
        created_at=now,
        sent_at=now,
        expires_at=now + _invitation_lifetime(),
    )
    return invitation, token


def _invitation_lifetime() -> dt.timedelta:
    return dt.timedelta(days=settings.TETE_INVITATION_DAYS)


def invitation_url(token: str, base_url: str | None = None) -> str:
    base = (base_url or settings.SITE_URL).rstrip("/")
    return base + reverse("people:accept_invitation", args=[token])


def _email_invitation(invitation: Invitation, token: str, base_url: str | None) -> bool:
    """Send the link; False when the mail server refused (staff can resend later)."""
    context = {
        "invitation": invitation,
        "person": invitation.person,
        "invited_by": invitation.invited_by,
        "url": invitation_url(token, base_url),
        "days": settings.TETE_INVITATION_DAYS,
    }
    subject = render_to_string("people/email/invitation_subject.txt", context)
    body = render_to_string("people/email/invitation_body.txt", context)
    try:
        send_mail(" ".join(subject.split()), body, None, [invitation.person.email])
    except OSError:
        # SMTP errors are OSErrors; the invitation stays valid and can be resent.
        logger.exception("Could not email the invitation for %s", invitation.person.email)
        return False
    return True


# Profiles and people administration ------------------------------------------------------


@transaction.atomic
def update_profile(
    person: Person,
    *,
    name: str,
    title: str,
    timezone_name: str,
    location: str,
    meeting_reminders: bool | None = None,
) -> Person:
    person.name = name.strip()
    person.title = title.strip()
    person.timezone = timezone_name
    person.location = location.strip()
    fields = ["name", "title", "timezone", "location"]
    if meeting_reminders is not None:
        person.meeting_reminders = meeting_reminders
        fields.append("meeting_reminders")
    person.save(update_fields=fields)
    versions.bump_for_person(person.pk)
    return person


def update_person(
    person: Person,
    *,
    title: str,
    team: Team | None,
    manager: Person | None,
    new_team_name: str = "",
) -> Person:
    """Staff change where someone sits in the organisation; `new_team_name` wins over `team`
    and is created when no team has that name yet."""
    if manager is not None and manager_cycle(person, manager):
        raise PeopleError(f"{manager} reports to {person}, directly or further down.")
    if new_team_name:
        team = Team.objects.filter(name__iexact=new_team_name).first()
        if team is None:
            team = Team.objects.create(name=new_team_name)
    person.title = title.strip()
    person.team = team
    person.manager = manager
    person.save(update_fields=["title", "team", "manager"])
    return person


def manager_cycle(person: Person, manager: Person) -> bool:
    """True if making `manager` the manager of `person` would make a loop."""
    seen: set[int] = set()
    current: Person | None = manager
    while current is not None and current.pk not in seen:
        if current.pk == person.pk:
            return True
        seen.add(current.pk)
        current = current.manager
    return False


def deactivate_person(person: Person, *, by: Person) -> None:
    """They can no longer sign in. Nothing is deleted: the people they met keep their shared
    history (DESIGN.md rule 6)."""
    if person.pk == by.pk:
        raise PeopleError("You cannot deactivate yourself.")
    with transaction.atomic():
        now = timezone.now()
        person.is_active = False
        person.deactivated_at = now
        person.save(update_fields=["is_active", "deactivated_at"])
        person.invitations.pending().update(revoked_at=now)
        versions.bump_for_person(person.pk)


@transaction.atomic
def reactivate_person(person: Person) -> None:
    """Let a deactivated person sign in again with their old password."""
    if not person.has_usable_password():
        raise PeopleError(f"{person} never set a password: send them an invitation instead.")
    person.is_active = True
    person.deactivated_at = None
    person.save(update_fields=["is_active", "deactivated_at"])
    versions.bump_for_person(person.pk)


# CSV import ------------------------------------------------------------------------------


@dataclass
class ImportSummary:
    created: list[Person] = field(default_factory=list)
    updated: list[Person] = field(default_factory=list)
    unchanged: list[Person] = field(default_factory=list)
    teams_created: list[Team] = field(default_factory=list)
    invitations_sent: int = 0
    invitations_not_sent: list[str] = field(default_factory=list)


def existing_managers() -> dict[str, str | None]:
    """Every person's email mapped to their manager's email, for csv_import's checks."""
    return dict(Person.objects.values_list("email", "manager__email"))


def import_people(
    rows: list[PersonRow], *, by: Person | None, base_url: str | None = None
) -> ImportSummary:
    """Create or update every row's person and team in one transaction, then invite the new.

    `rows` come from a file csv_import found free of errors; new people are created inactive
    and invited, exactly as if staff had invited them one by one.
    """
    summary = ImportSummary()
    opened: list[tuple[Invitation, str]] = []
    with transaction.atomic():
        teams = _teams_for(rows, summary)
        people = {p.email: p for p in Person.objects.filter(email__in=[r.email for r in rows])}
        for row in rows:
            person = people.get(row.email)
            if person is None:
                person = Person(email=row.email, is_active=False)
                person.set_unusable_password()
                summary.created.append(person)
            elif _row_changes(person, row, teams):
                summary.updated.append(person)
            else:
                summary.unchanged.append(person)
            _apply_row(person, row, teams)
            person.save()
            people[row.email] = person
        # Managers last: a row may name a manager who appears further down the file.
        managers = _managers_for(rows, people)
        for row in rows:
            if row.manager_email is not None:
                person = people[row.email]
                manager = managers.get(row.manager_email) if row.manager_email else None
                if person.manager_id != (manager.pk if manager else None):
                    person.manager = manager
                    person.save(update_fields=["manager"])
                    if person in summary.unchanged:
                        summary.unchanged.remove(person)
                        summary.updated.append(person)
        # Names shown on one-on-one pages may have changed.
        versions.bump_for_people(person.pk for person in summary.updated)
        for person in summary.created:
            opened.append(_open_invitation(person, by))
    # Email only once the import is committed: a rolled-back import must not send links.
    for invitation, token in opened:
        if _email_invitation(invitation, token, base_url):
            summary.invitations_sent += 1
        else:
            summary.invitations_not_sent.append(invitation.person.email)
    return summary


def _teams_for(rows: list[PersonRow], summary: ImportSummary) -> dict[str, Team]:
    names = {row.team for row in rows if row.team}
    teams = {t.name.lower(): t for t in Team.objects.all()}
    for name in sorted(names):
        if name.lower() not in teams:
            team = Team.objects.create(name=name)
            teams[name.lower()] = team
            summary.teams_created.append(team)
    return teams


def _managers_for(rows: list[PersonRow], people: dict[str, Person]) -> dict[str, Person]:
    wanted = {row.manager_email for row in rows if row.manager_email} - people.keys()
    found = {p.email: p for p in Person.objects.filter(email__in=wanted)}
    return {**found, **people}


def _row_changes(person: Person, row: PersonRow, teams: dict[str, Team]) -> bool:
    if person.name != row.name:
        return True
    if row.title is not None and person.title != row.title:
        return True
    if row.team is not None:
        team = teams[row.team.lower()] if row.team else None
        if person.team_id != (team.pk if team else None):
            return True
    return False


def _apply_row(person: Person, row: PersonRow, teams: dict[str, Team]) -> None:
    person.name = row.name
    if row.title is not None:
        person.title = row.title
    if row.team is not None:
        person.team = teams[row.team.lower()] if row.team else None
