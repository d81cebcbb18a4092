"""The reporting lines and team grants the leaders' view reads past months from: written as
changes are made, wherever they are made, and never rewritten."""

from __future__ import annotations

import pytest

from tete.accounts.models import Person, Team
from tete.leaders.models import PeoplePartner, ReportingLine, TeamGrant

pytestmark = pytest.mark.django_db


def lines(person):
    return list(
        ReportingLine.objects.filter(person_id=person.pk)
        .order_by("valid_from", "pk")
        .values_list("manager_id", "team_id", "valid_to")
    )


def test_a_move_closes_the_open_line_and_opens_another(alice, bob, carol, team):
    assert [line[:2] for line in lines(bob)] == [(alice.pk, team.pk)]
    bob.manager = carol
    bob.save()
    first, second = lines(bob)
    assert first[2] is not None and second == (carol.pk, team.pk, None)


def test_a_save_that_changes_nothing_of_the_line_writes_none(bob, django_assert_num_queries):
    bob.title = "Staff Engineer"
    bob.save(update_fields=["title"])
    bob.name = "Bob J."
    bob.save()
    assert len(lines(bob)) == 1


def test_a_person_loaded_with_deferred_fields_saves_without_looping(bob, carol):
    lean = Person.objects.only("pk", "name").get(pk=bob.pk)
    lean.name = "Bob"
    lean.save()
    lean = Person.objects.only("pk", "manager").get(pk=bob.pk)
    lean.manager = carol
    lean.save()
    assert [line[0] for line in lines(bob)] == [bob.manager_id, carol.pk]


def test_queryset_changes_are_not_seen_but_the_next_save_catches_up(bob, carol):
    Person.objects.filter(pk=bob.pk).update(manager=carol)
    fresh = Person.objects.only("pk", "title").get(pk=bob.pk)
    fresh.start_date = None
    fresh.save(update_fields=["start_date"])
    assert lines(bob)[-1][0] == carol.pk


def test_grants_are_kept_when_teams_are_added_and_taken_back(carol, team):
    other = Team.objects.create(name="Other")
    partner = PeoplePartner.objects.create(person=carol)
    partner.teams.add(team, other)
    partner.teams.remove(other)
    grants = dict(TeamGrant.objects.values_list("team_id", "revoked_at"))
    assert grants[team.pk] is None and grants[other.pk] is not None
    partner.delete()
    assert not TeamGrant.objects.filter(revoked_at__isnull=True).exists()
