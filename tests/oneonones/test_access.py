"""DESIGN.md access rules 1, 2 and 5 for every one-on-one view, with every persona.

participant (alice) and other participant (bob) reach it; outsider carol and admin get 404;
anonymous visitors go to the sign-in page; the wrong method gets 405.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.urls import reverse

from tete.oneonones import actions


@dataclass
class Case:
    name: str
    method: str  # the method the view accepts (GET views also accept HEAD)
    url: str
    data: dict[str, Any]
    wrong_method: str


@pytest.fixture
def world(oneonone, meeting, alice, bob):
    point = actions.add_talking_point(meeting, by=alice, text="Roadmap")
    item = actions.add_action_item(meeting, by=alice, text="Write the RFC", owner=bob)
    return {"oneonone": oneonone, "meeting": meeting, "point": point, "item": item}


def cases(world) -> list[Case]:
    o, m, p, i = world["oneonone"], world["meeting"], world["point"], world["item"]
    later = (m.scheduled_at + dt.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    r = reverse
    return [
        Case("detail", "GET", r("oneonones:detail", args=[o.pk]), {}, "POST"),
        Case("settings", "GET", r("oneonones:settings", args=[o.pk]), {}, "PUT"),
        Case("add_meeting", "GET", r("oneonones:add_meeting", args=[o.pk]), {}, "PUT"),
        Case(
            "add_meeting_post",
            "POST",
            r("oneonones:add_meeting", args=[o.pk]),
            {"scheduled_at": later, "duration_minutes": "30"},
            "PUT",
        ),
        Case("meeting", "GET", r("oneonones:meeting", args=[m.pk]), {}, "POST"),
        # Before points are added below: the order lists every point the viewer sees.
        Case(
            "reorder_talking_points",
            "POST",
            r("oneonones:reorder_talking_points", args=[m.pk]),
            {"order": [str(p.pk)]},
            "GET",
        ),
        Case(
            "add_talking_point",
            "POST",
            r("oneonones:add_talking_point", args=[m.pk]),
            {"text": "Hiring"},
            "GET",
        ),
        Case("from_template", "GET", r("oneonones:add_from_template", args=[m.pk]), {}, "PUT"),
        Case(
            "save_shared_note",
            "POST",
            r("oneonones:save_shared_note", args=[m.pk]),
            {"text": "Notes", "base_version": "0"},
            "GET",
        ),
        Case(
            "save_private_note",
            "POST",
            r("oneonones:save_private_note", args=[m.pk]),
            {"text": "Mine"},
            "GET",
        ),
        Case(
            "add_action_item",
            "POST",
            r("oneonones:add_action_item", args=[m.pk]),
            {"text": "Book a room", "owner": str(o.first_id)},
            "GET",
        ),
        Case("reschedule", "GET", r("oneonones:reschedule", args=[m.pk]), {}, "PUT"),
        Case(
            "reschedule_post",
            "POST",
            r("oneonones:reschedule", args=[m.pk]),
            {"scheduled_at": later, "reason": "Travel"},
            "PUT",
        ),
        Case("cancel", "GET", r("oneonones:cancel", args=[m.pk]), {}, "PUT"),
        Case(
            "move_talking_point",
            "POST",
            r("oneonones:move_talking_point", args=[p.pk]),
            {"direction": "down"},
            "GET",
        ),
        Case("mark_discussed", "POST", r("oneonones:mark_discussed", args=[p.pk]), {}, "GET"),
        Case(
            "toggle_action_item",
            "POST",
            r("oneonones:toggle_action_item", args=[i.pk]),
            {"done": "1"},
            "GET",
        ),
        Case(
            "prepare_next_meeting",
            "POST",
            r("oneonones:prepare_next_meeting", args=[o.pk]),
            {},
            "GET",
        ),
        Case("end_asks_first", "GET", r("oneonones:end", args=[o.pk]), {}, "PUT"),
        # Changes that end things go last in each persona's run (see test below).
        Case("mark_held", "POST", r("oneonones:mark_held", args=[m.pk]), {}, "GET"),
        Case("end", "POST", r("oneonones:end", args=[o.pk]), {}, "PUT"),
    ]


def send(client, method: str, url: str, data: dict[str, Any]):
    return (
        getattr(client, method.lower())(url, data) if data else getattr(client, method.lower())(url)
    )


@pytest.mark.parametrize("persona", ["alice", "bob"])
def test_both_participants_reach_every_view(request, client_for, world, persona):
    client = client_for(request.getfixturevalue(persona))
    for case in cases(world):
        response = send(client, case.method, case.url, case.data)
        assert response.status_code in (200, 302), (case.name, response.status_code)


@pytest.mark.parametrize("persona", ["carol", "admin"])
def test_outsiders_and_admins_get_404_everywhere(request, client_for, world, persona):
    client = client_for(request.getfixturevalue(persona))
    for case in cases(world):
        response = send(client, case.method, case.url, case.data)
        assert response.status_code == 404, (case.name, response.status_code)
    # Nothing changed behind their back.
    world["meeting"].refresh_from_db()
    assert world["meeting"].status == "scheduled"
    assert world["meeting"].talking_points.count() == 1


def test_anonymous_visitors_are_sent_to_sign_in(client_for, world):
    client = client_for(None)
    for case in cases(world):
        response = send(client, case.method, case.url, case.data)
        assert response.status_code == 302, case.name
        assert response["Location"].startswith("/login/"), case.name


def test_wrong_method_is_405(client_for, world, alice):
    client = client_for(alice)
    for case in cases(world):
        response = getattr(client, case.wrong_method.lower())(case.url)
        assert response.status_code == 405, case.name


def test_delete_talking_point_is_for_its_author(client_for, world, alice, bob, carol, admin):
    point = world["point"]  # alice's
    url = reverse("oneonones:delete_talking_point", args=[point.pk])
    # Bob sees alice's point but may not remove it: a 404, as for editing it.
    for person in (bob, carol, admin):
        assert client_for(person).post(url).status_code == 404, person
        assert client_for(person).post(url, HTTP_HX_REQUEST="true").status_code == 404, person
    assert client_for(None).post(url)["Location"].startswith("/login/")
    assert client_for(alice).get(url).status_code == 405
    point.refresh_from_db()
    # Nor is there a remove button for it on bob's agenda; there is one on alice's.
    meeting_url = reverse("oneonones:meeting", args=[point.meeting_id])
    assert url not in client_for(bob).get(meeting_url).content.decode()
    assert url in client_for(alice).get(meeting_url).content.decode()
    assert client_for(alice).post(url).status_code == 302
    assert not type(point).objects.filter(pk=point.pk).exists()


def test_edit_talking_point_is_for_its_author(client_for, world, alice, bob, carol, admin):
    point = world["point"]  # alice's
    url = reverse("oneonones:edit_talking_point", args=[point.pk])
    for person in (bob, carol, admin):
        client = client_for(person)
        assert client.get(url).status_code == 404, person
        assert client.post(url, {"text": "Taken over"}).status_code == 404, person
    anonymous = client_for(None)
    assert anonymous.get(url)["Location"].startswith("/login/")
    assert anonymous.post(url, {"text": "Taken over"})["Location"].startswith("/login/")
    client = client_for(alice)
    assert client.put(url).status_code == 405
    assert client.delete(url).status_code == 405
    point.refresh_from_db()
    assert point.text == "Roadmap"
    assert client.get(url).status_code == 200
    assert client.post(url, {"text": "Roadmap for Q3"}).status_code == 302
    point.refresh_from_db()
    assert point.text == "Roadmap for Q3"


def test_a_private_talking_point_is_invisible_and_404_to_the_other_participant(
    client_for, meeting, alice, bob
):
    secret = actions.add_talking_point(
        meeting, by=alice, text="Ask about salary band", private=True
    )
    bob_client = client_for(bob)
    page = bob_client.get(reverse("oneonones:meeting", args=[meeting.pk]))
    assert "Ask about salary band" not in page.content.decode()
    for name in (
        "mark_discussed",
        "move_talking_point",
        "delete_talking_point",
        "edit_talking_point",
    ):
        assert bob_client.post(reverse(f"oneonones:{name}", args=[secret.pk])).status_code == 404
    assert (
        bob_client.get(reverse("oneonones:edit_talking_point", args=[secret.pk])).status_code == 404
    )
    alice_page = client_for(alice).get(reverse("oneonones:meeting", args=[meeting.pk]))
    assert "Ask about salary band" in alice_page.content.decode()


def test_a_private_note_is_for_its_author_only(client_for, meeting, alice, bob):
    actions.save_private_note(meeting, by=alice, text="Bob seems tired lately")
    url = reverse("oneonones:meeting", args=[meeting.pk])
    assert "Bob seems tired lately" in client_for(alice).get(url).content.decode()
    assert "Bob seems tired lately" not in client_for(bob).get(url).content.decode()


def test_signed_in_pages_need_signing_in(client_for, alice):
    for name in ("home", "oneonones:list", "oneonones:start", "oneonones:my_action_items",
                 "oneonones:templates", "oneonones:template_create"):  # fmt: skip
        url = reverse(name)
        assert client_for(None).get(url)["Location"].startswith("/login/"), name
        assert client_for(alice).get(url).status_code == 200, name
        assert client_for(alice).delete(url).status_code == 405, name


def test_other_peoples_one_on_ones_do_not_show_in_lists(client_for, world, carol, admin):
    for person in (carol, admin):
        client = client_for(person)
        urls = [reverse(name) for name in ("home", "oneonones:list", "oneonones:my_action_items")]
        for url in [*urls, reverse("oneonones:my_action_items") + "?whose=theirs"]:
            content = client.get(url).content.decode()
            assert "Bob Jones" not in content, (person, url)
            assert "Write the RFC" not in content, (person, url)


def test_a_template_is_deleted_by_its_author_only(client_for, alice, bob, admin):
    template = actions.create_template(owner=alice, name="Mine", questions=["How are you?"])
    url = reverse("oneonones:template_delete", args=[template.pk])
    assert client_for(bob).post(url).status_code == 404
    assert client_for(admin).post(url).status_code == 404
    assert client_for(bob).get(url).status_code == 404
    assert client_for(None).post(url)["Location"].startswith("/login/")
    # Asked first: the page names what goes; nothing is deleted until the POST.
    page = client_for(alice).get(url)
    assert page.status_code == 200 and "Delete “Mine”?" in page.content.decode()
    assert type(template).objects.filter(pk=template.pk).exists()
    assert client_for(alice).post(url).status_code == 302
    assert not type(template).objects.filter(pk=template.pk).exists()


def test_a_template_is_edited_by_its_author_only(client_for, meeting, alice, bob, admin):
    template = actions.create_template(owner=alice, name="Mine", questions=["How are you?"])
    actions.add_from_template(meeting, by=alice, template=template)
    url = reverse("oneonones:template_edit", args=[template.pk])
    form = {"name": "Weekly", "category": "other", "description": "", "questions": "A?\n\nB?"}
    for person in (bob, admin):
        assert client_for(person).get(url).status_code == 404
        assert client_for(person).post(url, form).status_code == 404
    assert client_for(None).get(url)["Location"].startswith("/login/")
    client = client_for(alice)
    assert "How are you?" in client.get(url).content.decode()  # the form starts filled in
    assert client.post(url, {**form, "questions": "  \n "}).status_code == 400
    assert client.post(url, form).status_code == 302
    template.refresh_from_db()
    assert template.name == "Weekly"
    assert [q.text for q in template.questions.order_by("position")] == ["A?", "B?"]
    # What was added from it before keeps its wording.
    assert [p.text for p in meeting.talking_points.all()] == ["How are you?"]


def test_someone_elses_template_is_not_listed_or_usable(client_for, meeting, alice, carol):
    template = actions.create_template(owner=carol, name="Carol's secret set", questions=["Q?"])
    client = client_for(alice)
    assert (
        "Carol&#x27;s secret set" not in client.get(reverse("oneonones:templates")).content.decode()
    )
    response = client.post(
        reverse("oneonones:add_from_template", args=[meeting.pk]), {"template": template.pk}
    )
    assert response.status_code == 400
    assert meeting.talking_points.count() == 0


def test_a_deactivated_participant_loses_access_and_the_other_keeps_it(
    client_for, world, alice, bob
):
    bob.is_active = False
    bob.save()
    url = reverse("oneonones:detail", args=[world["oneonone"].pk])
    assert client_for(alice).get(url).status_code == 200
    from tete.oneonones.access import get_oneonone_for

    with pytest.raises(Exception, match="No such"):
        get_oneonone_for(bob, world["oneonone"].pk)
