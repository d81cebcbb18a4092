"""The recording upload form: a file per person, one file with a channel per person, or one
file from one microphone."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms

from tete.conversation.audio.limits import MAX_OFFSET_S
from tete.recordings.actions import Track, max_recording_bytes
from tete.recordings.models import RecordingKind
from tete.uploads import RefusedUploadForm, human_size

if TYPE_CHECKING:
    from tete.accounts.models import Person
    from tete.oneonones.models import OneOnOne

ACCEPTED = ".wav,.flac,.mp3,.m4a,.aac,.mp4,.ogg,.oga,.opus,.webm,.weba,audio/*"
NOBODY = ""

UPLOAD_KINDS = [
    (RecordingKind.TRACKS.value, "One file per person (Zoom's separate audio files, a podcast recorder)"),
    (RecordingKind.CHANNELS.value, "One file, one person per channel (a call recorder, two lapel microphones)"),
    (RecordingKind.ONE_MICROPHONE.value, "One file, one microphone (a phone on the table): an estimate"),
]  # fmt: skip


class RecordingUploadForm(RefusedUploadForm):
    kind = forms.ChoiceField(
        label="What kind of recording", choices=UPLOAD_KINDS, widget=forms.RadioSelect,
        initial=RecordingKind.TRACKS.value,
    )  # fmt: skip
    file = forms.FileField(
        label="Recording", widget=forms.ClearableFileInput(attrs={"accept": ACCEPTED})
    )
    person = forms.ChoiceField(label="Whose voice is in this file", required=False)
    offset = forms.FloatField(
        label="Starts after the conversation began by (seconds)", required=False,
        min_value=-MAX_OFFSET_S, max_value=MAX_OFFSET_S,
    )  # fmt: skip
    second_file = forms.FileField(
        label="Second person's recording", required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPTED}),
    )  # fmt: skip
    second_person = forms.ChoiceField(label="Whose voice is in the second file", required=False)
    second_offset = forms.FloatField(
        label="Second file starts after the conversation began by (seconds)", required=False,
        min_value=-MAX_OFFSET_S, max_value=MAX_OFFSET_S,
    )  # fmt: skip
    left_person = forms.ChoiceField(label="Left channel (1) is", required=False)
    right_person = forms.ChoiceField(label="Right channel (2) is", required=False)

    def __init__(self, *args: Any, oneonone: OneOnOne, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.people = {str(person.pk): person for person in oneonone.participants}
        choices = [(NOBODY, "Suggest from the file name")] + [
            (pk, person.name) for pk, person in self.people.items()
        ]
        channel_choices = [(NOBODY, "Not said"), *choices[1:]]
        for name in ("person", "second_person"):
            self._set_choices(name, choices)
        for name in ("left_person", "right_person"):
            self._set_choices(name, channel_choices)
        limit = human_size(max_recording_bytes())
        self.fields["file"].help_text = (
            "wav, flac, mp3, m4a (aac), ogg or opus, webm. Up to "
            f"{limit} a file and {_hours_text()}."
        )

    def part(self, *names: str) -> list[Any]:
        """Some of the form's fields, bound, for a part of the page (a fieldset)."""
        return [self[name] for name in names]

    def main_fields(self) -> list[Any]:
        return self.part("kind", "file")

    def track_fields(self) -> list[Any]:
        return self.part("person", "offset", "second_file", "second_person", "second_offset")

    def channel_fields(self) -> list[Any]:
        return self.part("left_person", "right_person")

    def _set_choices(self, name: str, choices: list[tuple[str, str]]) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices

    def _person(self, name: str) -> Person | None:
        return self.people.get(self.cleaned_data.get(name) or NOBODY)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        files = [data.get("file"), data.get("second_file")]
        for name, upload in (("file", files[0]), ("second_file", files[1])):
            if upload is not None and upload.size > max_recording_bytes():
                self.add_error(
                    name,
                    f"The file is {human_size(upload.size)}; the largest recording accepted "
                    f"is {human_size(max_recording_bytes())}.",
                )
            elif upload is not None and upload.size == 0:
                self.add_error(name, "The file is empty.")
        if data.get("kind") == RecordingKind.TRACKS and files[0] and not files[1]:
            self.add_error("second_file", "Add the other person's file (one file per person).")
        if data.get("kind") == RecordingKind.TRACKS and (
            data.get("person") and data.get("person") == data.get("second_person")
        ):
            self.add_error("second_person", "The two files are two different people.")
        return data

    def tracks(self) -> list[Track]:
        data = self.cleaned_data
        tracks = [Track(data["file"], data.get("offset") or 0.0, self._person("person"))]
        if data["kind"] == RecordingKind.TRACKS:
            tracks.append(
                Track(
                    data["second_file"],
                    data.get("second_offset") or 0.0,
                    self._person("second_person"),
                )
            )
        return tracks

    def channel_people(self) -> list[Person | None]:
        if self.cleaned_data["kind"] != RecordingKind.CHANNELS:
            return []
        return [self._person("left_person"), self._person("right_person")]


def _hours_text() -> str:
    from django.conf import settings

    hours = float(settings.TETE_RECORDING_MAX_HOURS)
    return f"{hours:g} hour{'s' if hours != 1 else ''} long"


class ConsentForm(forms.Form):
    consent = forms.BooleanField(
        label="Both of us agree to record this conversation for its talk-balance report",
        required=True,
    )
