"""Who opens the leaders' view: people with reports' reports and people partners. Everyone
else — a plain manager, a report, an outsider, staff, a superuser — gets 404; an anonymous
visitor is sent to sign in. Crafted query strings get a clear message or 404, never a 500."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.conftest import PASSWORD
from tete.accounts.models import Person, Team
from tete.leaders.models import PeoplePartner

URLS = [reverse("leaders:page"), reverse("leaders:csv")]


@pytest.fixture
def maya(db, alice, bob) -> Person:
    """alice's manager, so bob is one of her reports' reports."""
    maya = Person.objects.create_user("maya@example.com", PASSWORD, name="Maya Okafor")
    alice.manager = maya
    alice.save()
    return maya


@pytest.fixture
def pat(db, team) -> Person:
    """A people partner for alice's team."""
    pat = Person.objects.create_user("pat@example.com", PASSWORD, name="Pat Partner")
    PeoplePartner.objects.create(person=pat).teams.add(team)
    return pat


@pytest.fixture
def stan(db) -> Person:
    return Person.objects.create_user("stan@example.com", PASSWORD, name="Stan", is_staff=True)


@pytest.mark.parametrize("url", URLS)
def test_leaders_and_people_partners_open_it(url, client_for, maya, pat, bob):
    for person in (maya, pat):
        assert client_for(person).get(url).status_code == 200, person


@pytest.mark.parametrize("url", URLS)
def test_everyone_else_gets_404(url, client_for, maya, alice, bob, carol, admin, stan):
    # alice manages bob but has no reports' reports; admin is a superuser, stan staff.
    for person in (alice, bob, carol, admin, stan):
        assert client_for(person).get(url).status_code == 404, person


@pytest.mark.parametrize("url", URLS)
def test_anonymous_visitors_are_sent_to_sign_in(url, client_for, db):
    response = client_for(None).get(url)
    assert response.status_code == 302 and response["Location"].startswith("/login/")


@pytest.mark.parametrize("url", URLS)
def test_it_takes_get_only(url, client_for, maya):
    assert client_for(maya).post(url).status_code == 405


def test_a_partner_without_teams_and_a_deactivated_leader_get_404(client_for, maya, carol):
    PeoplePartner.objects.create(person=carol)
    assert client_for(carol).get(URLS[0]).status_code == 404
    maya.is_active = False
    maya.save()
    assert client_for(maya).get(URLS[0]).status_code in (302, 404)


def test_the_navigation_links_it_only_for_those_who_may_open_it(
    client_for, maya, pat, alice, bob, admin
):
    for person, linked in ((maya, True), (pat, True), (alice, False), (bob, False), (admin, False)):
        page = client_for(person).get(reverse("home")).content.decode()
        assert (f'href="{URLS[0]}"' in page) is linked, person


def test_a_role_given_later_shows_the_link_on_the_next_page(client_for, carol, team):
    client = client_for(carol)
    assert URLS[0] not in client.get(reverse("home")).content.decode()
    PeoplePartner.objects.create(person=carol).teams.add(team)
    assert URLS[0] in client.get(reverse("home")).content.decode()


@pytest.mark.parametrize("url", URLS)
@pytest.mark.parametrize(
    "scope",
    [
        "report-{bob}",
        "report-{alice_outside}",
        "team-{other}",
        "report-999999999999999999999999",
        "team-abc",
        "org|team:1",
        "x" * 500,
        "report-",
        "-1",
        "org%00",
    ],
)
def test_crafted_scopes_get_404(url, scope, client_for, maya, alice, bob, pat):
    other = Team.objects.create(name="Elsewhere")
    scope = scope.format(bob=bob.pk, alice_outside=pat.pk, other=other.pk)
    response = client_for(maya).get(url, {"scope": scope})
    assert response.status_code == 404


def test_a_partner_cannot_ask_for_an_organisation(client_for, pat, maya):
    assert client_for(pat).get(URLS[0], {"scope": "org"}).status_code == 404
    assert client_for(pat).get(URLS[0], {"scope": f"report-{maya.pk}"}).status_code == 404


@pytest.mark.parametrize(
    "period",
    [
        "2026-13",
        "1999-01",
        "99999999999999999999-01",
        "2026-Q5",
        "2026-Q0",
        "Q1",
        "2026",
        "2026-1",
        "<script>",
        "x" * 5000,
        "2100-01",
        "2026-11-01..2026-11-30",
    ],
)
def test_bad_periods_get_a_clear_message(period, client_for, maya):
    client = client_for(maya)
    page = client.get(URLS[0], {"period": period})
    assert page.status_code == 400
    assert "choose one from the list" in page.content.decode()
    assert "<script>" not in page.content.decode().split("<main", 1)[1]
    csv = client.get(URLS[1], {"period": period})
    assert csv.status_code == 400 and "Choose a month or a quarter" in csv.content.decode()
