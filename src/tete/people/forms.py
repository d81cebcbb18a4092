from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Q
from django.http import HttpRequest

from tete.accounts.models import TIMEZONE_CHOICES, Person, Team
from tete.accounts.reauth import is_own_password
from tete.people.actions import manager_cycle
from tete.uploads import RefusedUploadForm

TIMEZONE_HELP = "Meeting times are shown to you in this timezone."


class PeopleSearchForm(forms.Form):
    q = forms.CharField(label="Search", required=False, max_length=100)
    team = forms.ModelChoiceField(
        label="Team", queryset=Team.objects.all(), required=False, empty_label="All teams"
    )
    status = forms.ChoiceField(
        label="Status",
        required=False,
        choices=[
            ("", "Active"),
            ("invited", "Invited"),
            ("deactivated", "Deactivated"),
            ("all", "Everyone"),
        ],
    )

    def __init__(self, *args: Any, staff: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.attrs.update(
            {"type": "search", "placeholder": "Name, title or email", "autocomplete": "off"}
        )
        if not staff:
            del self.fields["status"]


def manager_field(required: bool = False) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        label="Manager",
        queryset=Person.objects.filter(Q(is_active=True) | Q(deactivated_at__isnull=True)),
        required=required,
        empty_label="No manager",
    )


class InvitationForm(forms.Form):
    name = forms.CharField(label="Name", max_length=150)
    email = forms.EmailField(label="Email", max_length=254)
    title = forms.CharField(label="Title", max_length=150, required=False)
    team = forms.ModelChoiceField(
        label="Team", queryset=Team.objects.all(), required=False, empty_label="No team"
    )
    manager = manager_field()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].widget.attrs["autocomplete"] = "off"
        self.fields["name"].widget.attrs["autocomplete"] = "off"

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if Person.objects.filter(email__iexact=email, is_active=True).exists():
            raise forms.ValidationError("This person already has an account.")
        return email


class AcceptInvitationForm(forms.Form):
    name = forms.CharField(label="Your name", max_length=150)
    timezone = forms.ChoiceField(label="Your timezone", choices=TIMEZONE_CHOICES)
    password1 = forms.CharField(
        label="Choose a password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label="Repeat the password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args: Any, person: Person, **kwargs: Any) -> None:
        self.person = person
        super().__init__(*args, **kwargs)
        self.fields["timezone"].help_text = TIMEZONE_HELP
        if not self.is_bound:
            # browser-timezone.js preselects the browser's own timezone in a fresh form.
            self.fields["timezone"].widget.attrs["data-browser-timezone"] = ""
        self.fields["name"].widget.attrs["autocomplete"] = "name"

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", "The two passwords differ.")
        elif password1:
            try:
                password_validation.validate_password(password1, self.person)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class ProfileForm(forms.Form):
    # A plain form, not a ModelForm: an invalid submission must not alter the signed-in
    # person object the rest of the page (the top bar) still renders.
    name = forms.CharField(label="Name", max_length=150)
    title = forms.CharField(label="Title", max_length=150, required=False)
    timezone = forms.ChoiceField(
        label="Timezone", choices=TIMEZONE_CHOICES, help_text=TIMEZONE_HELP
    )
    location = forms.CharField(
        label="Location", max_length=100, required=False, help_text="A city, or “Remote”."
    )
    meeting_reminders = forms.BooleanField(
        label="Email me the day before each of my one-on-ones",
        required=False,
        help_text="When and with whom, and a link to the agenda; never what it says.",
    )

    @classmethod
    def initial_for(cls, person: Person) -> dict[str, Any]:
        fields = ("name", "title", "timezone", "location", "meeting_reminders")
        return {f: getattr(person, f) for f in fields}


EMAIL_CHANGE_HELP = (
    "A new address is used once the link emailed to it is followed; the current address is told."
)


def clean_new_email(value: str, person: Person) -> str:
    email = Person.objects.normalize_email(value.strip()).lower()
    if Person.objects.filter(email__iexact=email).exclude(pk=person.pk).exists():
        raise forms.ValidationError("Another account already uses this address.")
    return email


class PersonAdminForm(forms.Form):
    """What staff change about someone: their place in the organisation, and the address
    they sign in with (changed only once the new address confirms)."""

    email = forms.EmailField(label="Email", max_length=254, help_text=EMAIL_CHANGE_HELP)
    title = forms.CharField(label="Title", max_length=150, required=False)
    team = forms.ModelChoiceField(
        label="Team", queryset=Team.objects.all(), required=False, empty_label="No team"
    )
    new_team = forms.CharField(
        label="Or a new team",
        max_length=100,
        required=False,
        help_text="Creates the team if it does not exist yet.",
    )

    def __init__(self, *args: Any, person: Person, **kwargs: Any) -> None:
        self.person = person
        kwargs.setdefault(
            "initial",
            {
                "email": person.email,
                "title": person.title,
                "team": person.team_id,
                "manager": person.manager_id,
            },
        )
        super().__init__(*args, **kwargs)
        manager = manager_field()
        manager.queryset = Person.objects.filter(
            Q(is_active=True) | Q(deactivated_at__isnull=True)
        ).exclude(pk=person.pk)
        self.fields["manager"] = manager

    def clean_manager(self) -> Person | None:
        manager: Person | None = self.cleaned_data.get("manager")
        if manager is not None and manager_cycle(self.person, manager):
            raise forms.ValidationError(
                f"{manager} reports to {self.person}, directly or further down: "
                "that would make a loop."
            )
        return manager

    def clean_email(self) -> str:
        return clean_new_email(self.cleaned_data["email"], self.person)

    def clean_new_team(self) -> str:
        return " ".join(self.cleaned_data.get("new_team", "").split())


class EmailChangeForm(forms.Form):
    """A person moving their own account to another address."""

    email = forms.EmailField(label="New email address", max_length=254)
    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text="To make sure it is you.",
    )

    def __init__(self, *args: Any, person: Person, request: HttpRequest, **kwargs: Any) -> None:
        self.person = person
        self.request = request
        super().__init__(*args, **kwargs)
        self.fields["email"].widget.attrs["autocomplete"] = "email"

    def clean_email(self) -> str:
        return clean_new_email(self.cleaned_data["email"], self.person)

    def clean_password(self) -> str:
        password: str = self.cleaned_data["password"]
        if not is_own_password(self.request, self.person, password):
            raise forms.ValidationError("That is not your current password.")
        return password


class ImportForm(RefusedUploadForm):
    file = forms.FileField(
        label="CSV file",
        help_text="UTF-8, with a header row: name, email, title, team, manager email.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs["accept"] = ".csv,text/csv"

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        limit = settings.TETE_MAX_UPLOAD_BYTES
        if upload.size is not None and upload.size > limit:
            raise forms.ValidationError(
                f"The file is {upload.size:,} bytes; the limit is {limit:,} bytes."
            )
        return upload
