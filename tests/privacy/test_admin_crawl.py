"""Django's admin, crawled whole over planted content: every address it has, for every object.

As the superuser: the index, each app index, every
registered model's list (plain, searched, and with each filter and ordering its page
offers), add page, and the change, delete and history pages of every object; the "delete
selected" confirmation; autocomplete; the "view on site" shortcut for every planted object;
and the admin's own addresses (password change, the reset button's). The crawl fails on any
planted string, on any error, and on any form that sets another person's password.
"""

from __future__ import annotations

import re
from urllib.parse import urlencode

import pytest
from django.contrib import admin
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from tests.privacy.crawl import ADMIN_PASSWORD_PAGE, Crawl, Visit, _Links, body_text
from tests.test_url_access import walk

pytestmark = pytest.mark.django_db

MAX_OBJECTS = 60  # per model; the planted organisation has fewer of each


def admin_addresses(planted) -> list[str]:
    """Every address of the admin's URL patterns, filled in with every object it can name."""
    urls: list[str] = []
    objects_of = {
        f"{model._meta.app_label}/{model._meta.model_name}/": list(
            model._default_manager.all()[:MAX_OBJECTS]
        )
        for model in admin.site._registry
    }
    for route, _, _ in walk(admin.site.get_urls()):
        if route.startswith("^("):  # an app's index
            urls += [f"/admin/{label}/" for label in sorted(_app_labels())]
        elif route.startswith("r/"):  # "view on site", for every planted object
            for obj in planted.objects:
                ct = ContentType.objects.get_for_model(obj)
                urls.append(f"/admin/r/{ct.pk}/{obj.pk}/")
        elif route.startswith("(?P<url>"):  # the catch-all
            urls.append("/admin/no/such/page/")
        elif "<" in route:  # a model's page for one object
            prefix = next(p for p in objects_of if route.startswith(p))
            for obj in objects_of[prefix]:
                urls.append("/admin/" + re.sub(r"<[^>]+>", str(obj.pk), route))
        else:
            urls.append("/admin/" + route)
    # Django's UserAdmin page that sets a person's password, if anything brought it back.
    for person in objects_of["accounts/person/"]:
        urls.append(f"/admin/accounts/person/{person.pk}/password/")
    return urls


def _app_labels() -> set[str]:
    return {model._meta.app_label for model in admin.site._registry}


def list_variants(client, changelist: str) -> list[str]:
    """A model's list searched for the planted prefix, and with each filter and ordering."""
    parser = _Links()
    parser.feed(body_text(client.get(changelist)))
    variants = {changelist + link for link in parser.links if link.startswith("?")}
    return [changelist + "?q=zq", changelist + "?_facets=True", *sorted(variants)]


def autocomplete_addresses() -> list[str]:
    urls = []
    for model, model_admin in admin.site._registry.items():
        for field_name in model_admin.autocomplete_fields:
            for term in ("", "zq", "a"):
                query = {
                    "app_label": model._meta.app_label,
                    "model_name": model._meta.model_name,
                    "field_name": field_name,
                    "term": term,
                }
                urls.append("/admin/autocomplete/?" + urlencode(query))
    assert urls, "PersonAdmin's manager field should be an autocomplete"
    return urls


def make_history(client, planted, person) -> list[str]:
    """Entries for the history pages and the index's recent actions, which print objects by
    their `str()`: made by admin forms, and logged for every planted object too. Returns the
    index's text after each planted object was logged (it shows the latest ten)."""
    bob = planted.people["bob"]
    page = client.get(f"/admin/accounts/person/{bob.pk}/change/")
    data = {k: v for k, v in page.context["adminform"].form.initial.items() if v is not None}
    data.update(title="Platform Engineer", groups=[], manager=bob.manager_id)
    client.post(f"/admin/accounts/person/{bob.pk}/change/", data)
    client.post("/admin/accounts/team/add/", {"name": "Guild"})
    client.post("/admin/auth/group/add/", {"name": "Helpers"})
    indexes = []
    for start in range(0, len(planted.objects), 10):
        for obj in planted.objects[start : start + 10]:
            LogEntry.objects.log_actions(
                person.pk, [obj], CHANGE, change_message="Changed.", single_object=True
            )
        indexes.append(body_text(client.get("/admin/")))
    return indexes


def crawl_admin(client, planted) -> tuple[Crawl, list[str]]:
    """Every admin page as the planted organisation's superuser; returns the crawl and the
    planted words (one more: a task traceback's) that no page may show."""
    superuser = planted.people["admin"]
    # A failed task whose traceback quotes a transcript: the admin must not show it.
    hidden = "zqtracebackquote"
    DBTaskResult.objects.create(
        task_path="tete.reports.tasks.analyse_transcript",
        args_kwargs={"args": [hidden], "kwargs": {}},
        return_value=hidden,
        exception_class_path="builtins.ValueError",
        traceback=f"ValueError: line 2 says {hidden}",
        backend_name="default",
        run_after="2030-01-01T00:00Z",
        status="FAILED",
    )
    # A failed sign-in, for the access attempts pages.
    client.post("/login/", {"username": planted.people["bob"].email, "password": hidden})
    client.force_login(superuser)
    recent_actions = make_history(client, planted, superuser)

    urls = admin_addresses(planted) + autocomplete_addresses()
    for model in admin.site._registry:
        urls += list_variants(client, _changelist(model))
    crawl = Crawl(client, per_shape=0).run(urls, start=[])
    for text in recent_actions:
        crawl.visits.append(Visit("/admin/ (recent actions)", 200, text))
    # "Delete selected", for every model, with all its objects selected.
    for model in admin.site._registry:
        pks = list(model._default_manager.values_list("pk", flat=True)[:MAX_OBJECTS])
        response = client.post(
            _changelist(model), {"action": "delete_selected", "_selected_action": pks}
        )
        crawl.visits.append(
            Visit(
                _changelist(model) + " (delete selected)", response.status_code, body_text(response)
            )
        )
    return crawl, [*planted.audience, hidden]


def _changelist(model) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


def check_admin_crawl(crawl: Crawl, words: list[str]) -> None:
    assert crawl.problems == []
    assert crawl.sightings(words) == {}
    assert 500 not in {visit.status for visit in crawl.visits}
    for visit in crawl.visits:
        assert not ADMIN_PASSWORD_PAGE.search(visit.text), visit.url
        assert 'type="password"' not in visit.text, visit.url
    deletions = {v.url for v in crawl.visits if "Are you sure you want to delete" in v.text}
    assert not any(url.startswith("/admin/accounts/person/") for url in deletions), (
        "people are deactivated, never deleted"
    )
    # The crawl reached the confirmations it is about: one object's, and "delete selected".
    for model_list in ("/admin/accounts/team/", "/admin/auth/group/"):
        assert f"{model_list} (delete selected)" in deletions
        assert any(re.fullmatch(rf"{model_list}\d+/delete/", url) for url in deletions)
    assert len(crawl.visits) > 150


def test_no_admin_page_shows_one_on_one_content_or_sets_a_password(planted, client):
    crawl, words = crawl_admin(client, planted)
    check_admin_crawl(crawl, words)
