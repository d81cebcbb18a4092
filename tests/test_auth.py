from __future__ import annotations

from django.core import mail

from tests.conftest import PASSWORD


def test_a_person_signs_in_with_their_email_in_any_case(client, alice):
    response = client.post("/login/", {"username": "ALICE@example.com", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_a_wrong_password_keeps_the_email_and_says_why(client, alice):
    response = client.post("/login/", {"username": "alice@example.com", "password": "nope"})
    assert response.status_code == 200
    assert b'value="alice@example.com"' in response.content
    assert b"correct email" in response.content or b"enter a correct" in response.content.lower()


def test_anonymous_visitors_are_sent_to_sign_in(client, db):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_password_reset_sends_an_email(client, alice):
    response = client.post("/password/reset/", {"email": "alice@example.com"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "/password/reset/" in mail.outbox[0].body


def test_sign_out_needs_post(client, alice):
    client.force_login(alice)
    assert client.get("/logout/").status_code == 405
    assert client.post("/logout/").status_code == 302
    assert client.get("/").status_code == 302


def test_a_fresh_installation_says_how_to_create_the_first_admin(client, db):
    response = client.get("/login/")
    assert b"tete manage createsuperuser" in response.content


def test_the_hint_is_gone_once_someone_has_an_account(client, alice):
    response = client.get("/login/")
    assert b"tete manage createsuperuser" not in response.content
