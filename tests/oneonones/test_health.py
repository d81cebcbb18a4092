"""Cadence health: the pair's figures over 90 days, and flags in plain words."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.conftest import weekly_oneonone
from tete.accounts.models import Person
from tete.oneonones import actions, health
from tete.oneonones.models import (
    ActionItem,
    FlagDismissal,
    Meeting,
    MeetingStatus,
    OneOnOne,
    TalkingPoint,
)
from tete.oneonones.queries import lacking_next_meeting
from tete.oneonones.reminders import send_meeting_reminders
from tete.reports.models import ConversationReport, Transcript

NOW = dt.datetime(2026, 12, 7, 12, 0, tzinfo=dt.UTC)


def meeting_on(oneonone, days_ago: float, status=MeetingStatus.HELD, **fields) -> Meeting:
    return Meeting.objects.create(
        oneonone=oneonone,
        scheduled_at=NOW - dt.timedelta(days=days_ago),
        status=status,
        **fields,
    )


def analysed(meeting: Meeting, bob_share: float) -> ConversationReport:
    """A finished analysis of ``meeting`` in which Bob (second) spoke ``bob_share``."""
    transcript = Transcript.objects.create(
        meeting=meeting,
        uploaded_by=meeting.oneonone.first,
        filename="call.vtt",
        sha256=f"{meeting.pk:064d}",
        status="done",
    )
    return ConversationReport.objects.create(
        transcript=transcript,
        meeting=meeting,
        oneonone=meeting.oneonone,
        first_share=1 - bob_share,
        second_share=bob_share,
    )


@pytest.fixture
def pair(oneonone) -> OneOnOne:
    # Started long ago, so "never met" counts from far back; no meeting rows of its own yet.
    oneonone.meetings.all().delete()
    OneOnOne.objects.filter(pk=oneonone.pk).update(starts_on=dt.date(2026, 1, 5))
    oneonone.refresh_from_db()
    return oneonone


def keys(flags) -> list[str]:
    return [flag.key for flag in flags]


def test_figures_count_the_last_90_days_beside_the_90_before(pair, alice, bob):
    meeting_on(pair, 10)
    moved = meeting_on(pair, 20, original_scheduled_at=NOW - dt.timedelta(days=21))
    meeting_on(pair, 30, status=MeetingStatus.CANCELLED)
    meeting_on(pair, 40, extra=True)
    meeting_on(pair, 100)
    meeting_on(pair, 120, status=MeetingStatus.CANCELLED)
    figures = health.health(pair, alice, NOW)
    assert figures.days_since_held == 10
    current, previous = figures.current, figures.previous
    assert (current.held, current.cancelled, current.rescheduled) == (3, 1, 1)
    # Neither the moved meeting nor the extra one kept the cadence's slot.
    assert current.on_schedule == 1
    assert (previous.held, previous.cancelled, previous.rescheduled) == (1, 1, 0)
    assert moved.pk  # kept in the window by the day it was moved to


def test_a_meeting_is_prepared_by_both_when_each_added_a_point_for_it(pair, alice, bob):
    both = meeting_on(pair, 7)
    one = meeting_on(pair, 14)
    carried = meeting_on(pair, 21)
    for person in (alice, bob):
        TalkingPoint.objects.create(meeting=both, author=person, text="x")
    TalkingPoint.objects.create(meeting=one, author=alice, text="x")
    TalkingPoint.objects.create(meeting=carried, author=alice, text="x")
    # Bob's point was written for an earlier meeting: no preparation for this one.
    TalkingPoint.objects.create(meeting=carried, author=bob, text="x", carried_over_count=1)
    assert health.window_figures(pair, NOW - health.WINDOW, NOW).prepared_by_both == 1


def test_a_checkin_answered_counts_as_preparing(pair, alice, bob):
    from tete.surveys import checkins
    from tete.surveys.models import Participation, Round

    meeting = meeting_on(pair, 7)
    TalkingPoint.objects.create(meeting=meeting, author=alice, text="x")
    survey = checkins.attach_checkin(pair, by=alice, respondent=bob)
    round_ = Round.objects.create(survey=survey, number=1, opens_on=NOW.date(), meeting=meeting)
    Participation.objects.create(round=round_, person=bob, responded_on=NOW.date())
    assert health.window_figures(pair, NOW - health.WINDOW, NOW).prepared_by_both == 1


def test_action_items_done_by_their_due_date(pair, alice, bob):
    today = timezone.localdate(NOW, pair.tzinfo)
    on_time = ActionItem.objects.create(
        oneonone=pair, text="a", owner=bob, created_by=alice, due_date=today - dt.timedelta(5)
    )
    on_time.done_at = NOW - dt.timedelta(days=6)
    on_time.save()
    late = ActionItem.objects.create(
        oneonone=pair, text="b", owner=bob, created_by=alice, due_date=today - dt.timedelta(5)
    )
    late.done_at = NOW - dt.timedelta(days=1)
    late.save()
    ActionItem.objects.create(
        oneonone=pair, text="c", owner=bob, created_by=alice, due_date=today - dt.timedelta(3)
    )
    # Not due yet: not counted either way.
    ActionItem.objects.create(
        oneonone=pair, text="d", owner=bob, created_by=alice, due_date=today + dt.timedelta(3)
    )
    figures = health.window_figures(pair, NOW - health.WINDOW, NOW)
    assert (figures.items_due, figures.items_done_on_time) == (3, 1)


def test_the_oldest_carried_point_leaves_out_the_other_persons_private_ones(pair, alice, bob):
    ahead = meeting_on(pair, -3, status=MeetingStatus.SCHEDULED)
    secret = TalkingPoint.objects.create(
        meeting=ahead, author=bob, text="x", private=True, carried_over_count=3
    )
    TalkingPoint.objects.filter(pk=secret.pk).update(created_at=NOW - dt.timedelta(days=40))
    shared = TalkingPoint.objects.create(
        meeting=ahead, author=alice, text="y", carried_over_count=1
    )
    TalkingPoint.objects.filter(pk=shared.pk).update(created_at=NOW - dt.timedelta(days=12))
    assert health.health(pair, alice, NOW).oldest_carried_days == 12
    assert health.health(pair, bob, NOW).oldest_carried_days == 40


def test_the_focus_persons_share_is_averaged_per_window(pair, alice):
    analysed(meeting_on(pair, 7), 0.2)
    analysed(meeting_on(pair, 14), 0.4)
    analysed(meeting_on(pair, 100), 0.5)
    figures = health.health(pair, alice, NOW)
    assert figures.share_of == pair.second
    assert figures.current.focus_share == pytest.approx(0.3)
    assert (figures.current.analysed, figures.previous.analysed) == (2, 1)


def test_a_meeting_analysed_again_counts_once_with_its_latest_report(pair, alice):
    meeting = meeting_on(pair, 7)
    first = analysed(meeting, 0.2)
    again = Transcript.objects.create(
        meeting=meeting, uploaded_by=alice, filename="again.vtt", sha256="a" * 64, status="done"
    )
    ConversationReport.objects.create(
        transcript=again, meeting=meeting, oneonone=pair, first_share=0.4, second_share=0.6
    )
    ConversationReport.objects.filter(pk=first.pk).update(created_at=NOW - dt.timedelta(days=2))
    # A failed analysis's report does not count, even as the latest.
    failed = Transcript.objects.create(
        meeting=meeting, uploaded_by=alice, filename="bad.vtt", sha256="b" * 64, status="failed"
    )
    ConversationReport.objects.create(
        transcript=failed, meeting=meeting, oneonone=pair, first_share=0.9, second_share=0.1
    )
    figures = health.health(pair, alice, NOW)
    assert figures.current.analysed == 1
    assert figures.current.focus_share == pytest.approx(0.6)


def test_no_meeting_for_twice_the_cadence_is_flagged_with_the_days(pair, alice, bob):
    meeting_on(pair, 34)
    flags = health.flags_for(alice, [pair], NOW)
    assert [flag.text for flag in flags] == ["No one-on-one with Bob for 34 days"]
    assert health.flags_for(bob, [pair], NOW)[0].text == "No one-on-one with Alice for 34 days"
    meeting_on(pair, 13)
    assert health.flags_for(alice, [pair], NOW) == []


def test_three_of_the_last_five_cancelled_is_flagged(pair, alice):
    for days, status in [(1, "cancelled"), (8, "held"), (15, "cancelled"), (22, "cancelled")]:
        meeting_on(pair, days, status=status)
    assert "cancelled" not in keys(health.flags_for(alice, [pair], NOW))  # only four so far
    meeting_on(pair, 29)
    flags = health.flags_for(alice, [pair], NOW)
    assert [f.text for f in flags if f.key == "cancelled"] == ["3 of the last 5 were cancelled"]


def test_a_quiet_report_in_four_analysed_meetings_in_a_row_is_flagged(pair, alice, bob):
    for days, share in [(7, 0.25), (14, 0.2), (21, 0.29)]:
        analysed(meeting_on(pair, days), share)
    assert "quiet" not in keys(health.flags_for(alice, [pair], NOW))
    analysed(meeting_on(pair, 28), 0.1)
    texts = {f.key: f.text for f in health.flags_for(alice, [pair], NOW)}
    assert texts["quiet"] == "Bob has talked under 30% in the last 4 analysed meetings"
    mine = {f.key: f.text for f in health.flags_for(bob, [pair], NOW)}
    assert mine["quiet"] == "You have talked under 30% in the last 4 analysed meetings"
    # One balanced meeting among the latest four ends the pattern.
    analysed(meeting_on(pair, 1), 0.45)
    assert "quiet" not in keys(health.flags_for(alice, [pair], NOW))


def test_a_meeting_left_scheduled_after_its_day_is_flagged_once(pair, alice):
    meeting_on(pair, 0.5, status=MeetingStatus.SCHEDULED)  # this morning: not yet
    stale = meeting_on(pair, 3, status=MeetingStatus.SCHEDULED)
    flags = [f for f in health.flags_for(alice, [pair], NOW) if f.key.startswith("stale")]
    assert len(flags) == 1 and flags[0].key == f"stale:{stale.pk}"
    assert "still marked as scheduled" in flags[0].text and flags[0].url.endswith(f"/{stale.pk}/")


def test_the_next_meeting_and_its_reminder_do_not_wait_for_a_stale_one(pair, alice, mailoutbox):
    stale = meeting_on(pair, 8, status=MeetingStatus.SCHEDULED)
    assert pair in OneOnOne.objects.filter(lacking_next_meeting(NOW))
    following = actions.ensure_next_meeting(pair, NOW)
    assert following is not None and following.pk != stale.pk and following.scheduled_at > NOW
    # The reminders job makes the next meeting itself, and reminds of it the day before.
    following.delete()
    send_meeting_reminders(now=NOW)
    made = actions.next_meeting(pair, NOW)
    assert made is not None and made.pk != stale.pk
    send_meeting_reminders(now=made.scheduled_at - dt.timedelta(hours=2))
    assert {m.to[0] for m in mailoutbox} == {"alice@example.com", "bob@example.com"}


def test_a_dismissed_flag_stays_away_for_that_person_for_a_while(pair, alice, bob):
    meeting_on(pair, 40)
    actions.dismiss_flag(pair, by=alice, key="not_met", now=NOW)
    assert health.flags_for(alice, [pair], NOW) == []
    assert keys(health.flags_for(bob, [pair], NOW)) == ["not_met"]
    later = NOW + health.DISMISS_FOR + dt.timedelta(days=1)
    assert keys(health.flags_for(alice, [pair], later)) == ["not_met"]


def test_an_outsider_cannot_dismiss_and_an_ended_one_on_one_has_no_flags(pair, alice, carol):
    from django.core.exceptions import PermissionDenied

    meeting_on(pair, 40)
    with pytest.raises(PermissionDenied):
        actions.dismiss_flag(pair, by=carol, key="not_met", now=NOW)
    assert health.flags_for(carol, [pair], NOW) == []
    actions.end_oneonone(pair, by=alice)
    pair.refresh_from_db()
    assert health.flags_for(alice, [pair], NOW) == []


def test_flags_for_many_one_on_ones_take_a_fixed_number_of_queries(
    pair, alice, django_assert_max_num_queries
):
    others = [
        actions.start_oneonone(by=alice, other=person, cadence="weekly") for person in _people(6)
    ]
    oneonones = list(
        OneOnOne.objects.filter(pk__in=[pair.pk, *(o.pk for o in others)]).select_related(
            "first", "second"
        )
    )
    with django_assert_max_num_queries(2):  # the rows of every kind of flag; dismissals
        health.flags_for(alice, oneonones, NOW)


def test_each_one_on_one_gets_its_own_flags_when_read_together(pair, alice, bob, carol):
    """The flags' rows of many one-on-ones come back from one statement: none may go to the
    wrong pair, and a pair's own latest rows decide (not the latest of all of them)."""
    quiet = actions.start_oneonone(by=alice, other=carol, kind="manager_report", focus_person=carol)
    quiet.meetings.all().delete()
    # pair: held recently, but three of its last five cancelled, and one left scheduled.
    for days, status in [(1, "cancelled"), (8, "held"), (15, "cancelled"), (22, "cancelled")]:
        meeting_on(pair, days, status=status)
    meeting_on(pair, 29)
    stale = meeting_on(pair, 3, status=MeetingStatus.SCHEDULED)
    # quiet: held every week, all held, and carol under 30% in each of the four analysed.
    second_share = 0.2 if quiet.second_id == carol.pk else 0.8
    for days in (2, 9, 16, 23):
        analysed(meeting_on(quiet, days), second_share)
    both = list(
        OneOnOne.objects.filter(pk__in=[pair.pk, quiet.pk]).select_related("first", "second")
    )
    flags = {(flag.oneonone_id, flag.key) for flag in health.flags_for(alice, both, NOW)}
    assert flags == {
        (pair.pk, "cancelled"),
        (pair.pk, f"stale:{stale.pk}"),
        (quiet.pk, "quiet"),
    }
    # Each alone gives the same flags.
    for oneonone in both:
        alone = {(f.oneonone_id, f.key) for f in health.flags_for(alice, [oneonone], NOW)}
        assert alone == {flag for flag in flags if flag[0] == oneonone.pk}


def _people(count: int):
    from tete.accounts.models import Person

    return [
        Person.objects.create_user(f"p{n}@example.com", "pw-123456789", name=f"Person {n}")
        for n in range(count)
    ]


def test_the_pages_show_the_flags_and_figures_and_either_person_hides_a_flag(
    pair, alice, bob, carol, admin, client_for
):
    held = Meeting.objects.create(
        oneonone=pair,
        scheduled_at=timezone.now() - dt.timedelta(days=40),
        status=MeetingStatus.HELD,
    )
    detail = reverse("oneonones:detail", args=[pair.pk])
    page = client_for(alice).get(detail).content.decode()
    assert "No one-on-one with Bob for 40 days" in page
    assert "How you keep it up" in page and "Last held 40 days ago." in page
    assert "Bob’s talk share" not in page  # nothing analysed yet
    home = client_for(alice).get(reverse("home")).content.decode()
    assert "No one-on-one with Bob for 40 days" in home and "Bob Jones" in home

    dismiss = reverse("oneonones:dismiss_flag", args=[pair.pk])
    for outsider in (carol, admin):
        assert client_for(outsider).post(dismiss, {"key": "not_met"}).status_code == 404
    assert client_for(None).post(dismiss, {"key": "not_met"}).status_code == 302
    assert client_for(alice).post(dismiss, {"key": "whatever"}).status_code == 400
    assert not FlagDismissal.objects.exists()

    response = client_for(alice).post(dismiss, {"key": "not_met", "next": reverse("home")})
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert "No one-on-one with Bob" not in client_for(alice).get(detail).content.decode()
    assert "No one-on-one with Alice" in client_for(bob).get(detail).content.decode()
    assert held.pk


def test_a_meeting_left_scheduled_is_listed_with_the_past_ones_not_as_next(pair, alice, client_for):
    stale = Meeting.objects.create(
        oneonone=pair, scheduled_at=timezone.now() - dt.timedelta(days=3)
    )
    following = actions.ensure_next_meeting(pair)
    assert following is not None and following.pk != stale.pk
    page = client_for(alice).get(reverse("oneonones:detail", args=[pair.pk])).content.decode()
    next_part, past_part = page.split('id="history-title"')
    assert f"/meetings/{following.pk}/" in next_part and f"/meetings/{stale.pk}/" in past_part
    assert "Not marked held" in past_part and "still marked as scheduled" in next_part
    home = client_for(alice).get(reverse("home")).content.decode()
    assert "still marked as scheduled" in home


def test_flags_read_no_person_per_one_on_one_with_analysed_meetings(
    pair, alice, django_assert_num_queries
):
    # Home reads each one-on-one with both people; the quiet-talk check needs the person the
    # one-on-one is for, who is one of them (it was read again, one query per one-on-one).
    pairs = [pair]
    for n in range(3):
        report = Person.objects.create_user(f"report{n}@example.com", "x", name=f"Report {n}")
        pairs.append(weekly_oneonone(alice, report))
    for each in pairs:
        for days in (7, 14, 21, 28):
            analysed(meeting_on(each, days), 0.45)

    def read(some: list[OneOnOne]) -> list[OneOnOne]:
        return list(
            OneOnOne.objects.filter(pk__in=[o.pk for o in some]).select_related("first", "second")
        )

    one, all_four = read(pairs[:1]), read(pairs)
    # One statement reads every flag's rows, for one one-on-one as for four.
    with django_assert_num_queries(1):
        health.flags_for(alice, one, NOW)
    with django_assert_num_queries(1):
        health.flags_for(alice, all_four, NOW)
