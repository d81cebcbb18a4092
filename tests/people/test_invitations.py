"""Invitations: staff invite by email; the expiring link is used once to join."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import mail
from django.utils import timezone

from tests.conftest import PASSWORD, signs_in
from tete.accounts.models import Person
from tete.people import actions
from tete.people.models import Invitation, hash_token

NEW_PASSWORD = "a long new passphrase"


def link_from(email_message) -> str:
    match = re.search(r"https?://\S+/people/invitations/(\S+)/", email_message.body)
    assert match, email_message.body
    return f"/people/invitations/{match.group(1)}/"


def invite(admin, email="dana@example.com", **fields) -> actions.SentInvitation:
    return actions.invite_person(
        by=admin, email=email, name=fields.pop("name", "Dana Diaz"), **fields
    )


def accept(client, url, **overrides):
    data = {
        "name": "Dana Diaz",
        "timezone": "Europe/Paris",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
        **overrides,
    }
    return client.post(url, data)


# Inviting --------------------------------------------------------------------------------


def test_staff_invite_someone_and_an_email_with_the_link_goes_out(client_for, admin, alice, team):
    client = client_for(admin)
    response = client.post(
        "/people/invitations/",
        {
            "name": "Dana Diaz",
            "email": "Dana@Example.com",
            "title": "Designer",
            "team": team.pk,
            "manager": alice.pk,
        },
    )
    assert response.status_code == 302
    dana = Person.objects.get(email="dana@example.com")
    assert (dana.name, dana.title, dana.team, dana.manager) == (
        "Dana Diaz",
        "Designer",
        team,
        alice,
    )
    assert dana.status == "invited"
    assert not dana.is_active
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["dana@example.com"]
    assert "Ada Admin" in message.subject
    assert "expires in 7 days" in message.body
    assert link_from(message).startswith("/people/invitations/")
    assert "dana@example.com" in client.get("/people/invitations/").content.decode()


def test_only_the_tokens_hash_is_stored(admin):
    sent = invite(admin)
    invitation = Invitation.objects.get()
    assert invitation.token_hash == hash_token(sent.token)
    assert sent.token not in invitation.token_hash


def test_the_invitation_form_keeps_typed_values_and_shows_errors(client_for, admin, alice):
    response = client_for(admin).post(
        "/people/invitations/", {"name": "Dana Diaz", "email": "not an email"}
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert 'value="Dana Diaz"' in content
    assert 'value="not an email"' in content
    assert "Enter a valid email address." in content
    response = client_for(admin).post("/people/invitations/", {"name": "", "email": alice.email})
    assert "This person already has an account." in response.content.decode()
    assert mail.outbox == []


def test_a_new_invitation_replaces_the_older_link(client, admin):
    first = invite(admin)
    second = invite(admin)
    assert client.get(f"/people/invitations/{first.token}/").status_code == 410
    assert client.get(f"/people/invitations/{second.token}/").status_code == 200


def test_invitation_emails_that_cannot_be_sent_are_reported(client_for, admin, settings):
    settings.EMAIL_BACKEND = "tests.people.failing_email.Backend"
    response = client_for(admin).post(
        "/people/invitations/", {"name": "Dana", "email": "dana@example.com"}, follow=True
    )
    assert "could not be sent" in response.content.decode()
    assert Invitation.objects.get().state == "pending"


# Accepting -------------------------------------------------------------------------------


def test_accepting_sets_name_password_and_timezone_and_signs_in(client, admin):
    invite(admin)
    url = link_from(mail.outbox[0])
    page = client.get(url)
    assert page.status_code == 200
    assert "dana@example.com" in page.content.decode()
    response = accept(client, url, name="Dana D. Diaz")
    assert response.status_code == 302
    assert response["Location"] == "/"
    dana = Person.objects.get(email="dana@example.com")
    assert dana.is_active and dana.status == "active"
    assert dana.name == "Dana D. Diaz"
    assert dana.timezone == "Europe/Paris"
    assert dana.check_password(NEW_PASSWORD)
    assert client.get("/people/me/").wsgi_request.user == dana
    assert Invitation.objects.get().state == "accepted"


def test_the_invited_person_can_sign_in_with_the_chosen_password(client, admin):
    invite(admin)
    accept(client, link_from(mail.outbox[0]))
    client.logout()
    response = client.post("/login/", {"username": "dana@example.com", "password": NEW_PASSWORD})
    assert response.status_code == 302


def test_a_link_works_only_once(client, admin):
    invite(admin)
    url = link_from(mail.outbox[0])
    accept(client, url)
    client.logout()
    page = client.get(url)
    assert page.status_code == 410
    assert "already used" in page.content.decode()
    response = accept(client, url, password1="another pass 123", password2="another pass 123")
    assert response.status_code == 410
    assert Person.objects.get(email="dana@example.com").check_password(NEW_PASSWORD)


def test_an_expired_link_gives_a_clear_page(client, admin, settings):
    settings.TETE_INVITATION_DAYS = 2
    sent = invite(admin)
    Invitation.objects.filter(pk=sent.invitation.pk).update(
        expires_at=timezone.now() - dt.timedelta(seconds=1)
    )
    url = link_from(mail.outbox[0])
    page = client.get(url)
    assert page.status_code == 410
    content = page.content.decode()
    assert "This invitation has expired" in content
    assert "Ada Admin" in content
    assert accept(client, url).status_code == 410
    assert not Person.objects.get(email="dana@example.com").is_active


def test_the_link_expires_after_the_configured_days(admin, settings):
    settings.TETE_INVITATION_DAYS = 3
    before = timezone.now()
    invitation = invite(admin).invitation
    assert before + dt.timedelta(days=3) <= invitation.expires_at
    assert invitation.expires_at <= timezone.now() + dt.timedelta(days=3)


def test_an_unknown_link_gives_a_clear_page_not_an_error(client, db):
    page = client.get("/people/invitations/not-a-real-token/")
    assert page.status_code == 404
    assert "This invitation link is not valid" in page.content.decode()


def test_a_revoked_link_gives_a_clear_page(client, admin):
    sent = invite(admin)
    actions.revoke_invitation(sent.invitation)
    page = client.get(f"/people/invitations/{sent.token}/")
    assert page.status_code == 410
    assert "withdrawn" in page.content.decode()


def test_accepting_keeps_typed_values_and_says_what_is_wrong(client, admin):
    sent = invite(admin)
    url = f"/people/invitations/{sent.token}/"
    response = accept(client, url, name="Dana Typed", password2="something else entirely")
    assert response.status_code == 200
    content = response.content.decode()
    assert 'value="Dana Typed"' in content
    assert "The two passwords differ." in content
    response = accept(client, url, password1="12345678", password2="12345678")
    assert "This password is too common." in response.content.decode()
    assert not Person.objects.get(email="dana@example.com").is_active


def test_a_deactivated_person_can_be_invited_back(client, admin, bob):
    actions.deactivate_person(bob, by=admin)
    sent = invite(admin, email=bob.email, name=bob.name)
    response = accept(client, f"/people/invitations/{sent.token}/", name="Bob Jones")
    assert response.status_code == 302
    bob.refresh_from_db()
    assert bob.is_active and bob.deactivated_at is None


def test_an_active_person_cannot_be_invited(admin, alice):
    with pytest.raises(actions.PeopleError):
        invite(admin, email=alice.email)


# Pending list: resend and revoke ------------------------------------------------------------


def test_resend_sends_a_new_link_and_the_old_one_stops_working(client_for, admin):
    sent = invite(admin)
    client = client_for(admin)
    response = client.post(f"/people/invitations/{sent.invitation.pk}/resend/")
    assert response.status_code == 302
    assert len(mail.outbox) == 2
    client.logout()
    old = client.get(link_from(mail.outbox[0]))
    assert old.status_code == 410
    assert "a newer invitation was sent" in old.content.decode()
    assert client.get(link_from(mail.outbox[1])).status_code == 200


def test_resend_restarts_an_expired_invitation(client_for, admin):
    sent = invite(admin)
    Invitation.objects.update(expires_at=timezone.now() - dt.timedelta(days=1))
    client_for(admin).post(f"/people/invitations/{sent.invitation.pk}/resend/")
    assert Invitation.objects.pending().get().state == "pending"


def test_resend_with_htmx_returns_the_updated_row(client_for, admin):
    sent = invite(admin)
    response = client_for(admin).post(
        f"/people/invitations/{sent.invitation.pk}/resend/", headers={"HX-Request": "true"}
    )
    content = response.content.decode()
    assert response.status_code == 200
    newer = Invitation.objects.pending().get()
    assert content.lstrip().startswith(f'<li id="invitation-{newer.pk}"')
    assert "Sent again." in content
    assert "<html" not in content


def test_revoke_makes_the_link_useless(client_for, admin):
    sent = invite(admin)
    response = client_for(admin).post(
        f"/people/invitations/{sent.invitation.pk}/revoke/", headers={"HX-Request": "true"}
    )
    assert "Revoked" in response.content.decode()
    assert Invitation.objects.pending().count() == 0
    client_for(None)
    assert accept(client_for(None), f"/people/invitations/{sent.token}/").status_code == 410


def test_an_accepted_invitation_cannot_be_resent_or_revoked(client_for, admin):
    sent = invite(admin)
    accept(client_for(None), f"/people/invitations/{sent.token}/")
    client = client_for(admin)
    client.post(f"/people/invitations/{sent.invitation.pk}/resend/")
    client.post(f"/people/invitations/{sent.invitation.pk}/revoke/")
    assert len(mail.outbox) == 1
    assert Invitation.objects.get().state == "accepted"


def test_pending_invitations_page_has_a_fixed_query_budget(
    client_for, admin, django_assert_max_num_queries
):
    for n in range(60):
        invite(admin, email=f"p{n}@example.com", name=f"Person {n}")
    client = client_for(admin)
    with django_assert_max_num_queries(12):
        response = client.get("/people/invitations/")
    assert response.status_code == 200
    assert "Page 1 of 2" in response.content.decode()


# Personas --------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["alice", "bob", "carol"])
def test_people_who_are_not_staff_get_403_on_invitation_pages(request, client_for, admin, who):
    sent = invite(admin)
    client = client_for(request.getfixturevalue(who))
    assert client.get("/people/invitations/").status_code == 403
    assert (
        client.post("/people/invitations/", {"name": "X", "email": "x@example.com"}).status_code
        == 403
    )
    assert client.post(f"/people/invitations/{sent.invitation.pk}/resend/").status_code == 403
    assert client.post(f"/people/invitations/{sent.invitation.pk}/revoke/").status_code == 403
    assert Invitation.objects.get().state == "pending"
    assert len(mail.outbox) == 1


def test_anonymous_visitors_are_sent_to_sign_in(client_for, admin):
    sent = invite(admin)
    client = client_for(None)
    for url in ["/people/invitations/", f"/people/invitations/{sent.invitation.pk}/resend/"]:
        response = client.post(url) if "resend" in url else client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/login/")


def test_wrong_methods_get_405(client_for, admin):
    sent = invite(admin)
    client = client_for(admin)
    assert client.get(f"/people/invitations/{sent.invitation.pk}/resend/").status_code == 405
    assert client.get(f"/people/invitations/{sent.invitation.pk}/revoke/").status_code == 405
    assert client.delete("/people/invitations/").status_code == 405
    assert client_for(None).put(f"/people/invitations/{sent.token}/").status_code == 405


def test_an_unknown_invitation_id_is_404_for_staff(client_for, admin):
    assert client_for(admin).post("/people/invitations/999/resend/").status_code == 404


def test_accepting_while_signed_in_as_someone_else_switches_account(client_for, admin, carol):
    sent = invite(admin)
    client = client_for(carol)
    page = client.get(f"/people/invitations/{sent.token}/")
    assert "You are signed in as carol@example.com" in page.content.decode()
    accept(client, f"/people/invitations/{sent.token}/")
    assert client.get("/people/me/").wsgi_request.user.email == "dana@example.com"


def test_the_persona_password_still_works(client, alice):
    # The personas share one password; inviting others must not touch existing accounts.
    assert signs_in(client, alice.email, PASSWORD)
