"""CSV import through the page: all or nothing, a summary, invitations for new people."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from tete.accounts.models import Person, Team
from tete.people.models import Invitation

GOOD = (
    "name,email,title,team,manager email\n"
    "Nina New,nina@example.com,Designer,Design,maya@example.com\n"
    "Maya Okafor,maya@example.com,Head of Design,Design,\n"
    "Bob Jones,bob@example.com,Senior Engineer,Platform,alice@example.com\n"
)


def upload(client, text: str | bytes, name="people.csv"):
    data = text.encode() if isinstance(text, str) else text
    return client.post("/people/import/", {"file": SimpleUploadedFile(name, data, "text/csv")})


def snapshot():
    people = Person.objects.order_by("email").values_list(
        "email", "name", "title", "team__name", "manager__email", "is_active"
    )
    return (
        list(people),
        list(Team.objects.values_list("name", flat=True)),
        Invitation.objects.count(),
    )


def test_a_good_file_creates_and_updates_people_and_teams(client_for, admin, alice, bob):
    response = upload(client_for(admin), GOOD)
    assert response.status_code == 200
    content = response.content.decode()
    assert "people.csv is imported" in content
    assert "<strong>2</strong> new people, 2 invitations sent" in content
    assert "<strong>1</strong> updated" in content
    assert "Design" in content
    nina = Person.objects.get(email="nina@example.com")
    maya = Person.objects.get(email="maya@example.com")
    assert nina.manager == maya
    assert nina.team.name == "Design"
    assert nina.status == "invited"
    bob.refresh_from_db()
    assert (bob.title, bob.manager, bob.is_active) == ("Senior Engineer", alice, True)
    assert sorted(m.to[0] for m in mail.outbox) == ["maya@example.com", "nina@example.com"]


def test_importing_the_same_file_twice_changes_nothing_more(client_for, admin, alice, bob):
    client = client_for(admin)
    upload(client, GOOD)
    before = snapshot()
    content = upload(client, GOOD).content.decode()
    assert "<strong>0</strong> new people" in content
    assert "<strong>3</strong> unchanged" in content
    assert snapshot() == before
    assert len(mail.outbox) == 2


def test_a_file_with_one_bad_row_imports_nothing(client_for, admin, alice, bob):
    before = snapshot()
    bad = GOOD + "Broken,not-an-email,,,\n"
    response = upload(client_for(admin), bad)
    assert response.status_code == 200
    content = response.content.decode()
    assert "Nothing was imported: 1 problem in people.csv" in content
    assert "Line 5" in content
    assert snapshot() == before
    assert mail.outbox == []


def test_every_bad_row_is_listed_with_its_line(client_for, admin, alice):
    bad = (
        "name,email,title,team,manager email\n"
        ",a@example.com,,,\n"
        "B,,,,\n"
        "C,c@example.com,,,ghost@example.com\n"
        "D,d@example.com,,,e@example.com\n"
        "E,e@example.com,,,d@example.com\n"
    )
    content = upload(client_for(admin), bad).content.decode()
    assert "Nothing was imported: 5 problems" in content
    assert "ghost@example.com is neither in this file" in content
    for line in (2, 3, 4, 5, 6):
        assert f"Line {line}</span>" in content


def test_a_cycle_is_reported_when_every_row_is_otherwise_valid(client_for, admin):
    bad = "name,email,manager email\nD,d@example.com,e@example.com\nE,e@example.com,d@example.com\n"
    content = upload(client_for(admin), bad).content.decode()
    assert "Nothing was imported: 2 problems" in content
    assert "Managers form a cycle" in content
    assert not Person.objects.filter(email="d@example.com").exists()


def test_a_cycle_with_existing_people_is_refused(client_for, admin, alice, bob):
    # alice manages bob; making alice report to bob would be a loop.
    bad = "name,email,manager email\nAlice Martin,alice@example.com,bob@example.com\n"
    content = upload(client_for(admin), bad).content.decode()
    assert "Managers form a cycle" in content
    alice.refresh_from_db()
    assert alice.manager is None


def test_a_wrongly_encoded_file_is_refused_with_a_clear_message(client_for, admin):
    data = "name,email\nZoë,zoe@example.com\n".encode("utf-16")
    content = upload(client_for(admin), data).content.decode()
    assert "not UTF-8 text" in content
    assert not Person.objects.filter(email="zoe@example.com").exists()


def test_an_oversized_file_is_refused(client_for, admin, settings):
    settings.TETE_MAX_UPLOAD_BYTES = 50
    content = upload(client_for(admin), GOOD).content.decode()
    assert "The file is larger than 50 bytes, the largest file accepted." in content
    assert not Person.objects.filter(email="nina@example.com").exists()


def test_unknown_columns_are_refused(client_for, admin):
    content = upload(client_for(admin), "name,email,salary\nA,a@example.com,100\n").content.decode()
    assert "Unknown column “salary”" in content
    assert not Person.objects.filter(email="a@example.com").exists()


def test_no_file_says_so_next_to_the_field(client_for, admin):
    response = client_for(admin).post("/people/import/", {})
    assert "This field is required." in response.content.decode()


def test_a_failure_while_writing_rolls_everything_back(client_for, admin, alice, bob, monkeypatch):
    from tete.people import actions

    calls = {"n": 0}
    real_apply = actions._apply_row

    def fail_on_second_row(person, row, teams):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("disk full")
        real_apply(person, row, teams)

    monkeypatch.setattr(actions, "_apply_row", fail_on_second_row)
    before = snapshot()
    with pytest.raises(RuntimeError):
        upload(client_for(admin), GOOD)
    assert snapshot() == before
    assert mail.outbox == []


def test_the_example_file_in_the_docs_imports_cleanly(client_for, admin):
    from pathlib import Path

    example = Path(__file__).resolve().parents[2] / "docs" / "examples" / "people.csv"
    response = upload(client_for(admin), example.read_bytes())
    assert "is imported" in response.content.decode()
    assert Person.objects.filter(is_active=False).count() >= 5


# Personas --------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["alice", "bob", "carol"])
def test_people_who_are_not_staff_get_403(request, client_for, who):
    client = client_for(request.getfixturevalue(who))
    assert client.get("/people/import/").status_code == 403
    assert upload(client, GOOD).status_code == 403
    assert not Person.objects.filter(email="nina@example.com").exists()


def test_anonymous_visitors_are_sent_to_sign_in(client_for, db):
    response = client_for(None).get("/people/import/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_wrong_method_is_405(client_for, admin):
    assert client_for(admin).put("/people/import/").status_code == 405


def test_the_import_page_explains_the_format(client_for, admin):
    content = client_for(admin).get("/people/import/").content.decode()
    assert "manager email" in content
    assert 'enctype="multipart/form-data"' in content
