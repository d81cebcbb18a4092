"""API test fixtures: tokens for the personas (alice, bob, carol, admin) and a client that
sends them."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.surveys.conftest import crowd, pulse  # noqa: F401 (survey fixtures, reused)
from tete.api.actions import create_token


class TokenClient:
    """The test client with `Authorization: Bearer …` on every request (None: no header)."""

    def __init__(self, client: Client, secret: str | None) -> None:
        self.client = client
        self.headers = {"Authorization": f"Bearer {secret}"} if secret else {}

    def get(self, path: str, **kwargs):
        return self.client.get(
            path, headers={**self.headers, **kwargs.pop("headers", {})}, **kwargs
        )

    def _send(self, method: str, path: str, data=None, **kwargs):
        headers = {**self.headers, **kwargs.pop("headers", {})}
        if data is not None and "content_type" not in kwargs:
            kwargs["content_type"] = "application/json"
        return getattr(self.client, method)(path, data=data, headers=headers, **kwargs)

    def post(self, path: str, data=None, **kwargs):
        return self._send("post", path, data, **kwargs)

    def put(self, path: str, data=None, **kwargs):
        return self._send("put", path, data, **kwargs)

    def patch(self, path: str, data=None, **kwargs):
        return self._send("patch", path, data, **kwargs)

    def delete(self, path: str, data=None, **kwargs):
        return self._send("delete", path, None, **kwargs)


@pytest.fixture
def api_as(alice, bob, carol, admin):
    """api_as("alice") / api_as("bob", write=False) / api_as(None): a client for a persona."""
    people = {"alice": alice, "bob": bob, "carol": carol, "admin": admin}

    def make(who: str | None, *, write: bool = True) -> TokenClient:
        if who is None:
            return TokenClient(Client(), None)
        secret = create_token(people[who], name=f"{who} test", can_write=write).secret
        return TokenClient(Client(), secret)

    return make
