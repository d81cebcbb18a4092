from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_save


class OneononesConfig(AppConfig):
    name = "tete.oneonones"

    def ready(self) -> None:
        from tete.accounts.models import Person

        post_save.connect(
            _person_saved_whole, sender=Person, dispatch_uid="oneonones.person_saved_whole"
        )


def _person_saved_whole(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
    """A safety net for saves outside people/actions.py (Django's admin edits a person whole).

    The actions bump the versions of a person's one-on-ones themselves; a save that names
    its fields (signing in records last_login) changes nothing these pages show.
    """
    if created or kwargs.get("update_fields") is not None or kwargs.get("raw"):
        return
    from tete.oneonones import versions

    versions.bump_for_person(instance.pk)
