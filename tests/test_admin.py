"""DESIGN.md access rule 1 in Django's admin: it registers nothing that holds one-on-one
content, names no related object on a delete page, and staff never set a password.

tests/privacy/test_admin_crawl.py requests every admin page over planted content.
"""

from __future__ import annotations

import re

import pytest
from django.contrib import admin as django_admin
from django.contrib.admin.models import LogEntry
from django.core import mail
from django.core.exceptions import ImproperlyConfigured
from django_tasks_db.models import DBTaskResult

from tests.conftest import PASSWORD
from tete.accounts.models import Person
from tete.admin_site import CountsOnlyDeleteMixin
from tete.oneonones import actions as oneonone_actions
from tete.oneonones.models import TalkingPoint

# Task results carry object ids only, never one-on-one text (tasks take ids as arguments);
# django-axes lists failed sign-ins (an email and an address), for staff to lift a pause;
# the leaders app registers people partners (a person and teams: a role, no content).
ALLOWED_APPS = {"accounts", "auth", "django_tasks_database", "axes", "leaders"}


def test_admin_registers_only_people_and_infrastructure():
    registered = {model._meta.app_label for model in django_admin.site._registry}
    assert registered <= ALLOWED_APPS, registered - ALLOWED_APPS


def test_one_on_one_content_cannot_be_registered():
    with pytest.raises(ImproperlyConfigured, match=r"oneonones\.TalkingPoint holds one-on-one"):
        django_admin.site.register(TalkingPoint)
    assert TalkingPoint not in django_admin.site._registry


def test_admin_is_closed_to_non_staff(client, bob):
    client.force_login(bob)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


# Passwords ---------------------------------------------------------------------------------


def test_no_admin_page_sets_another_persons_password(client_for, admin, bob):
    client = client_for(admin)
    for url in (f"/admin/accounts/person/{bob.pk}/change/", "/admin/accounts/person/add/"):
        page = client.get(url).content.decode()
        assert 'type="password"' not in page, url
        assert "/password/" not in page, url
    # Django's UserAdmin page for it is gone: the address is not a password form.
    response = client.get(f"/admin/accounts/person/{bob.pk}/password/", follow=True)
    assert 'type="password"' not in response.content.decode()


def test_the_admins_own_password_change_is_the_apps_page(client_for, admin):
    response = client_for(admin).get("/admin/password_change/")
    assert (response.status_code, response["Location"]) == (302, "/password/change/")


def test_the_change_page_sends_a_reset_email_instead(client_for, admin, bob):
    client = client_for(admin)
    page = client.get(f"/admin/accounts/person/{bob.pk}/change/").content.decode()
    assert f"/admin/accounts/person/{bob.pk}/password-reset/" in page
    assert client.get(f"/admin/accounts/person/{bob.pk}/password-reset/").status_code == 405
    response = client.post(f"/admin/accounts/person/{bob.pk}/password-reset/", follow=True)
    assert f"A link to choose a new password was sent to {bob.email}" in response.content.decode()
    (message,) = mail.outbox
    assert message.to == [bob.email]
    assert re.search(r"/password/reset/\S+/", message.body)
    bob.refresh_from_db()
    assert bob.check_password(PASSWORD)


def test_the_reset_email_is_an_action_on_the_list(client_for, admin, alice, bob):
    client_for(admin).post(
        "/admin/accounts/person/",
        {"action": "send_password_reset", "_selected_action": [alice.pk, bob.pk]},
    )
    assert sorted(m.to[0] for m in mail.outbox) == [alice.email, bob.email]


# Adding, changing and retiring people --------------------------------------------------------


def test_adding_a_person_sends_an_invitation(client_for, admin):
    response = client_for(admin).post(
        "/admin/accounts/person/add/",
        {"email": "nina@example.com", "name": "Nina New", "title": "", "team": "", "manager": ""},
        follow=True,
    )
    assert "An invitation to join was sent to nina@example.com" in response.content.decode()
    nina = Person.objects.get(email="nina@example.com")
    assert (nina.status, nina.has_usable_password()) == ("invited", False)
    (message,) = mail.outbox
    assert message.to == ["nina@example.com"]
    assert "/people/invitations/" in message.body


def test_changing_an_email_in_the_admin_asks_the_new_address_first(client_for, admin, bob):
    client = client_for(admin)
    page = client.get(f"/admin/accounts/person/{bob.pk}/change/")
    form = page.context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update(email="bob@new.example", groups=[], manager=bob.manager_id)
    response = client.post(f"/admin/accounts/person/{bob.pk}/change/", data, follow=True)
    assert "A confirmation link was sent to bob@new.example" in response.content.decode()
    bob.refresh_from_db()
    assert (bob.email, bob.pending_email) == ("bob@example.com", "bob@new.example")
    assert {m.to[0] for m in mail.outbox} == {"bob@example.com", "bob@new.example"}
    entry = LogEntry.objects.get(object_id=str(bob.pk))
    assert "Email change asked for" in entry.get_change_message()


def test_staff_cannot_delete_people_only_deactivate_them(client_for, admin, bob):
    client = client_for(admin)
    assert client.get(f"/admin/accounts/person/{bob.pk}/delete/").status_code == 403
    changelist = client.get("/admin/accounts/person/").content.decode()
    assert "delete_selected" not in changelist
    client.post(
        "/admin/accounts/person/", {"action": "delete_selected", "_selected_action": [bob.pk]}
    )
    assert Person.objects.filter(pk=bob.pk).exists()
    client.post("/admin/accounts/person/", {"action": "deactivate", "_selected_action": [bob.pk]})
    bob.refresh_from_db()
    assert bob.status == "deactivated"


def test_only_a_superuser_makes_superusers(client_for, bob):
    from django.contrib.auth.models import Permission

    stan = Person.objects.create_user("stan@example.com", PASSWORD, name="Stan", is_staff=True)
    stan.user_permissions.set(Permission.objects.filter(codename__endswith="_person"))
    page = client_for(stan).get(f"/admin/accounts/person/{bob.pk}/change/")
    assert "is_superuser" in page.context["adminform"].readonly_fields


# What the pages show ---------------------------------------------------------------------------


def test_a_delete_confirmation_counts_related_objects_and_names_none(rf, admin, meeting, bob):
    """Even an admin that let people be deleted would list no talking point, only a count."""
    oneonone_actions.add_talking_point(meeting, by=bob, text="zqsecretagenda", private=True)

    class DeletablePeople(CountsOnlyDeleteMixin, django_admin.ModelAdmin):
        pass

    request = rf.get("/")
    request.user = admin
    model_admin = DeletablePeople(Person, django_admin.site)
    deleted, _, _, protected = model_admin.get_deleted_objects(
        Person.objects.filter(pk=bob.pk), request
    )
    shown = " ".join(deleted + protected)
    assert "zqsecretagenda" not in shown
    assert "1 talking point" in protected
    assert all(re.fullmatch(r"\d+ [a-z -]+", line) for line in deleted + protected), shown


def test_task_results_show_no_arguments_return_value_or_traceback(client_for, admin):
    result = DBTaskResult.objects.create(
        task_path="tete.reports.tasks.analyse_transcript",
        args_kwargs={"args": ["zqargument"], "kwargs": {}},
        return_value="zqreturned",
        exception_class_path="builtins.ValueError",
        traceback="ValueError: line 3 says zqtraceback",
        backend_name="default",
        run_after=DBTaskResult._meta.get_field("run_after").get_default() or "2030-01-01T00:00Z",
        status="FAILED",
    )
    page = client_for(admin).get(f"/admin/django_tasks_database/dbtaskresult/{result.pk}/change/")
    content = page.content.decode()
    assert page.status_code == 200
    assert "builtins.ValueError" in content
    for planted in ("zqargument", "zqreturned", "zqtraceback"):
        assert planted not in content
