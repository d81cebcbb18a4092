"""What the API reads and writes. Inputs refuse unknown fields; outputs carry no more than
the pages show the caller."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator


def storable_text(value: str) -> str:
    """Text a database can keep: no NUL character and no lone surrogate (neither can be
    stored in PostgreSQL, nor encoded as UTF-8)."""
    if "\x00" in value:
        raise ValueError("must not contain the NUL character")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("must be valid Unicode (a lone surrogate was sent)") from None
    return value


class In(BaseModel):
    """An input: an unknown field is an error (a typo should not be silently ignored)."""

    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="after")
    @classmethod
    def _storable(cls, value: Any) -> Any:
        return storable_text(value) if isinstance(value, str) else value


class PersonOut(BaseModel):
    id: int
    name: str


class MeOut(BaseModel):
    id: int
    name: str
    email: str
    timezone: str
    #: What this token may do: "read" or "read-write".
    token_access: str


class OneOnOneOut(BaseModel):
    id: int
    kind: str
    people: list[PersonOut]
    #: The report, mentee or client, when the kind has one.
    focus_person_id: int | None
    cadence: str
    cadence_summary: str
    timezone: str
    duration_minutes: int
    ended_at: dt.datetime | None
    created_at: dt.datetime
    url: str


class MeetingOut(BaseModel):
    id: int
    oneonone_id: int
    scheduled_at: dt.datetime
    ends_at: dt.datetime
    duration_minutes: int
    status: str
    #: The cadence slot a rescheduled meeting was moved from.
    original_scheduled_at: dt.datetime | None
    held_at: dt.datetime | None
    extra: bool
    url: str


class TalkingPointOut(BaseModel):
    id: int
    meeting_id: int
    author_id: int
    text: str
    private: bool
    discussed: bool
    position: int
    carried_over_count: int
    created_at: dt.datetime


class TalkingPointIn(In):
    text: str = Field(min_length=1, max_length=5000)
    private: bool = False


class TalkingPointChange(In):
    text: str | None = Field(default=None, min_length=1, max_length=5000)
    discussed: bool | None = None


class ActionItemOut(BaseModel):
    id: int
    oneonone_id: int
    meeting_id: int | None
    text: str
    owner_id: int
    due_date: dt.date | None
    done_at: dt.datetime | None
    created_by_id: int
    created_at: dt.datetime


class ActionItemIn(In):
    text: str = Field(min_length=1, max_length=2000)
    #: One of the two people; the caller when left out.
    owner_id: int | None = None
    due_date: dt.date | None = None


class ActionItemChange(In):
    """Reword, reassign (owner_id) or reschedule; fields left out keep their value."""

    text: str | None = Field(default=None, min_length=1, max_length=2000)
    owner_id: int | None = None
    due_date: dt.date | None = None
    #: Set to true to clear the due date.
    clear_due_date: bool = False


class SharedNoteOut(BaseModel):
    meeting_id: int
    text: str
    #: Send it back with a change; a change made on an older version is refused (409).
    version: int
    updated_by_id: int | None
    updated_at: dt.datetime | None


class SharedNoteIn(In):
    text: str = Field(max_length=100_000)
    #: The version the change was made on.
    version: int = Field(ge=0)


class CheckinAnswerOut(BaseModel):
    question: str
    answer: str


class CheckinOut(BaseModel):
    meeting_id: int
    respondent_id: int | None
    answers: list[CheckinAnswerOut]


class TranscriptOut(BaseModel):
    id: int
    meeting_id: int
    filename: str
    format: str
    size_bytes: int
    #: queued, running, failed or done.
    status: str
    failure_reason: str
    uploaded_at: dt.datetime
    finished_at: dt.datetime | None
    #: True when this exact file had been uploaded before (that transcript is returned).
    duplicate: bool = False
    report_url: str | None


class ReportOut(BaseModel):
    transcript_id: int
    meeting_id: int
    mapping_confirmed: bool
    #: The conversation report in the JSON contract of docs/metrics.md.
    report: dict[str, Any]


class SurveyOut(BaseModel):
    id: int
    title: str
    kind: str
    status: str
    anonymous: bool
    created_at: dt.datetime


class QuestionResultOut(BaseModel):
    question_id: int
    text: str
    kind: str
    #: False when the figures are withheld (too few answers, or a group that could be
    #: derived from others); `reason` says why.
    shown: bool
    reason: str
    answered: int | None
    distribution: list[tuple[str, int]]
    average: float | None
    enps: int | None
    comments: list[str]


class GroupOut(BaseModel):
    slug: str
    label: str


class SurveyResultsOut(BaseModel):
    survey_id: int
    #: The minimum number of answers a figure needs.
    min_group_size: int
    round: int | None
    rounds: list[int]
    responded: int | None
    invited: int | None
    #: False while nothing may be shown (too few answers, or the round is still open).
    shown: bool
    pending_reason: str
    group: str | None
    groups: list[GroupOut]
    questions: list[QuestionResultOut]


class RecordingFileOut(BaseModel):
    filename: str
    size_bytes: int
    #: When this track starts in the conversation, in seconds (one file per person).
    offset_s: float
    #: Whose voice the uploader said the file is, if they said.
    person_id: int | None


class RecordingOut(BaseModel):
    id: int
    meeting_id: int
    #: tracks, channels, one_microphone or browser.
    kind: str
    #: "recording" while a browser recording takes sound, then queued, running, failed or
    #: done (the analysis).
    status: str
    #: The analysis's progress, 0–100, while it runs.
    progress: int
    failure_reason: str
    created_by_id: int
    created_at: dt.datetime
    #: A browser recording: when both people agreed to it.
    consent_given_at: dt.datetime | None
    #: When the sound was deleted (after the analysis); what it found stays.
    sound_deleted_at: dt.datetime | None
    files: list[RecordingFileOut]
    transcript_id: int | None
    report_url: str | None
