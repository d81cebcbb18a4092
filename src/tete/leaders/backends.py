"""Django's ModelBackend, reading with the signed-in person whether they may open the
leaders' view: every page's navigation asks, and it costs no query of its own."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend

from tete.accounts.models import Person
from tete.leaders.access import role_annotations


class PersonBackend(ModelBackend):
    def get_user(self, user_id: Any) -> Any:
        person = Person._default_manager.annotate(**role_annotations()).filter(pk=user_id).first()
        return person if person is not None and self.user_can_authenticate(person) else None
