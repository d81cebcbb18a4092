"""Personal access tokens: made on the profile page or by `tete manage api_token`, shown
once, stored as a hash, refused once revoked or expired, and never taken from an address."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from tests.api.conftest import TokenClient
from tete.api import actions
from tete.api.models import ApiToken


def test_the_command_prints_a_token_that_works(alice):
    out = io.StringIO()
    call_command("api_token", alice.email, "--name", "Script", "--write", stdout=out)
    secret = out.getvalue().strip()
    assert secret.startswith("tete_")
    token = ApiToken.objects.get()
    assert token.name == "Script" and token.can_write
    # Only its hash is kept.
    assert secret not in {token.token_hash, token.prefix} and token.token_hash == (
        actions.hash_secret(secret)
    )
    assert TokenClient(Client(), secret).get("/api/v1/me").json()["id"] == alice.pk


def test_the_command_makes_read_only_tokens_by_default_and_names_unknown_people(alice):
    out = io.StringIO()
    call_command("api_token", alice.email, "--name", "Read", stdout=out)
    assert not ApiToken.objects.get().can_write
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match=r"nobody@example\.com"):
        call_command("api_token", "nobody@example.com", "--name", "X", stdout=out)


def test_a_revoked_token_is_refused_on_the_very_next_request(alice):
    new = actions.create_token(alice, name="Sync", can_write=True)
    client = TokenClient(Client(), new.secret)
    assert client.get("/api/v1/me").status_code == 200
    actions.revoke_token(new.token, by=alice)
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"


def test_an_expired_token_is_refused_on_the_very_next_request(alice):
    new = actions.create_token(
        alice, name="Short", expires_at=timezone.now() + dt.timedelta(hours=1)
    )
    client = TokenClient(Client(), new.secret)
    assert client.get("/api/v1/me").status_code == 200
    ApiToken.objects.filter(pk=new.token.pk).update(expires_at=timezone.now())
    assert client.get("/api/v1/me").status_code == 401


def test_a_deactivated_persons_token_is_refused(alice):
    new = actions.create_token(alice, name="Sync")
    alice.is_active = False
    alice.save()
    assert TokenClient(Client(), new.secret).get("/api/v1/me").status_code == 401


@pytest.mark.parametrize("header", ["Bearer tete_made_up", "Bearer ", "Basic abc", "tete_x"])
def test_wrong_tokens_are_refused(header, db):
    response = Client().get("/api/v1/me", headers={"Authorization": header})
    assert response.status_code == 401
    assert response.json()["detail"].startswith("Send a valid personal access token")


def test_a_token_in_the_address_is_refused(alice):
    new = actions.create_token(alice, name="Sync")
    for name in ("token", "access_token", "api_key"):
        response = Client().get(f"/api/v1/me?{name}={new.secret}")
        assert response.status_code == 400, name
        assert "Authorization header" in response.json()["detail"]
    # Even with a header as well: the address has leaked it already.
    response = TokenClient(Client(), new.secret).get(f"/api/v1/me?token={new.secret}")
    assert response.status_code == 400


def test_each_token_has_a_rate_limit_with_retry_after(alice, settings):
    settings.TETE_RATE_LIMITS = {**settings.TETE_RATE_LIMITS, "api_requests": (3, 60)}
    client = TokenClient(Client(), actions.create_token(alice, name="Busy").secret)
    other = TokenClient(Client(), actions.create_token(alice, name="Calm").secret)
    assert [client.get("/api/v1/me").status_code for _ in range(3)] == [200] * 3
    refused = client.get("/api/v1/me")
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert refused["Content-Type"] == "application/problem+json"
    assert "3 API requests per minute" in refused.json()["detail"]
    # The limit is the token's own.
    assert other.get("/api/v1/me").status_code == 200


def test_last_use_is_noted_to_the_minute(alice):
    new = actions.create_token(alice, name="Sync")
    client = TokenClient(Client(), new.secret)
    client.get("/api/v1/me")
    first = ApiToken.objects.get().last_used_at
    assert first is not None
    client.get("/api/v1/me")
    assert ApiToken.objects.get().last_used_at == first
    ApiToken.objects.update(last_used_at=first - dt.timedelta(minutes=5))
    client.get("/api/v1/me")
    assert ApiToken.objects.get().last_used_at > first - dt.timedelta(minutes=1)


# --- The page ---------------------------------------------------------------------------------


def test_the_profile_links_to_the_tokens_page(alice_client):
    assert b"/me/tokens/" in alice_client.get("/people/me/").content


def test_the_page_makes_a_token_and_shows_it_once(alice_client, alice):
    response = alice_client.post(
        "/me/tokens/", {"name": "Tracker", "access": "write", "expires_on": ""}
    )
    assert response.status_code == 201
    token = ApiToken.objects.get()
    secret = response.context["new_token"].secret
    assert secret.encode() in response.content
    assert token.person == alice and token.can_write and token.expires_at is None
    assert "no-store" in response["Cache-Control"]
    again = alice_client.get("/me/tokens/")
    assert secret.encode() not in again.content
    assert b"Tracker" in again.content and token.prefix.encode() in again.content


def test_the_page_lists_each_tokens_creation_and_last_use(alice_client, alice):
    from django.utils.dateformat import format as date_format

    new = actions.create_token(alice, name="Sync")
    made = ApiToken.objects.filter(pk=new.token.pk)
    made.update(created_at=dt.datetime(2026, 3, 4, 9, 15, tzinfo=dt.UTC))
    created, last_used = _created_and_last_used(alice_client, "Sync")
    assert created == "4 Mar 2026 09:15" and "Never" in last_used
    TokenClient(Client(), new.secret).get("/api/v1/me")
    created, last_used = _created_and_last_used(alice_client, "Sync")
    assert last_used == date_format(made.get().last_used_at, "j M Y H:i")


def _created_and_last_used(client, name: str) -> tuple[str, str]:
    """The Created and Last used cells of the token's row on the page."""
    page = client.get("/me/tokens/").content.decode()
    row = next(row for row in page.split("<tr>") if name in row)
    cells = re.findall(r"<td>(.*?)</td>", row, flags=re.S)
    return cells[2], cells[3]


def test_the_page_sets_an_expiry_and_refuses_a_past_one(alice_client):
    tomorrow = timezone.now().date() + dt.timedelta(days=2)
    alice_client.post("/me/tokens/", {"name": "T", "access": "read", "expires_on": tomorrow})
    assert ApiToken.objects.get().expires_at.date() == tomorrow
    response = alice_client.post(
        "/me/tokens/", {"name": "Old", "access": "read", "expires_on": "2020-01-01"}
    )
    assert response.status_code == 400 and b"after today" in response.content


def test_revoking_from_the_page(alice_client, alice, bob):
    mine = actions.create_token(alice, name="Mine").token
    theirs = actions.create_token(bob, name="Theirs").token
    assert alice_client.post(f"/me/tokens/{theirs.pk}/revoke/").status_code == 404
    assert alice_client.get(f"/me/tokens/{mine.pk}/revoke/").status_code == 405
    response = alice_client.post(f"/me/tokens/{mine.pk}/revoke/")
    assert response.status_code == 302
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.revoked_at is not None and theirs.revoked_at is None


def test_the_page_lists_only_ones_own_tokens(alice_client, bob):
    actions.create_token(bob, name="Bob's sync")
    assert b"Bob&#x27;s sync" not in alice_client.get("/me/tokens/").content


def test_the_page_needs_signing_in(client):
    response = client.get("/me/tokens/")
    assert response.status_code == 302 and "/login/" in response["Location"]
