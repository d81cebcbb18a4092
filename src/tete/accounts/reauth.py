"""Asking a signed-in person for their password again, before something that cannot be undone
or that hands the account to someone else (a new password or email, erasure).

Each wrong answer counts as a failed sign-in for the person's email and the client's address,
so a stolen session cannot guess the password any faster than the sign-in page allows. Past
the limit django-axes' middleware answers with the "paused" page, as for signing in.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import authenticate
from django.contrib.auth.forms import PasswordChangeForm
from django.http import HttpRequest

from tete.accounts.models import Person


def is_own_password(request: HttpRequest, person: Person, password: str) -> bool:
    """Whether ``password`` is ``person``'s, counted by django-axes like a sign-in."""
    signed_in = authenticate(request, username=person.email, password=password)
    return signed_in is not None and signed_in.pk == person.pk


class CountedPasswordChangeForm(PasswordChangeForm):
    """Django's password change form, whose old password is checked as a sign-in attempt."""

    def __init__(self, user: Person, *args: Any, request: HttpRequest, **kwargs: Any) -> None:
        super().__init__(user, *args, **kwargs)
        self.request = request

    def clean_old_password(self) -> str:
        old_password: str = self.cleaned_data["old_password"]
        if not is_own_password(self.request, self.user, old_password):
            raise forms.ValidationError(
                self.error_messages["password_incorrect"], code="password_incorrect"
            )
        return old_password


class OwnPasswordForm(forms.Form):
    """The account's password, asked on a page its owner reaches from an email link."""

    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text="The one you sign in with today: staff asked for this change, so it is "
        "how we know it is you.",
    )
