from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone


class TokenForm(forms.Form):
    name = forms.CharField(
        label="Name",
        max_length=100,
        help_text="What it is for, to tell it apart later: “Tracker sync”, “Dashboard”.",
    )
    access = forms.ChoiceField(
        label="Access",
        choices=[("read", "Read only"), ("write", "Read and write")],
        initial="read",
        widget=forms.RadioSelect,
    )
    expires_on = forms.DateField(
        label="Expires on",
        required=False,
        help_text="Optional. The token stops working at the start of that day (UTC).",
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def clean_expires_on(self) -> dt.date | None:
        day: dt.date | None = self.cleaned_data.get("expires_on")
        if day is not None and day <= timezone.now().date():
            raise forms.ValidationError("Choose a day after today.")
        return day

    def expires_at(self) -> dt.datetime | None:
        day = self.cleaned_data.get("expires_on")
        return dt.datetime.combine(day, dt.time(0, 0), tzinfo=dt.UTC) if day else None

    def token_fields(self) -> dict[str, Any]:
        return {
            "name": self.cleaned_data["name"],
            "can_write": self.cleaned_data["access"] == "write",
            "expires_at": self.expires_at(),
        }
