"""Abuse limits: password reset emails per address and per client, and per person the costly
requests (downloads, searches, report rebuilds), counted in the shared cache (tete/throttle.py,
tete/limits.py, settings.TETE_RATE_LIMITS)."""

from __future__ import annotations

import hashlib
import time

import pytest
from django.core import mail
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.conftest import PASSWORD
from tests.reports.conftest import sample_vtt
from tests.surveys.conftest import pulse  # noqa: F401 (a fixture)
from tete.accounts.models import Person
from tete.limits import duration_text, per_text
from tete.throttle import throttle


@pytest.fixture
def clock(monkeypatch):
    """Time that moves only when told: clock.advance(seconds). The memory cache expires its
    entries by the same clock."""

    class Clock:
        now = 1_800_000_000.0

        def advance(self, seconds: float) -> None:
            self.now += seconds

    fake = Clock()
    monkeypatch.setattr(time, "time", lambda: fake.now)
    return fake


# --- The throttle -----------------------------------------------------------------------------


def test_it_allows_the_limit_and_refuses_one_more(clock):
    assert [throttle("k", 3, 60).allowed for _ in range(5)] == [True, True, True, False, False]


def test_the_window_slides_and_a_refused_use_is_not_counted(clock):
    throttle("k", 2, 60)
    clock.advance(20)
    throttle("k", 2, 60)
    clock.advance(10)
    refused = throttle("k", 2, 60)
    # The first use leaves the window 60 s after it was made, 30 s from now.
    assert (refused.allowed, refused.retry_after) == (False, 30)
    clock.advance(29)
    assert not throttle("k", 2, 60).allowed
    clock.advance(1)
    assert throttle("k", 2, 60).allowed  # the refusals took no slot
    assert not throttle("k", 2, 60).allowed  # the second use is still within the window


def test_keys_and_periods_count_apart(clock):
    assert throttle("a", 1, 60).allowed
    assert throttle("b", 1, 60).allowed
    assert throttle("a", 1, 3600).allowed
    assert not throttle("a", 1, 60).allowed


def test_the_count_lives_in_the_configured_cache_for_every_app_server(settings, db):
    shared = {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "tete_throttle_test",
    }
    settings.CACHES = {"default": shared, "limits": shared}
    call_command("createcachetable", verbosity=0)
    assert [throttle("shared", 2, 3600).allowed for _ in range(3)] == [True, True, False]
    with connection.cursor() as cursor:
        # One slot per allowed use (beside the entries that say which slot comes next).
        cursor.execute("SELECT COUNT(*) FROM tete_throttle_test WHERE cache_key LIKE '%:t:%'")
        assert cursor.fetchone()[0] == 2
    # Nothing is kept in the process: with the table emptied, the count starts again.
    caches["limits"].clear()
    assert throttle("shared", 2, 3600).allowed


def test_a_check_costs_the_same_whatever_the_limit(settings, db):
    settings.CACHES = {
        "default": settings.CACHES["default"],
        "limits": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "tete_throttle_cost",
        },
    }
    call_command("createcachetable", verbosity=0)
    queries = {}
    for limit in (10, 1000):
        throttle(f"warm {limit}", limit, 60)
        with CaptureQueriesContext(connection) as captured:
            assert throttle(f"warm {limit}", limit, 60).allowed
        queries[limit] = captured.captured_queries
    # Read which slot comes next, take it, point at the one after: the slots are never all
    # read, so a limit of 1,000 costs what a limit of 10 does.
    assert len(queries[1000]) == len(queries[10]) < 15
    assert not any(":1:t:" in q["sql"] and " IN (" in q["sql"] for q in queries[1000])


def test_a_slot_taken_meanwhile_by_another_server_is_skipped(clock):
    assert throttle("k", 3, 60).allowed
    # Another app server took the slot that comes next, between this one's read and add.
    caches["limits"].add("t:" + _name("k", 60) + ":1", time.time(), timeout=60)
    assert [throttle("k", 3, 60).allowed for _ in range(2)] == [True, False]


def test_losing_the_next_entry_loses_no_use(clock):
    throttle("k", 3, 60)
    clock.advance(1)
    throttle("k", 3, 60)
    caches["limits"].delete("n:" + _name("k", 60))
    assert [throttle("k", 3, 60).allowed for _ in range(2)] == [True, False]
    clock.advance(59)
    # The first use has left the window: one slot is free again, and one only.
    assert [throttle("k", 3, 60).allowed for _ in range(2)] == [True, False]


def _name(key: str, per_seconds: int) -> str:
    return hashlib.sha256(f"{key}\x1f{per_seconds}".encode()).hexdigest()[:20]


def test_pages_filling_the_memory_cache_do_not_push_the_counts_out():
    assert throttle("k", 1, 60).allowed
    for n in range(2000):  # twice what the page cache holds in memory
        caches["default"].set(f"page:{n}", "<html>…</html>")
    assert not throttle("k", 1, 60).allowed


def test_limits_read_as_words():
    assert per_text(60) == "per minute"
    assert per_text(600) == "per 10 minutes"
    assert per_text(3600) == "per hour"
    assert per_text(7200) == "per 2 hours"
    assert duration_text(1) == "1 second"
    assert duration_text(45) == "45 seconds"
    assert duration_text(61) == "2 minutes"
    assert duration_text(3600) == "1 hour"
    assert duration_text(3900) == "1 hour 5 minutes"


# --- Password reset ---------------------------------------------------------------------------


def reset(client, email: str, address: str = "10.0.0.1"):
    return client.post("/password/reset/", {"email": email}, REMOTE_ADDR=address)


def test_thirty_resets_for_one_address_send_three_emails_and_look_the_same(client, alice):
    answers = [reset(client, alice.email) for _ in range(30)]
    assert len(mail.outbox) == 3
    assert {(a.status_code, a["Location"]) for a in answers} == {(302, "/password/reset/sent/")}


def test_the_limit_per_address_holds_from_every_client(client, alice):
    for n in range(5):
        reset(client, alice.email.upper(), address=f"10.0.0.{n}")
    assert len(mail.outbox) == 3


def test_one_client_asking_for_many_addresses_is_limited_too(client, db):
    people = [
        Person.objects.create_user(f"p{n}@example.com", PASSWORD, name=f"P {n}") for n in range(25)
    ]
    answers = [reset(client, person.email) for person in people]
    assert len(mail.outbox) == 20
    assert {a["Location"] for a in answers} == {"/password/reset/sent/"}
    # Another client still gets its email.
    reset(client, people[-1].email, address="10.0.0.99")
    assert len(mail.outbox) == 21


def test_the_reset_limits_count_in_the_hour(client, alice, clock):
    for _ in range(4):
        reset(client, alice.email)
    assert len(mail.outbox) == 3
    clock.advance(3600)
    reset(client, alice.email)
    assert len(mail.outbox) == 4


# --- Per person -------------------------------------------------------------------------------


def assert_refused(response, *, limit_text: str):
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    page = response.content.decode()
    assert "Please wait a little" in page
    assert f"at most {limit_text}" in page
    assert "Try again in" in page
    assert "no-store" in response["Cache-Control"]


def test_downloads_past_the_limit_get_a_page_that_says_when_to_try_again(
    client_for, alice, bob, oneonone, meeting, settings, clock
):
    settings.TETE_RATE_LIMITS = {**settings.TETE_RATE_LIMITS, "downloads": (3, 600)}
    urls = [
        reverse("oneonones:export", args=[oneonone.pk]),
        reverse("oneonones:calendar", args=[oneonone.pk]),
        reverse("oneonones:meeting_calendar", args=[meeting.pk]),
    ]
    client = client_for(alice)
    # The history file comes from a POST; the page with its button is not a download.
    assert client.get(urls[0]).status_code == 200
    assert client.post(urls[0]).status_code == 200
    assert [client.get(url).status_code for url in urls[1:]] == [200, 200]
    assert client.get(urls[0]).status_code == 200
    refused = client.post(urls[0])
    assert_refused(
        refused, limit_text="3 downloads (exports, history and calendar files) per 10 minutes"
    )
    assert refused["Retry-After"] == "600"
    assert "Try again in 10 minutes" in refused.content.decode()
    # Per person: bob still downloads.
    assert client_for(bob).post(urls[0]).status_code == 200


def test_survey_exports_count_as_downloads(client_for, alice, pulse, settings):  # noqa: F811
    settings.TETE_RATE_LIMITS = {**settings.TETE_RATE_LIMITS, "downloads": (2, 600)}
    client = client_for(alice)
    codes = [
        client.get(reverse(f"surveys:{name}", args=[pulse.pk])).status_code
        for name in ("results_csv", "results_xlsx", "export")
    ]
    assert codes == [200, 200, 429]


def test_searches_past_the_limit_are_refused(client_for, alice, oneonone, settings):
    settings.TETE_RATE_LIMITS = {**settings.TETE_RATE_LIMITS, "searches": (2, 60)}
    client = client_for(alice)
    url = reverse("oneonones:search")
    # The empty form and a query too short to run are not searches.
    assert client.get(url).status_code == 200
    assert client.get(url, {"q": "a"}).status_code == 200
    assert client.get(url, {"q": "plan"}).status_code == 200
    assert client.get(url, {"q": "plan", "page": "2"}).status_code == 200
    assert_refused(client.get(url, {"q": "goals"}), limit_text="2 searches per minute")


def test_report_rebuilds_past_the_limit_keep_the_form_and_recompute_nothing(
    client_for, alice, bob, meeting, settings, clock
):
    from tete.reports import actions
    from tete.reports.models import SpeakerAlias

    settings.TETE_RATE_LIMITS = {**settings.TETE_RATE_LIMITS, "report_rebuilds": (2, 3600)}
    content = sample_vtt(seed=11, lead="Speaker 1", partner="Speaker 2")
    transcript = actions.upload_transcript(
        meeting, by=bob, filename="t.vtt", content=content
    ).transcript
    client = client_for(bob)
    url = reverse("reports:speakers", args=[transcript.pk])
    for _ in range(2):
        saved = client.post(url, {"speaker_0": str(alice.pk), "speaker_1": str(bob.pk)})
        assert saved.status_code == 302
    again = client.post(url, {"speaker_0": str(bob.pk), "speaker_1": str(alice.pk)})
    assert again.status_code == 429
    assert again["Retry-After"] == "3600"
    page = again.content.decode()
    assert "at most 2 report rebuilds per hour" in page
    # The choices just made are still selected, and the stored mapping is the first one.
    assert f'<option value="{bob.pk}" selected>' in page
    assert dict(SpeakerAlias.objects.values_list("label", "person_id")) == {
        "Speaker 1": alice.pk,
        "Speaker 2": bob.pk,
    }
    # Showing the form is not a rebuild.
    assert client.get(url).status_code == 200
