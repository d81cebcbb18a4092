"""Every write to tokens and calendar feeds: make, revoke, reset, and note a use."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import secrets
from dataclasses import dataclass
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import connection, connections, transaction
from django.db.models import Model, Q
from django.utils import timezone

from tete.accounts.models import Person
from tete.api.models import ApiToken, CalendarFeed
from tete.mydata import access_log
from tete.mydata.models import EventKind

#: Every token starts with this, so that a secret scanner (and a person) can recognise one.
TOKEN_PREFIX = "tete_"
FEED_PREFIX = "feed_"
#: A use is noted at most this often per token: the list says "last used" to the minute,
#: and a busy script does not turn every request into a write.
LAST_USED_PRECISION = dt.timedelta(minutes=1)
MAX_TOKENS = 50

M = TypeVar("M", bound=Model)


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass(frozen=True)
class NewToken:
    token: ApiToken
    #: The token itself: shown once, never stored.
    secret: str


@transaction.atomic
def create_token(
    person: Person, *, name: str, can_write: bool = False, expires_at: dt.datetime | None = None
) -> NewToken:
    name = name.strip()
    if not name:
        raise ValidationError("A token needs a name, to tell it apart later.")
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationError("The expiry date must be in the future.")
    if not person.is_active:
        raise ValidationError("A deactivated person cannot have tokens.")
    live = ApiToken.objects.filter(person=person, revoked_at__isnull=True)
    if live.count() >= MAX_TOKENS:
        raise ValidationError(f"You have {MAX_TOKENS} tokens; revoke one you no longer use.")
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        person=person,
        name=name[:100],
        prefix=secret[: len(TOKEN_PREFIX) + 4],
        token_hash=hash_secret(secret),
        can_write=can_write,
        expires_at=expires_at,
    )
    access_log.record(
        person, EventKind.TOKEN_CREATED, detail={"name": token.name, "write": can_write}
    )
    return NewToken(token, secret)


@transaction.atomic
def revoke_token(token: ApiToken, *, by: Person) -> None:
    """Revoke one of `by`'s tokens; the next request that carries it is refused."""
    if token.person_id != by.pk:
        raise ValidationError("Only its owner can revoke a token.")
    if ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    ):
        access_log.record(by, EventKind.TOKEN_REVOKED, detail={"name": token.name})


def usable_token(secret: str, now: dt.datetime | None = None) -> ApiToken | None:
    """The token with this secret, if it is neither revoked nor expired and its person can
    still sign in. Read fresh on every request: a revoked token fails on the next one.

    One hand-written query, as every API request makes it: building the same query through
    the ORM took ten times as long as running it, and reading its row through a RawQuerySet
    twice as long as through a cursor (benchmarks/api.py). The token comes with its person,
    whose name, email and timezone are loaded (the rest on first use).
    """
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > 200:
        return None
    now = now or timezone.now()
    db = connections[ApiToken.objects.db]
    with db.cursor() as cursor:
        cursor.execute(
            _usable_token_sql(db.vendor),
            [
                db.ops.adapt_datetimefield_value(now - LAST_USED_PRECISION),
                hash_secret(secret),
                db.ops.adapt_datetimefield_value(now),
                True,
            ],
        )
        row = cursor.fetchone()
    if row is None:
        return None
    token_id, person_id, name, can_write, use_to_note, *person_columns = row
    # SQLite gives booleans as 0 and 1.
    token = _loaded(
        ApiToken, db.alias, id=token_id, person_id=person_id, name=name, can_write=bool(can_write)
    )
    vars(token)["use_to_note"] = bool(use_to_note)
    person_name, email, tz = person_columns
    token.person = _loaded(
        Person, db.alias, id=person_id, is_active=True, name=person_name, email=email, timezone=tz
    )
    return token


def _loaded(model: type[M], alias: str, **loaded: Any) -> M:
    """An instance of ``model`` as the ORM makes it from a row with these columns (the rest
    deferred: read on first use)."""
    # from_db takes the values in the model's field order.
    names = [f.attname for f in model._meta.concrete_fields if f.attname in loaded]
    return model.from_db(alias, names, [loaded[name] for name in names])


@functools.cache
def _usable_token_sql(vendor: str) -> str:
    q = connection.ops.quote_name
    token, person = ApiToken._meta.db_table, Person._meta.db_table
    return (
        f"SELECT t.{q('id')}, t.{q('person_id')}, t.{q('name')}, t.{q('can_write')}, "
        # Whether the last use is older than the precision noted (note_token_use).
        f"(t.{q('last_used_at')} IS NULL OR t.{q('last_used_at')} < %s) AS use_to_note, "
        f"p.{q('name')} AS person_name, p.{q('email')} AS person_email, "
        f"p.{q('timezone')} AS person_timezone "
        f"FROM {q(token)} t INNER JOIN {q(person)} p ON p.{q('id')} = t.{q('person_id')} "
        f"WHERE t.{q('token_hash')} = %s AND t.{q('revoked_at')} IS NULL "
        f"AND (t.{q('expires_at')} IS NULL OR t.{q('expires_at')} > %s) "
        f"AND p.{q('is_active')} = %s"
    )


def note_token_use(token: ApiToken, now: dt.datetime | None = None) -> None:
    """Record when a token was last used, to the minute (one small UPDATE a minute at most;
    bookkeeping of the token itself, never of any content)."""
    now = now or timezone.now()
    # A token from usable_token says whether its use is due; another reads its column.
    due = getattr(token, "use_to_note", None)
    if due is None:
        due = token.last_used_at is None or now - token.last_used_at >= LAST_USED_PRECISION
    if not due:
        return
    ApiToken.objects.filter(pk=token.pk).filter(
        Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - LAST_USED_PRECISION)
    ).update(last_used_at=now)
    token.last_used_at = now
    vars(token)["use_to_note"] = False


# --- The calendar feed ------------------------------------------------------------------------


@transaction.atomic
def reset_calendar_feed(person: Person) -> str:
    """A new secret feed address for `person` (returned once); the old one stops working."""
    secret = FEED_PREFIX + secrets.token_urlsafe(32)
    CalendarFeed.objects.update_or_create(
        person=person,
        defaults={
            "token_hash": hash_secret(secret),
            "created_at": timezone.now(),
        },
    )
    access_log.record(person, EventKind.FEED_RESET)
    return secret


def stop_calendar_feed(person: Person) -> None:
    CalendarFeed.objects.filter(person=person).delete()


def feed_owner(secret: str) -> CalendarFeed | None:
    if not secret.startswith(FEED_PREFIX) or len(secret) > 200:
        return None
    feed = (
        CalendarFeed.objects.select_related("person").filter(token_hash=hash_secret(secret)).first()
    )
    if feed is None or not feed.person.is_active:
        return None
    return feed
