"""The access log: what writes an entry, in the same transaction, never blocking the action;
append-only, kept a year, paginated, and not in Django's admin."""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
from django.contrib import admin as django_admin
from django.core.management import call_command
from django.db import DatabaseError, transaction
from django.urls import reverse
from django.utils import timezone

from tests.conftest import PASSWORD, signs_in
from tete.accounts import actions as account_actions
from tete.accounts.models import Person
from tete.mydata import access_log
from tete.mydata.models import AccessEvent, DataExport, Erasure, EventKind
from tete.people import actions as people_actions

pytestmark = pytest.mark.django_db


def kinds(person) -> list[str]:
    return list(AccessEvent.objects.filter(person=person).values_list("kind", flat=True))


def test_a_sign_in_from_a_new_device_or_address_is_logged_once(alice, client):
    assert signs_in(client, alice.email, PASSWORD)
    assert kinds(alice) == [EventKind.SIGN_IN_NEW]
    client.logout()
    assert signs_in(client, alice.email, PASSWORD)
    assert kinds(alice) == [EventKind.SIGN_IN_NEW]  # the same browser and address
    client.logout()
    client.defaults["HTTP_USER_AGENT"] = "Another browser/1.0"
    assert signs_in(client, alice.email, PASSWORD)
    assert kinds(alice) == [EventKind.SIGN_IN_NEW] * 2
    newest = AccessEvent.objects.filter(person=alice).first()
    assert newest.detail["new"] == ["device"] and newest.detail["device"] == "Another browser/1.0"


def test_a_password_change_is_logged(alice, client):
    client.force_login(alice)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "an0ther-Secret!",
            "new_password2": "an0ther-Secret!",
        },
    )
    assert response.status_code == 302
    assert EventKind.PASSWORD_CHANGED in kinds(alice)


def test_an_email_change_is_logged_with_both_addresses(alice):
    change = account_actions.request_email_change(alice, "alice@new.example", by=alice)
    assert change is not None
    assert kinds(alice) == []  # asked, not changed
    account_actions.confirm_email_change(alice, "alice@new.example")
    event = AccessEvent.objects.get(person=alice, kind=EventKind.EMAIL_CHANGED)
    assert event.detail == {"old": "alice@example.com", "new": "alice@new.example"}


def test_staff_deactivating_and_reactivating_is_logged_with_who(bob, admin, client_for):
    client = client_for(admin)
    client.post(reverse("people:deactivate", args=[bob.pk]))
    event = AccessEvent.objects.get(person=bob, kind=EventKind.DEACTIVATED)
    assert event.actor == admin
    client.post(reverse("people:reactivate", args=[bob.pk]))
    assert AccessEvent.objects.get(person=bob, kind=EventKind.REACTIVATED).actor == admin


def test_a_role_change_in_the_admin_is_logged(bob, admin, client_for):
    client = client_for(admin)
    url = reverse("admin:accounts_person_change", args=[bob.pk])
    form = client.get(url).context["adminform"].form
    data = {key: value for key, value in form.initial.items() if value is not None}
    data.update(
        {"email": bob.email, "name": bob.name, "timezone": "UTC", "is_staff": "on", "groups": []}
    )
    data.pop("team", None)
    data.pop("manager", None)
    data.pop("groups")
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    event = AccessEvent.objects.get(person=bob, kind=EventKind.ROLE_CHANGED)
    assert event.actor == admin and event.detail["role"] == "staff"


def test_an_entry_is_written_in_the_same_transaction_as_its_action(bob, admin):
    # The action rolls back after its change: its entry goes with it.
    with pytest.raises(RuntimeError), transaction.atomic():
        people_actions.deactivate_person(bob, by=admin)
        assert kinds(bob) == [EventKind.DEACTIVATED]  # written inside the transaction
        raise RuntimeError("the action failed after its change")
    assert kinds(bob) == []
    assert Person.objects.get(pk=bob.pk).is_active


def test_writing_an_entry_never_blocks_the_action(bob, admin):
    # The log's table refuses the write: the action goes on, the failure is in the server log.
    with mock.patch.object(
        AccessEvent.objects, "create", side_effect=DatabaseError("log table locked")
    ):
        people_actions.deactivate_person(bob, by=admin)
    assert not Person.objects.get(pk=bob.pk).is_active
    assert kinds(bob) == []


def test_the_log_is_append_only(alice):
    event = access_log.record(alice, EventKind.PASSWORD_CHANGED)
    event.kind = EventKind.DATA_EXPORTED
    with pytest.raises(ValueError, match="append-only"):
        event.save()


def test_entries_are_kept_for_the_set_time(alice, settings):
    settings.TETE_ACCESS_LOG_DAYS = 365
    old = access_log.record(alice, EventKind.PASSWORD_CHANGED)
    AccessEvent.objects.filter(pk=old.pk).update(at=timezone.now() - dt.timedelta(days=366))
    recent = access_log.record(alice, EventKind.DATA_EXPORTED)
    call_command("prune_my_data")
    assert list(AccessEvent.objects.values_list("pk", flat=True)) == [recent.pk]


def test_the_page_is_paginated(alice, client_for, django_assert_max_num_queries):
    AccessEvent.objects.bulk_create(
        [AccessEvent(person=alice, kind=EventKind.DATA_EXPORTED) for _ in range(120)]
    )
    client = client_for(alice)
    client.get(reverse("mydata:access_log"))
    with django_assert_max_num_queries(8):
        first = client.get(reverse("mydata:access_log"))
    # 120 entries, and the sign-in of this test client (a new browser and address).
    assert first.text.count('<li><div class="list__main"><p>') == 50
    assert "Page 1 of 3" in first.text
    last = client.get(reverse("mydata:access_log") + "?page=3")
    assert last.text.count('<li><div class="list__main"><p>') == 21


def test_the_admin_cannot_read_or_edit_it():
    for model in (AccessEvent, DataExport, Erasure):
        assert model not in django_admin.site._registry


def test_no_str_carries_content(alice):
    event = access_log.record(alice, EventKind.EMAIL_CHANGED, detail={"old": "a@x", "new": "b@y"})
    assert str(event) == f"Access log entry #{event.pk}"
