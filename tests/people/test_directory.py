"""People directory and person pages: any signed-in person; no one-on-one content on them."""

from __future__ import annotations

import pytest

from tete.accounts.models import Person, Team
from tete.people import actions


@pytest.fixture
def many_people(db, team):
    other = Team.objects.create(name="Product")
    boss = Person.objects.create_user("boss@example.com", "x", name="Zed Boss", team=other)
    Person.objects.bulk_create(
        Person(
            email=f"p{n:02}@example.com",
            name=f"Person {n:02}",
            title="Engineer" if n % 2 else "Designer",
            team=team if n % 3 else other,
            manager=boss,
        )
        for n in range(60)
    )
    return boss


def test_the_directory_lists_name_title_team_manager_and_timezone(client_for, alice, bob):
    content = client_for(bob).get("/people/").content.decode()
    assert "Alice Martin" in content
    assert "Engineering Manager" in content
    assert "Platform" in content
    assert "<dt>Timezone</dt><dd>UTC</dd>" in content
    # Bob's card names his manager.
    assert content.index("Bob Jones") < content.rindex("Alice Martin")


def test_the_directory_is_paginated(client_for, alice, many_people):
    client = client_for(alice)
    first = client.get("/people/").content.decode()
    assert "Page 1 of 3" in first
    assert f'href="/people/{alice.pk}/"' in first
    last = client.get("/people/?page=3").content.decode()
    assert "Zed Boss" in last
    assert f'href="/people/{alice.pk}/"' not in last
    assert client.get("/people/?page=999").status_code == 200


def test_search_matches_name_title_or_email(client_for, alice, many_people):
    client = client_for(alice)
    content = client.get("/people/?q=person 0").content.decode()
    assert "10 people" in content
    assert "Person 09" in content and "Person 10" not in content
    assert "Designer" in client.get("/people/?q=designer").content.decode()
    assert "1 person" in client.get("/people/?q=BOSS@example").content.decode()
    assert "Nobody matches" in client.get("/people/?q=nobody-at-all").content.decode()


def test_pagination_links_keep_the_search(client_for, alice, many_people):
    content = client_for(alice).get("/people/?q=person").content.decode()
    assert "?q=person&amp;page=2" in content


def test_filter_by_team(client_for, alice, many_people):
    product = Team.objects.get(name="Product")
    content = client_for(alice).get(f"/people/?team={product.pk}").content.decode()
    assert "Zed Boss" in content
    assert f'href="/people/{alice.pk}/"' not in content
    assert "21 people" in content


def test_htmx_search_returns_only_the_results(client_for, alice, many_people):
    response = client_for(alice).get("/people/?q=zed", headers={"HX-Request": "true"})
    content = response.content.decode()
    assert content.lstrip().startswith('<section id="people-results"')
    assert "Zed Boss" in content
    assert "<html" not in content


def test_invited_and_deactivated_people_are_hidden_from_the_directory(
    client_for, admin, bob, carol
):
    actions.invite_person(by=admin, email="new@example.com", name="Nina New")
    actions.deactivate_person(carol, by=admin)
    content = client_for(bob).get("/people/").content.decode()
    assert "Nina New" not in content
    assert "Carol Outsider" not in content
    # A status filter is for staff only; others still see active people.
    assert "Carol Outsider" not in client_for(bob).get("/people/?status=all").content.decode()


def test_staff_can_list_invited_and_deactivated_people(client_for, admin, carol):
    actions.invite_person(by=admin, email="new@example.com", name="Nina New")
    actions.deactivate_person(carol, by=admin)
    client = client_for(admin)
    assert "Nina New" in client.get("/people/?status=invited").content.decode()
    deactivated = client.get("/people/?status=deactivated").content.decode()
    assert "Carol Outsider" in deactivated
    assert "Nina New" not in deactivated


def test_directory_query_count_does_not_grow_with_people(
    client_for, alice, many_people, django_assert_max_num_queries
):
    client = client_for(alice)
    with django_assert_max_num_queries(8):
        assert client.get("/people/").status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get("/people/?q=person&page=2").status_code == 200


# Person page ------------------------------------------------------------------------------


def test_a_person_page_shows_their_manager_and_reports(client_for, alice, bob, carol):
    content = client_for(carol).get(f"/people/{alice.pk}/").content.decode()
    assert "Alice Martin" in content
    assert f'href="/people/{bob.pk}/"' in content
    content = client_for(carol).get(f"/people/{bob.pk}/").content.decode()
    assert f'href="/people/{alice.pk}/"' in content
    assert "Nobody reports to Bob" in content


def test_a_person_page_shows_their_local_time(client_for, alice, bob):
    bob.timezone = "Asia/Tokyo"
    bob.save()
    content = client_for(alice).get(f"/people/{bob.pk}/").content.decode()
    assert "Asia/Tokyo" in content
    assert "their time now" in content


def test_the_start_link_points_at_the_one_on_one_start_page(client_for, alice, bob):
    content = client_for(alice).get(f"/people/{bob.pk}/").content.decode()
    assert f'href="/one-on-ones/new/?with={bob.pk}"' in content
    own = client_for(alice).get(f"/people/{alice.pk}/").content.decode()
    assert "Start a one-on-one" not in own


def test_person_page_query_count_does_not_grow_with_reports(
    client_for, alice, many_people, django_assert_max_num_queries
):
    client = client_for(alice)
    with django_assert_max_num_queries(8):
        response = client.get(f"/people/{many_people.pk}/")
    assert response.content.decode().count('class="avatar avatar--sm"') == 60


def test_a_deactivated_persons_page_still_shows_who_they_were(client_for, admin, alice, bob):
    actions.deactivate_person(bob, by=admin)
    response = client_for(alice).get(f"/people/{bob.pk}/")
    assert response.status_code == 200
    content = response.content.decode()
    assert "No longer active" in content
    assert "Start a one-on-one" not in content


def test_people_who_have_not_joined_are_404_except_for_staff(client_for, admin, alice):
    nina = actions.invite_person(by=admin, email="new@example.com", name="Nina").invitation.person
    assert client_for(alice).get(f"/people/{nina.pk}/").status_code == 404
    assert client_for(admin).get(f"/people/{nina.pk}/").status_code == 200


def test_unknown_people_are_404(client_for, alice):
    assert client_for(alice).get("/people/99999/").status_code == 404


@pytest.mark.parametrize("who", ["alice", "bob", "carol", "admin"])
def test_every_signed_in_person_sees_the_directory_and_person_pages(request, client_for, bob, who):
    client = client_for(request.getfixturevalue(who))
    assert client.get("/people/").status_code == 200
    assert client.get(f"/people/{bob.pk}/").status_code == 200


def test_only_staff_see_the_administration_box(client_for, admin, alice, bob):
    assert "Deactivate Bob" not in client_for(alice).get(f"/people/{bob.pk}/").content.decode()
    assert "Deactivate Bob" in client_for(admin).get(f"/people/{bob.pk}/").content.decode()


def test_anonymous_visitors_are_sent_to_sign_in(client_for, bob):
    for url in ["/people/", f"/people/{bob.pk}/"]:
        response = client_for(None).get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/login/")


def test_wrong_method_is_405(client_for, alice, bob):
    client = client_for(alice)
    assert client.post("/people/").status_code == 405
    assert client.post(f"/people/{bob.pk}/").status_code == 405
