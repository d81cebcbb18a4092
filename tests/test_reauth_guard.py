"""A signed-in person is asked for their password again before a new password, a new email or
erasure. Those wrong answers count as failed sign-ins (django-axes): a stolen session cannot
guess the password faster than the sign-in page allows, and the pause holds there too."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import PASSWORD

NEW_EMAIL = "bob.new@example.com"

FORMS = {
    "password change": (
        lambda: reverse("password_change"),
        lambda password: {
            "old_password": password,
            "new_password1": "a-new-long-passphrase-9",
            "new_password2": "a-new-long-passphrase-9",
        },
    ),
    "email change": (
        lambda: "/people/me/email/",
        lambda password: {"email": NEW_EMAIL, "password": password},
    ),
    "erasure": (
        lambda: reverse("mydata:erase"),
        lambda password: {"password": password, "confirm": "erase my data"},
    ),
}


@pytest.mark.parametrize("form", FORMS)
def test_wrong_passwords_pause_the_form_and_the_right_one_then_waits_too(form, client_for, bob):
    url, data = FORMS[form]
    client = client_for(bob)
    answers = [
        client.post(url(), data("guess"), REMOTE_ADDR="10.0.0.7").status_code for _ in range(5)
    ]
    # Four wrong answers show the form again (erasure's with 400); the fifth gets the page that
    # says it is paused.
    assert answers[4] == 429
    assert set(answers[:4]) <= {200, 400} and len(set(answers[:4])) == 1
    refused = client.post(url(), data(PASSWORD), REMOTE_ADDR="10.0.0.7")
    assert refused.status_code == 429
    assert "paused" in refused.content.decode()
    bob.refresh_from_db()
    assert bob.check_password(PASSWORD)
    assert (bob.email, bob.pending_email, bob.is_active) == ("bob@example.com", "", True)


@pytest.mark.parametrize("form", FORMS)
def test_the_pause_also_holds_the_sign_in_page(form, client_for, bob):
    url, data = FORMS[form]
    signed_in = client_for(bob)
    for _ in range(5):
        signed_in.post(url(), data("guess"), REMOTE_ADDR="10.0.0.7")
    sign_in = Client().post(
        "/login/", {"username": bob.email, "password": PASSWORD}, REMOTE_ADDR="10.0.0.7"
    )
    assert sign_in.status_code == 429


def test_a_few_wrong_answers_then_the_right_one_go_through(client_for, bob):
    client = client_for(bob)
    url, data = FORMS["email change"]
    for _ in range(3):
        wrong = client.post(url(), data("guess"))
        assert "That is not your current password." in wrong.content.decode()
    client.post(url(), data(PASSWORD))
    bob.refresh_from_db()
    assert bob.pending_email == NEW_EMAIL
