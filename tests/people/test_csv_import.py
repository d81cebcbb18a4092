"""csv_import.parse_people_csv: every bad row reported by line, nothing accepted from a bad file."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tete.people.csv_import import PersonRow, parse_people_csv

LIMIT = 1024 * 1024
HEADER = "name,email,title,team,manager email\n"


def parse(text: str | bytes, existing: dict[str, str | None] | None = None, limit: int = LIMIT):
    data = text.encode() if isinstance(text, str) else text
    return parse_people_csv(data, existing or {}, limit)


def messages(result) -> list[str]:
    return [str(error) for error in result.errors]


def test_it_reads_a_good_file_with_managers_later_in_the_file():
    result = parse(
        HEADER
        + "Bob Jones,BOB@example.com,Engineer,Platform,alice@example.com\n"
        + "Alice Martin,alice@example.com,Manager,Platform,\n"
    )
    assert result.ok
    assert result.rows == [
        PersonRow(2, "Bob Jones", "bob@example.com", "Engineer", "Platform", "alice@example.com"),
        PersonRow(3, "Alice Martin", "alice@example.com", "Manager", "Platform", ""),
    ]


def test_a_manager_may_be_an_existing_person():
    result = parse(HEADER + "Bob,bob@example.com,,,boss@example.com\n", {"boss@example.com": None})
    assert result.ok


def test_absent_optional_columns_are_left_unchanged():
    result = parse("Email,Name\nbob@example.com,Bob\n")
    assert result.ok
    assert result.rows == [PersonRow(2, "Bob", "bob@example.com", None, None, None)]


def test_column_names_are_matched_loosely():
    result = parse(" NAME , E-mail ,Manager_Email\nBob,bob@example.com,\n")
    assert messages(result) == [
        "Line 1: Unknown column “E-mail”; use name, email, title, team, manager email.",
        "Line 1: The header has no “email” column.",
    ]
    assert parse(" NAME , Email ,Manager_Email\nBob,bob@example.com,\n").ok


def test_it_reports_every_bad_row_by_line_number():
    result = parse(
        HEADER
        + "Good One,good@example.com,,,\n"  # line 2
        + ",nobody-named@example.com,,,\n"  # line 3
        + "No Email,,,,\n"  # line 4
        + "Bad Email,not-an-email,,,\n"  # line 5
        + "Again,GOOD@example.com,,,\n"  # line 6
        + "Bad Manager,bm@example.com,,,not a manager\n"  # line 7
        + "Self,self@example.com,,,self@example.com\n"  # line 8
    )
    assert not result.ok
    assert messages(result) == [
        "Line 3: The name is missing.",
        "Line 4: The email is missing.",
        "Line 5: “not-an-email” is not a valid email address.",
        "Line 6: The email good@example.com already appears on line 2.",
        "Line 7: The manager email “not a manager” is not a valid email address.",
        "Line 8: A person cannot be their own manager.",
    ]


def test_one_row_with_several_problems_lists_them_all():
    result = parse(HEADER + ",,,,\n".replace(",,,,", "  ,  ,x,y,z"))
    assert messages(result) == [
        "Line 2: The name is missing; the email is missing; "
        "the manager email “z” is not a valid email address."
    ]


def test_an_unknown_manager_is_reported():
    result = parse(HEADER + "Bob,bob@example.com,,,ghost@example.com\n")
    assert messages(result) == [
        "Line 2: The manager ghost@example.com is neither in this file nor an existing person."
    ]


def test_a_manager_cycle_inside_the_file_is_reported_on_every_row_in_it():
    result = parse(
        HEADER
        + "A,a@example.com,,,b@example.com\n"
        + "B,b@example.com,,,c@example.com\n"
        + "C,c@example.com,,,a@example.com\n"
        + "D,d@example.com,,,a@example.com\n"
    )
    assert [e.line for e in result.errors] == [2, 3, 4]
    assert "a@example.com → b@example.com → c@example.com → a@example.com" in messages(result)[0]


def test_a_cycle_through_an_existing_person_is_reported():
    # The boss already reports to bob; making bob report to the boss would close a loop.
    existing = {"boss@example.com": "bob@example.com", "bob@example.com": None}
    result = parse(HEADER + "Bob,bob@example.com,,,boss@example.com\n", existing)
    assert [e.line for e in result.errors] == [2]
    assert "cycle" in messages(result)[0]


def test_a_file_can_break_an_existing_cycle_risk_by_moving_both_people():
    existing = {"boss@example.com": "bob@example.com", "bob@example.com": None}
    result = parse(
        HEADER + "Bob,bob@example.com,,,boss@example.com\nBoss,boss@example.com,,,\n", existing
    )
    assert result.ok


def test_unknown_and_duplicate_columns_are_reported_on_line_1():
    result = parse("name,email,phone,email\nBob,bob@example.com,123,x\n")
    assert messages(result) == [
        "Line 1: Unknown column “phone”; use name, email, title, team, manager email.",
        "Line 1: The column “email” appears twice.",
    ]
    assert result.rows == []


def test_a_header_without_required_columns_is_reported():
    assert messages(parse("title,team\nx,y\n")) == [
        "Line 1: The header has no “name” column.",
        "Line 1: The header has no “email” column.",
    ]


def test_a_file_that_is_not_utf8_names_the_line():
    data = (HEADER + "Ann,ann@example.com,,,\nZoë,zoe@example.com,,,\n").encode("latin-1")
    result = parse(data)
    assert [e.line for e in result.errors] == [3]
    assert "not UTF-8" in messages(result)[0]


def test_a_byte_order_mark_is_accepted():
    assert parse(("\ufeff" + HEADER + "Zoë,zoe@example.com,,,\n").encode()).ok


def test_an_oversized_file_is_refused_before_reading():
    result = parse(HEADER + "Bob,bob@example.com,,,\n", limit=10)
    assert not result.ok
    assert "limit is 10 bytes" in messages(result)[0]
    assert result.rows == []


def test_an_empty_file_and_a_header_only_file_are_refused():
    assert messages(parse("")) == ["Line 1: The file is empty: it needs a header row."]
    assert messages(parse(HEADER)) == ["Line 1: The file has a header row but no people."]


def test_blank_lines_are_skipped_and_line_numbers_stay_true():
    result = parse(HEADER + "\nBob,bob@example.com,,,\n\n,bad,,,\n")
    assert messages(result) == ["Line 5: The name is missing; “bad” is not a valid email address."]


def test_a_quoted_field_spanning_lines_keeps_later_line_numbers_right():
    result = parse(HEADER + 'Bob,bob@example.com,"Engineer,\nplatform",,\n,x@example.com,,,\n')
    assert messages(result) == ["Line 4: The name is missing."]


def test_too_many_values_on_a_row_is_reported():
    result = parse("name,email\nBob,bob@example.com,extra\n")
    assert messages(result) == ["Line 2: 3 values but the header has 2 columns."]


def test_overlong_values_are_reported():
    result = parse(HEADER + f"{'x' * 151},long@example.com,,{'t' * 101},\n")
    assert messages(result) == [
        "Line 2: The name is longer than 150 characters; the team is longer than 100 characters."
    ]


@pytest.mark.parametrize("delimiter", [";", "\t"])
def test_semicolon_and_tab_separated_files_are_read(delimiter):
    text = f"name{delimiter}email\nBob{delimiter}bob@example.com\n"
    assert parse(text).rows == [PersonRow(2, "Bob", "bob@example.com")]


def test_spaces_inside_values_are_tidied():
    result = parse("name,email,team\n  Bob   Jones ,  bob@example.com , Platform  Team\n")
    assert result.rows[0].name == "Bob Jones"
    assert result.rows[0].team == "Platform Team"


@given(st.binary(max_size=300))
def test_any_bytes_give_rows_or_errors_never_an_exception(data):
    result = parse_people_csv(data, {}, LIMIT)
    assert result.ok == (result.errors == [])
    if not result.ok:
        assert all(error.line >= 0 for error in result.errors)
