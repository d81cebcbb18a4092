"""Agenda: the author edits a talking point's text; either participant drags the agenda into a
new order (the reorder view takes the ids of every point the viewer sees, in order)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from tete.oneonones import actions
from tete.oneonones.models import TalkingPoint


def texts(meeting, person):
    return [p.text for p in actions.visible_talking_points(meeting, person)]


def agenda_order(meeting):
    """Every point of the meeting, private ones included, as stored."""
    return list(meeting.talking_points.order_by("position", "id").values_list("text", flat=True))


def edit_url(point):
    return reverse("oneonones:edit_talking_point", args=[point.pk])


def order_url(meeting):
    return reverse("oneonones:reorder_talking_points", args=[meeting.pk])


def meeting_url(meeting):
    return reverse("oneonones:meeting", args=[meeting.pk])


# --- Editing ---------------------------------------------------------------------------------


def test_the_author_edits_a_point_inline_and_gets_the_agenda_back(client_for, meeting, alice, bob):
    point = actions.add_talking_point(meeting, by=alice, text="Roadmap")
    client = client_for(alice)

    editor = client.get(edit_url(point), HTTP_HX_REQUEST="true")
    content = editor.content.decode()
    assert editor.status_code == 200
    assert content.lstrip().startswith(f'<li class="point point--editing" id="point-{point.pk}"')
    assert "<html" not in content
    assert 'value="Roadmap"' in content
    assert f'hx-post="{edit_url(point)}"' in content

    saved = client.post(edit_url(point), {"text": "  Roadmap for Q3  "}, HTTP_HX_REQUEST="true")
    content = saved.content.decode()
    assert saved.status_code == 200
    assert content.lstrip().startswith('<section class="card" id="agenda"')
    assert "Roadmap for Q3" in content
    assert "point--editing" not in content
    point.refresh_from_db()
    assert point.text == "Roadmap for Q3"
    # Bob reads the new text on the (cached) meeting page.
    assert "Roadmap for Q3" in client_for(bob).get(meeting_url(meeting)).content.decode()


def test_without_javascript_the_edit_page_posts_and_redirects_to_the_meeting(
    client_for, meeting, bob
):
    point = actions.add_talking_point(meeting, by=bob, text="Growth plan", private=True)
    client = client_for(bob)
    page = client.get(edit_url(point))
    content = page.content.decode()
    assert page.status_code == 200
    assert "<h1>Edit talking point</h1>" in content
    assert 'value="Growth plan"' in content
    assert "hx-post" not in content.split("<h1>")[1]  # the page's own form posts plainly
    response = client.post(edit_url(point), {"text": "Growth plan for 2026"})
    assert response.status_code == 302
    assert response["Location"].startswith(meeting_url(meeting))
    point.refresh_from_db()
    assert point.text == "Growth plan for 2026" and point.private
    assert "Growth plan for 2026" in client.get(meeting_url(meeting)).content.decode()


def test_the_other_participant_cannot_edit_a_point_they_see(client_for, meeting, alice, bob):
    point = actions.add_talking_point(meeting, by=alice, text="Roadmap")
    client = client_for(bob)
    assert client.get(edit_url(point), HTTP_HX_REQUEST="true").status_code == 404
    assert client.post(edit_url(point), {"text": "Bob's roadmap"}).status_code == 404
    point.refresh_from_db()
    assert point.text == "Roadmap"
    # Nor is there an edit button for it on bob's agenda; there is one on alice's.
    assert edit_url(point) not in client.get(meeting_url(meeting)).content.decode()
    assert edit_url(point) in client_for(alice).get(meeting_url(meeting)).content.decode()
    with pytest.raises(PermissionDenied):
        actions.edit_talking_point(point, by=bob, text="Bob's roadmap")


@pytest.mark.parametrize("text", ["", "   "])
def test_an_empty_text_is_refused_next_to_the_field(client_for, meeting, alice, text):
    point = actions.add_talking_point(meeting, by=alice, text="Roadmap")
    client = client_for(alice)
    inline = client.post(edit_url(point), {"text": text}, HTTP_HX_REQUEST="true")
    content = inline.content.decode()
    assert inline.status_code == 200  # htmx swaps it in: the agenda with the editor still open
    assert content.lstrip().startswith('<section class="card" id="agenda"')
    assert f'<li class="point point--editing" id="point-{point.pk}"' in content
    assert f'id="id_point_{point.pk}_text_error"' in content
    assert "This field is required" in content
    plain = client.post(edit_url(point), {"text": text})
    assert plain.status_code == 400
    assert "This field is required" in plain.content.decode()
    point.refresh_from_db()
    assert point.text == "Roadmap"
    with pytest.raises(ValidationError):
        actions.edit_talking_point(point, by=alice, text=text)


def test_an_oversized_text_is_refused_and_kept_in_the_editor(client_for, meeting, alice):
    point = actions.add_talking_point(meeting, by=alice, text="Roadmap")
    response = client_for(alice).post(edit_url(point), {"text": "x" * 1001}, HTTP_HX_REQUEST="true")
    content = response.content.decode()
    assert "too long" in content
    assert 'value="' + "x" * 1001 + '"' in content
    point.refresh_from_db()
    assert point.text == "Roadmap"


def test_points_of_a_held_meeting_are_edited_like_its_other_agenda_changes(
    client_for, meeting, alice
):
    # Marking discussed, moving and deleting work on a held meeting's agenda: so does editing.
    point = actions.add_talking_point(meeting, by=alice, text="Roadmap")
    actions.mark_discussed(point, by=alice)
    actions.mark_meeting_held(meeting, by=alice)
    response = client_for(alice).post(edit_url(point), {"text": "Roadmap, agreed"})
    assert response.status_code == 302
    point.refresh_from_db()
    assert point.text == "Roadmap, agreed"


def test_an_ended_one_on_ones_points_are_read_only(client_for, oneonone, meeting, alice):
    point = actions.add_talking_point(meeting, by=alice, text="Roadmap")
    actions.end_oneonone(oneonone, by=alice)
    client = client_for(alice)
    page = client.get(edit_url(point)).content.decode()
    assert "agenda is read-only" in page and 'name="text"' not in page
    assert edit_url(point) not in client.get(meeting_url(meeting)).content.decode()
    response = client.post(edit_url(point), {"text": "Rewritten"}, HTTP_HX_REQUEST="true")
    assert "This one-on-one has ended" in response.content.decode()
    assert client.post(edit_url(point), {"text": "Rewritten"}).status_code == 400
    point.refresh_from_db()
    assert point.text == "Roadmap"


# --- Reordering ------------------------------------------------------------------------------


def test_a_new_order_is_saved_and_shown(client_for, meeting, alice, bob):
    a, b, c = (actions.add_talking_point(meeting, by=alice, text=t) for t in ("A", "B", "C"))
    client = client_for(bob)
    response = client.post(
        order_url(meeting), {"order": [c.pk, a.pk, b.pk]}, HTTP_HX_REQUEST="true"
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert content.lstrip().startswith('<section class="card" id="agenda"')
    assert content.index(">C<") < content.index(">A<") < content.index(">B<")
    assert texts(meeting, alice) == ["C", "A", "B"]
    # Without htmx: back to the meeting, where the order holds.
    response = client.post(order_url(meeting), {"order": [b.pk, c.pk, a.pk]})
    assert response.status_code == 302
    html = client.get(meeting_url(meeting)).content.decode()
    assert html.index(">B<") < html.index(">C<") < html.index(">A<")


def test_the_agenda_lists_every_point_in_the_reorder_form(client_for, meeting, alice, bob):
    a = actions.add_talking_point(meeting, by=alice, text="A")
    b = actions.add_talking_point(meeting, by=bob, text="B")
    html = client_for(alice).get(meeting_url(meeting)).content.decode()
    assert f'hx-post="{order_url(meeting)}"' in html
    assert 'id="agenda-order"' in html
    first = html.index(f'name="order" value="{a.pk}" form="agenda-order"')
    assert first < html.index(f'name="order" value="{b.pk}" form="agenda-order"')
    assert "data-sortable-agenda" in html


def test_ids_of_another_meeting_or_one_on_one_are_refused(client_for, meeting, alice, bob, carol):
    a = actions.add_talking_point(meeting, by=alice, text="A")
    b = actions.add_talking_point(meeting, by=alice, text="B")
    later = actions.add_extra_meeting(
        meeting.oneonone, by=alice, scheduled_at=meeting.scheduled_at + dt.timedelta(days=2)
    )
    elsewhere = actions.add_talking_point(later, by=alice, text="Elsewhere")
    with_carol = actions.start_oneonone(by=alice, other=carol)
    foreign = actions.add_talking_point(
        actions.ensure_next_meeting(with_carol), by=carol, text="Carol's"
    )
    client = client_for(bob)
    for stray in (elsewhere, foreign):
        for order in ([b.pk, a.pk, stray.pk], [stray.pk, b.pk]):
            response = client.post(order_url(meeting), {"order": order}, HTTP_HX_REQUEST="true")
            assert response.status_code == 404, (stray.text, order)
    assert client.post(order_url(meeting), {"order": [b.pk, "1; drop"]}).status_code == 404
    assert texts(meeting, alice) == ["A", "B"]
    assert texts(later, alice) == ["Elsewhere"]


def test_the_other_participants_private_points_are_not_moved_or_shown(
    client_for, meeting, alice, bob
):
    a = actions.add_talking_point(meeting, by=alice, text="Shared A")
    secret = actions.add_talking_point(meeting, by=alice, text="alice-secret", private=True)
    b = actions.add_talking_point(meeting, by=bob, text="Shared B")
    mine = actions.add_talking_point(meeting, by=bob, text="bob-own-private", private=True)
    client = client_for(bob)
    # Bob cannot name alice's private point, not even to leave it in place.
    response = client.post(order_url(meeting), {"order": [secret.pk, mine.pk, b.pk, a.pk]})
    assert response.status_code == 404
    assert agenda_order(meeting) == ["Shared A", "alice-secret", "Shared B", "bob-own-private"]

    response = client.post(
        order_url(meeting), {"order": [mine.pk, b.pk, a.pk]}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert "alice-secret" not in response.content.decode()
    # Alice's private point keeps its place (second); bob's points fill the others in his order.
    assert agenda_order(meeting) == ["bob-own-private", "alice-secret", "Shared B", "Shared A"]
    assert texts(meeting, alice) == ["alice-secret", "Shared B", "Shared A"]
    assert texts(meeting, bob) == ["bob-own-private", "Shared B", "Shared A"]


def test_an_agenda_that_changed_since_it_was_shown_comes_back_as_it_is(
    client_for, meeting, alice, bob
):
    a = actions.add_talking_point(meeting, by=alice, text="A")
    b = actions.add_talking_point(meeting, by=alice, text="B")
    actions.add_talking_point(meeting, by=alice, text="Added meanwhile")
    client = client_for(bob)
    response = client.post(order_url(meeting), {"order": [b.pk, a.pk]}, HTTP_HX_REQUEST="true")
    content = response.content.decode()
    assert response.status_code == 200  # htmx swaps it in
    assert "The agenda changed while you were moving points" in content
    assert "Added meanwhile" in content
    assert client.post(order_url(meeting), {"order": [b.pk, a.pk]}).status_code == 409
    # Each point once: a repeated id is no order either.
    assert client.post(order_url(meeting), {"order": [b.pk, a.pk, a.pk]}).status_code == 409
    assert texts(meeting, bob) == ["A", "B", "Added meanwhile"]


def test_an_ended_one_on_ones_agenda_keeps_its_order(client_for, oneonone, meeting, alice):
    a = actions.add_talking_point(meeting, by=alice, text="A")
    b = actions.add_talking_point(meeting, by=alice, text="B")
    actions.end_oneonone(oneonone, by=alice)
    response = client_for(alice).post(
        order_url(meeting), {"order": [b.pk, a.pk]}, HTTP_HX_REQUEST="true"
    )
    assert "This one-on-one has ended" in response.content.decode()
    assert texts(meeting, alice) == ["A", "B"]
    html = client_for(alice).get(meeting_url(meeting)).content.decode()
    assert 'form="agenda-order"' not in html and "data-sortable-agenda" not in html


def test_a_lone_point_has_nothing_to_drag(client_for, meeting, alice):
    actions.add_talking_point(meeting, by=alice, text="Only one")
    html = client_for(alice).get(meeting_url(meeting)).content.decode()
    assert 'id="agenda-order"' not in html and "data-sortable-agenda" not in html


def test_the_meeting_page_loads_the_agenda_script(client_for, meeting, alice):
    html = client_for(alice).get(meeting_url(meeting)).content.decode()
    assert "tete/vendor/Sortable.min.js" in html and "tete/agenda.js" in html
    home = client_for(alice).get(reverse("home")).content.decode()
    assert "Sortable.min.js" not in home


def test_the_points_keep_their_other_fields_when_edited_or_reordered(meeting, alice, bob):
    point = actions.add_talking_point(meeting, by=alice, text="Roadmap", private=True)
    other = actions.add_talking_point(meeting, by=alice, text="Hiring")
    actions.mark_discussed(point, by=alice)
    actions.edit_talking_point(point, by=alice, text="Roadmap v2")
    actions.reorder_talking_points(meeting, by=alice, ordered_ids=[other.pk, point.pk])
    point = TalkingPoint.objects.get(pk=point.pk)
    assert (point.text, point.private, point.discussed, point.author) == (
        "Roadmap v2",
        True,
        True,
        alice,
    )
    assert texts(meeting, alice) == ["Hiring", "Roadmap v2"]
