"""Parse and validate a people CSV file. Pure: no database, no I/O; actions.py does the write.

The file has a header row naming its columns: name, email, title, team, manager email.
Every problem is reported with its line number, and a file with any problem is imported
not at all, so a half-applied import never leaves the organisation in an odd state.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

if TYPE_CHECKING:
    from _csv import Reader

# Accepted spellings of each column, after lower-casing and trimming.
COLUMNS = {
    "name": "name",
    "email": "email",
    "title": "title",
    "team": "team",
    "manager email": "manager_email",
    "manager_email": "manager_email",
    "manager": "manager_email",
}
REQUIRED = ("name", "email")
MAX_LENGTHS = {"name": 150, "email": 254, "title": 150, "team": 100}


@dataclass(frozen=True)
class PersonRow:
    """One valid row. Optional columns absent from the file are None (left unchanged)."""

    line: int
    name: str
    email: str
    title: str | None = None
    team: str | None = None
    manager_email: str | None = None


@dataclass(frozen=True)
class RowError:
    line: int
    message: str

    def __str__(self) -> str:
        return f"Line {self.line}: {self.message}"


@dataclass
class ParsedFile:
    rows: list[PersonRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def parse_people_csv(
    data: bytes, existing_managers: Mapping[str, str | None], max_bytes: int
) -> ParsedFile:
    """Validate every row of `data` and return the rows, or every error found.

    `existing_managers` maps each existing person's email (lower case) to their manager's email
    (or None); it lets a row name an existing person as manager and lets cycles through
    existing people be found.
    """
    result = ParsedFile()
    if len(data) > max_bytes:
        result.errors.append(
            RowError(0, f"The file is {len(data):,} bytes; the limit is {max_bytes:,} bytes.")
        )
        return result
    text = _decode(data, result)
    if text is None:
        return result
    reader = csv.reader(io.StringIO(text, newline=""), dialect=_dialect(text))
    header = _read_header(reader, result)
    if header is None:
        return result
    seen_emails = _read_rows(reader, header, result)
    if not result.rows and not result.errors:
        result.errors.append(RowError(1, "The file has a header row but no people."))
    # Checked even when some rows are bad, so one upload reports every problem at once.
    _check_managers(result, existing_managers, seen_emails)
    result.errors.sort(key=lambda e: e.line)
    return result


def _decode(data: bytes, result: ParsedFile) -> str | None:
    try:
        # utf-8-sig: spreadsheet programs often start a UTF-8 file with a byte-order mark.
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        result.errors.append(
            RowError(
                line,
                "The file is not UTF-8 text. Save it as “CSV UTF-8” from your spreadsheet "
                "program and upload it again.",
            )
        )
        return None


def _dialect(text: str) -> type[csv.Dialect]:
    # Spreadsheets in many European locales write semicolons; tabs come from copy-paste.
    first_line = text.split("\n", 1)[0]
    if "," not in first_line:
        if ";" in first_line:
            return _Semicolon
        if "\t" in first_line:
            return csv.excel_tab
    return csv.excel


class _Semicolon(csv.excel):
    delimiter = ";"


def _read_header(reader: Reader, result: ParsedFile) -> list[str] | None:
    try:
        raw = next(reader)
    except StopIteration:
        result.errors.append(RowError(1, "The file is empty: it needs a header row."))
        return None
    except csv.Error as error:
        result.errors.append(RowError(reader.line_num, f"Not readable as CSV ({error})."))
        return None
    header: list[str] = []
    line = reader.line_num
    for cell in raw:
        label = " ".join(cell.strip().lower().split())
        column = COLUMNS.get(label)
        if column is None:
            known = "name, email, title, team, manager email"
            shown = cell.strip() or "(an empty column name)"
            result.errors.append(RowError(line, f"Unknown column “{shown}”; use {known}."))
        elif column in header:
            result.errors.append(RowError(line, f"The column “{cell.strip()}” appears twice."))
        header.append(column or "")
    for column in REQUIRED:
        if column not in header:
            result.errors.append(RowError(line, f"The header has no “{column}” column."))
    result.columns = [c for c in header if c]
    return None if result.errors else header


def _read_rows(reader: Reader, header: list[str], result: ParsedFile) -> set[str]:
    """Validate each row on its own; return every well-formed email seen, bad rows included."""
    first_line_of: dict[str, int] = {}
    while True:
        start = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            return set(first_line_of)
        except csv.Error as error:
            result.errors.append(RowError(start, f"Not readable as CSV ({error})."))
            return set(first_line_of)
        if not any(cell.strip() for cell in cells):
            continue  # blank lines are common at the end of exported files
        if len(cells) > len(header):
            result.errors.append(
                RowError(start, f"{len(cells)} values but the header has {len(header)} columns.")
            )
            continue
        values = {
            column: " ".join(cell.split()) for column, cell in zip(header, cells, strict=False)
        }
        row = _validate_row(start, values, first_line_of, result)
        if row is not None:
            result.rows.append(row)


def _validate_row(
    line: int, values: dict[str, str], first_line_of: dict[str, int], result: ParsedFile
) -> PersonRow | None:
    errors: list[str] = []
    name = values.get("name", "")
    email = values.get("email", "").lower()
    manager_email = values.get("manager_email", "").lower()
    if not name:
        errors.append("the name is missing")
    if not email:
        errors.append("the email is missing")
    elif not _is_email(email):
        errors.append(f"“{email}” is not a valid email address")
    elif email in first_line_of:
        errors.append(f"the email {email} already appears on line {first_line_of[email]}")
    else:
        first_line_of[email] = line
    if manager_email:
        if not _is_email(manager_email):
            errors.append(f"the manager email “{manager_email}” is not a valid email address")
        elif manager_email == email:
            errors.append("a person cannot be their own manager")
    for column, limit in MAX_LENGTHS.items():
        if len(values.get(column, "")) > limit:
            errors.append(f"the {column} is longer than {limit} characters")
    if errors:
        message = "; ".join(errors)
        result.errors.append(RowError(line, message[0].upper() + message[1:] + "."))
        return None
    return PersonRow(
        line=line,
        name=name,
        email=email,
        title=values.get("title") if "title" in result.columns else None,
        team=values.get("team") if "team" in result.columns else None,
        manager_email=(manager_email or "") if "manager_email" in result.columns else None,
    )


def _is_email(value: str) -> bool:
    try:
        validate_email(value)
    except ValidationError:
        return False
    return True


def _check_managers(
    result: ParsedFile, existing_managers: Mapping[str, str | None], seen_emails: set[str]
) -> None:
    """Every manager must exist (in the file or already), and the hierarchy must stay a tree.

    A manager on a row that has other problems still counts as "in the file": that row's own
    error already tells what to fix.
    """
    managers: dict[str, str | None] = dict.fromkeys(seen_emails)
    managers.update(existing_managers)
    for row in result.rows:
        if row.manager_email is not None:
            managers[row.email] = row.manager_email or None
        else:
            managers.setdefault(row.email, None)
    for row in result.rows:
        if row.manager_email and row.manager_email not in managers:
            result.errors.append(
                RowError(
                    row.line,
                    f"The manager {row.manager_email} is neither in this file nor an "
                    "existing person.",
                )
            )
    for row in result.rows:
        chain = _manager_chain(row.email, managers)
        if chain is not None:
            shown = " → ".join(chain)
            result.errors.append(
                RowError(row.line, f"Managers form a cycle: {shown}. A manager chain must end.")
            )


def _manager_chain(email: str, managers: Mapping[str, str | None]) -> list[str] | None:
    """The chain from `email` back to itself if following managers loops to it, else None."""
    chain = [email]
    seen = {email}
    current = managers.get(email)
    while current is not None:
        chain.append(current)
        if current == email:
            return chain
        if current in seen:
            return None  # a cycle further up, reported on its own rows
        seen.add(current)
        current = managers.get(current)
    return None
