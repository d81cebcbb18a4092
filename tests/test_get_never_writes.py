"""A page view never writes: a GET of any page makes no INSERT, UPDATE or DELETE.

Every URL of the app is walked; each must either be listed below with the arguments and the
persona to open it as, or be POST-only (and answer a GET with 405). The data is set up in the
states where pages used to write on view: a one-on-one whose cadence has no meeting row ahead
yet, shared notes written in bulk without their HTML, an analysis left running by a stopped
worker, a recurring survey whose new round is due but not opened and whose last round closed
without being finalised.

The test client is signed in with force_login before the GET, so the GET itself has no
session to create. The one exception is Django's password reset link, which moves its token
from the URL into the session on purpose (so that it cannot leak in a Referer header): for
that URL only, writes to the session table are allowed.
"""

from __future__ import annotations

import datetime as dt
import random
import re

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.contrib.sessions.models import Session
from django.core import signing
from django.core.cache import cache
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from tests.test_url_access import walk
from tete.accounts import actions as account_actions
from tete.api import actions as api_actions
from tete.leaders.models import PeoplePartner
from tete.mydata import erasure as mydata_erasure
from tete.mydata import exports as mydata_exports
from tete.oneonones import actions
from tete.oneonones.models import Meeting, MeetingStatus, SharedNote
from tete.people import actions as people_actions
from tete.recordings import actions as recording_actions
from tete.recordings.models import VoiceSample
from tete.reports import actions as report_actions
from tete.reports.models import Transcript, TranscriptStatus
from tete.reports.samples import generate_webvtt
from tete.surveys import actions as survey_actions
from tete.surveys import checkins
from tete.surveys.models import Round, Survey

WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE|REPLACE)\b", re.IGNORECASE)

# URL names that take no GET (the test checks that they answer GET with 405).
POST_ONLY = {
    "logout",
    "mydata:start_export",
    "mydata:confirm_erasure",
    "mydata:cancel_erasure",
    "oneonones:add_talking_point",
    "oneonones:reorder_talking_points",
    "oneonones:save_shared_note",
    "oneonones:save_private_note",
    "oneonones:add_action_item",
    "oneonones:mark_held",
    "oneonones:move_talking_point",
    "oneonones:mark_discussed",
    "oneonones:delete_talking_point",
    "oneonones:toggle_action_item",
    "oneonones:prepare_next_meeting",
    "oneonones:dismiss_flag",
    "people:deactivate",
    "people:password_reset",
    "people:reactivate",
    "people:resend_invitation",
    "people:revoke_invitation",
    "reports:retry",
    "recordings:start",
    "recordings:chunk",
    "recordings:finish",
    "recordings:continue",
    "reports:accept_suggestion",
    "reports:dismiss_suggestion",
    "surveys:question_move",
    "surveys:question_delete",
    "surveys:bank_add",
    "surveys:duplicate",
    "surveys:open",
    "surveys:close",
    "surveys:remind",
    "surveys:checkin_question_new",
    "surveys:checkin_attach",
    "surveys:checkin_detach",
    "surveys:checkin_question_move",
    "surveys:checkin_question_remove",
    "surveys:checkin_bank_add",
    "surveys:checkin_questions_reset",
    "api:revoke",
    "api:reset_feed",
    "api:stop_feed",
}


def _writes(captured: CaptureQueriesContext, *, allow_session: bool = False) -> list[str]:
    session_table = Session._meta.db_table
    return [
        query["sql"]
        for query in captured.captured_queries
        if WRITE.match(query["sql"])
        and not (allow_session and session_table in query["sql"].split("(")[0])
    ]


@pytest.fixture
def world(alice, bob, carol, admin, oneonone, meeting, team):
    """Every kind of object a page shows, in the states that used to make pages write."""
    now = timezone.now()
    point = actions.add_talking_point(meeting, by=bob, text="Roadmap")
    own_point = actions.add_talking_point(meeting, by=alice, text="Mine")
    item = actions.add_action_item(meeting, by=alice, text="Write it up", owner=bob)
    # A transcript analysed, then one left "running" by a worker that died long ago.
    vtt = generate_webvtt(random.Random(3), "Alice Martin", "Bob Jones").encode()
    report = report_actions.upload_transcript(
        meeting, by=alice, filename="a.vtt", content=vtt
    ).transcript
    stuck = report_actions.upload_transcript(
        meeting, by=alice, filename="b.vtt", content=vtt + b"\n"
    ).transcript
    Transcript.objects.filter(pk=stuck.pk).update(
        status=TranscriptStatus.RUNNING, started_at=now - dt.timedelta(days=1)
    )
    suggestion = report.report.suggestions.first()
    # A recording left unfinished in the browser, with a voice sample kept.
    recording = recording_actions.start_browser_recording(
        meeting, by=bob, consent=True, content_type="audio/webm"
    )
    recording_actions.add_chunk(recording, by=bob, index=0, data=b"webm")
    voice = VoiceSample.objects.create(recording=recording, label="voice 1", data=b"RIFF")
    # A check-in the report fills in before each meeting.
    checkin = checkins.attach_checkin(oneonone, by=alice, respondent=bob)
    checkin_question = checkin.questions.filter(retired=False).first()
    # The meeting held as bulk writers do it (no next meeting made), with bulk-written notes.
    Meeting.objects.filter(pk=meeting.pk).update(status=MeetingStatus.HELD, held_at=now)
    SharedNote.objects.create(meeting=meeting, text="**Agreed**", html="", version=1)
    ahead = actions.add_extra_meeting(oneonone, by=alice, scheduled_at=now + dt.timedelta(days=3))
    # Another one-on-one whose cadence has no meeting row ahead (its last one was held).
    lacking = actions.start_oneonone(by=alice, other=carol, cadence="weekly")
    lacking.meetings.update(status=MeetingStatus.HELD, held_at=now)
    # A weekly pulse whose last round closed last week, unfinalised; this week's is due.
    pulse = survey_actions.create_survey(
        alice,
        title="Pulse",
        audience=Survey.Audience.TEAM,
        audience_team=team,
        recurrence=Survey.Recurrence.WEEKLY,
    )
    survey_actions.add_bank_set(pulse, "enps")
    today = timezone.localdate()
    survey_actions.open_survey(pulse, today - dt.timedelta(days=9))
    assert pulse.rounds.count() == 1 and not pulse.rounds.get().finalised
    public = survey_actions.create_survey(alice, title="Feedback", audience=Survey.Audience.PUBLIC)
    survey_actions.add_bank_set(public, "enps")
    survey_actions.open_survey(public, today)
    link = survey_actions.create_invitations(public, ["Client"])[0]
    template = actions.create_template(owner=alice, name="Mine", questions=["How?"])
    invited = people_actions.invite_person(by=admin, email="new@example.com", name="New Person")
    # Bob asked to move his account to another address: the link emailed there.
    account_actions.request_email_change(bob, "bob.jones@example.org", by=bob)
    email_token = signing.dumps(
        [bob.pk, "bob.jones@example.org", True], salt=account_actions.EMAIL_CHANGE_SALT
    )
    # A copy of Alice's data, ready; an erasure of Carol's data waiting for a second staff person.
    export = mydata_exports.request_export(alice)
    mydata_exports.build(str(export.pk))  # its task runs on commit, which tests do not reach
    erasure = mydata_erasure.start_erasure(carol, by=admin)
    # Alice is people partner for her team: the leaders' view opens for her.
    PeoplePartner.objects.create(person=alice).teams.add(team)
    return {
        "export": export,
        "erasure": erasure,
        "email_token": email_token,
        "feed_secret": api_actions.reset_calendar_feed(alice),
        "oneonone": oneonone,
        "meeting": meeting,
        "ahead": ahead,
        "lacking": lacking,
        "point": point,
        "own_point": own_point,
        "item": item,
        "report": report,
        "stuck": stuck,
        "suggestion": suggestion,
        "recording": recording,
        "voice": voice,
        "checkin_question": checkin_question,
        "pulse": pulse,
        "public": public,
        "link": link,
        "template": template,
        "invitation": invited,
    }


def _pages(world, alice, bob, admin):
    """URL name → (persona, URL arguments) for every page that answers GET."""
    o, m = world["oneonone"].pk, world["meeting"].pk
    pulse = world["pulse"].pk
    uid = urlsafe_base64_encode(force_bytes(alice.pk))
    return {
        "home": (alice, {}),
        "health": (None, {}),
        "login": (None, {}),
        "password_reset": (None, {}),
        "password_reset_done": (None, {}),
        "password_reset_confirm": (
            None,
            {"uidb64": uid, "token": default_token_generator.make_token(alice)},
        ),
        "password_reset_complete": (None, {}),
        "password_change": (alice, {}),
        "password_change_done": (alice, {}),
        "confirm_email_change": (None, {"token": world["email_token"]}),
        "people:email_change": (alice, {}),
        "oneonones:list": (alice, {}),
        "oneonones:start": (alice, {}),
        "oneonones:search": (alice, {}),
        "oneonones:detail": (alice, {"pk": o}),
        "oneonones:settings": (alice, {"pk": o}),
        "oneonones:end": (alice, {"pk": o}),
        "oneonones:calendar": (alice, {"pk": o}),
        "oneonones:export": (alice, {"pk": o}),
        "oneonones:add_meeting": (alice, {"pk": o}),
        "oneonones:meeting": (alice, {"pk": m}),
        "oneonones:meeting_calendar": (alice, {"pk": world["ahead"].pk}),
        "oneonones:add_from_template": (alice, {"pk": m}),
        "oneonones:reschedule": (alice, {"pk": m}),
        "oneonones:cancel": (alice, {"pk": m}),
        "oneonones:edit_talking_point": (alice, {"pk": world["own_point"].pk}),
        "oneonones:my_action_items": (alice, {}),
        "oneonones:edit_action_item": (alice, {"pk": world["item"].pk}),
        "oneonones:delete_action_item": (alice, {"pk": world["item"].pk}),
        "oneonones:templates": (alice, {}),
        "oneonones:template_create": (alice, {}),
        "oneonones:template_edit": (alice, {"pk": world["template"].pk}),
        "oneonones:template_delete": (alice, {"pk": world["template"].pk}),
        "people:directory": (alice, {}),
        "people:profile": (alice, {}),
        "people:person": (alice, {"pk": bob.pk}),
        "people:edit": (admin, {"pk": bob.pk}),
        "people:import": (admin, {}),
        "people:invitations": (admin, {}),
        "people:accept_invitation": (None, {"token": world["invitation"].token}),
        "reports:upload": (alice, {"meeting_id": m}),
        "reports:report": (alice, {"pk": world["report"].pk}),
        "reports:status": (alice, {"pk": world["stuck"].pk}),
        "reports:speakers": (alice, {"pk": world["report"].pk}),
        "reports:delete": (alice, {"pk": world["report"].pk}),
        "reports:trends": (alice, {"oneonone_id": o}),
        "recordings:upload": (alice, {"meeting_id": m}),
        "recordings:state": (alice, {"pk": world["recording"].pk}),
        "recordings:delete": (alice, {"pk": world["recording"].pk}),
        "recordings:voice_sample": (
            alice,
            {"pk": world["recording"].pk, "sample_id": world["voice"].pk},
        ),
        "surveys:list": (bob, {}),
        "surveys:new": (alice, {}),
        "surveys:import": (alice, {}),
        "surveys:public": (None, {"token": world["link"].token}),
        "surveys:detail": (alice, {"pk": pulse}),
        "surveys:settings": (alice, {"pk": pulse}),
        "surveys:question_new": (alice, {"pk": pulse}),
        "surveys:question_edit": (
            alice,
            {"pk": pulse, "qid": world["pulse"].questions.first().pk},
        ),
        "surveys:export": (alice, {"pk": pulse}),
        "surveys:links": (alice, {"pk": world["public"].pk}),
        "surveys:results": (alice, {"pk": pulse}),
        "surveys:results_csv": (alice, {"pk": pulse}),
        "surveys:results_xlsx": (alice, {"pk": pulse}),
        "surveys:insights": (alice, {"pk": pulse}),
        "surveys:preview": (alice, {"pk": pulse}),
        "surveys:answer": (bob, {"pk": pulse}),
        "surveys:checkin_questions": (alice, {"pk": o}),
        "surveys:checkin_question_edit": (
            alice,
            {"pk": o, "qid": world["checkin_question"].pk},
        ),
        "surveys:checkin_answer": (bob, {"pk": m}),
        "mydata:home": (alice, {}),
        "mydata:export": (alice, {"export_id": world["export"].pk}),
        "mydata:download": (alice, {"export_id": world["export"].pk}),
        "mydata:access_log": (alice, {}),
        "mydata:erase": (alice, {}),
        "mydata:erasures": (admin, {}),
        "mydata:start_erasure": (admin, {"pk": bob.pk}),
        "leaders:page": (alice, {}),
        "leaders:csv": (alice, {}),
        "api:tokens": (alice, {}),
        "api:calendar_feed": (None, {"secret": world["feed_secret"]}),
        "api-v1:openapi-json": (None, {}),
        "api-v1:openapi-view": (None, {}),
    }


def _app_url_names() -> set[str]:
    from django.urls import get_resolver

    names = set()
    for _, namespace, pattern in walk(get_resolver().url_patterns):
        if namespace == "admin" or not pattern.name:
            continue
        if namespace == "api-v1" and "openapi" not in pattern.name:
            # The API's operations take a token, not a session: tests/api/test_api_get.py
            # checks that its GETs write nothing but the token's last-use time.
            continue
        names.add(f"{namespace}:{pattern.name}" if namespace else pattern.name)
    return names


def test_every_url_is_either_opened_below_or_post_only(world, alice, bob, admin, client_for):
    pages = _pages(world, alice, bob, admin)
    assert _app_url_names() - set(pages) - POST_ONLY == set()
    assert set(pages) & POST_ONLY == set()


@pytest.mark.parametrize("name", sorted(POST_ONLY))
def test_post_only_urls_refuse_get(name, world, alice, admin, client_for):
    # Staff pages check staff status first: ask them as staff.
    staff_page = name.startswith("people:") or name.endswith("_erasure")
    client = client_for(admin if staff_page else alice)
    question = (world["pulse"].pk, world["pulse"].questions.first().pk)
    url = _reverse_any(name, [(), (world["meeting"].pk,), question])
    assert client.get(url).status_code == 405


def _reverse_any(name: str, candidates: list[tuple]) -> str:
    """The URL of `name` with the first of `candidates` its pattern takes."""
    from django.urls import NoReverseMatch

    for args in candidates:
        try:
            return reverse(name, args=args)
        except NoReverseMatch:
            continue
    raise AssertionError(f"no arguments given for {name}")


def test_no_page_writes_on_get(world, alice, bob, admin, client_for):
    pages = sorted(_pages(world, alice, bob, admin).items())
    # The pages of the one-on-one with no meeting row ahead, too.
    lacking = {"pk": world["lacking"].pk}
    pages += [("oneonones:detail", (alice, lacking)), ("oneonones:calendar", (alice, lacking))]
    failures = []
    for name, (persona, kwargs) in pages:
        client = client_for(persona)
        url = reverse(name, kwargs=kwargs)
        cache.clear()
        # Each page sees the data as set up: whatever one page wrote is rolled back.
        with transaction.atomic(), CaptureQueriesContext(connection) as captured:
            response = client.get(url)
            transaction.set_rollback(True)
        if response.status_code not in (200, 204, 302):
            failures.append(f"{name} ({url}): answered {response.status_code}")
        writes = _writes(captured, allow_session=name == "password_reset_confirm")
        if writes:
            failures.append(f"{name} ({url}): {writes}")
    assert failures == [], "pages that wrote on GET:\n" + "\n".join(failures)


def test_the_check_sees_a_write(world, alice, client_for):
    """The query capture does see writes (a POST writes)."""
    client = client_for(alice)
    with CaptureQueriesContext(connection) as captured:
        client.post(
            reverse("oneonones:add_talking_point", args=[world["meeting"].pk]), {"text": "New"}
        )
    assert _writes(captured)


def test_a_due_round_is_not_opened_by_viewing_the_survey(world, alice, client_for):
    client_for(alice).get(reverse("surveys:detail", args=[world["pulse"].pk]))
    assert Round.objects.filter(survey=world["pulse"]).count() == 1
