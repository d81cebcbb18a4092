"""Erasing a person's data (GDPR article 17). docs/privacy.md says what goes and what stays.

Goes: their private notes and private talking points, the transcripts and recordings they
uploaded (with the reports made from them), their check-in and named survey answers, their own
templates, their access log, exports and known devices, and their account details. Stays, for
the people they met: the shared history (meetings, shared talking points, shared notes, action
items), in which they now appear as "a former colleague".

One transaction; it cannot be undone. An `Erasure` record (ids only) remains.

A person asks for it themselves, or staff start it: then a second staff person confirms it,
or it is carried out once TETE_ERASURE_DELAY_DAYS have passed (`tete manage erase_due`).
"""

from __future__ import annotations

import datetime as dt

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib.auth.models import BaseUserManager
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from tete.accounts.models import Person
from tete.api.models import ApiToken, CalendarFeed
from tete.mydata import access_log
from tete.mydata.models import AccessEvent, DataExport, Erasure, EventKind, KnownDevice
from tete.oneonones import versions
from tete.oneonones.models import (
    UPCOMING_STATUSES,
    MeetingStatus,
    OneOnOne,
    PrivateNote,
    TalkingPoint,
    Template,
)
from tete.people.models import Invitation
from tete.recordings.models import Recording
from tete.reports.models import Transcript
from tete.surveys.models import Response

FORMER_COLLEAGUE = "a former colleague"


class ErasureRefused(Exception):
    """An erasure that may not happen; the message says why."""


def is_erased(person: Person) -> bool:
    return Erasure.objects.filter(person_id_erased=person.pk, erased_at__isnull=False).exists()


def _refusal(person: Person) -> str | None:
    """Why `person` may not be erased now, if they may not."""
    if is_erased(person):
        return f"{person}'s data has already been erased."
    others = Person.objects.filter(is_active=True).exclude(pk=person.pk)
    if person.is_superuser and not others.filter(is_superuser=True).exists():
        return (
            f"{person} is the last admin: make someone else an admin (superuser) first, "
            "or nobody could administer this installation."
        )
    if person.is_staff and not others.filter(is_staff=True).exists():
        return (
            f"{person} is the last staff person: give someone else staff status first, "
            "or nobody could administer people."
        )
    return None


def pending_erasure_of(person: Person) -> Erasure | None:
    return Erasure.objects.filter(
        person_id_erased=person.pk, erased_at__isnull=True, cancelled_at__isnull=True
    ).first()


def pending_erasures() -> QuerySet[Erasure]:
    return Erasure.objects.filter(erased_at__isnull=True, cancelled_at__isnull=True)


def erase_own_data(person: Person) -> Erasure:
    """The person's own request: carried out at once."""
    with transaction.atomic():
        erasure = pending_erasure_of(person) or Erasure(
            person_id_erased=person.pk,
            source=Erasure.Source.SELF,
            requested_by_id=person.pk,
            due_at=timezone.now(),
        )
        erasure.save()
        return _erase(person, erasure, confirmed_by=person)


def start_erasure(person: Person, *, by: Person) -> Erasure:
    """Staff start an erasure; it waits for a second staff person, or the delay."""
    if refusal := _refusal(person):
        raise ErasureRefused(refusal)
    if person.pk == by.pk:
        raise ErasureRefused("To erase your own data, ask for it from your profile.")
    with transaction.atomic():
        if pending := pending_erasure_of(person):
            return pending
        due = timezone.now() + dt.timedelta(days=settings.TETE_ERASURE_DELAY_DAYS)
        erasure = Erasure.objects.create(
            person_id_erased=person.pk,
            source=Erasure.Source.STAFF,
            requested_by_id=by.pk,
            due_at=due,
        )
        access_log.record(
            person,
            EventKind.ERASURE_STARTED,
            actor=by,
            detail={"due": f"{timezone.localtime(due, person.tzinfo):%-d %B %Y}"},
        )
    return erasure


def cancel_erasure(erasure: Erasure, *, by: Person) -> Erasure:
    with transaction.atomic():
        locked = Erasure.objects.select_for_update().get(pk=erasure.pk)
        if not locked.is_pending:
            raise ErasureRefused("This erasure is no longer pending.")
        locked.cancelled_at = timezone.now()
        locked.cancelled_by_id = by.pk
        locked.save(update_fields=["cancelled_at", "cancelled_by_id"])
        access_log.record(locked.person_id_erased, EventKind.ERASURE_CANCELLED, actor=by)
    return locked


def confirm_erasure(erasure: Erasure, *, by: Person) -> Erasure:
    """A second staff person confirms: the erasure is carried out now."""
    if erasure.requested_by_id == by.pk:
        raise ErasureRefused(
            "A second staff person must confirm this erasure, or it happens on its own "
            f"after {settings.TETE_ERASURE_DELAY_DAYS} days."
        )
    person = Person.objects.get(pk=erasure.person_id_erased)
    return _carry_out(erasure, person, confirmed_by=by)


def erase_due(now: dt.datetime | None = None) -> list[Erasure]:
    """Carry out the staff-started erasures whose delay has passed (refused ones stay)."""
    done = []
    for erasure in pending_erasures().filter(due_at__lte=now or timezone.now()):
        person = Person.objects.filter(pk=erasure.person_id_erased).first()
        if person is None:
            continue
        try:
            done.append(_carry_out(erasure, person, confirmed_by=None))
        except ErasureRefused:
            continue
    return done


def _carry_out(erasure: Erasure, person: Person, *, confirmed_by: Person | None) -> Erasure:
    with transaction.atomic():
        locked = Erasure.objects.select_for_update().get(pk=erasure.pk)
        if not locked.is_pending:
            raise ErasureRefused("This erasure is no longer pending.")
        return _erase(person, locked, confirmed_by=confirmed_by)


def _erase(person: Person, erasure: Erasure, *, confirmed_by: Person | None) -> Erasure:
    """Everything in one transaction (the callers hold it): all of it, or nothing."""
    assert transaction.get_connection().in_atomic_block
    person = Person.objects.select_for_update().get(pk=person.pk)
    if refusal := _refusal(person):
        raise ErasureRefused(refusal)
    name = person.name or person.email
    oneonones = list(
        OneOnOne.objects.filter(Q(first=person) | Q(second=person)).select_related(
            "first", "second"
        )
    )
    now = timezone.now()
    token = access_log.erasing.set(True)
    try:
        PrivateNote.objects.filter(author=person).delete()
        TalkingPoint.objects.filter(author=person, private=True).delete()
        Transcript.objects.filter(uploaded_by=person).delete()
        # Recordings still arriving from the browser have no transcript row yet.
        Recording.objects.filter(created_by=person).delete()
        Response.objects.filter(respondent=person).delete()
        Template.objects.filter(owner=person).delete()
        Invitation.objects.filter(person=person).delete()
        AccessEvent.objects.filter(person=person).delete()
        DataExport.objects.filter(person=person).delete()
        KnownDevice.objects.filter(person=person).delete()
        # Their ways in from other tools: API tokens and the calendar feed's address.
        ApiToken.objects.filter(person=person).delete()
        CalendarFeed.objects.filter(person=person).delete()
        for model in (AccessAttempt, AccessFailureLog, AccessLog):
            model.objects.filter(username__iexact=person.email).delete()
        # Nobody meets "a former colleague" again: their one-on-ones end, meetings ahead
        # are cancelled; the history stays for the other participant.
        for oneonone in oneonones:
            if oneonone.ended_at is None:
                oneonone.ended_at = now
                oneonone.save(update_fields=["ended_at"])
                oneonone.meetings.filter(status__in=UPCOMING_STATUSES).update(
                    status=MeetingStatus.CANCELLED, reason=""
                )
        _anonymise(person, now)
        erasure.erased_at = now
        erasure.confirmed_by_id = confirmed_by.pk if confirmed_by is not None else None
        erasure.save(update_fields=["erased_at", "confirmed_by_id"])
        versions.bump_for_person(person.pk)
        for oneonone in oneonones:
            access_log.record(
                oneonone.other(person),
                EventKind.OTHER_ERASED,
                detail={"name": name, "on": f"{now:%Y-%m-%d}"},
            )
    finally:
        access_log.erasing.reset(token)
    return erasure


def _anonymise(person: Person, now: dt.datetime) -> None:
    """Account details go; the row stays, as the shared history refers to it."""
    person.name = FORMER_COLLEAGUE
    person.email = BaseUserManager.normalize_email(f"erased-{person.pk}@erased.invalid")
    person.title = ""
    person.location = ""
    person.team = None
    person.manager = None
    person.timezone = "UTC"
    person.start_date = None
    person.pending_email = ""
    person.pending_email_since = None
    person.meeting_reminders = False
    person.is_active = False
    person.is_staff = False
    person.is_superuser = False
    person.deactivated_at = now
    person.last_login = None
    person.set_unusable_password()
    person.save()
    person.groups.clear()
    person.user_permissions.clear()


def erase_again(person: Person) -> Erasure | None:
    """Erase at once data that a restore brought back (its erasure came after the backup:
    tete/backups/ledger.py). None when the restored data already knows it as erased."""
    if is_erased(person):
        return None
    with transaction.atomic():
        erasure = Erasure.objects.create(
            person_id_erased=person.pk,
            source=Erasure.Source.STAFF,
            due_at=timezone.now(),
        )
        return _erase(person, erasure, confirmed_by=None)
