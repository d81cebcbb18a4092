"""Tokens and feed addresses made or revoked show in the person's own access log."""

from __future__ import annotations

from django.urls import reverse

from tete.api import actions
from tete.mydata.models import AccessEvent, EventKind


def test_tokens_and_the_feed_address_are_in_the_persons_access_log(alice, bob, client_for):
    made = actions.create_token(alice, name="tracker sync", can_write=True)
    actions.revoke_token(made.token, by=alice)
    actions.reset_calendar_feed(alice)
    kinds = list(AccessEvent.objects.filter(person=alice).values_list("kind", flat=True))
    assert {EventKind.TOKEN_CREATED, EventKind.TOKEN_REVOKED, EventKind.FEED_RESET} <= set(kinds)
    page = client_for(alice).get(reverse("mydata:access_log")).content.decode()
    assert "An API token named “tracker sync” was made (read and write)." in page
    assert "The API token named “tracker sync” was revoked." in page
    assert "A new calendar feed address was made" in page
    # Only the person's own log: nothing of it reaches anyone else's.
    assert not AccessEvent.objects.filter(person=bob).exists()
    # Revoking twice writes nothing more.
    actions.revoke_token(made.token, by=alice)
    assert AccessEvent.objects.filter(person=alice, kind=EventKind.TOKEN_REVOKED).count() == 1
