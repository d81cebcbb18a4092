from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpRequest

from tete.accounts.models import Person
from tete.accounts.reauth import is_own_password


class EraseMyDataForm(forms.Form):
    """Erasing cannot be undone: the person's password, and the words, say they mean it."""

    CONFIRM = "erase my data"

    password = forms.CharField(
        label="Your password",
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    confirm = forms.CharField(
        label=f"Type “{CONFIRM}” to confirm",
        help_text="This cannot be undone.",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    def __init__(self, *args: Any, person: Person, request: HttpRequest, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.person = person
        self.request = request

    def clean_password(self) -> str:
        password: str = self.cleaned_data["password"]
        if not is_own_password(self.request, self.person, password):
            raise forms.ValidationError("That is not your password.")
        return password

    def clean_confirm(self) -> str:
        confirm: str = self.cleaned_data["confirm"]
        if " ".join(confirm.lower().split()) != self.CONFIRM:
            raise forms.ValidationError(f"Type “{self.CONFIRM}” to confirm.")
        return confirm
