"""Staff deactivate, reactivate and place people; nothing is deleted (DESIGN.md rule 6)."""

from __future__ import annotations

import pytest

from tests.conftest import PASSWORD, signs_in
from tete.accounts.models import Person, Team
from tete.people import actions
from tete.people.models import Invitation


def test_a_deactivated_person_can_no_longer_sign_in(client_for, admin, bob):
    response = client_for(admin).post(f"/people/{bob.pk}/deactivate/")
    assert response.status_code == 302
    bob.refresh_from_db()
    assert not bob.is_active
    assert bob.status == "deactivated"
    assert bob.deactivated_at is not None
    client = client_for(None)
    response = client.post("/login/", {"username": bob.email, "password": PASSWORD})
    assert response.status_code == 200
    assert client.get("/").status_code == 302


def test_deactivation_ends_their_open_sessions(client, admin, bob):
    client.force_login(bob)
    assert client.get("/people/").status_code == 200
    actions.deactivate_person(bob, by=admin)
    assert client.get("/people/").status_code == 302


def test_deactivation_deletes_nothing(admin, alice, bob):
    people_before = Person.objects.count()
    actions.deactivate_person(alice, by=admin)
    assert Person.objects.count() == people_before
    bob.refresh_from_db()
    # Reports keep their manager: the history of who managed whom stays true.
    assert bob.manager == alice


def test_deactivation_revokes_an_open_invitation(admin):
    sent = actions.invite_person(by=admin, email="nina@example.com", name="Nina")
    actions.deactivate_person(sent.invitation.person, by=admin)
    assert Invitation.objects.get().state == "revoked"


def test_staff_cannot_deactivate_themselves(client_for, admin):
    response = client_for(admin).post(f"/people/{admin.pk}/deactivate/", follow=True)
    assert "You cannot deactivate yourself." in response.content.decode()
    admin.refresh_from_db()
    assert admin.is_active


def test_reactivation_restores_sign_in_with_the_old_password(client_for, admin, bob):
    actions.deactivate_person(bob, by=admin)
    response = client_for(admin).post(f"/people/{bob.pk}/reactivate/")
    assert response.status_code == 302
    bob.refresh_from_db()
    assert bob.is_active and bob.deactivated_at is None
    assert signs_in(client_for(None), bob.email, PASSWORD)


def test_someone_who_never_joined_is_invited_not_reactivated(client_for, admin):
    nina = actions.invite_person(by=admin, email="nina@example.com", name="Nina").invitation.person
    actions.deactivate_person(nina, by=admin)
    response = client_for(admin).post(f"/people/{nina.pk}/reactivate/", follow=True)
    assert "send them an invitation instead" in response.content.decode()
    nina.refresh_from_db()
    assert not nina.is_active


# Staff edit title, team and manager -------------------------------------------------------


def test_staff_change_title_team_and_manager(client_for, admin, alice, carol):
    product = Team.objects.create(name="Product")
    response = client_for(admin).post(
        f"/people/{carol.pk}/edit/",
        {"email": carol.email, "title": "Designer", "team": product.pk, "manager": alice.pk},
    )
    assert response.status_code == 302
    carol.refresh_from_db()
    assert (carol.title, carol.team, carol.manager) == ("Designer", product, alice)


def test_staff_can_put_someone_in_a_new_team(client_for, admin, carol):
    client_for(admin).post(
        f"/people/{carol.pk}/edit/", {"email": carol.email, "title": "", "new_team": " Data  Team "}
    )
    carol.refresh_from_db()
    assert carol.team.name == "Data Team"
    assert carol.manager is None


def test_the_edit_form_refuses_a_manager_loop(client_for, admin, alice, bob):
    response = client_for(admin).post(f"/people/{alice.pk}/edit/", {"manager": bob.pk})
    assert response.status_code == 200
    assert "that would make a loop" in response.content.decode()
    alice.refresh_from_db()
    assert alice.manager is None


def test_a_manager_loop_is_refused_by_the_action_too(alice, bob):
    with pytest.raises(actions.PeopleError):
        actions.update_person(alice, title="", team=None, manager=bob)


def test_the_edit_form_shows_current_values(client_for, admin, alice, bob):
    content = client_for(admin).get(f"/people/{bob.pk}/edit/").content.decode()
    assert 'value="Engineer"' in content
    assert f'<option value="{alice.pk}" selected>' in content
    # Nobody can be their own manager.
    assert f'<option value="{bob.pk}"' not in content


# Personas --------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["alice", "bob", "carol"])
def test_people_who_are_not_staff_get_403(request, client_for, bob, who):
    client = client_for(request.getfixturevalue(who))
    assert client.post(f"/people/{bob.pk}/deactivate/").status_code == 403
    assert client.post(f"/people/{bob.pk}/reactivate/").status_code == 403
    assert client.get(f"/people/{bob.pk}/edit/").status_code == 403
    assert client.post(f"/people/{bob.pk}/edit/", {"title": "Boss"}).status_code == 403
    bob.refresh_from_db()
    assert bob.is_active and bob.title == "Engineer"


def test_anonymous_visitors_are_sent_to_sign_in(client_for, bob):
    client = client_for(None)
    for url in [f"/people/{bob.pk}/deactivate/", f"/people/{bob.pk}/reactivate/"]:
        response = client.post(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/login/")
    assert client.get(f"/people/{bob.pk}/edit/")["Location"].startswith("/login/")


def test_wrong_method_is_405(client_for, admin, bob):
    client = client_for(admin)
    assert client.get(f"/people/{bob.pk}/deactivate/").status_code == 405
    assert client.get(f"/people/{bob.pk}/reactivate/").status_code == 405
    assert client.delete(f"/people/{bob.pk}/edit/").status_code == 405


def test_unknown_people_are_404_for_staff(client_for, admin):
    assert client_for(admin).post("/people/99999/deactivate/").status_code == 404
