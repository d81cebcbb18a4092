"""Every change to how a person signs in: password resets, password and email changes.

Nobody sets another person's password: staff can only send a reset link to the person's own
address. An email address changes only once a link sent to the new address is followed, and
the old address hears of it. Every password or email change signs the person out of their
other sessions (`Person.get_session_auth_hash` covers both) and tells them by email.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.tokens import default_token_generator
from django.core import signing
from django.core.mail import send_mail
from django.db import transaction
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from tete.accounts.models import Person
from tete.oneonones import versions

logger = logging.getLogger(__name__)

EMAIL_CHANGE_SALT = "tete.accounts.email-change"


class AccountError(Exception):
    """A request that cannot be carried out; the message is shown to the person asking."""


def _site(base_url: str | None) -> str:
    return (base_url or settings.SITE_URL).rstrip("/")


def _email(template: str, context: dict[str, object], to: str) -> bool:
    """Send accounts/email/<template>_subject.txt and _body.txt; False if the server refused."""
    subject = render_to_string(f"accounts/email/{template}_subject.txt", context)
    body = render_to_string(f"accounts/email/{template}_body.txt", context)
    try:
        send_mail(" ".join(subject.split()), body, None, [to])
    except OSError:
        # SMTP errors are OSErrors; what was asked for is done or stays pending regardless.
        logger.exception("Could not send the %s email to %s", template, to)
        return False
    return True


# Passwords --------------------------------------------------------------------------------


def send_password_reset(person: Person, *, by: Person, base_url: str | None = None) -> bool:
    """Email `person` a link to choose a new password (Django's reset link, a day long).

    Staff use this instead of setting a password: only the person reads the link. Returns
    whether the email went out.
    """
    if not person.is_active:
        if person.status == "invited":
            raise AccountError(
                f"{person} has not joined yet: resend their invitation instead "
                "(People › Invite people)."
            )
        raise AccountError(f"{person} is deactivated: reactivate them first.")
    if not person.has_usable_password():
        raise AccountError(f"{person} has no password yet: send them an invitation instead.")
    link = _site(base_url) + reverse(
        "password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(person.pk)),
            "token": default_token_generator.make_token(person),
        },
    )
    context = {"person": person, "by": by, "url": link}
    return _email("password_reset_by_staff", context, person.email)


def password_changed(person: Person, *, base_url: str | None = None) -> bool:
    """Tell the person their password changed (they were signed out everywhere else)."""
    context = {
        "person": person,
        "when": timezone.now(),
        "reset_url": _site(base_url) + reverse("password_reset"),
    }
    return _email("password_changed", context, person.email)


# Email addresses --------------------------------------------------------------------------


@dataclass
class EmailChangeRequest:
    person: Person
    new_email: str
    # Whether the link reached the new address and the notice the old one.
    link_sent: bool
    notice_sent: bool


def request_email_change(
    person: Person, new_email: str, *, by: Person, base_url: str | None = None
) -> EmailChangeRequest | None:
    """Ask to move `person`'s sign-in address to `new_email`: nothing changes until the link
    emailed there is followed. The current address is told who asked, and for what.

    Asking for the current address again withdraws a pending change (returns None).
    """
    new_email = Person.objects.normalize_email(new_email.strip()).lower()
    if not new_email:
        raise AccountError("Give the new email address.")
    if new_email == person.email:
        if person.pending_email:
            withdraw_email_change(person)
            return None
        raise AccountError(f"{new_email} is already the address {person} signs in with.")
    if Person.objects.filter(email__iexact=new_email).exclude(pk=person.pk).exists():
        raise AccountError(f"Another account already uses {new_email}.")
    with transaction.atomic():
        person.pending_email = new_email
        person.pending_email_since = timezone.now()
        person.save(update_fields=["pending_email", "pending_email_since"])
    # Whether the person asked is part of the link: when staff asked, following it also takes
    # the person's own password, so no one moves an account to an address they hold.
    token = signing.dumps([person.pk, new_email, by.pk == person.pk], salt=EMAIL_CHANGE_SALT)
    context = {
        "person": person,
        "by": by,
        "by_self": by.pk == person.pk,
        "new_email": new_email,
        "url": _site(base_url) + reverse("confirm_email_change", args=[token]),
        "hours": settings.PASSWORD_RESET_TIMEOUT // 3600,
    }
    return EmailChangeRequest(
        person,
        new_email,
        link_sent=_email("email_change_confirm", context, new_email),
        notice_sent=_email("email_change_requested", context, person.email),
    )


def withdraw_email_change(person: Person) -> None:
    person.pending_email = ""
    person.pending_email_since = None
    person.save(update_fields=["pending_email", "pending_email_since"])


@dataclass(frozen=True)
class PendingEmailChange:
    """What a confirmation link is for: whose account, which address, and whether the person
    asked themselves (else staff did, and the person's password is needed too)."""

    person: Person
    new_email: str
    by_self: bool


def email_change_for_token(token: str) -> PendingEmailChange | None:
    """The change a confirmation link is for, while it is still valid: not expired, and still
    the change pending (a newer request, or a withdrawal, voids it)."""
    try:
        person_id, new_email, by_self = signing.loads(
            token, salt=EMAIL_CHANGE_SALT, max_age=settings.PASSWORD_RESET_TIMEOUT
        )
    except (signing.BadSignature, ValueError, TypeError):
        return None
    person = Person.objects.filter(pk=person_id).first()
    if person is None or not person.pending_email or person.pending_email != new_email:
        return None
    return PendingEmailChange(person, new_email, by_self=bool(by_self))


def confirm_email_change(
    person: Person, new_email: str, *, request: HttpRequest | None = None
) -> Person:
    """Move the account to the confirmed address; every other session of it ends.

    `request`, when it is the person's own signed-in session, stays signed in.
    """
    with transaction.atomic():
        locked = Person.objects.select_for_update().get(pk=person.pk)
        if locked.pending_email != new_email:
            raise AccountError("This link is for a change that is no longer pending.")
        if Person.objects.filter(email__iexact=new_email).exclude(pk=locked.pk).exists():
            raise AccountError(f"Another account uses {new_email} now.")
        old_email = locked.email
        locked.email = new_email
        locked.pending_email = ""
        locked.pending_email_since = None
        locked.save(update_fields=["email", "pending_email", "pending_email_since"])
        versions.bump_for_person(locked.pk)
    if request is not None and request.user.is_authenticated and request.user.pk == locked.pk:
        update_session_auth_hash(request, locked)
    context = {"person": locked, "old_email": old_email, "new_email": new_email}
    for address in (old_email, new_email):
        _email("email_changed", {**context, "to": address}, address)
    return locked
