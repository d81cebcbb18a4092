"""Changing the address a person signs in with: confirmed at the new address, the old one told."""

from __future__ import annotations

import re
import time
from unittest import mock

from django.core import mail

from tests.conftest import PASSWORD, signs_in
from tete.accounts import actions
from tete.accounts.models import Person

NEW = "bob.jones@elsewhere.example"


def confirmation_link(to: str = NEW) -> str:
    sent = [m for m in mail.outbox if m.to == [to]]
    assert sent, [m.to for m in mail.outbox]
    match = re.search(r"https?://[^/\s]+(/email/confirm/\S+/)", sent[-1].body)
    assert match, sent[-1].body
    return match.group(1)


def staff_edit(client, person: Person, email: str, **fields):
    data = {"email": email, "title": person.title, "team": person.team_id or "", "manager": ""}
    if person.manager_id:
        data["manager"] = person.manager_id
    data.update(fields)
    return client.post(f"/people/{person.pk}/edit/", data, follow=True)


def test_staff_ask_and_nothing_changes_until_the_new_address_confirms(client_for, admin, bob):
    response = staff_edit(client_for(admin), bob, NEW)
    assert response.status_code == 200
    page = response.content.decode()
    assert f"A confirmation link was sent to {NEW}" in page
    assert f"Email change to {NEW} waiting for confirmation" in page
    bob.refresh_from_db()
    assert bob.email == "bob@example.com"
    assert bob.pending_email == NEW
    to_new, to_old = (next(m for m in mail.outbox if m.to == [a]) for a in (NEW, bob.email))
    assert "Ada Admin, an administrator of Tête-à-tête, asked" in to_new.body
    assert "/email/confirm/" in to_new.body
    # The old address hears who asked, and where to; it gets no link to follow.
    assert "Ada Admin" in to_old.body and NEW in to_old.body
    assert "/email/confirm/" not in to_old.body
    assert signs_in(client_for(None), "bob@example.com", PASSWORD)


def test_following_the_link_shows_a_button_and_only_the_post_changes_it(client_for, admin, bob):
    actions.request_email_change(bob, NEW, by=admin)
    client = client_for(None)
    link = confirmation_link()
    page = client.get(link)
    assert page.status_code == 200
    assert "Confirm the new address" in page.content.decode()
    assert NEW in page.content.decode()
    bob.refresh_from_db()
    assert bob.email == "bob@example.com"
    mail.outbox.clear()
    response = client.post(link, {"password": PASSWORD}, follow=True)
    assert f"Your account now signs in with {NEW}" in response.content.decode()
    bob.refresh_from_db()
    assert (bob.email, bob.pending_email, bob.pending_email_since) == (NEW, "", None)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(["bob@example.com", NEW])
    assert all(m.subject == "Your Tête-à-tête email address was changed" for m in mail.outbox)
    assert signs_in(client_for(None), NEW, PASSWORD)
    assert not signs_in(client_for(None), "bob@example.com", PASSWORD)


def test_a_used_link_no_longer_works(client_for, admin, bob):
    actions.request_email_change(bob, NEW, by=admin)
    client = client_for(None)
    link = confirmation_link()
    client.post(link, {"password": PASSWORD})
    again = client.get(link)
    assert again.status_code == 410
    assert "This link no longer works" in again.content.decode()


def test_a_newer_request_voids_the_older_link(client_for, admin, bob):
    actions.request_email_change(bob, NEW, by=admin)
    first = confirmation_link()
    actions.request_email_change(bob, "bob@third.example", by=admin)
    client = client_for(None)
    assert client.post(first, {"password": PASSWORD}).status_code == 410
    bob.refresh_from_db()
    assert bob.email == "bob@example.com"
    client.post(confirmation_link("bob@third.example"), {"password": PASSWORD})
    bob.refresh_from_db()
    assert bob.email == "bob@third.example"


def test_an_expired_link_no_longer_works(client_for, admin, bob, settings):
    two_days_ago = time.time() - 2 * settings.PASSWORD_RESET_TIMEOUT
    with mock.patch("django.core.signing.time.time", return_value=two_days_ago):
        actions.request_email_change(bob, NEW, by=admin)
    assert client_for(None).post(confirmation_link()).status_code == 410
    bob.refresh_from_db()
    assert bob.email == "bob@example.com"


def test_a_forged_link_is_refused(client_for, bob):
    response = client_for(None).get(f"/email/confirm/{bob.pk}:{NEW}/")
    assert response.status_code == 410


def test_an_address_taken_meanwhile_is_refused_when_confirming(client_for, admin, bob):
    actions.request_email_change(bob, NEW, by=admin)
    Person.objects.create_user(NEW, PASSWORD, name="Quick Taker")
    response = client_for(None).post(confirmation_link(), {"password": PASSWORD})
    assert response.status_code == 409
    assert f"Another account uses {NEW} now" in response.content.decode()
    bob.refresh_from_db()
    assert bob.email == "bob@example.com"


def test_when_staff_asked_the_link_also_takes_the_persons_own_password(client_for, admin, bob):
    # Staff who give an address they hold cannot take the account over with the link.
    actions.request_email_change(bob, "ada.private@example.net", by=admin)
    to_new = next(m for m in mail.outbox if m.to == ["ada.private@example.net"])
    assert "asks for your Tête-à-tête password" in to_new.body
    link = confirmation_link("ada.private@example.net")
    client = client_for(None)
    page = client.get(link).content.decode()
    assert 'name="password"' in page and 'autocomplete="current-password"' in page
    for data in ({}, {"password": ""}, {"password": "admin's guess"}):
        refused = client.post(link, data)
        assert refused.status_code == 400
        assert "That is not the account&#x27;s password." in refused.content.decode()
    bob.refresh_from_db()
    assert (bob.email, bob.pending_email) == ("bob@example.com", "ada.private@example.net")
    client.post(link, {"password": PASSWORD})
    bob.refresh_from_db()
    assert bob.email == "ada.private@example.net"


def test_a_link_the_person_asked_for_needs_no_password_again(client_for, bob):
    client_for(bob).post("/people/me/email/", {"email": NEW, "password": PASSWORD})
    page = client_for(None).get(confirmation_link()).content.decode()
    assert 'name="password"' not in page
    client_for(None).post(confirmation_link())
    bob.refresh_from_db()
    assert bob.email == NEW


def test_staff_cannot_ask_for_an_address_another_account_uses(client_for, admin, alice, bob):
    response = staff_edit(client_for(admin), bob, alice.email)
    assert "Another account already uses this address." in response.content.decode()
    bob.refresh_from_db()
    assert bob.pending_email == ""
    assert mail.outbox == []


def test_other_fields_save_without_touching_the_email(client_for, admin, bob):
    staff_edit(client_for(admin), bob, bob.email, title="Staff Engineer")
    bob.refresh_from_db()
    assert (bob.title, bob.pending_email) == ("Staff Engineer", "")
    assert mail.outbox == []


# The person themselves ---------------------------------------------------------------------


def test_a_person_changes_their_own_address_with_their_password(client_for, bob):
    client = client_for(bob)
    form = client.get("/people/me/email/")
    assert "Change your email address" in form.content.decode()
    wrong = client.post("/people/me/email/", {"email": NEW, "password": "nope"})
    assert "That is not your current password." in wrong.content.decode()
    response = client.post("/people/me/email/", {"email": NEW, "password": PASSWORD}, follow=True)
    assert f"A confirmation link is on its way to {NEW}" in response.content.decode()
    assert f"Waiting for you to confirm {NEW}" in response.content.decode()
    to_old = next(m for m in mail.outbox if m.to == ["bob@example.com"])
    assert "You asked to move your Tête-à-tête account" in to_old.body
    # Confirming from the same browser keeps it signed in.
    client.post(confirmation_link(), follow=True)
    assert client.get("/people/me/").status_code == 200
    bob.refresh_from_db()
    assert bob.email == NEW


def test_giving_the_current_address_withdraws_a_pending_change(client_for, bob):
    client = client_for(bob)
    client.post("/people/me/email/", {"email": NEW, "password": PASSWORD})
    link = confirmation_link()
    response = client.post(
        "/people/me/email/", {"email": bob.email, "password": PASSWORD}, follow=True
    )
    assert "The change of address is withdrawn" in response.content.decode()
    bob.refresh_from_db()
    assert bob.pending_email == ""
    assert client_for(None).post(link).status_code == 410


def test_the_email_pages_answer_anonymous_visitors_and_wrong_methods(client_for, admin, bob):
    anonymous = client_for(None)
    assert anonymous.get("/people/me/email/")["Location"].startswith("/login/")
    assert client_for(bob).put("/people/me/email/").status_code == 405
    actions.request_email_change(bob, NEW, by=admin)
    assert client_for(None).put(confirmation_link()).status_code == 405
