"""Forms for one-on-ones. They validate input; the actions make the changes."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.conf import settings
from django.utils import timezone

from tete.accounts.models import TIMEZONE_CHOICES, Person
from tete.oneonones.models import (
    WEEKDAY_CHOICES,
    Cadence,
    Kind,
    OneOnOne,
    Template,
    TemplateCategory,
)

TALKING_POINT_MAX_CHARS = 1_000


def refuse_oversized(text: str, limit: int | None = None) -> str:
    """Refuse text longer than the limit (TETE_MAX_TEXT_CHARS by default), saying by how much."""
    limit = limit or settings.TETE_MAX_TEXT_CHARS
    if len(text) > limit:
        raise forms.ValidationError(
            f"This is too long: {len(text):,} characters, the limit is {limit:,}. "
            "Shorten it or split it up.",
            code="too_long",
        )
    return text


class BoundedTextField(forms.CharField):
    """A text field whose limit is read from settings when the form is validated."""

    def __init__(self, *args: Any, limit: int | None = None, **kwargs: Any) -> None:
        self.limit = limit
        super().__init__(*args, **kwargs)

    def clean(self, value: Any) -> Any:
        value = super().clean(value)
        return refuse_oversized(value or "", self.limit)


class FOCUS:
    ME = "me"
    THEM = "them"
    NOBODY = ""


FOCUS_CHOICES = [
    (FOCUS.NOBODY, "Neither (peers, personal)"),
    (FOCUS.ME, "Me"),
    (FOCUS.THEM, "The other person"),
]


class CadenceFields(forms.Form):
    kind = forms.ChoiceField(choices=Kind.choices, initial=Kind.MANAGER_REPORT)
    focus = forms.ChoiceField(
        choices=FOCUS_CHOICES,
        required=False,
        label="Who is the report, mentee or client?",
        help_text="For manager–report, mentoring and coaching: the person the conversation is for.",
    )
    cadence = forms.ChoiceField(choices=Cadence.choices, initial=Cadence.WEEKLY)
    weekday = forms.TypedChoiceField(
        choices=WEEKDAY_CHOICES, coerce=int, initial=0, label="Day of the week"
    )
    time_of_day = forms.TimeField(
        initial=dt.time(10, 0), label="Time", widget=forms.TimeInput(attrs={"type": "time"})
    )
    duration_minutes = forms.IntegerField(
        min_value=5, max_value=480, initial=30, label="Length (minutes)"
    )
    timezone = forms.ChoiceField(choices=TIMEZONE_CHOICES, label="Timezone")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("kind")
        if kind in (Kind.PEER, Kind.PERSONAL):
            data["focus"] = FOCUS.NOBODY
        elif kind and not data.get("focus"):
            self.add_error("focus", "Say who the report, mentee or client is.")
        return data


class StartOneOnOneForm(CadenceFields):
    other = forms.ModelChoiceField(
        queryset=Person.objects.none(), label="With", empty_label="Choose a person"
    )
    field_order = ["other", "kind", "focus"]

    def __init__(self, *args: Any, person: Person, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.person = person
        self.fields["other"].queryset = (  # type: ignore[attr-defined]
            Person.objects.filter(is_active=True).exclude(pk=person.pk).order_by("name")
        )
        self.fields["timezone"].initial = person.timezone
        # Most one-on-ones people start are with their report, mentee or client.
        self.fields["focus"].initial = FOCUS.THEM

    def focus_person(self) -> Person | None:
        focus = self.cleaned_data.get("focus")
        if focus == FOCUS.ME:
            return self.person
        if focus == FOCUS.THEM:
            other: Person = self.cleaned_data["other"]
            return other
        return None


class OneOnOneSettingsForm(CadenceFields):
    def __init__(self, *args: Any, oneonone: OneOnOne, person: Person, **kwargs: Any) -> None:
        focus = FOCUS.NOBODY
        if oneonone.focus_person_id == person.pk:
            focus = FOCUS.ME
        elif oneonone.focus_person_id is not None:
            focus = FOCUS.THEM
        initial = {
            "kind": oneonone.kind,
            "focus": focus,
            "cadence": oneonone.cadence,
            "weekday": oneonone.weekday,
            "time_of_day": oneonone.time_of_day,
            "duration_minutes": oneonone.duration_minutes,
            "timezone": oneonone.timezone,
        }
        kwargs["initial"] = initial | kwargs.get("initial", {})
        super().__init__(*args, **kwargs)
        self.oneonone = oneonone
        self.person = person

    def focus_person(self) -> Person | None:
        focus = self.cleaned_data.get("focus")
        if focus == FOCUS.ME:
            return self.person
        if focus == FOCUS.THEM:
            return self.oneonone.other(self.person)
        return None


class TalkingPointTextForm(forms.Form):
    """A talking point's text, as adding and editing one both check it."""

    text = BoundedTextField(
        label="Talking point",
        limit=TALKING_POINT_MAX_CHARS,
        widget=forms.TextInput(attrs={"placeholder": "What would you like to talk about?"}),
    )


class TalkingPointForm(TalkingPointTextForm):
    private = forms.BooleanField(required=False, label="Private (only you see it)")


class SharedNoteForm(forms.Form):
    text = BoundedTextField(
        label="Shared notes",
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="Markdown: **bold**, _italic_, - lists, [links](https://example.com).",
    )
    base_version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Several forms on the meeting page have a "text" field: keep their ids apart.
        kwargs.setdefault("auto_id", "id_note_%s")
        super().__init__(*args, **kwargs)


class PrivateNoteForm(forms.Form):
    text = BoundedTextField(
        label="My private note",
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Only you can read this.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Several forms on the meeting page have a "text" field: keep their ids apart.
        kwargs.setdefault("auto_id", "id_private_%s")
        super().__init__(*args, **kwargs)


class ActionItemForm(forms.Form):
    # The meeting page says "Added the action item ‘…’" with its text (focus.js).
    text = BoundedTextField(
        label="Action item",
        limit=TALKING_POINT_MAX_CHARS,
        widget=forms.TextInput(attrs={"data-announce-value": True}),
    )
    owner = forms.TypedChoiceField(coerce=int, label="Owner")
    due_date = forms.DateField(
        required=False, label="Due", widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, oneonone: OneOnOne, person: Person, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "id_item_%s")
        super().__init__(*args, **kwargs)
        self.oneonone = oneonone
        other = oneonone.other(person)
        self.fields["owner"].choices = [  # type: ignore[attr-defined]
            (person.pk, f"Me ({person.first_name})"),
            (other.pk, other.name),
        ]
        self.fields["owner"].initial = person.pk

    def owner_person(self) -> Person:
        owner_id = self.cleaned_data["owner"]
        first, second = self.oneonone.participants
        return first if first.pk == owner_id else second


class ActionItemFilterForm(forms.Form):
    """Which action items the list shows (all in the query string, so pages can be linked)."""

    whose = forms.ChoiceField(choices=[("mine", "Mine"), ("theirs", "Theirs")], required=False)
    show = forms.ChoiceField(choices=[("open", "Open"), ("done", "Done")], required=False)
    person = forms.TypedChoiceField(label="With", coerce=int, required=False, empty_value=None)

    def __init__(self, data: Any, *, partners: list[Person]) -> None:
        super().__init__(data)
        self.partners = {p.pk: p for p in partners}
        choices = [("", "Everyone"), *((p.pk, p.name) for p in partners)]
        self.fields["person"].choices = choices  # type: ignore[attr-defined]

    def choice(self) -> tuple[bool, bool, Person | None]:
        """(theirs, done, partner): what the query asks for, where it is valid."""
        self.is_valid()
        data = self.cleaned_data
        partner_id = data.get("person")
        return (
            data.get("whose") == "theirs",
            data.get("show") == "done",
            self.partners.get(partner_id) if partner_id is not None else None,
        )


class MeetingTimeForm(forms.Form):
    """A date and time in the viewer's timezone (Django converts it to UTC)."""

    scheduled_at = forms.DateTimeField(
        label="New date and time",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text="In your timezone.",
    )

    def clean_scheduled_at(self) -> dt.datetime:
        when: dt.datetime = self.cleaned_data["scheduled_at"]
        if when < timezone.now() - dt.timedelta(days=1):
            raise forms.ValidationError("Choose a date and time that is not in the past.")
        return when


class RescheduleForm(MeetingTimeForm):
    reason = forms.CharField(max_length=500, required=False, label="Reason (optional)")


class CancelForm(forms.Form):
    reason = forms.CharField(max_length=500, required=False, label="Reason (optional)")


class ExtraMeetingForm(MeetingTimeForm):
    duration_minutes = forms.IntegerField(
        min_value=5, max_value=480, initial=30, label="Length (minutes)"
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["scheduled_at"].label = "Date and time"


class FromTemplateForm(forms.Form):
    template = forms.TypedChoiceField(coerce=int, label="Template")
    private = forms.BooleanField(required=False, label="Add as private talking points")

    def __init__(self, *args: Any, templates: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["template"].choices = [(t.pk, t.name) for t in templates]  # type: ignore[attr-defined]


class TemplateForm(forms.Form):
    name = forms.CharField(max_length=150)
    category = forms.ChoiceField(choices=TemplateCategory.choices, initial=TemplateCategory.OTHER)
    description = forms.CharField(max_length=500, required=False)
    questions = BoundedTextField(
        label="Questions",
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="One question per line.",
    )

    def question_list(self) -> list[str]:
        return [
            line.strip() for line in self.cleaned_data["questions"].splitlines() if line.strip()
        ]

    def template_fields(self) -> dict[str, Any]:
        """What actions.create_template and update_template take from the form."""
        data = self.cleaned_data
        return {
            "name": data["name"],
            "category": data["category"],
            "description": data["description"],
            "questions": self.question_list(),
        }

    @classmethod
    def initial_for(cls, template: Template) -> dict[str, Any]:
        return {
            "name": template.name,
            "category": template.category,
            "description": template.description,
            "questions": "\n".join(q.text for q in template.questions.all()),
        }

    def clean_questions(self) -> str:
        text: str = self.cleaned_data["questions"]
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        if not lines:
            raise forms.ValidationError("Write at least one question.")
        if any(len(line) > 500 for line in lines):
            raise forms.ValidationError("Each question can be at most 500 characters.")
        return text
