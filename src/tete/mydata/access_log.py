"""Writing and reading a person's access log.

An entry is written inside the transaction of the action it records (a savepoint in it): if
the action rolls back, so does its entry. Writing never blocks the action: an entry that
cannot be written is reported in the server log and the action goes on.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.db import DatabaseError, transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone

from tete.accounts.models import Person
from tete.mydata.models import AccessEvent, EventKind, KnownDevice

logger = logging.getLogger(__name__)

#: The request being answered, for entries written by signal receivers to say who acted (a
#: staff person deactivating someone in the admin). Set by CurrentRequestMiddleware.
current_request: ContextVar[HttpRequest | None] = ContextVar("tete_current_request", default=None)
#: Set while an erasure runs: its own changes to the account are not separate events.
erasing: ContextVar[bool] = ContextVar("tete_erasing", default=False)


def record(
    person: Person | int,
    kind: EventKind,
    *,
    actor: Person | None = None,
    detail: dict[str, Any] | None = None,
) -> AccessEvent | None:
    """Append an entry to `person`'s log, in the current transaction; None if it failed."""
    person_id = person if isinstance(person, int) else person.pk
    actor_id = actor.pk if actor is not None and actor.pk != person_id else None
    try:
        with transaction.atomic():
            return AccessEvent.objects.create(
                person_id=person_id, kind=kind, actor_id=actor_id, detail=detail or {}
            )
    except DatabaseError:
        logger.exception("Access log entry %s for person %s not written", kind, person_id)
        return None


def current_actor() -> Person | None:
    """The signed-in person whose request is being answered, if any."""
    request = current_request.get()
    user = getattr(request, "user", None) if request is not None else None
    if user is None or not user.is_authenticated:
        return None
    return user


def entries_for(person: Person) -> QuerySet[AccessEvent]:
    """A person's own log, newest first. Nobody else's log is ever read through this."""
    return (
        AccessEvent.objects.filter(person=person)
        .select_related("actor")
        .only("id", "kind", "at", "detail", "actor__id", "actor__name")
    )


def describe(event: AccessEvent) -> str:
    """The entry in plain words, as the person reads it."""
    who = event.actor.name if event.actor is not None else ""
    detail = event.detail or {}
    match event.kind:
        case EventKind.SIGN_IN_NEW:
            new = " and ".join(detail.get("new", [])) or "device"
            return f"Signed in from a new {new}: {detail.get('address') or 'unknown address'}, {detail.get('device') or 'unknown browser'}."
        case EventKind.PASSWORD_CHANGED:
            return f"Your password was changed{_by(who)}."
        case EventKind.EMAIL_CHANGED:
            return f"Your sign-in address changed from {detail.get('old')} to {detail.get('new')}."
        case EventKind.HISTORY_DOWNLOADED:
            return f"{detail.get('name') or who or 'The other person'} downloaded your shared history ({detail.get('what', 'history file')})."
        case EventKind.DEACTIVATED:
            return f"Your account was deactivated{_by(who)}."
        case EventKind.REACTIVATED:
            return f"Your account was reactivated{_by(who)}."
        case EventKind.ROLE_CHANGED:
            return f"Your role changed{_by(who)}: {detail.get('role', '')}."
        case EventKind.ERASURE_STARTED:
            due = detail.get("due", "")
            return f"Erasure of your data was started{_by(who)}; it happens on {due} unless cancelled, or earlier once a second staff person confirms it."
        case EventKind.ERASURE_CANCELLED:
            return f"The erasure of your data was cancelled{_by(who)}."
        case EventKind.OTHER_ERASED:
            return f"{detail.get('name') or 'A former colleague'}'s data was erased. Your shared history stays."
        case EventKind.DATA_EXPORTED:
            return "You asked for a copy of your data."
        case EventKind.TOKEN_CREATED:
            access = "read and write" if detail.get("write") else "read only"
            return f"An API token named “{detail.get('name', '')}” was made ({access})."
        case EventKind.TOKEN_REVOKED:
            return f"The API token named “{detail.get('name', '')}” was revoked."
        case EventKind.FEED_RESET:
            return "A new calendar feed address was made; any earlier one stopped working."
    return str(event.get_kind_display())


def _by(who: str) -> str:
    return f" by {who}" if who else ""


def prune(now: dt.datetime | None = None) -> int:
    """Delete entries older than TETE_ACCESS_LOG_DAYS; returns how many went."""
    cutoff = (now or timezone.now()) - dt.timedelta(days=settings.TETE_ACCESS_LOG_DAYS)
    deleted, _ = AccessEvent.objects.filter(at__lt=cutoff).delete()
    return deleted


# Sign-ins ------------------------------------------------------------------------------------


def _fingerprint(person_id: int, kind: str, value: str) -> str:
    # Hashed with the secret key: the table tells nothing about addresses or browsers.
    text = f"{settings.SECRET_KEY}\n{person_id}\n{kind}\n{value}"
    return hashlib.sha256(text.encode()).hexdigest()


def note_sign_in(person: Person, *, address: str, user_agent: str) -> AccessEvent | None:
    """Remember the browser and address; log the sign-in when either is new to the person."""
    user_agent = user_agent[:300]
    seen = {
        "device": _fingerprint(person.pk, "device", user_agent),
        "address": _fingerprint(person.pk, "address", address),
    }
    known = set(
        KnownDevice.objects.filter(person=person, fingerprint__in=seen.values()).values_list(
            "fingerprint", flat=True
        )
    )
    new = [kind for kind, fingerprint in seen.items() if fingerprint not in known]
    if not new:
        return None
    try:
        with transaction.atomic():
            KnownDevice.objects.bulk_create(
                [KnownDevice(person=person, fingerprint=seen[kind]) for kind in new],
                ignore_conflicts=True,
            )
    except DatabaseError:
        logger.exception("Known devices of person %s not saved", person.pk)
    return record(
        person,
        EventKind.SIGN_IN_NEW,
        detail={"new": new, "address": address, "device": user_agent},
    )
