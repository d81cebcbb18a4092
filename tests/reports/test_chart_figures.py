"""Every chart gives its figures as text too: a summary in its label, a table under it."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from tete.oneonones.models import Meeting, MeetingStatus
from tete.reports import actions
from tete.reports.models import ConversationReport
from tete.reports.presenters import present

from .conftest import sample_vtt


@pytest.fixture
def three_reports(oneonone, alice):
    """Three held meetings a week apart, each with an analysed transcript."""
    now = timezone.now()
    for week in range(3):
        meeting = Meeting.objects.create(
            oneonone=oneonone,
            scheduled_at=now - dt.timedelta(weeks=3 - week),
            status=MeetingStatus.HELD,
        )
        actions.upload_transcript(
            meeting,
            by=alice,
            filename=f"w{week}.vtt",
            content=sample_vtt(seed=40 + week, lead_share=0.7 - week * 0.1, minutes=3),
        )
    return oneonone


def figures_table(html: str) -> str:
    match = re.search(r'<details class="chart-figures">.*?</details>', html, re.S)
    assert match, "no figures under the charts"
    return match.group(0)


def test_the_one_on_one_page_lists_the_talk_share_and_interruptions_it_charts(
    client_for, alice, three_reports
):
    html = client_for(alice).get(reverse("oneonones:detail", args=[three_reports.pk])).content
    table = figures_table(html.decode())
    reports = ConversationReport.objects.filter(oneonone=three_reports).select_related("meeting")
    rows = re.findall(r"<tr><th scope=\"row\">.*?</tr>", table, re.S)
    assert len(rows) == 3
    newest = max(reports, key=lambda r: r.meeting.scheduled_at)
    share = f"{newest.first_share:.0%} / {newest.second_share:.0%}"
    interruptions = f"{newest.first_interruptions} / {newest.second_interruptions}"
    assert f"<td>{share}</td><td>{interruptions}</td>" in rows[0]
    # The charts themselves say the latest figures in their label, on the same meeting.
    date = re.search(r'<th scope="row"><a [^>]*>([^<]+)</a>', rows[0]).group(1)
    label = f"Latest, {date}: Alice {newest.first_share:.0%}, Bob {newest.second_share:.0%}."
    assert label in html.decode()


def test_the_report_lists_the_sentiment_it_charts(client_for, alice, transcript):
    report = ConversationReport.objects.get(transcript=transcript)
    slices = report.data["sentiment"]["over_time"]
    assert len(slices) >= 2
    figures = present(report, report.oneonone).sentiment_figures
    assert figures is not None and figures.people == ["Alice Martin", "Bob Jones"]
    assert figures.rows[0][0] == "0 s"
    first = slices[0]["speakers"]
    expected = ["—" if first.get(n) is None else f"{first[n]:+.1f}" for n in figures.people]
    assert figures.rows[0][1] == expected
    html = client_for(alice).get(reverse("reports:report", args=[transcript.pk])).content.decode()
    table = figures_table(html)
    assert table.count('<tr><th scope="row">') == len(slices)
    assert '<th scope="col" class="num">Bob Jones</th>' in table
