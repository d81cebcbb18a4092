"""Error pages look like the app, link home, and never show a stack trace or the error.

The 500 page is rendered without the request's context (Django's server_error), so it must
not touch the database: the error may be the database.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import path, reverse
from django.views.defaults import server_error

from tete.urls import urlpatterns as app_urlpatterns

SECRET = "the-error-said-this-secret-thing"


def boom(request):
    raise RuntimeError(SECRET)


# The app's URLs and one that fails (see the urls fixture).
urlpatterns = [*app_urlpatterns, path("boom/", boom)]


def looks_like_the_app(response, status: int, heading: str) -> str:
    assert response.status_code == status
    page = response.content.decode()
    assert "<title>" in page and "· Tête-à-tête</title>" in page
    assert "tete/tete.css" in page  # the app's stylesheet, not Django's bare page
    assert f"Error {status}" in page and heading in page
    assert f'href="{reverse("home")}"' in page and "Go to your home page" in page
    assert "Traceback" not in page and "File &quot;" not in page
    return page


def test_an_unknown_page_is_a_404_in_the_apps_style(client_for, alice):
    for person in (None, alice):
        response = client_for(person).get("/no-such-page/")
        looks_like_the_app(response, 404, "There is nothing here")


def test_someone_elses_one_on_one_is_the_same_404(client_for, oneonone, carol):
    response = client_for(carol).get(reverse("oneonones:detail", args=[oneonone.pk]))
    page = looks_like_the_app(response, 404, "There is nothing here")
    assert "No such one-on-one" not in page  # nothing said about what was asked for


def test_a_staff_page_is_a_403_in_the_apps_style(client_for, carol):
    response = client_for(carol).get(reverse("people:invitations"))
    looks_like_the_app(response, 403, "You are not allowed to do that")


def test_an_expired_form_is_a_403_that_says_so(alice, meeting):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    response = client.post(
        reverse("oneonones:add_talking_point", args=[meeting.pk]), {"text": "Hi"}
    )
    page = looks_like_the_app(response, 403, "That form could not be sent")
    assert "Nothing was changed" in page and "CSRF" not in page
    assert not meeting.talking_points.exists()


def test_a_bad_request_is_a_400_in_the_apps_style(client):
    response = client.get("/", headers={"host": "not-this-site.example"})
    looks_like_the_app(response, 400, "That request could not be understood")


@pytest.mark.urls("tests.test_error_pages")
def test_a_server_error_is_a_500_without_the_error(alice):
    client = Client(raise_request_exception=False)
    client.force_login(alice)
    response = client.get("/boom/")
    page = looks_like_the_app(response, 500, "Something went wrong on our side")
    assert SECRET not in page and "RuntimeError" not in page


def test_the_500_page_reads_nothing_from_the_database(db):
    request = RequestFactory().get("/")
    with CaptureQueriesContext(connection) as captured:
        response = server_error(request)
    assert response.status_code == 500
    assert b"Something went wrong on our side" in response.content
    assert len(captured) == 0


def test_debug_is_off_unless_asked_for(tmp_path):
    environment = {k: v for k, v in os.environ.items() if not k.startswith("TETE_")}
    environment |= {"TETE_DATA_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "tete.settings"}
    code = "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)"
    shown = subprocess.run(
        [sys.executable, "-c", code], env=environment, capture_output=True, text=True, check=True
    )
    assert shown.stdout.strip() == "False"
