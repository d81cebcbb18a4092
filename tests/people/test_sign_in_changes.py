"""Every password or email change ends the person's other sessions and emails them; staff
can send a reset link but never set a password."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client

from tests.conftest import PASSWORD, signs_in
from tete.accounts import actions
from tete.people import actions as people_actions

NEW = "a different long passphrase"


def signed_in(person) -> Client:
    client = Client()
    client.force_login(person)
    assert client.get("/people/me/").status_code == 200
    return client


def is_signed_in(client: Client) -> bool:
    return client.get("/people/me/").status_code == 200


def link_in(message, path: str) -> str:
    match = re.search(rf"https?://[^/\s]+({path}\S+/)", message.body)
    assert match, message.body
    return match.group(1)


def test_changing_the_password_ends_the_other_sessions_and_emails(bob):
    here, elsewhere = signed_in(bob), signed_in(bob)
    here.post(
        "/password/change/",
        {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW},
    )
    assert is_signed_in(here)
    assert not is_signed_in(elsewhere)
    (message,) = mail.outbox
    assert message.to == [bob.email]
    assert message.subject == "Your Tête-à-tête password was changed"
    assert "You are signed out everywhere else" in message.body
    assert "/password/reset/" in message.body


def test_the_change_email_gives_the_time_in_the_persons_timezone(bob):
    bob.timezone = "Asia/Tokyo"
    bob.save()
    actions.password_changed(bob)
    assert "JST" in mail.outbox[0].body


def test_a_password_reset_ends_every_session_and_emails(bob):
    elsewhere = signed_in(bob)
    client = Client()
    client.post("/password/reset/", {"email": bob.email})
    form = client.get(link_in(mail.outbox[-1], "/password/reset/"), follow=True)
    mail.outbox.clear()
    client.post(form.redirect_chain[-1][0], {"new_password1": NEW, "new_password2": NEW})
    assert not is_signed_in(elsewhere)
    (message,) = mail.outbox
    assert (message.to, message.subject) == ([bob.email], "Your Tête-à-tête password was changed")


def test_a_confirmed_email_change_ends_the_other_sessions(admin, bob):
    here, elsewhere = signed_in(bob), signed_in(bob)
    actions.request_email_change(bob, "bob@new.example", by=admin)
    confirm = next(m for m in mail.outbox if m.to == ["bob@new.example"])
    here.post(link_in(confirm, "/email/confirm/"), {"password": PASSWORD})
    assert is_signed_in(here)
    assert not is_signed_in(elsewhere)


def test_a_confirmed_email_change_from_another_browser_ends_every_session(admin, bob):
    elsewhere = signed_in(bob)
    actions.request_email_change(bob, "bob@new.example", by=admin)
    confirm = next(m for m in mail.outbox if m.to == ["bob@new.example"])
    Client().post(link_in(confirm, "/email/confirm/"), {"password": PASSWORD})
    assert not is_signed_in(elsewhere)


def test_a_profile_change_keeps_the_sessions(bob):
    elsewhere = signed_in(bob)
    people_actions.update_profile(
        bob, name="Bob J.", title="", timezone_name="UTC", location="Paris"
    )
    assert is_signed_in(elsewhere)


# Staff send a reset link ----------------------------------------------------------------


def test_staff_send_a_reset_link_that_only_the_person_reads(client_for, admin, bob):
    response = client_for(admin).post(f"/people/{bob.pk}/password-reset/", follow=True)
    assert f"A link to choose a new password was sent to {bob.email}" in response.content.decode()
    assert 'type="password"' not in response.content.decode()
    (message,) = mail.outbox
    assert message.to == [bob.email]
    assert "Ada Admin, an administrator of Tête-à-tête, sent you this link" in message.body
    # Nothing changed yet (signing in would void the link, as Django's reset links are).
    bob.refresh_from_db()
    assert bob.check_password(PASSWORD)
    client = client_for(None)
    form = client.get(link_in(message, "/password/reset/"), follow=True)
    assert "Choose a new password" in form.content.decode()
    client.post(form.redirect_chain[-1][0], {"new_password1": NEW, "new_password2": NEW})
    assert signs_in(client_for(None), bob.email, NEW)


def test_the_person_page_offers_staff_the_reset_button(client_for, admin, bob):
    page = client_for(admin).get(f"/people/{bob.pk}/").content.decode()
    assert "Send password reset email" in page
    assert (
        "Send password reset email"
        not in client_for(bob).get(f"/people/{bob.pk}/").content.decode()
    )


def test_people_who_cannot_sign_in_get_no_reset_link(client_for, admin, bob):
    sent = people_actions.invite_person(by=admin, email="nina@example.com", name="Nina")
    nina = sent.invitation.person
    people_actions.deactivate_person(bob, by=admin)
    mail.outbox.clear()
    client = client_for(admin)
    invited = client.post(f"/people/{nina.pk}/password-reset/", follow=True).content.decode()
    assert "Nina has not joined yet: resend their invitation instead" in invited
    deactivated = client.post(f"/people/{bob.pk}/password-reset/", follow=True).content.decode()
    assert "Bob Jones is deactivated: reactivate them first." in deactivated
    assert mail.outbox == []


@pytest.mark.parametrize("who", ["bob", "carol"])
def test_only_staff_send_reset_links(client_for, who, request, alice):
    person = request.getfixturevalue(who)
    assert client_for(person).post(f"/people/{alice.pk}/password-reset/").status_code == 403
    assert mail.outbox == []


def test_the_reset_link_url_answers_anonymous_visitors_wrong_methods_and_unknown_people(
    client_for, admin, bob
):
    assert (
        client_for(None).post(f"/people/{bob.pk}/password-reset/")["Location"].startswith("/login/")
    )
    assert client_for(admin).get(f"/people/{bob.pk}/password-reset/").status_code == 405
    assert client_for(admin).post("/people/999999/password-reset/").status_code == 404
