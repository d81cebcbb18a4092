"""Survey JSON export/import and results as CSV or XLSX.

Spreadsheet cells never start with a character that makes a formula (DESIGN.md "dangerous
constructs"): such text gets a leading apostrophe. Anonymous results are exported as the
same thresholded aggregates the results page shows — never one row per response, which
would let a spreadsheet cross-tabulate groups below the minimum.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from tete.surveys.models import Question, Survey
from tete.surveys.results import Results

FORMAT = "tete-survey"
FORMAT_VERSION = 1
MAX_IMPORT_BYTES = 256 * 1024
MAX_QUESTIONS = 100
MAX_CHOICES = 30
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class ImportError_(ValueError):
    """The uploaded file is not a survey export we can read; the message says why."""


def safe_cell(value: Any) -> Any:
    """Text that a spreadsheet would run as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def question_to_dict(question: Question, index_of: Mapping[int, int]) -> dict[str, Any]:
    data: dict[str, Any] = {"kind": question.kind, "text": question.text}
    if question.key:
        data["key"] = question.key
    if question.help_text:
        data["help_text"] = question.help_text
    if not question.required:
        data["required"] = False
    if question.choices:
        data["choices"] = list(question.choices)
    for name in ("scale_low_label", "scale_high_label"):
        if getattr(question, name):
            data[name] = getattr(question, name)
    if question.show_if_question_id is not None and question.show_if_question_id in index_of:
        data["show_if"] = {
            "index": index_of[question.show_if_question_id],
            "values": list(question.show_if_values),
        }
    return data


def survey_to_dict(survey: Survey) -> dict[str, Any]:
    questions = list(survey.questions.filter(retired=False))
    index_of = {q.id: i for i, q in enumerate(questions)}
    return {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "title": survey.title,
        "description": survey.description,
        "anonymous": survey.anonymous,
        "recurrence": survey.recurrence,
        "questions": [question_to_dict(q, index_of) for q in questions],
    }


def _text(item: Mapping[str, Any], name: str, limit: int, required: bool = False) -> str:
    value = item.get(name, "")
    if not isinstance(value, str):
        raise ImportError_(f"“{name}” must be text.")
    value = value.strip()
    if required and not value:
        raise ImportError_(f"“{name}” is missing.")
    if len(value) > limit:
        raise ImportError_(f"“{name}” is longer than {limit} characters.")
    return value


def parse_survey_json(raw: bytes) -> dict[str, Any]:
    """Validate an export; returns clean data or raises ImportError_ with a clear message."""
    if len(raw) > MAX_IMPORT_BYTES:
        raise ImportError_(f"The file is larger than {MAX_IMPORT_BYTES // 1024} KB.")
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ImportError_("The file is not valid JSON.") from exc
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ImportError_("The file is not a Tête-à-tête survey export.")
    if data.get("version") != FORMAT_VERSION:
        raise ImportError_(f"Unsupported export version {data.get('version')!r}.")
    questions = data.get("questions")
    if not isinstance(questions, list) or not questions:
        raise ImportError_("The export has no questions.")
    if len(questions) > MAX_QUESTIONS:
        raise ImportError_(f"An export may hold at most {MAX_QUESTIONS} questions.")
    clean: list[dict[str, Any]] = []
    for number, item in enumerate(questions, start=1):
        if not isinstance(item, dict):
            raise ImportError_(f"Question {number} is not an object.")
        try:
            clean.append(_clean_question(item, len(clean)))
        except ImportError_ as exc:
            raise ImportError_(f"Question {number}: {exc}") from exc
    recurrence = data.get("recurrence", Survey.Recurrence.ONCE)
    if recurrence not in Survey.Recurrence.values:
        raise ImportError_("Unknown recurrence.")
    return {
        "title": _text(data, "title", 200, required=True),
        "description": _text(data, "description", 2000),
        "anonymous": bool(data.get("anonymous", True)),
        "recurrence": recurrence,
        "questions": clean,
    }


def _clean_question(item: Mapping[str, Any], earlier: int) -> dict[str, Any]:
    kind = item.get("kind")
    if kind not in Question.Kind.values:
        raise ImportError_(f"unknown kind {kind!r}.")
    clean: dict[str, Any] = {
        "kind": kind,
        "text": _text(item, "text", 300, required=True),
        "help_text": _text(item, "help_text", 300),
        "required": bool(item.get("required", True)),
        "scale_low_label": _text(item, "scale_low_label", 60),
        "scale_high_label": _text(item, "scale_high_label", 60),
        "key": _text(item, "key", 40),
        "choices": [],
    }
    if kind in {"single", "multi"}:
        choices = item.get("choices")
        if (
            not isinstance(choices, list)
            or not 2 <= len(choices) <= MAX_CHOICES
            or not all(isinstance(c, str) and 0 < len(c.strip()) <= 100 for c in choices)
        ):
            raise ImportError_(f"needs 2 to {MAX_CHOICES} choices of up to 100 characters.")
        clean["choices"] = [c.strip() for c in choices]
    show_if = item.get("show_if")
    if show_if is not None:
        if (
            not isinstance(show_if, dict)
            or not isinstance(show_if.get("index"), int)
            or not 0 <= show_if["index"] < earlier
            or not isinstance(show_if.get("values"), list)
            or not all(isinstance(v, str) for v in show_if["values"])
        ):
            raise ImportError_("“show_if” must name an earlier question and a list of values.")
        clean["show_if"] = {"index": show_if["index"], "values": show_if["values"][:MAX_CHOICES]}
    return clean


# ---------------------------------------------------------------- results


HEADER = ["round", "group", "question", "answer", "count", "percent", "average", "eNPS"]


def result_rows(results: Results) -> Iterable[list[Any]]:
    """The figures the results page shows, one row per answer option or comment; a question
    whose figures are hidden gets one row that says why."""
    round_label = f"#{results.selected.round.number}" if results.selected else ""
    group_label = results.labels[results.group.slug] if results.group else "Everyone"
    yield HEADER
    if results.awaits_close:
        yield [round_label, group_label, "", f"({results.pending_reason})"]
        return
    for qr in [*results.questions, *results.retired]:
        if not qr.shown:
            yield [round_label, group_label, qr.question.text, f"({qr.reason})"]
            continue
        total = sum(n for _, n in qr.distribution) or 1
        for label, count in qr.distribution:
            yield [
                round_label,
                group_label,
                qr.question.text,
                label,
                count,
                round(100 * count / total),
                qr.average if qr.average is not None else "",
                qr.enps if qr.enps is not None else "",
            ]
        for comment in qr.comments:
            yield [round_label, group_label, qr.question.text, comment, 1, "", "", ""]


def response_rows(survey: Survey, results: Results) -> Iterable[list[Any]]:
    """Named surveys only: one row per response, with the respondent's name."""
    questions = [q for q in survey.questions.all()]
    yield ["round", "respondent", "submitted", *[q.text for q in questions]]
    for round_result in results.rounds:
        for response in round_result.responses:
            yield [
                f"#{round_result.round.number}",
                response.respondent.name if response.respondent else "",
                response.submitted_at.isoformat() if response.submitted_at else "",
                *[_answer_text(response.answers.get(str(q.id))) for q in questions],
            ]


def _answer_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return str(value)


def to_csv(rows: Iterable[Sequence[Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
    return buffer.getvalue()


def to_xlsx(rows: Iterable[Sequence[Any]], title: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Results"
    for row in rows:
        sheet.append([safe_cell(cell) for cell in row])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    # Belt and braces: openpyxl treats a str starting with "=" as a formula; make every text
    # cell an explicit string so nothing is evaluated even if an escape were missed.
    for sheet_row in sheet.iter_rows():
        for cell in sheet_row:
            if isinstance(cell.value, str):
                cell.data_type = "s"
    workbook.properties.title = title[:200]
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
