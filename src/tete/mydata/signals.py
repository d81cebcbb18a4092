"""Access-log entries for changes made anywhere to an account: the sign-in form, Django's
password views, the people pages, the admin, management commands. Receivers, so that the
accounts and people apps do not depend on this one.

post_save runs inside the transaction of the save: an entry goes with its change.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver
from django.http import HttpRequest

from tete.accounts.models import Person
from tete.accounts.sign_in_guard import client_address
from tete.mydata import access_log
from tete.mydata.models import EventKind

WATCHED = ("password", "email", "is_active", "is_staff", "is_superuser")


@receiver(user_logged_in, dispatch_uid="mydata-sign-in")
def log_sign_in(sender: Any, request: HttpRequest | None, user: Person, **kwargs: Any) -> None:
    if request is None or not isinstance(user, Person):
        return
    access_log.note_sign_in(
        user,
        address=client_address(request),
        user_agent=str(request.META.get("HTTP_USER_AGENT", "")),
    )


@receiver(pre_save, sender=Person, dispatch_uid="mydata-account-before")
def remember_account_before(sender: Any, instance: Person, **kwargs: Any) -> None:
    update_fields = kwargs.get("update_fields")
    if instance._state.adding or instance.pk is None or access_log.erasing.get():
        return
    if update_fields is not None and not set(update_fields) & set(WATCHED):
        return  # a sign-in's last_login, a profile edit: nothing the log tells
    before = Person.objects.filter(pk=instance.pk).values(*WATCHED).first()
    instance._account_before = before  # type: ignore[attr-defined]


@receiver(post_save, sender=Person, dispatch_uid="mydata-account-after")
def log_account_changes(sender: Any, instance: Person, created: bool, **kwargs: Any) -> None:
    before = instance.__dict__.pop("_account_before", None)
    if created or before is None or access_log.erasing.get():
        return
    actor = access_log.current_actor()
    # Choosing a first password (an invitation accepted) is joining, not a change.
    if before["password"] != instance.password and not before["password"].startswith("!"):
        access_log.record(instance, EventKind.PASSWORD_CHANGED, actor=actor)
    if before["email"] != instance.email:
        access_log.record(
            instance,
            EventKind.EMAIL_CHANGED,
            actor=actor,
            detail={"old": before["email"], "new": instance.email},
        )
    if before["is_active"] and not instance.is_active:
        access_log.record(instance, EventKind.DEACTIVATED, actor=actor)
    elif (
        not before["is_active"]
        and instance.is_active
        and before["password"] == instance.password  # not an invitation accepted
    ):
        access_log.record(instance, EventKind.REACTIVATED, actor=actor)
    roles = []
    if before["is_staff"] != instance.is_staff:
        roles.append("staff" if instance.is_staff else "no longer staff")
    if before["is_superuser"] != instance.is_superuser:
        roles.append("superuser" if instance.is_superuser else "no longer superuser")
    if roles:
        access_log.record(
            instance, EventKind.ROLE_CHANGED, actor=actor, detail={"role": ", ".join(roles)}
        )
