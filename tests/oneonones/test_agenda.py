"""Agenda: talking points, ordering, discussed, templates, and carry-over when a meeting is held."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from tete.oneonones import actions
from tete.oneonones.models import TalkingPoint, Template


def texts(meeting, person):
    return [p.text for p in actions.visible_talking_points(meeting, person)]


def test_both_participants_add_talking_points_in_order(meeting, alice, bob):
    actions.add_talking_point(meeting, by=bob, text="Promotion timeline")
    actions.add_talking_point(meeting, by=alice, text="Team offsite")
    assert texts(meeting, alice) == ["Promotion timeline", "Team offsite"]
    assert texts(meeting, bob) == ["Promotion timeline", "Team offsite"]


def test_outsiders_cannot_add_talking_points(meeting, carol):
    with pytest.raises(PermissionDenied):
        actions.add_talking_point(meeting, by=carol, text="Snooping")


def test_it_carries_undiscussed_points_to_next_meeting(meeting, alice, bob):
    done = actions.add_talking_point(meeting, by=alice, text="Roadmap")
    open_point = actions.add_talking_point(meeting, by=bob, text="Hiring plan")
    private = actions.add_talking_point(meeting, by=bob, text="My own worry", private=True)
    actions.mark_discussed(done, by=bob)
    following = actions.mark_meeting_held(meeting, by=alice)
    open_point.refresh_from_db()
    private.refresh_from_db()
    done.refresh_from_db()
    assert open_point.meeting == following and open_point.carried_over_count == 1
    assert private.meeting == following and private.private and private.carried_over_count == 1
    assert done.meeting == meeting and done.carried_over_count == 0
    # Held again later: the count keeps growing.
    again = actions.mark_meeting_held(following, by=bob)
    open_point.refresh_from_db()
    assert open_point.meeting == again and open_point.carried_over_count == 2


def test_carried_points_go_first_on_the_next_agenda(meeting, alice, bob):
    actions.add_talking_point(meeting, by=alice, text="Left over")
    # The next meeting does not exist yet: marking held creates it and carries over.
    following = actions.mark_meeting_held(meeting, by=alice)
    actions.add_talking_point(following, by=bob, text="New topic")
    assert texts(following, bob) == ["Left over", "New topic"]


def test_cancelling_moves_the_points_on(meeting, alice):
    actions.add_talking_point(meeting, by=alice, text="Still to discuss")
    following = actions.cancel_meeting(meeting, by=alice, reason="Sick")
    assert texts(following, alice) == ["Still to discuss"]


def test_without_a_cadence_points_wait_for_the_next_meeting_added(alice, bob):
    oneonone = actions.start_oneonone(by=alice, other=bob, cadence="none")
    import datetime as dt

    from django.utils import timezone

    first = actions.add_extra_meeting(oneonone, by=alice, scheduled_at=timezone.now())
    actions.add_talking_point(first, by=bob, text="Waiting point")
    assert actions.mark_meeting_held(first, by=bob) is None
    second = actions.add_extra_meeting(
        oneonone, by=alice, scheduled_at=timezone.now() + dt.timedelta(days=3)
    )
    assert texts(second, bob) == ["Waiting point"]


def test_reordering_moves_visible_points_and_keeps_others_private_slots(meeting, alice, bob):
    a = actions.add_talking_point(meeting, by=alice, text="A")
    secret = actions.add_talking_point(meeting, by=alice, text="alice-secret", private=True)
    b = actions.add_talking_point(meeting, by=bob, text="B")
    actions.move_talking_point(b, by=bob, direction="up")
    assert texts(meeting, bob) == ["B", "A"]
    assert texts(meeting, alice) == ["B", "alice-secret", "A"]
    secret.refresh_from_db()
    assert secret.private
    with pytest.raises(ValidationError):
        actions.reorder_talking_points(meeting, by=bob, ordered_ids=[a.pk])


def test_move_and_discussed_views_answer_with_the_agenda_partial_for_htmx(
    client_for, meeting, alice, bob
):
    first = actions.add_talking_point(meeting, by=alice, text="First")
    actions.add_talking_point(meeting, by=alice, text="Second")
    client = client_for(bob)
    response = client.post(
        reverse("oneonones:move_talking_point", args=[first.pk]),
        {"direction": "down"},
        HTTP_HX_REQUEST="true",
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert content.lstrip().startswith('<section class="card" id="agenda"')
    assert "<html" not in content
    assert content.index("Second") < content.index("First")
    response = client.post(reverse("oneonones:mark_discussed", args=[first.pk]), {"discussed": "1"})
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.discussed


def test_adding_a_talking_point_without_javascript_redirects_back(client_for, meeting, bob):
    url = reverse("oneonones:add_talking_point", args=[meeting.pk])
    response = client_for(bob).post(url, {"text": "Growth plan", "private": "on"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("oneonones:meeting", args=[meeting.pk]))
    point = TalkingPoint.objects.get(text="Growth plan")
    assert point.private and point.author == bob


def test_an_empty_or_oversized_talking_point_is_refused_next_to_the_field(client_for, meeting, bob):
    url = reverse("oneonones:add_talking_point", args=[meeting.pk])
    response = client_for(bob).post(url, {"text": "x" * 1001}, HTTP_HX_REQUEST="true")
    content = response.content.decode()
    assert "too long" in content
    assert 'id="id_point_text_error"' in content
    assert 'value="' + "x" * 1001 + '"' in content  # what was typed is kept
    response = client_for(bob).post(url, {"text": "   "})
    assert response.status_code == 400
    assert "This field is required" in response.content.decode()
    assert meeting.talking_points.count() == 0


def test_the_question_bank_is_seeded_by_category(question_bank):
    categories = set(Template.objects.filter(owner=None).values_list("category", flat=True))
    assert categories >= {
        "first_meeting", "career", "wellbeing", "feedback", "blockers", "goals", "coaching"
    }  # fmt: skip
    for template in Template.objects.filter(owner=None):
        assert 6 <= template.questions.count() <= 10, template.name


def test_adding_from_a_template_adds_its_questions_once(client_for, meeting, bob, question_bank):
    grow = Template.objects.get(category="coaching", owner=None)
    url = reverse("oneonones:add_from_template", args=[meeting.pk])
    client = client_for(bob)
    assert client.get(url).status_code == 200
    assert client.post(url, {"template": grow.pk}).status_code == 302
    assert client.post(url, {"template": grow.pk}).status_code == 302
    points = list(meeting.talking_points.all())
    assert len(points) == grow.questions.count()
    assert all(p.origin == "template" and p.author == bob for p in points)


def test_people_write_their_own_templates(client_for, alice, bob):
    response = client_for(alice).post(
        reverse("oneonones:template_create"),
        {"name": "Sprint retro", "category": "other", "questions": "What went well?\n\nWhat not?"},
    )
    assert response.status_code == 302
    template = Template.objects.get(name="Sprint retro")
    assert template.owner == alice
    assert [q.text for q in template.questions.all()] == ["What went well?", "What not?"]
    assert "Sprint retro" in client_for(alice).get(reverse("oneonones:templates")).content.decode()
    assert (
        "Sprint retro" not in client_for(bob).get(reverse("oneonones:templates")).content.decode()
    )


def test_a_template_needs_a_question(client_for, alice):
    response = client_for(alice).post(
        reverse("oneonones:template_create"),
        {"name": "Empty", "category": "other", "questions": ""},
    )
    assert response.status_code == 400
    assert 'value="Empty"' in response.content.decode()
