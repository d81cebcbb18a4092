"""Password guessing is slowed down: after five wrong passwords for one email from one
address, that pair is refused for fifteen minutes; after twenty from one address, whatever the
emails (a few passwords tried on many accounts), that address is (django-axes, configured in
settings.py and accounts/sign_in_guard.py)."""

from __future__ import annotations

import datetime as dt

import pytest
from axes.models import AccessAttempt

from tests.conftest import PASSWORD


def attempt(client, email: str, password: str, address: str = "10.0.0.1", **headers):
    return client.post(
        "/login/", {"username": email, "password": password}, REMOTE_ADDR=address, **headers
    )


def fail(client, times: int, email: str = "alice@example.com", **kwargs) -> list[int]:
    """Wrong passwords; the status of each answer."""
    return [attempt(client, email, "wrong", **kwargs).status_code for _ in range(times)]


def test_five_wrong_passwords_pause_signing_in_from_there(client, alice):
    # The fifth wrong password already gets the page that says why.
    assert fail(client, 5) == [200, 200, 200, 200, 429]
    response = attempt(client, "alice@example.com", PASSWORD)
    assert response.status_code == 429
    page = response.content.decode()
    assert "Signing in is paused" in page and "for 15 minutes" in page
    assert "Reset your password" in page
    assert client.get("/").status_code == 302  # not signed in


def test_the_pause_holds_one_email_from_one_address_only(client, alice, bob):
    fail(client, 5)
    # The same person from elsewhere, and someone else from here, still sign in.
    assert attempt(client, "alice@example.com", PASSWORD, address="10.0.0.9").status_code == 302
    client.logout()
    assert attempt(client, bob.email, PASSWORD).status_code == 302


def test_the_case_of_the_email_does_not_make_a_fresh_count(client, alice):
    emails = ("alice@example.com", "ALICE@example.com", "Alice@Example.com", " alice@example.com")
    for email in emails:
        assert attempt(client, email, "wrong").status_code == 200
    assert attempt(client, "aLiCe@example.com", "wrong").status_code == 429
    assert attempt(client, "alice@example.com", PASSWORD).status_code == 429


def test_signing_in_clears_the_count(client, alice):
    assert fail(client, 4) == [200] * 4
    assert attempt(client, "alice@example.com", PASSWORD).status_code == 302
    client.logout()
    assert fail(client, 4) == [200] * 4
    assert attempt(client, "alice@example.com", PASSWORD).status_code == 302


def test_after_the_pause_signing_in_works_again(client, alice):
    fail(client, 5)
    assert attempt(client, "alice@example.com", PASSWORD).status_code == 429
    AccessAttempt.objects.update(attempt_time=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=16))
    assert attempt(client, "alice@example.com", PASSWORD).status_code == 302


@pytest.mark.parametrize("behind_proxy", [False, True])
def test_the_address_behind_a_proxy_is_the_one_the_proxy_saw(client, alice, settings, behind_proxy):
    settings.TETE_BEHIND_PROXY = behind_proxy
    proxy = "10.9.9.9"
    fail(client, 5, address=proxy, HTTP_X_FORWARDED_FOR="203.0.113.7")
    # Another client behind the same proxy; a client forging the header gains nothing.
    other = attempt(
        client,
        "alice@example.com",
        PASSWORD,
        address=proxy,
        HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.2",
    )
    if behind_proxy:
        assert other.status_code == 302  # 198.51.100.2 is not the one that guessed
        client.logout()
        forged = attempt(
            client,
            "alice@example.com",
            PASSWORD,
            address=proxy,
            HTTP_X_FORWARDED_FOR="198.51.100.2, 203.0.113.7",
        )
        assert forged.status_code == 429  # the proxy added 203.0.113.7: still the guesser
    else:
        assert other.status_code == 429  # without a proxy, the header is not believed


def spray(client, accounts: int, address: str = "10.0.0.1") -> list[int]:
    """One wrong password on each of `accounts` accounts from one address."""
    return [
        attempt(client, f"person{n}@example.com", "Winter2025!", address=address).status_code
        for n in range(accounts)
    ]


def test_one_address_trying_passwords_on_many_accounts_is_paused(client, alice):
    # Twenty accounts at one wrong password each: none reaches its own limit of five, but
    # the address reaches its limit of twenty.
    assert spray(client, 25) == [200] * 19 + [429] * 6
    response = attempt(client, "alice@example.com", PASSWORD)
    assert response.status_code == 429
    page = response.content.decode()
    assert "20 wrong passwords from this device or network" in page
    assert "for 15 minutes" in page
    assert client.get("/").status_code == 302  # not signed in


def test_the_address_pause_holds_that_address_only(client, alice):
    spray(client, 20)
    assert attempt(client, "alice@example.com", PASSWORD, address="10.0.0.9").status_code == 302


def test_signing_in_to_ones_own_account_does_not_clear_the_addresss_count(client, alice):
    assert spray(client, 19) == [200] * 19
    assert attempt(client, "alice@example.com", PASSWORD).status_code == 302
    client.logout()
    # One more wrong password on another account from the same address reaches twenty.
    assert attempt(client, "someone@example.com", "wrong").status_code == 429


def test_the_address_limit_is_a_setting(client, alice, settings):
    settings.TETE_SIGN_IN_ADDRESS_ATTEMPTS = 8
    assert spray(client, 9) == [200] * 7 + [429] * 2


def test_after_the_pause_the_address_can_sign_in_again(client, alice):
    spray(client, 20)
    AccessAttempt.objects.update(attempt_time=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=16))
    assert attempt(client, "alice@example.com", PASSWORD).status_code == 302
