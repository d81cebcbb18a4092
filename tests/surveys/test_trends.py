"""Trend charts: the check-in trend runs over the meetings' dates, the eNPS trend plots eNPS."""

from __future__ import annotations

import datetime as dt
import re

from django.template import engines
from django.urls import reverse

from tests.surveys.conftest import answers_for
from tete.oneonones import actions as oneonone_actions
from tete.surveys import actions, checkins, results, sections


def x_axis_labels(svg: str) -> list[str]:
    """The text of the labels under a chart (those at its bottom edge)."""
    height = re.search(r'viewBox="0 0 \d+ (\d+)"', svg).group(1)
    bottom = int(height) - 8
    return re.findall(rf'<text x="[\d.]+" y="{bottom}"[^>]*>([^<]*)</text>', svg)


def test_the_check_in_trend_is_drawn_over_the_meetings_dates(oneonone, alice, bob):
    survey = checkins.attach_checkin(oneonone, by=alice, respondent=bob)
    mood = survey.questions.get(key="mood")
    workload = survey.questions.get(key="workload")
    days = []
    for value in ("2", "4", "3", "5"):
        meeting = oneonone_actions.ensure_next_meeting(oneonone)
        days.append(meeting.scheduled_at.astimezone(oneonone.tzinfo).date())
        checkins.submit_checkin(meeting, bob, {str(mood.pk): value, str(workload.pk): "3"})
        oneonone_actions.mark_meeting_held(meeting, by=alice)
    assert checkins.trend(oneonone)["dates"] == days
    html = (
        engines["jinja2"]
        .get_template("surveys/_checkin_trend.html")
        .render({"oneonone": oneonone, "user": alice, "trend": sections.checkin_trend(oneonone)})
    )
    mood_chart = html.split("<svg")[1]
    labels = x_axis_labels("<svg" + mood_chart)
    # Dates, not 1, 2, 3…: the first, the last and one between, on a narrow chart.
    assert labels[0] == f"{days[0].day} {days[0]:%b}"
    assert labels[-1] == f"{days[-1].day} {days[-1]:%b}"
    assert len(labels) == 3 and not any(label.isdigit() for label in labels)
    assert f"{days[0]:%-d %b}" in html and f"{days[-1]:%-d %b %Y}" in html  # the caption


def test_the_enps_trend_plots_enps_per_round_above_the_minimum(client_for, alice, pulse, crowd):
    pulse.recurrence = "weekly"
    pulse.status = "open"
    start = dt.date.today() - dt.timedelta(days=14)
    pulse.opens_on = start
    pulse.save()
    people = crowd(6)
    scores = [
        [10, 10, 9, 6, 3],  # 3 promoters, 2 detractors of 5: +20 (an average of 7.6)
        [10, 9, 8, 8, 7, 5],  # 2 and 1 of 6: +17
        [10, 10, 10, 10],  # 4 answers: under the minimum group size, not shown
    ]
    for week, round_scores in enumerate(scores):
        day = start + dt.timedelta(days=7 * week)
        round_ = actions.ensure_current_round(pulse, day, notify=False)
        for person, score in zip(people, round_scores, strict=False):
            actions.submit_response(round_, person, answers_for(pulse, nps=score), day)
    nps = pulse.questions.get(kind="nps")
    built = results.build(pulse, None, None)
    assert built.trends[nps.pk] == [("#1", 20), ("#2", 17), ("#3", None)]
    url = reverse("surveys:results", args=[pulse.pk]) + "?round=2"
    page = client_for(alice).get(url).content.decode()
    section = page.split("eNPS by round", 1)[1]
    svg = section[section.index("<svg") : section.index("</svg>")]
    # Its own scale, −100 to +100, with the axis named.
    assert ">-100<" in svg and ">0<" in svg and ">100<" in svg and ">eNPS<" in svg
    assert "#1: +20 · #2: +17 · #3: not shown" in section
    assert "at least 5 answers" in section
