"""The page cache: every write the pages show makes them render again; nothing leaks.

Each write test loads the home, one-on-one and meeting pages until they come from the cache,
makes the change through its action, and loads them again: all three render afresh and the
change is there.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.messages import constants, get_messages
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.reports.conftest import sample_vtt
from tete.oneonones import actions, page_cache, queries, versions
from tete.oneonones.models import Meeting, OneOnOne, TalkingPoint
from tete.people import actions as people_actions
from tete.reports import actions as report_actions
from tete.reports.models import Transcript
from tete.surveys import checkins


def signed_in(person) -> Client:
    client = Client()
    client.force_login(person)
    return client


def get(client: Client, url: str, **extra: Any):
    response = client.get(url, **extra)
    assert response.status_code == 200, url
    return response


def warm(client: Client, url: str) -> None:
    """Load until the page comes from the cache (a first page sets the CSRF cookie)."""
    if "csrftoken" not in client.cookies:
        assert get(client, url).page_cache == "skip"  # no CSRF secret to key the forms on
    get(client, url)
    assert get(client, url).page_cache == "hit"


@dataclass
class Pages:
    alice: Client
    bob: Client
    oneonone: OneOnOne
    meeting: Meeting
    settings: Any
    # The pages as rendered right after the write, by (client, page).
    fresh: dict[tuple[int, str], str] = field(default_factory=dict)

    def urls(self) -> dict[str, str]:
        return {
            "home": reverse("home"),
            "oneonone": reverse("oneonones:detail", args=[self.oneonone.pk]),
            "meeting": reverse("oneonones:meeting", args=[self.meeting.pk]),
        }

    def warm_all(self) -> None:
        for client in (self.alice, self.bob):
            for url in self.urls().values():
                if client.get(url).status_code == 302:  # deactivated: signed out
                    continue
                warm(client, url)

    def reload_all(self) -> None:
        """Load every page again: each must be rendered afresh, not served from the cache."""
        for client in (self.alice, self.bob):
            for page, url in self.urls().items():
                response = client.get(url)
                if response.status_code == 302:  # deactivated: signed out
                    continue
                assert response.status_code == 200, url
                assert response.page_cache != "hit", (page, url)
                self.fresh[id(client), page] = response.content.decode()

    def text(self, client: Client, page: str) -> str:
        return self.fresh[id(client), page]


@pytest.fixture
def pages(alice, bob, oneonone, meeting, settings) -> Pages:
    return Pages(signed_in(alice), signed_in(bob), oneonone, meeting, settings)


def _points(meeting: Meeting, person, *texts: str) -> list[TalkingPoint]:
    return [actions.add_talking_point(meeting, by=person, text=t) for t in texts]


# Each write is a generator: set-up (before the pages are cached), yield, the write, yield,
# then checks on the pages as rendered right after the write.


def _contains(p: Pages, client: Client, page: str, text: str) -> None:
    assert text in p.text(client, page), (page, text)


def _lacks(p: Pages, client: Client, page: str, text: str) -> None:
    assert text not in p.text(client, page), (page, text)


WRITES: dict[str, Callable[[Pages, Any, Any], Any]] = {}


def write(name: str) -> Callable[[Callable[[Pages, Any, Any], Any]], Callable]:
    def register(function: Callable[[Pages, Any, Any], Any]) -> Callable:
        WRITES[name] = function
        return function

    return register


@write("add talking point")
def _(p: Pages, alice, bob):
    yield
    actions.add_talking_point(p.meeting, by=bob, text="Budget for the offsite")
    yield
    _contains(p, p.alice, "meeting", "Budget for the offsite")
    _contains(p, p.alice, "oneonone", "Budget for the offsite")
    _contains(p, p.alice, "home", "1 talking point")


@write("move talking point")
def _(p: Pages, alice, bob):
    _alpha, omega = _points(p.meeting, alice, "Alpha topic", "Omega topic")
    yield
    actions.move_talking_point(omega, by=alice, direction="up")
    yield
    html = p.text(p.alice, "meeting")
    assert html.index("Omega topic") < html.index("Alpha topic")


@write("reorder talking points")
def _(p: Pages, alice, bob):
    alpha, omega = _points(p.meeting, alice, "Alpha topic", "Omega topic")
    yield
    actions.reorder_talking_points(p.meeting, by=bob, ordered_ids=[omega.pk, alpha.pk])
    yield
    for client in (p.alice, p.bob):
        html = p.text(client, "meeting")
        assert html.index("Omega topic") < html.index("Alpha topic")
        html = p.text(client, "oneonone")
        assert html.index("Omega topic") < html.index("Alpha topic")


@write("edit talking point")
def _(p: Pages, alice, bob):
    (point,) = _points(p.meeting, alice, "Alpha topic")
    yield
    actions.edit_talking_point(point, by=alice, text="Alpha topic, rewritten")
    yield
    _contains(p, p.bob, "meeting", "Alpha topic, rewritten")
    _contains(p, p.bob, "oneonone", "Alpha topic, rewritten")


@write("mark discussed")
def _(p: Pages, alice, bob):
    (point,) = _points(p.meeting, alice, "Alpha topic")
    yield
    actions.mark_discussed(point, by=alice)
    yield
    _contains(p, p.bob, "meeting", "point point--discussed")


@write("delete talking point")
def _(p: Pages, alice, bob):
    (point,) = _points(p.meeting, bob, "Alpha topic")
    yield
    actions.delete_talking_point(point, by=bob)
    yield
    _lacks(p, p.alice, "meeting", "Alpha topic")
    _lacks(p, p.alice, "oneonone", "Alpha topic")


@write("mark held carries over")
def _(p: Pages, alice, bob):
    _points(p.meeting, alice, "Alpha topic")
    yield
    actions.mark_meeting_held(p.meeting, by=alice)
    yield
    _contains(p, p.alice, "meeting", "badge--ok")
    _contains(p, p.alice, "oneonone", "Carried over 1×")


@write("add from template")
def _(p: Pages, alice, bob):
    template = actions.create_template(owner=alice, name="Retro", questions=["What went well?"])
    yield
    actions.add_from_template(p.meeting, by=alice, template=template)
    yield
    _contains(p, p.bob, "meeting", "What went well?")


@write("create template")
def _(p: Pages, alice, bob):
    yield
    actions.create_template(owner=alice, name="Quarterly look back", questions=["How was it?"])
    yield
    _contains(p, p.alice, "meeting", "Quarterly look back")


@write("delete template")
def _(p: Pages, alice, bob):
    template = actions.create_template(owner=alice, name="Quarterly look back", questions=["?"])
    yield
    actions.delete_template(template, by=alice)
    yield
    _lacks(p, p.alice, "meeting", "Quarterly look back")


@write("edit template")
def _(p: Pages, alice, bob):
    template = actions.create_template(owner=alice, name="Quarterly look back", questions=["?"])
    yield
    actions.update_template(
        template, by=alice, name="Half-year look back", questions=["?"], category="other"
    )
    yield
    _contains(p, p.alice, "meeting", "Half-year look back")
    _lacks(p, p.alice, "meeting", "Quarterly look back")


@write("shared note")
def _(p: Pages, alice, bob):
    yield
    actions.save_shared_note(p.meeting, text="We agreed on **Friday**", base_version=0, by=bob)
    yield
    _contains(p, p.alice, "meeting", "<strong>Friday</strong>")


@write("private note")
def _(p: Pages, alice, bob):
    yield
    actions.save_private_note(p.meeting, by=alice, text="Ask about the move")
    yield
    _contains(p, p.alice, "meeting", "Ask about the move")
    _lacks(p, p.bob, "meeting", "Ask about the move")


@write("add action item")
def _(p: Pages, alice, bob):
    yield
    actions.add_action_item(p.meeting, by=alice, text="Draft the plan", owner=bob)
    yield
    _contains(p, p.bob, "home", "Draft the plan")
    _contains(p, p.alice, "oneonone", "Draft the plan")
    _contains(p, p.alice, "meeting", "Draft the plan")


@write("complete action item")
def _(p: Pages, alice, bob):
    item = actions.add_action_item(p.meeting, by=alice, text="Draft the plan", owner=bob)
    yield
    actions.complete_action_item(item, by=bob)
    yield
    _lacks(p, p.bob, "home", "Draft the plan")
    _lacks(p, p.alice, "oneonone", "Draft the plan")


@write("edit action item")
def _(p: Pages, alice, bob):
    item = actions.add_action_item(p.meeting, by=alice, text="Draft the plan", owner=bob)
    yield
    actions.update_action_item(item, by=bob, text="Draft the budget", owner=alice, due_date=None)
    yield
    _lacks(p, p.bob, "home", "Draft the")  # no longer Bob's
    _contains(p, p.alice, "home", "Draft the budget")
    _contains(p, p.alice, "oneonone", "Draft the budget")
    _contains(p, p.bob, "meeting", "Draft the budget")


@write("delete action item")
def _(p: Pages, alice, bob):
    item = actions.add_action_item(p.meeting, by=alice, text="Draft the plan", owner=bob)
    yield
    actions.delete_action_item(item, by=alice)
    yield
    _lacks(p, p.bob, "home", "Draft the plan")
    _lacks(p, p.alice, "oneonone", "Draft the plan")
    _lacks(p, p.bob, "meeting", "Draft the plan")


@write("reopen action item")
def _(p: Pages, alice, bob):
    item = actions.add_action_item(p.meeting, by=alice, text="Draft the plan", owner=bob)
    actions.complete_action_item(item, by=bob)
    yield
    actions.reopen_action_item(item, by=bob)
    yield
    _contains(p, p.bob, "home", "Draft the plan")
    _contains(p, p.alice, "oneonone", "Draft the plan")


@write("complete action item of an ended one-on-one")
def _(p: Pages, alice, bob):
    item = actions.add_action_item(p.meeting, by=alice, text="Draft the plan", owner=bob)
    actions.end_oneonone(p.oneonone, by=alice)
    yield
    actions.complete_action_item(item, by=bob)
    yield
    _lacks(p, p.bob, "home", "Draft the plan")
    _lacks(p, p.alice, "oneonone", "Draft the plan")
    _contains(p, p.alice, "meeting", "Reopen: Draft the plan")


@write("reopen action item of an ended one-on-one")
def _(p: Pages, alice, bob):
    item = actions.add_action_item(p.meeting, by=alice, text="Draft the plan", owner=bob)
    actions.complete_action_item(item, by=bob)
    actions.end_oneonone(p.oneonone, by=alice)
    yield
    actions.reopen_action_item(item, by=alice)
    yield
    _contains(p, p.bob, "home", "Draft the plan")
    _contains(p, p.alice, "oneonone", "Draft the plan")
    _contains(p, p.bob, "meeting", "Mark done: Draft the plan")


@write("reschedule")
def _(p: Pages, alice, bob):
    yield
    when = p.meeting.scheduled_at + dt.timedelta(days=1)
    actions.reschedule_meeting(p.meeting, by=alice, scheduled_at=when, reason="Offsite")
    yield
    _contains(p, p.alice, "meeting", "Reason: Offsite")
    _contains(p, p.bob, "home", "Rescheduled")
    _contains(p, p.bob, "oneonone", "Offsite")


@write("cancel")
def _(p: Pages, alice, bob):
    yield
    actions.cancel_meeting(p.meeting, by=alice, reason="Sick")
    yield
    _contains(p, p.alice, "meeting", "Reason: Sick")
    _contains(p, p.bob, "oneonone", "Sick")


@write("planned next meeting made")
def _(p: Pages, alice, bob):
    # No meeting row ahead (held in bulk): the pages show the planned one, with no link.
    Meeting.objects.filter(pk=p.meeting.pk).update(status="held", held_at=timezone.now())
    yield
    # What "Open meeting" on a planned meeting, and the hourly reminders job, do.
    made = actions.ensure_next_meeting(p.oneonone)
    yield
    _contains(p, p.bob, "oneonone", reverse("oneonones:meeting", args=[made.pk]))
    _contains(p, p.alice, "home", reverse("oneonones:meeting", args=[made.pk]))


@write("extra meeting")
def _(p: Pages, alice, bob):
    yield
    when = p.meeting.scheduled_at + dt.timedelta(days=2)
    extra = actions.add_extra_meeting(p.oneonone, by=alice, scheduled_at=when)
    yield
    _contains(p, p.bob, "oneonone", reverse("oneonones:meeting", args=[extra.pk]))
    _contains(p, p.bob, "home", reverse("oneonones:meeting", args=[extra.pk]))


@write("settings")
def _(p: Pages, alice, bob):
    yield
    actions.update_oneonone_settings(
        p.oneonone,
        by=alice,
        kind="mentoring",
        focus_person=bob,
        cadence="biweekly",
        weekday=2,
        time_of_day=dt.time(9, 0),
        duration_minutes=45,
        tz="Europe/Paris",
    )
    yield
    _contains(p, p.bob, "oneonone", "Mentoring")
    _contains(p, p.bob, "home", "Mentoring")


@write("end")
def _(p: Pages, alice, bob):
    yield
    actions.end_oneonone(p.oneonone, by=bob)
    yield
    _contains(p, p.alice, "oneonone", "This one-on-one ended")
    _contains(p, p.alice, "home", "No meetings ahead")


@write("transcript upload")
def _(p: Pages, alice, bob):
    yield
    report_actions.upload_transcript(p.meeting, by=alice, filename="standup.vtt", content=VTT)
    yield
    _contains(p, p.bob, "meeting", "standup.vtt")


@write("transcript analysed by the worker")
def _(p: Pages, alice, bob):
    with _database_tasks():
        result = report_actions.upload_transcript(
            p.meeting, by=alice, filename="standup.vtt", content=VTT
        )
    yield
    # What `tete worker` runs for the queued task.
    assert report_actions.run_analysis(result.transcript.pk) == "done"
    yield
    html = p.text(p.bob, "meeting")
    assert "Done" in html and "Queued" not in html


@write("transcript fails in the worker")
def _(p: Pages, alice, bob):
    with _database_tasks():
        result = report_actions.upload_transcript(
            p.meeting, by=alice, filename="notes.txt", content=b"no speakers here at all"
        )
    yield
    assert report_actions.run_analysis(result.transcript.pk) == "failed"
    yield
    _contains(p, p.bob, "meeting", "Failed")


@write("transcript requeued")
def _(p: Pages, alice, bob):
    with _database_tasks():
        result = report_actions.upload_transcript(
            p.meeting, by=alice, filename="standup.vtt", content=VTT
        )
    long_ago = timezone.now() - dt.timedelta(hours=2)
    Transcript.objects.filter(pk=result.transcript.pk).update(status="running", started_at=long_ago)
    yield
    with _database_tasks():
        assert report_actions.requeue_stuck_transcripts() == [result.transcript.pk]
    yield
    html = p.text(p.bob, "meeting")
    assert "Queued" in html and "Running" not in html


@write("speaker mapping")
def _(p: Pages, alice, bob):
    transcript = _analysed(p, alice)
    yield
    with _database_tasks():
        report_actions.save_speaker_mapping(
            transcript, by=alice, mapping={"Alice Martin": alice.pk, "Bob Jones": bob.pk}
        )
    yield
    _contains(p, p.bob, "meeting", "Queued")


@write("transcript deleted")
def _(p: Pages, alice, bob):
    transcript = _analysed(p, alice)
    yield
    report_actions.delete_transcript(transcript, by=bob)
    yield
    _lacks(p, p.alice, "meeting", "standup.vtt")


@write("suggestion accepted")
def _(p: Pages, alice, bob):
    suggestion = _analysed(p, alice).report.suggestions.first()
    yield
    report_actions.accept_suggestion(
        suggestion, by=bob, owner=bob, due_date=None, text="Write the alerting proposal"
    )
    yield
    _contains(p, p.bob, "home", "Write the alerting proposal")
    _contains(p, p.alice, "meeting", "Write the alerting proposal")


@write("suggestion dismissed")
def _(p: Pages, alice, bob):
    suggestion = _analysed(p, alice).report.suggestions.first()
    yield
    report_actions.dismiss_suggestion(suggestion, by=bob)
    yield


@write("retention purge")
def _(p: Pages, alice, bob):
    _analysed(p, alice)
    yield
    p.settings.TETE_TRANSCRIPT_RETENTION_DAYS = 1
    later = timezone.now() + dt.timedelta(days=3)
    assert report_actions.purge_expired_transcripts(now=later) == 1
    yield


@write("check-in attached")
def _(p: Pages, alice, bob):
    yield
    checkins.attach_checkin(p.oneonone, by=alice, respondent=bob)
    yield
    _contains(p, p.bob, "meeting", "Fill in the check-in")


@write("check-in answered")
def _(p: Pages, alice, bob):
    survey = checkins.attach_checkin(p.oneonone, by=alice, respondent=bob)
    yield
    mood = survey.questions.get(key="mood")
    checkins.submit_checkin(p.meeting, bob, {str(mood.pk): "4"})
    yield
    html = p.text(p.alice, "meeting")
    assert "from Bob" in html and "Fill in the check-in" not in html


@write("check-in detached")
def _(p: Pages, alice, bob):
    checkins.attach_checkin(p.oneonone, by=alice, respondent=bob)
    yield
    checkins.detach_checkin(p.oneonone)
    yield
    _lacks(p, p.bob, "meeting", "Fill in the check-in")


@write("profile edited")
def _(p: Pages, alice, bob):
    yield
    people_actions.update_profile(
        bob, name="Robert Jones", title="Engineer", timezone_name="UTC", location=""
    )
    yield
    for page in ("home", "oneonone", "meeting"):
        _contains(p, p.alice, page, "Robert Jones")


@write("deactivated")
def _(p: Pages, alice, bob):
    yield
    people_actions.deactivate_person(bob, by=alice)
    yield
    _contains(p, p.alice, "oneonone", "account is deactivated")


@write("reactivated")
def _(p: Pages, alice, bob):
    people_actions.deactivate_person(bob, by=alice)
    yield
    people_actions.reactivate_person(bob)
    yield
    _lacks(p, p.alice, "oneonone", "account is deactivated")


@write("person edited in the admin")
def _(p: Pages, alice, bob):
    yield
    person = get_user_model().objects.get(pk=bob.pk)
    person.name = "Robert Jones"
    person.save()  # what Django's admin does
    yield
    _contains(p, p.alice, "oneonone", "Robert Jones")


VTT = sample_vtt()


class _database_tasks:
    """Queue tasks instead of running them, as with `tete worker`."""

    def __enter__(self) -> None:
        from django.test import override_settings

        self.override = override_settings(
            TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
        )
        self.override.enable()

    def __exit__(self, *exc: object) -> None:
        self.override.disable()


def _analysed(p: Pages, alice) -> Transcript:
    result = report_actions.upload_transcript(
        p.meeting, by=alice, filename="standup.vtt", content=VTT
    )
    return result.transcript


@pytest.mark.parametrize("name", list(WRITES))
def test_every_write_renders_the_pages_again(name, pages, alice, bob):
    steps = WRITES[name](pages, alice, bob)
    next(steps)  # set-up
    pages.warm_all()
    next(steps)  # the write
    pages.reload_all()
    with pytest.raises(StopIteration):
        next(steps)  # the checks


def test_a_planned_next_meeting_changes_the_key_without_a_write(pages, alice):
    for page in ("home", "oneonone"):
        warm(pages.alice, pages.urls()[page])
    # The upcoming meeting went away behind the pages' back (a bulk change, no version bump).
    Meeting.objects.filter(pk=pages.meeting.pk).update(status="held", held_at=timezone.now())
    planned = queries.planned_next_meeting(pages.oneonone)
    for page in ("home", "oneonone"):
        response = get(pages.alice, pages.urls()[page])
        assert response.page_cache == "miss", page
        assert f'datetime="{planned.scheduled_at.isoformat()}"' in response.content.decode()
    # Shown as planned; made only by an action or the reminders job.
    assert not Meeting.objects.filter(oneonone=pages.oneonone, status="scheduled").exists()
    prepare = reverse("oneonones:prepare_next_meeting", args=[pages.oneonone.pk])
    assert prepare in get(pages.alice, pages.urls()["oneonone"]).content.decode()


def test_saving_a_one_on_one_whole_does_not_undo_a_bump(oneonone):
    stale = OneOnOne.objects.get(pk=oneonone.pk)
    versions.bump(oneonone.pk)
    stale.kind = "peer"
    stale.save()
    oneonone.refresh_from_db()
    assert oneonone.content_version == stale.content_version + 1
    assert oneonone.kind == "peer"


def test_the_pages_are_served_from_the_cache_until_a_write(pages):
    url = pages.urls()["meeting"]
    warm(pages.alice, url)
    assert get(pages.alice, url).page_cache == "hit"
    actions.add_talking_point(pages.meeting, by=pages.meeting.oneonone.second, text="New")
    assert get(pages.alice, url).page_cache == "miss"
    assert get(pages.alice, url).page_cache == "hit"


def test_overdue_flags_change_the_next_day(pages, alice, bob, monkeypatch):
    today = timezone.localdate(timezone=bob.tzinfo)
    actions.add_action_item(
        pages.meeting, by=alice, text="File the report", owner=bob, due_date=today
    )
    url = pages.urls()["home"]
    warm(pages.bob, url)
    assert "overdue" not in get(pages.bob, url).content.decode()
    real_now = timezone.now
    monkeypatch.setattr(timezone, "now", lambda: real_now() + dt.timedelta(days=1))
    response = get(pages.bob, url)
    assert response.page_cache == "miss"
    assert "1 overdue" in response.content.decode()


def test_the_viewers_timezone_is_part_of_the_key(pages, bob):
    url = pages.urls()["meeting"]
    warm(pages.bob, url)
    people_actions.update_profile(
        bob, name=bob.name, title=bob.title, timezone_name="Asia/Tokyo", location=""
    )
    assert get(pages.bob, url).page_cache == "miss"


# --- Privacy ---------------------------------------------------------------------------------


def test_one_persons_cached_page_is_never_served_to_another(pages, alice, bob, carol, admin):
    actions.add_talking_point(pages.meeting, by=alice, text="zebra-point-41", private=True)
    actions.save_private_note(pages.meeting, by=alice, text="zebra-note-42")
    for url in pages.urls().values():
        warm(pages.alice, url)
        assert "zebra" in get(pages.alice, url).content.decode() or url == reverse("home")
    # bob, with alice's CSRF cookie copied into his browser, still gets his own pages.
    pages.bob.cookies["csrftoken"] = pages.alice.cookies["csrftoken"].value
    for page in ("home", "oneonone", "meeting"):
        response = get(pages.bob, pages.urls()[page])
        assert response.page_cache != "hit"
        assert "zebra" not in response.content.decode()
        assert "Alice Martin</span>" not in response.content.decode()  # not alice's menu
    for outsider in (carol, admin):
        client = signed_in(outsider)
        client.cookies["csrftoken"] = pages.alice.cookies["csrftoken"].value
        for page in ("oneonone", "meeting"):
            assert client.get(pages.urls()[page]).status_code == 404
        home = get(client, pages.urls()["home"])
        assert home.page_cache != "hit" and "zebra" not in home.content.decode()


def test_private_points_stay_private_through_the_cache(pages, alice, bob):
    actions.add_talking_point(pages.meeting, by=bob, text="Bob only", private=True)
    for page in ("home", "oneonone", "meeting"):
        warm(pages.bob, pages.urls()[page])
        warm(pages.alice, pages.urls()[page])
        assert "Bob only" not in get(pages.alice, pages.urls()[page]).content.decode()
    assert "1 talking point" not in get(pages.alice, pages.urls()["home"]).content.decode()


def test_a_cached_page_is_not_served_after_losing_access(pages, alice, bob, carol):
    url = pages.urls()["meeting"]
    warm(pages.bob, url)
    people_actions.deactivate_person(bob, by=alice)
    response = pages.bob.get(url)
    assert response.status_code == 302  # signed out: to the sign-in page
    assert "/meetings/" not in response.get("Location", "").split("?")[0]


def test_a_page_of_someone_elses_one_on_one_is_404_even_when_cached(pages, alice, carol):
    other = actions.start_oneonone(by=alice, other=carol)
    url = reverse("oneonones:detail", args=[other.pk])
    warm(signed_in(carol), url)
    assert pages.bob.get(url).status_code == 404


# --- What is never cached --------------------------------------------------------------------


def test_htmx_requests_are_not_cached(pages):
    url = pages.urls()["meeting"]
    warm(pages.alice, url)
    response = get(pages.alice, url, HTTP_HX_REQUEST="true")
    assert response.page_cache == "skip"


def test_head_requests_are_not_served_from_the_cache(pages):
    url = pages.urls()["oneonone"]
    warm(pages.alice, url)
    response = pages.alice.head(url)
    assert response.status_code == 200
    assert response.page_cache == "skip"


def test_a_page_with_a_message_is_rendered_and_not_cached(pages, alice):
    url = pages.urls()["meeting"]
    warm(pages.alice, url)
    # Saving notes without htmx redirects back with a message.
    response = pages.alice.post(
        reverse("oneonones:save_private_note", args=[pages.meeting.pk]), {"text": "Mine"}
    )
    assert response.status_code == 302
    shown = get(pages.alice, url)
    assert shown.page_cache == "skip"
    assert "Private note saved." in shown.content.decode()
    # Shown once: the next load has no message and is cached again.
    again = get(pages.alice, url)
    assert "Private note saved." not in again.content.decode()
    assert again.page_cache == "miss"


def test_pending_messages_are_not_consumed_by_the_check(rf, alice):
    from django.contrib.messages.storage.fallback import FallbackStorage
    from django.contrib.sessions.backends.db import SessionStore

    request = rf.get("/")
    request.user = alice
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    request.META["CSRF_COOKIE"] = "x" * 32
    request._messages.add(constants.INFO, "Hello")
    assert page_cache.cache_key(request, "home", alice.pk, [1]) is None
    assert [m.message for m in get_messages(request)] == ["Hello"]


def test_the_cache_can_be_turned_off(pages, settings):
    settings.TETE_PAGE_CACHE = False
    url = pages.urls()["home"]
    for _ in range(3):
        assert get(pages.alice, url).page_cache == "skip"


def test_errors_are_not_cached(pages, carol):
    client = signed_in(carol)
    url = pages.urls()["meeting"]
    for _ in range(3):
        assert client.get(url).status_code == 404


def test_the_cache_backend_comes_from_tete_cache_url():
    from tete.settings import _cache_from_url

    assert _cache_from_url("db://page_cache") == {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "page_cache",
        "OPTIONS": {"MAX_ENTRIES": 20_000},
    }
    assert _cache_from_url("redis://cache:6379/0")["BACKEND"].endswith("RedisCache")
    assert _cache_from_url("locmem://")["BACKEND"].endswith("LocMemCache")
    with pytest.raises(ValueError, match="unknown cache"):
        _cache_from_url("memcached://x")
