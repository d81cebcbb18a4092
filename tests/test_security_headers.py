"""Security headers: a Content-Security-Policy without 'unsafe-inline', a Referrer-Policy, a
Permissions-Policy, no framing, and no cache may keep a page or download with personal content.
"""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tests.surveys.conftest import pulse  # noqa: F401 (a fixture)
from tete.surveys import actions as survey_actions

pytestmark = pytest.mark.django_db


def policy(response) -> dict[str, list[str]]:
    """The Content-Security-Policy header as {directive: [sources]}."""
    directives = {}
    for part in response["Content-Security-Policy"].split(";"):
        name, *sources = part.split()
        directives[name] = sources
    return directives


def test_pages_allow_only_our_own_scripts_and_styles(client_for, alice):
    response = client_for(alice).get("/")
    csp = policy(response)
    assert csp["default-src"] == ["'self'"]
    assert csp["script-src"] == ["'self'"]
    assert csp["style-src"] == ["'self'"]  # no nonce: this page has no style of its own
    assert csp["object-src"] == ["'none'"]
    assert csp["base-uri"] == ["'none'"]
    assert csp["form-action"] == ["'self'"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]


def test_no_site_may_frame_a_page(client):
    response = client.get("/login/")
    assert policy(response)["frame-ancestors"] == ["'none'"]
    assert response["X-Frame-Options"] == "DENY"


def test_links_out_carry_no_address_and_features_are_off_but_our_own_microphone(client):
    response = client.get("/login/")
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    features = dict(
        item.strip().split("=", 1) for item in response["Permissions-Policy"].split(",")
    )
    assert features["microphone"] == "(self)"
    for feature in ("camera", "geolocation", "display-capture", "payment", "usb"):
        assert features[feature] == "()", feature


def test_a_survey_form_with_conditional_questions_styles_them_under_its_nonce(
    client_for,
    bob,
    pulse,  # noqa: F811
):
    survey_actions.add_bank_set(pulse, "workload")
    survey_actions.open_survey(pulse)
    response = client_for(bob).get(reverse("surveys:answer", args=[pulse.pk]))
    nonce_sources = [s for s in policy(response)["style-src"] if s.startswith("'nonce-")]
    assert len(nonce_sources) == 1
    nonce = nonce_sources[0][len("'nonce-") : -1]
    page = response.content.decode()
    styles = re.findall(r"<style([^>]*)>", page)
    assert styles == [f' nonce="{nonce}"']
    # A new nonce for every response.
    again = client_for(bob).get(reverse("surveys:answer", args=[pulse.pk]))
    assert policy(again)["style-src"] != policy(response)["style-src"]


PERSONAL = [
    ("home", lambda o, m: "/"),
    ("one-on-ones", lambda o, m: reverse("oneonones:list")),
    ("one-on-one", lambda o, m: reverse("oneonones:detail", args=[o.pk])),
    ("meeting", lambda o, m: reverse("oneonones:meeting", args=[m.pk])),
    ("search", lambda o, m: reverse("oneonones:search") + "?q=plan"),
    ("history file's page", lambda o, m: reverse("oneonones:export", args=[o.pk])),
    ("series calendar file", lambda o, m: reverse("oneonones:calendar", args=[o.pk])),
    ("meeting calendar file", lambda o, m: reverse("oneonones:meeting_calendar", args=[m.pk])),
    ("profile", lambda o, m: reverse("people:profile")),
]


def test_the_history_file_is_not_kept_by_any_cache(client_for, alice, oneonone):
    response = client_for(alice).post(reverse("oneonones:export", args=[oneonone.pk]))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/markdown")
    directives = {d.strip() for d in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= directives


@pytest.mark.parametrize("name,url", PERSONAL, ids=[name for name, _ in PERSONAL])
def test_no_cache_keeps_a_personal_page_or_download(
    client_for, alice, oneonone, meeting, name, url
):
    client = client_for(alice)
    path = url(oneonone, meeting)
    for _ in range(2):  # the second time from the page cache, where there is one
        response = client.get(path)
        assert response.status_code == 200
        directives = {d.strip() for d in response["Cache-Control"].split(",")}
        assert {"private", "no-store"} <= directives
        assert "public" not in directives


def test_survey_exports_are_not_kept_by_any_cache(client_for, alice, pulse):  # noqa: F811
    client = client_for(alice)
    for name in ("results_csv", "results_xlsx", "export"):
        response = client.get(reverse(f"surveys:{name}", args=[pulse.pk]))
        assert response.status_code == 200, name
        assert "no-store" in response["Cache-Control"], name
        assert "private" in response["Cache-Control"], name


def test_the_conversation_report_is_not_kept_by_any_cache(client_for, alice, meeting):
    from tests.reports.conftest import sample_vtt
    from tete.reports import actions as report_actions

    transcript = report_actions.upload_transcript(
        meeting, by=alice, filename="meeting.vtt", content=sample_vtt()
    ).transcript
    response = client_for(alice).get(reverse("reports:report", args=[transcript.pk]))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_pages_for_visitors_are_not_kept_either(client):
    # The sign-in page carries this browser's CSRF token.
    response = client.get("/login/")
    assert "no-store" in response["Cache-Control"]


def test_static_files_keep_their_long_cache(client):
    response = client.get("/static/tete/tete.css")
    assert response.status_code == 200
    assert "no-store" not in response["Cache-Control"]
    assert "max-age=" in response["Cache-Control"]


def test_a_page_that_used_its_nonce_is_never_served_from_the_page_cache(rf, alice, oneonone):
    from django.contrib.messages.storage.fallback import FallbackStorage
    from django.http import HttpResponse

    from tete.oneonones import page_cache

    def serve(kind: str, uses_nonce: bool):
        request = rf.get("/")
        request.user = alice
        request.htmx = False
        request.session = {}
        request._messages = FallbackStorage(request)
        request.META["CSRF_COOKIE"] = "secret"

        def render() -> HttpResponse:
            if uses_nonce:
                request._csp_nonce = "abc"  # as request.csp_nonce does once a template reads it
            return HttpResponse("<p>page</p>")

        return page_cache.serve(request, kind, oneonone.pk, [1], render)

    assert serve("plain", uses_nonce=False).page_cache == "miss"
    assert serve("plain", uses_nonce=False).page_cache == "hit"
    assert serve("nonce", uses_nonce=True).page_cache == "skip"
    assert serve("nonce", uses_nonce=True).page_cache == "skip"


def test_a_refused_form_gets_our_page_not_djangos_inline_styled_one(db):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post("/login/", {"username": "a", "password": "b"})
    assert response.status_code == 403
    page = response.content.decode()
    assert "That form could not be sent" in page
    assert "<style" not in page
