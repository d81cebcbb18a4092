"""Every kind of page the app serves, on the demo organisation, with the person who opens it.

One list for the browser checks that walk every page (the Content-Security-Policy, and any
other check of all pages). The fixture `demo_page_kinds` is offered to every browser test
(tests/browser/conftest.py); a test opens the pages, for each viewer, in a context signed in
as them:

    from tests.browser.page_kinds import by_viewer, signed_in_page

    def test_something(browser, live_server, demo_page_kinds):
        for viewer, kinds in by_viewer(demo_page_kinds).items():
            context, page = signed_in_page(browser, live_server, viewer)
            for kind in kinds:
                response = page.goto(live_server.url + kind.path)
                assert response.status == kind.status, kind.name

A new kind of page belongs here.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from itertools import groupby

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from tete.demo.people import DEMO_PASSWORD


@dataclass(frozen=True)
class PageKind:
    name: str
    path: str
    #: The demo person's email who opens it; None: someone not signed in.
    viewer: str | None
    status: int = 200


ALICE = "alice@demo.example.com"  # a manager: one-on-ones, reports, a team pulse
BOB = "bob@demo.example.com"  # her report
KOFI = "kofi@demo.example.com"  # a coach with a public feedback form
ADMIN = "admin@demo.example.com"  # staff: people, Django's admin


def by_viewer(kinds: list[PageKind]) -> dict[str | None, list[PageKind]]:
    """The kinds grouped by who opens them, in the list's order within each group."""
    ordered = sorted(kinds, key=lambda kind: kind.viewer or "")
    return {viewer: list(group) for viewer, group in groupby(ordered, key=lambda k: k.viewer)}


def signed_in_page(browser, live_server, viewer: str | None, **context_args):
    """A new browser context and page, signed in as ``viewer`` through the form (or not)."""
    context = browser.new_context(**context_args)
    # Generous: a walk of every page on a busy machine, where the demo's heavier pages (survey
    # results) can take long to render.
    context.set_default_timeout(90_000)
    page = context.new_page()
    if viewer is not None:
        page.goto(live_server.url + "/login/")
        page.get_by_label("Email").fill(viewer)
        page.get_by_label("Password").fill(DEMO_PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(live_server.url + "/")
    return context, page


@pytest.fixture
def demo_page_kinds(transactional_db) -> list[PageKind]:
    """The demo organisation built in the test database, and every page kind on it."""
    from django.conf import settings

    from tete import limits
    from tete.accounts.models import Person
    from tete.demo import oneonones as demo_oneonones
    from tete.demo import people as demo_people
    from tete.demo import reports as demo_reports
    from tete.demo import surveys as demo_surveys
    from tete.oneonones import actions
    from tete.oneonones.models import MeetingStatus, OneOnOne
    from tete.people import actions as people_actions
    from tete.reports.models import Transcript
    from tete.surveys import actions as survey_actions
    from tete.surveys.models import Invitation, Participation, Survey

    rng = random.Random(7)
    org = demo_people.build(rng)
    demo_oneonones.build(org, rng)
    demo_surveys.build(org, rng)
    demo_reports.build(org, rng)

    alice = Person.objects.get(email=ALICE)
    bob = Person.objects.get(email=BOB)
    oneonone = OneOnOne.objects.get(first=alice, second=bob)
    o = oneonone.pk
    held = oneonone.meetings.filter(status=MeetingStatus.HELD).latest("scheduled_at")
    upcoming = actions.ensure_next_meeting(oneonone)
    assert upcoming is not None
    point = actions.add_talking_point(upcoming, by=alice, text="Hiring plan for Q3")
    actions.add_talking_point(upcoming, by=bob, text="Conference budget")
    item = actions.add_action_item(upcoming, by=alice, text="Share the roadmap", owner=alice)
    template = actions.create_template(owner=alice, name="Quarterly", questions=["What went well?"])
    transcript = Transcript.objects.filter(meeting__oneonone=oneonone).latest("pk")
    # A recording made in the browser and analysed (an estimate, with voice samples), and
    # one left unfinished.
    from tests.recordings.factories import analysed_recording
    from tete.recordings import actions as recording_actions

    recorded = analysed_recording(held, alice)
    unfinished = recording_actions.start_browser_recording(
        upcoming, by=bob, consent=True, content_type="audio/webm"
    )
    pulse = Survey.objects.get(title="Platform weekly pulse")
    question = pulse.questions.filter(retired=False).first()
    assert question is not None
    survey_actions.ensure_current_round(pulse)
    # Someone who has this week's pulse still to answer (its workload questions are conditional).
    waiting = Participation.objects.filter(
        round__survey=pulse, responded_on__isnull=True, round=pulse.rounds.latest("pk")
    ).select_related("person")[0]
    coaching = Survey.objects.get(title="Coaching session feedback")
    public_link = Invitation.objects.filter(survey=coaching, responded_on__isnull=True).first()
    assert public_link is not None
    invited = people_actions.invite_person(
        by=Person.objects.get(email=ADMIN), email="dana@demo.example.com", name="Dana Reyes"
    )
    # The link in a reset email (it redirects to a page that no longer shows the token).
    uid, token = urlsafe_base64_encode(force_bytes(bob.pk)), default_token_generator.make_token(bob)
    # A meeting ahead whose check-in Bob fills in.
    checkin_meeting = oneonone.meetings.filter(status=MeetingStatus.SCHEDULED).first()
    assert checkin_meeting is not None
    # Bob has searched as much as he may for now: his next search is refused.
    from tete.api import actions as api_actions

    api_actions.create_token(alice, name="Tracker sync", can_write=True)
    api_actions.reset_calendar_feed(alice)
    searches, _per_seconds = settings.TETE_RATE_LIMITS["searches"]
    for _ in range(searches):
        limits.check("searches", f"person:{bob.pk}")
    # A copy of Alice's data, ready; one of Bob's still being made; an erasure waiting.
    from tete.mydata import erasure as mydata_erasure
    from tete.mydata import exports as mydata_exports

    ready_export = mydata_exports.request_export(alice)
    mydata_exports.build(str(ready_export.pk))
    pending_export = mydata_exports.request_export(bob)
    carol_like = Person.objects.filter(is_staff=False, is_active=True).exclude(
        pk__in=[alice.pk, bob.pk]
    )[0]
    mydata_erasure.start_erasure(carol_like, by=Person.objects.get(email=ADMIN))

    return [
        # Not signed in
        PageKind("sign-in", "/login/", None),
        PageKind("password reset", "/password/reset/", None),
        PageKind("password reset sent", "/password/reset/sent/", None),
        PageKind("password reset link that no longer works", "/password/reset/MQ/x-y/", None),
        PageKind("password reset complete", "/password/reset/done/", None),
        PageKind("password reset new password", f"/password/reset/{uid}/{token}/", None),
        PageKind("joining from an invitation", f"/people/invitations/{invited.token}/", None),
        PageKind("public survey link", f"/surveys/r/{public_link.token}/", None),
        PageKind("page not found", "/no-such-page/", None, status=404),
        PageKind("API documentation", "/api/v1/docs", None),
        # A manager
        PageKind("home", "/", ALICE),
        PageKind("one-on-ones", "/one-on-ones/", ALICE),
        PageKind("start a one-on-one", "/one-on-ones/new/", ALICE),
        PageKind("one-on-one", f"/one-on-ones/{o}/", ALICE),
        PageKind("one-on-one settings", f"/one-on-ones/{o}/settings/", ALICE),
        PageKind("conversation trends", f"/one-on-ones/{o}/trends/", ALICE),
        PageKind("extra meeting", f"/one-on-ones/{o}/meetings/new/", ALICE),
        PageKind("meeting held", f"/meetings/{held.pk}/", ALICE),
        PageKind("meeting ahead, agenda to drag", f"/meetings/{upcoming.pk}/", ALICE),
        PageKind("reschedule", f"/meetings/{upcoming.pk}/reschedule/", ALICE),
        PageKind("cancel", f"/meetings/{upcoming.pk}/cancel/", ALICE),
        PageKind("add from a template", f"/meetings/{upcoming.pk}/from-template/", ALICE),
        PageKind("talking point edit", f"/talking-points/{point.pk}/edit/", ALICE),
        PageKind("transcript upload", f"/meetings/{upcoming.pk}/transcripts/", ALICE),
        PageKind("conversation report", f"/transcripts/{transcript.pk}/", ALICE),
        PageKind("who is who", f"/transcripts/{transcript.pk}/speakers/", ALICE),
        PageKind("transcript delete", f"/transcripts/{transcript.pk}/delete/", ALICE),
        PageKind("record or upload a recording", f"/meetings/{upcoming.pk}/recordings/", ALICE),
        PageKind("report on a recording", f"/transcripts/{recorded.transcript_id}/", ALICE),
        PageKind(
            "who is who, voices to listen to",
            f"/transcripts/{recorded.transcript_id}/speakers/",
            ALICE,
        ),
        PageKind("recording delete", f"/recordings/{unfinished.pk}/delete/", ALICE),
        PageKind("action items", "/action-items/", ALICE),
        PageKind("action item edit", f"/action-items/{item.pk}/edit/", ALICE),
        PageKind("action item delete", f"/action-items/{item.pk}/delete/", ALICE),
        PageKind("search", "/one-on-ones/search/?q=review", ALICE),
        PageKind("templates", "/templates/", ALICE),
        PageKind("template new", "/templates/new/", ALICE),
        PageKind("template edit", f"/templates/{template.pk}/edit/", ALICE),
        PageKind("template delete", f"/templates/{template.pk}/delete/", ALICE),
        PageKind("check-in questions", f"/surveys/checkins/{o}/questions/", ALICE),
        PageKind("check-in", f"/surveys/checkins/meetings/{upcoming.pk}/", ALICE),
        PageKind("people directory", "/people/", ALICE),
        PageKind("person", f"/people/{bob.pk}/", ALICE),
        PageKind("own profile", "/people/me/", ALICE),
        PageKind("password change", "/password/change/", ALICE),
        PageKind("own data", "/my-data/", ALICE),
        PageKind("own data copy, ready", f"/my-data/exports/{ready_export.pk}/", ALICE),
        PageKind("own access log", "/my-data/access-log/", ALICE),
        PageKind("erase own data", "/my-data/erase/", ALICE),
        PageKind("somebody else's data copy", f"/my-data/exports/{pending_export.pk}/", ALICE, 404),
        PageKind("tokens and calendar feed", "/me/tokens/", ALICE),
        PageKind("surveys", "/surveys/", ALICE),
        PageKind("survey new", "/surveys/new/", ALICE),
        PageKind("survey import", "/surveys/import/", ALICE),
        PageKind("survey builder", f"/surveys/{pulse.pk}/", ALICE),
        PageKind("survey settings", f"/surveys/{pulse.pk}/settings/", ALICE),
        PageKind("survey question new", f"/surveys/{pulse.pk}/questions/new/", ALICE),
        PageKind("survey question", f"/surveys/{pulse.pk}/questions/{question.pk}/", ALICE),
        PageKind("survey results", f"/surveys/{pulse.pk}/results/", ALICE),
        PageKind("survey insights", f"/surveys/{pulse.pk}/insights/", ALICE),
        PageKind("survey preview", f"/surveys/{pulse.pk}/preview/", ALICE),
        PageKind("somebody else's one-on-one", "/one-on-ones/999999/", ALICE, status=404),
        PageKind("staff only", "/people/invitations/", ALICE, status=403),
        # Her report
        PageKind("check-in answer", f"/surveys/checkins/meetings/{checkin_meeting.pk}/", BOB),
        PageKind("own profile, as a report", "/people/me/", BOB),
        PageKind("password changed", "/password/change/done/", BOB),
        PageKind("own data copy, as a report", f"/my-data/exports/{pending_export.pk}/", BOB),
        # Her report, past his limit of searches
        PageKind("too many requests", "/one-on-ones/search/?q=plan", BOB, status=429),
        # Someone answering
        PageKind("survey answer", f"/surveys/{pulse.pk}/answer/", waiting.person.email),
        # A coach
        PageKind("survey public links", f"/surveys/{coaching.pk}/links/", KOFI),
        # Staff
        PageKind("invitations", "/people/invitations/", ADMIN),
        PageKind("people import", "/people/import/", ADMIN),
        PageKind("person edit", f"/people/{bob.pk}/edit/", ADMIN),
        PageKind("erasures waiting", "/my-data/erasures/", ADMIN),
        PageKind("start an erasure", f"/my-data/erasures/people/{bob.pk}/", ADMIN),
        PageKind("admin", "/admin/", ADMIN),
        PageKind("admin people", "/admin/accounts/person/", ADMIN),
        PageKind("admin person", f"/admin/accounts/person/{bob.pk}/change/", ADMIN),
        PageKind("admin person add", "/admin/accounts/person/add/", ADMIN),
        PageKind("admin teams", "/admin/accounts/team/", ADMIN),
        PageKind("admin sign-in attempts", "/admin/axes/accessattempt/", ADMIN),
    ]
