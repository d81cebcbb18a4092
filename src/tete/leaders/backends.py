"""Django's ModelBackend, reading with the signed-in person whether they may open the
leaders' view: every page's navigation asks, and it costs no query of its own."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.db.models import BigIntegerField

from tete.accounts.models import Person
from tete.leaders.access import role_annotations
from tete.prepared import Param, PreparedQuery

# Every signed-in request reads its person: a query compiled once (tete/prepared.py).
_PERSON = PreparedQuery(
    lambda: (
        Person._default_manager.annotate(**role_annotations())
        .filter(pk=Param("pk", BigIntegerField()))
        .order_by()[:1]
    )
)


class PersonBackend(ModelBackend):
    def get_user(self, user_id: Any) -> Any:
        try:
            pk = int(user_id)
        except (TypeError, ValueError):
            return None
        if not 0 < pk < 2**63:  # no row has an id the database could not compare
            return None
        found = _PERSON.run(pk=pk)
        person = found[0] if found else None
        return person if person is not None and self.user_can_authenticate(person) else None
