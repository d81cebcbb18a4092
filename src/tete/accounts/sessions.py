"""Django's database sessions, read with a query compiled once (tete/prepared.py).

Every signed-in request reads its session before anything else; Django builds and compiles
that query anew each time, which cost more than running it.
"""

from __future__ import annotations

from typing import Any

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.contrib.sessions.models import Session
from django.db import router
from django.db.models import CharField, DateTimeField
from django.utils import timezone

from tete.prepared import Param, PreparedQuery

_SESSION = PreparedQuery(
    lambda: Session.objects.filter(
        session_key=Param("key", CharField()),
        expire_date__gt=Param("now", DateTimeField()),
    ).order_by()[:1]
)


class SessionStore(DatabaseSessionStore):
    def _get_session_from_db(self) -> Any:
        # Only called with a key that passed Django's `_validate_session_key`.
        found = _SESSION.run(
            using=router.db_for_read(Session), key=self.session_key, now=timezone.now()
        )
        if found:
            return found[0]
        self._session_key = None
        return None
