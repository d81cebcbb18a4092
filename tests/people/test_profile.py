"""Your profile: name, title, timezone and location, yours to change."""

from __future__ import annotations

from tete.accounts.models import Person


def profile_data(**overrides):
    return {
        "name": "Bob Jones",
        "title": "Senior Engineer",
        "timezone": "America/New_York",
        "location": "Montréal",
        **overrides,
    }


def test_the_profile_shows_your_current_details(client_for, bob):
    content = client_for(bob).get("/people/me/").content.decode()
    assert 'value="Bob Jones"' in content
    assert 'value="Engineer"' in content
    assert '<option value="UTC" selected>' in content


def test_you_change_your_name_title_timezone_and_location(client_for, bob):
    response = client_for(bob).post("/people/me/", profile_data(name="Robert Jones"))
    assert response.status_code == 302
    bob.refresh_from_db()
    assert (bob.name, bob.title, bob.timezone, bob.location) == (
        "Robert Jones",
        "Senior Engineer",
        "America/New_York",
        "Montréal",
    )


def test_an_invalid_profile_keeps_typed_values_and_changes_nothing(client_for, bob):
    response = client_for(bob).post(
        "/people/me/", profile_data(name="", timezone="Mars/Olympus", location="Typed place")
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "This field is required." in content
    assert "Select a valid choice." in content
    assert 'value="Typed place"' in content
    # The top bar still shows the saved name, not the rejected one.
    assert "Bob Jones" in content
    bob.refresh_from_db()
    assert bob.location == ""


def test_you_cannot_change_your_team_or_manager_here(client_for, alice, bob, carol):
    client_for(bob).post("/people/me/", {**profile_data(), "manager": carol.pk, "is_staff": "on"})
    bob.refresh_from_db()
    assert bob.manager == alice
    assert not bob.is_staff


def test_each_person_edits_only_their_own_profile(client_for, alice, bob):
    client_for(alice).post("/people/me/", profile_data(name="Alice M."))
    assert Person.objects.get(pk=bob.pk).name == "Bob Jones"
    assert Person.objects.get(pk=alice.pk).name == "Alice M."


def test_anonymous_visitors_are_sent_to_sign_in(client_for, db):
    response = client_for(None).get("/people/me/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_wrong_method_is_405(client_for, bob):
    assert client_for(bob).delete("/people/me/").status_code == 405
