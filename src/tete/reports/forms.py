from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms

from tete.uploads import RefusedUploadForm, human_size, max_upload_bytes

if TYPE_CHECKING:
    from tete.accounts.models import Person
    from tete.oneonones.models import OneOnOne
    from tete.reports.models import SuggestedActionItem

OTHER = "other"
ACCEPTED_EXTENSIONS = ".vtt,.srt,.txt,.json,.docx"


class TranscriptUploadForm(RefusedUploadForm):
    file = forms.FileField(
        label="Transcript file",
        help_text=(
            "WebVTT (.vtt), SubRip (.srt), a text export (Zoom, Teams, Google Meet, Otter), "
            "Word (.docx) or Whisper JSON."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPTED_EXTENSIONS}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text += f" Up to {human_size(max_upload_bytes())}."

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > max_upload_bytes():
            raise forms.ValidationError(
                f"The file is {human_size(upload.size)}; the largest transcript accepted is "
                f"{human_size(max_upload_bytes())}."
            )
        if upload.size == 0:
            raise forms.ValidationError("The file is empty.")
        return upload


class SpeakerMappingForm(forms.Form):
    """One choice per speaker label in the file: one of the two people, or someone else."""

    def __init__(
        self, *args: Any, oneonone: OneOnOne, labels: dict[str, int | None], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        choices = [(str(p.pk), p.name) for p in oneonone.participants] + [(OTHER, "Someone else")]
        self.labels: list[tuple[str, str]] = []
        for index, (label, person_id) in enumerate(labels.items()):
            name = f"speaker_{index}"
            self.fields[name] = forms.ChoiceField(
                label=f"“{label}” is",
                choices=choices,
                initial=str(person_id) if person_id is not None else OTHER,
            )
            self.labels.append((name, label))

    def mapping(self) -> dict[str, int | None]:
        return {
            label: None if self.cleaned_data[name] == OTHER else int(self.cleaned_data[name])
            for name, label in self.labels
        }


class AcceptSuggestionForm(forms.Form):
    text = forms.CharField(label="Action item", max_length=500)
    owner = forms.ChoiceField(label="Owner")
    due_date = forms.DateField(
        label="Due date", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(
        self, *args: Any, suggestion: SuggestedActionItem, viewer: Person, **kwargs: Any
    ) -> None:
        oneonone = suggestion.report.oneonone
        self.people = {str(p.pk): p for p in oneonone.participants}
        owner = suggestion.owner_id or viewer.pk
        kwargs.setdefault(
            "initial",
            {"text": suggestion.text, "owner": str(owner), "due_date": suggestion.due_date},
        )
        # Field ids unique per suggestion: several forms share a page.
        kwargs.setdefault("auto_id", f"id_s{suggestion.pk}_%s")
        super().__init__(*args, **kwargs)
        owner_field = self.fields["owner"]
        assert isinstance(owner_field, forms.ChoiceField)
        owner_field.choices = [(pk, p.name) for pk, p in self.people.items()]

    def chosen_owner(self) -> Person:
        return self.people[self.cleaned_data["owner"]]
