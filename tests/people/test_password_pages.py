"""Password reset by email and password change, on the app's own pages."""

from __future__ import annotations

import re

from django.core import mail

from tests.conftest import PASSWORD, signs_in

NEW = "a different long passphrase"


def reset_link() -> str:
    match = re.search(r"https?://[^/\s]+(/password/reset/\S+/)", mail.outbox[-1].body)
    assert match, mail.outbox[-1].body
    return match.group(1)


def test_the_reset_flow_from_email_to_new_password(client, alice):
    page = client.get("/password/reset/")
    assert "Reset your password" in page.content.decode()
    response = client.post("/password/reset/", {"email": "alice@example.com"}, follow=True)
    assert "Check your email" in response.content.decode()
    assert mail.outbox[0].subject == "Reset your Tête-à-tête password"
    assert "Hello Alice" in mail.outbox[0].body
    form = client.get(reset_link(), follow=True)
    assert "Choose a new password" in form.content.decode()
    done = client.post(form.redirect_chain[-1][0], {"new_password1": NEW, "new_password2": NEW})
    assert done.status_code == 302
    complete = client.get(done["Location"])
    assert "Your password is changed" in complete.content.decode()
    client.logout()
    assert signs_in(client, alice.email, NEW)


def test_an_unknown_address_gets_the_same_answer_and_no_email(client, db):
    response = client.post("/password/reset/", {"email": "nobody@example.com"}, follow=True)
    assert "Check your email" in response.content.decode()
    assert mail.outbox == []


def test_a_used_reset_link_says_it_no_longer_works(client, alice):
    client.post("/password/reset/", {"email": alice.email})
    link = reset_link()
    form = client.get(link, follow=True)
    client.post(form.redirect_chain[-1][0], {"new_password1": NEW, "new_password2": NEW})
    again = client.get(link, follow=True)
    assert "This link no longer works" in again.content.decode()


def test_people_who_have_not_joined_get_no_reset_email(client, admin):
    from tete.people import actions

    actions.invite_person(by=admin, email="nina@example.com", name="Nina")
    mail.outbox.clear()
    client.post("/password/reset/", {"email": "nina@example.com"})
    assert mail.outbox == []


def test_changing_the_password_keeps_you_signed_in(client_for, bob):
    client = client_for(bob)
    assert "Change your password" in client.get("/password/change/").content.decode()
    response = client.post(
        "/password/change/",
        {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW},
        follow=True,
    )
    assert "Your password is changed" in response.content.decode()
    assert client.get("/people/me/").status_code == 200
    bob.refresh_from_db()
    assert bob.check_password(NEW)


def test_a_wrong_old_password_is_shown_next_to_the_field(client_for, bob):
    response = client_for(bob).post(
        "/password/change/", {"old_password": "nope", "new_password1": NEW, "new_password2": NEW}
    )
    content = response.content.decode()
    assert 'id="id_old_password_error"' in content
    assert "incorrectly" in content


def test_anonymous_visitors_cannot_change_a_password(client_for, db):
    response = client_for(None).get("/password/change/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_wrong_methods_are_405(client_for, bob):
    assert client_for(None).put("/password/reset/").status_code == 405
    assert client_for(bob).delete("/password/change/").status_code == 405
