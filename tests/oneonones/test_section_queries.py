"""The page query says whether a section has anything to read; an empty section asks nothing.

The one-on-one page reads whether the pair has conversation reports and a check-in, the
meeting page whether its one-on-one has a check-in and the meeting transcripts or unfinished
recordings (tete.prepared.known_none). A section known to be empty skips its own query; one
with rows reads and shows them as before.
"""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.reports.conftest import sample_vtt
from tete.recordings.models import Recording, RecordingKind, RecordingState
from tete.reports import actions as report_actions
from tete.surveys import checkins

SECTION_TABLES = {
    "reports_conversationreport",
    "reports_transcript",
    "recordings_recording",
    "surveys_survey",
}


def tables_read_first(client, url: str) -> tuple[set[str], str]:
    """The table each query of the page reads from first (its own FROM), and the page."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    tables = {main_table(query["sql"]) for query in captured.captured_queries}
    return tables, response.content.decode()


def main_table(sql: str) -> str | None:
    """The table after the statement's own FROM: not one in a subquery (in brackets)."""
    depth = 0
    for token in re.finditer(r'[()]|\bFROM\s+"?(\w+)"?', sql):
        if token.group(0) == "(":
            depth += 1
        elif token.group(0) == ")":
            depth -= 1
        elif depth == 0:
            return token.group(1)
    return None


def test_main_table_skips_subqueries():
    sql = 'SELECT EXISTS(SELECT 1 FROM "surveys_survey" U0) AS "x" FROM "oneonones_meeting" WHERE'
    assert main_table(sql) == "oneonones_meeting"


@pytest.fixture(params=[True, False], ids=["page cache", "no page cache"])
def page_cache(request, settings):
    settings.TETE_PAGE_CACHE = request.param
    return request.param


def test_empty_sections_ask_nothing_and_full_ones_show_their_rows(
    page_cache, client_for, oneonone, meeting, alice, bob
):
    client = client_for(alice)
    detail = reverse("oneonones:detail", args=[oneonone.pk])
    meeting_page = reverse("oneonones:meeting", args=[meeting.pk])
    client.get(detail)  # the CSRF cookie, so that a page may be cached

    for url in (detail, meeting_page):
        tables, page = tables_read_first(client, url)
        assert not tables & SECTION_TABLES, url
    # What the empty sections say is still said.
    assert "Upload a transcript on a meeting" in tables_read_first(client, detail)[1]

    checkins.attach_checkin(oneonone, by=alice, respondent=bob)
    report_actions.upload_transcript(
        meeting, by=alice, filename="meeting.vtt", content=sample_vtt()
    )
    Recording.objects.create(
        meeting=meeting,
        kind=RecordingKind.BROWSER,
        created_by=alice,
        state=RecordingState.RECORDING,
    )

    tables, page = tables_read_first(client, detail)
    assert {"reports_conversationreport", "surveys_survey"} <= tables
    assert "How your conversations go" in page and "All charts" in page
    assert "Bob fills them in before each meeting" in page

    tables, page = tables_read_first(client, meeting_page)
    assert {"reports_transcript", "recordings_recording"} <= tables
    assert "meeting.vtt" in page
    assert "Continue recording" in page


def test_a_stopped_check_in_still_shows_its_answers_on_the_one_on_one_page(
    client_for, oneonone, alice, bob
):
    """Stopping a check-in keeps the survey row: the page still reads its trend."""
    survey = checkins.attach_checkin(oneonone, by=alice, respondent=bob)
    checkins.detach_checkin(oneonone)
    survey.refresh_from_db()
    tables, _ = tables_read_first(
        client_for(alice), reverse("oneonones:detail", args=[oneonone.pk])
    )
    assert "surveys_survey" in tables
