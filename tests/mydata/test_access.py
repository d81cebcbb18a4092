"""Every my-data URL as the person, the other participant, an outsider, staff and anonymous."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tete.mydata import access_log, erasure
from tete.mydata.models import EventKind

pytestmark = pytest.mark.django_db


def test_an_export_is_its_persons_alone(alice_export, alice, bob, carol, admin, client_for):
    for name in ("mydata:export", "mydata:download"):
        url = reverse(name, args=[alice_export.pk])
        assert client_for(alice).get(url).status_code == 200
        for someone in (bob, carol, admin):
            assert client_for(someone).get(url).status_code == 404, (name, someone)
        response = client_for(None).get(url)
        assert response.status_code == 302 and "/login/" in response["Location"]


def test_the_download_is_a_zip(alice_export, alice, client_for):
    response = client_for(alice).get(reverse("mydata:download", args=[alice_export.pk]))
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith('attachment; filename="my-data-')
    assert response.content[:2] == b"PK"


def test_an_access_log_shows_only_its_persons_entries(alice, bob, admin, client_for):
    access_log.record(alice, EventKind.PASSWORD_CHANGED)
    access_log.record(
        bob, EventKind.EMAIL_CHANGED, detail={"old": "b@x.org", "new": "bob@planted.example"}
    )
    url = reverse("mydata:access_log")
    assert "Your password was changed" in client_for(alice).get(url).text
    for someone in (alice, admin):
        assert "bob@planted.example" not in client_for(someone).get(url).text
    assert "bob@planted.example" in client_for(bob).get(url).text
    response = client_for(None).get(url)
    assert response.status_code == 302 and "/login/" in response["Location"]


@pytest.mark.parametrize("name", ["mydata:home", "mydata:access_log", "mydata:erase"])
def test_own_pages_ask_anonymous_visitors_to_sign_in(name, client_for):
    response = client_for(None).get(reverse(name))
    assert response.status_code == 302 and "/login/" in response["Location"]


@pytest.mark.parametrize("name", ["mydata:home", "mydata:access_log", "mydata:erase"])
def test_own_pages_open_for_any_signed_in_person(name, alice, admin, client_for):
    for someone in (alice, admin):
        assert client_for(someone).get(reverse(name)).status_code == 200


def test_starting_an_export_takes_post_only(alice, client_for):
    assert client_for(alice).get(reverse("mydata:start_export")).status_code == 405
    assert client_for(None).post(reverse("mydata:start_export")).status_code == 302


def test_erasure_pages_are_for_staff(alice, bob, carol, admin, client_for):
    record = erasure.start_erasure(carol, by=admin)
    pages = [
        ("get", reverse("mydata:erasures")),
        ("get", reverse("mydata:start_erasure", args=[bob.pk])),
        ("post", reverse("mydata:confirm_erasure", args=[record.pk])),
        ("post", reverse("mydata:cancel_erasure", args=[record.pk])),
    ]
    for method, url in pages:
        for someone in (alice, bob, carol):
            assert getattr(client_for(someone), method)(url).status_code == 403, url
        response = getattr(client_for(None), method)(url)
        assert response.status_code == 302 and "/login/" in response["Location"]
    assert client_for(admin).get(pages[0][1]).status_code == 200
    assert client_for(admin).get(pages[1][1]).status_code == 200
    assert (
        client_for(admin).get(reverse("mydata:confirm_erasure", args=[record.pk])).status_code
        == 405
    )
    assert client_for(admin).post(reverse("mydata:confirm_erasure", args=[999])).status_code == 404


def test_the_erasure_list_shows_names_not_content(
    alice, bob, carol, admin, oneonone, meeting, client_for
):
    from tete.oneonones import actions

    actions.add_talking_point(meeting, by=bob, text="Planted agenda text")
    erasure.start_erasure(bob, by=admin)
    text = client_for(admin).get(reverse("mydata:erasures")).text
    assert "Bob Jones" in text
    assert "Planted agenda text" not in text


def test_a_missing_export_is_404(alice, client_for):
    url = reverse("mydata:export", args=["00000000-0000-0000-0000-000000000000"])
    assert client_for(alice).get(url).status_code == 404
