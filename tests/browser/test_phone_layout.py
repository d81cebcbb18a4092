"""On a phone no page scrolls sideways: what is wide (tables, charts) scrolls inside its card.

Checked on the demo organisation, whose pages hold realistic amounts of everything, and on
the page `tete analyze --format html` writes.
"""

from __future__ import annotations

import random

import pytest

from tests.conversation.support import fixture
from tete.conversation import analyze, read
from tete.conversation.render_html import render_html
from tete.demo import oneonones as demo_oneonones
from tete.demo import people as demo_people
from tete.demo import reports as demo_reports
from tete.demo import surveys as demo_surveys
from tete.demo.people import DEMO_PASSWORD
from tete.oneonones.models import MeetingStatus, OneOnOne
from tete.reports.models import Transcript
from tete.surveys.models import Survey

pytestmark = pytest.mark.slow
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def demo_pages(transactional_db) -> dict[str, list[str]]:
    """The pages to look at, by the demo person who sees them."""
    rng = random.Random(7)
    org = demo_people.build(rng)
    demo_oneonones.build(org, rng)
    demo_surveys.build(org, rng)
    demo_reports.build(org, rng)
    oneonone = OneOnOne.objects.get(
        first__email="alice@demo.example.com", second__email="bob@demo.example.com"
    )
    meeting = oneonone.meetings.filter(status=MeetingStatus.HELD).latest("scheduled_at")
    transcript = Transcript.objects.filter(meeting__oneonone=oneonone).latest("pk")
    pulse = Survey.objects.get(title="Platform weekly pulse")
    return {
        "alice@demo.example.com": [
            "/",
            "/one-on-ones/",
            f"/one-on-ones/{oneonone.pk}/",
            f"/one-on-ones/{oneonone.pk}/trends/",
            f"/meetings/{meeting.pk}/",
            f"/transcripts/{transcript.pk}/",
            f"/meetings/{meeting.pk}/recordings/",
            "/action-items/",
            "/surveys/",
            f"/surveys/{pulse.pk}/",
            f"/surveys/{pulse.pk}/results/",
            f"/surveys/{pulse.pk}/insights/",
            "/one-on-ones/search/?q=review",
            "/templates/",
            "/my-data/",
            "/my-data/access-log/",
            "/my-data/erase/",
        ],
        "admin@demo.example.com": [
            "/people/",
            "/people/invitations/",
            "/people/import/",
            "/my-data/erasures/",
        ],
    }


def test_no_page_is_wider_than_a_phone(browser, live_server, demo_pages):
    too_wide = []
    for email, paths in demo_pages.items():
        context = browser.new_context(viewport=PHONE)
        page = context.new_page()
        page.goto(live_server.url + "/login/")
        page.get_by_label("Email").fill(email)
        page.get_by_label("Password").fill(DEMO_PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(live_server.url + "/")
        for path in paths:
            response = page.goto(live_server.url + path)
            assert response is not None and response.status == 200, path
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > PHONE["width"]:
                too_wide.append((path, width))
        context.close()
    assert too_wide == []


def test_the_html_report_is_not_wider_than_a_phone(browser, tmp_path):
    report = analyze(read(fixture("teams.vtt")), text_analysis=True)
    page_file = tmp_path / "report.html"
    page_file.write_text(render_html([report]), encoding="utf-8")
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.goto(page_file.as_uri())
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    # The timeline keeps a legible size and scrolls inside its own box instead.
    timeline = page.locator(".timeline")
    assert timeline.evaluate("box => box.scrollWidth > box.clientWidth")
    bar = page.get_by_role("img", name="Bob Okafor: 59%, target 40%–60%")
    assert bar.bounding_box()["width"] > 60
    context.close()
