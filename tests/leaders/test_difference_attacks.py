"""Difference attacks on the leaders' view: each builds the situation, reads every figure the
viewer can see (pages and CSV, every period and scope) and shows that no combination of
them covers fewer than the minimum number of people (see attack.py)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from django.test import override_settings
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.leaders.attack import read_everything, small_atoms
from tests.leaders.org import (
    backdate,
    build_org,
    everyone_meets,
    latest_month,
    latest_quarter,
    meet,
)
from tete.accounts.models import Team
from tete.leaders.models import PeoplePartner, ReportingLine, TeamGrant
from tete.leaders.periods import offered_periods
from tete.oneonones.models import MeetingStatus

pytestmark = pytest.mark.django_db


def _quarter_key() -> str:
    return next(p.key for p in offered_periods() if p.is_quarter)


def _recent_keys() -> list[str]:
    """The latest quarter and its months: where the tests' meetings are."""
    quarter = next(p for p in offered_periods() if p.is_quarter)
    return [quarter.key, *(f"{m.year}-{m.month:02d}" for m in quarter.months)]


def _org(platform: int, product: int, extra: dict | None = None):
    """maya leads alice (`platform` reports, team Platform) and frank (`product` reports,
    team Product); tenure spread over the bands."""
    spec = {"maya": (None, "Lead", 8.0), "alice": ("maya", "Platform", 4.0)}
    spec["frank"] = ("maya", "Product", 3.0)
    for i in range(platform):
        spec[f"pl{i}"] = ("alice", "Platform", [0.5, 2.0, 4.0][i % 3])
    for i in range(product):
        spec[f"pr{i}"] = ("frank", "Product", [0.5, 2.0, 4.0][i % 3])
    spec.update(extra or {})
    people = build_org(spec)
    everyone_meets(people, latest_quarter())
    return people


def _assert_nothing_isolated(client, viewer, k=5, periods=None):
    readings = read_everything(client, periods or _recent_keys())
    assert small_atoms(viewer, readings, k) == []
    return readings


def test_overlapping_subtrees_and_a_partner_team_isolate_nobody(client_for):
    # alice's organisation (7) and frank's (10) make maya's (17); maya is also people
    # partner for Platform: alice's seven and five of frank's.
    people = _org(7, 10)
    platform = Team.objects.get(name="Platform")
    for name in ("pr0", "pr1", "pr2", "pr3", "pr4"):
        people[name].team = platform
        people[name].save()
    ReportingLine.objects.filter(valid_to__isnull=False).delete()
    backdate()
    partner = PeoplePartner.objects.create(person=people["maya"])
    partner.teams.add(platform)
    TeamGrant.objects.update(granted_at=timezone.now() - dt.timedelta(days=500))
    readings = _assert_nothing_isolated(client_for(people["maya"]), people["maya"])
    rows = {r.row for r in readings if r.period == _quarter_key()}
    team, frank = f"team-{platform.pk}", f"report-{people['frank'].pk}"
    assert {"org", team, frank, f"report-{people['alice'].pk}"} <= rows
    # Tenure bands of the team: a band of frank's Platform people alone would be 1 or 2.
    assert all(r.people >= 5 for r in readings)


def test_a_team_of_six_with_a_sub_team_of_five(client_for):
    # maya's organisation: alice's five reports and frank's one, all in Platform.
    people = _org(5, 1, {"pr0": ("frank", "Platform", 1.0)})
    client = client_for(people["maya"])
    readings = _assert_nothing_isolated(client, people["maya"])
    alice_scope = f"report-{people['alice'].pk}"
    rows = {(r.period, r.row) for r in readings}
    for period in _recent_keys():
        # The six and the five never both show: their difference is frank's one report.
        assert not ({(period, "org"), (period, alice_scope)} <= rows), period


def test_a_person_joining_leaving_or_moving_changes_no_figure_already_shown(client_for):
    people = _org(6, 5)
    client = client_for(people["maya"])
    before = _assert_nothing_isolated(client, people["maya"])
    assert before
    # Today: one joins under alice, one leaves, one moves from frank to alice.
    from tete.accounts.models import Person

    Person.objects.create_user("new@example.com", "x", name="New", manager=people["alice"])
    people["pl0"].manager = None
    people["pl0"].is_active = False
    people["pl0"].save()
    people["pr0"].manager = people["alice"]
    people["pr0"].save()
    after = _assert_nothing_isolated(client, people["maya"])
    assert after == before


def test_someone_moving_between_the_months_of_a_quarter_isolates_nobody(client_for):
    """Adjacent windows: a quarter beside its months, whose memberships differ by one."""
    people = _org(6, 5)
    second = latest_quarter()[1]
    mover = people["pr0"]
    # pr0 moved from frank to alice between the quarter's first and second month.
    line = ReportingLine.objects.get(person_id=mover.pk, valid_to__isnull=True)
    line.valid_to = second.start
    line.save()
    ReportingLine.objects.create(
        person_id=mover.pk,
        manager_id=people["alice"].pk,
        team_id=mover.team_id,
        start_date=mover.start_date,
        valid_from=second.start,
    )
    meet(people["alice"], mover, [second, latest_quarter()[2]])
    client = client_for(people["maya"])
    readings = _assert_nothing_isolated(client, people["maya"])
    assert any(r.period == _quarter_key() for r in readings)


def test_a_meeting_left_out_of_one_pair_changes_no_month_but_its_own(client_for):
    """Adjacent months with one pair's meetings missing in one: each month's figures are
    over that month's meetings; the atoms still hold the minimum."""
    people = _org(6, 6)
    meet(
        people["alice"], people["pl0"], [latest_month()], days=(12,), status=MeetingStatus.CANCELLED
    )
    _assert_nothing_isolated(client_for(people["maya"]), people["maya"])


# ------------------------------------------------------------------ generated organisations


@st.composite
def organisations(draw):
    """Two or three managers under the viewer with 0–8 reports each, teams drawn from three,
    some pairs without meetings in some months, a partner team or not, and k."""
    managers = draw(st.integers(2, 3))
    reports = [draw(st.integers(0, 8)) for _ in range(managers)]
    people = []
    for m, count in enumerate(reports):
        for _ in range(count):
            people.append(
                (
                    m,
                    draw(st.sampled_from(["A", "B", "C", None])),
                    draw(st.sampled_from([0.5, 2.0, 4.0, None])),
                    draw(st.lists(st.booleans(), min_size=3, max_size=3)),
                )
            )
    return (
        managers,
        people,
        draw(st.sampled_from([None, "A", "B"])),
        draw(st.sampled_from([3, 4, 5])),
    )


@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(drawn=organisations())
def test_no_generated_organisation_lets_fewer_than_the_minimum_be_isolated(client_for, drawn):
    managers, reports, partner_team, k = drawn
    with override_settings(TETE_MIN_GROUP_SIZE=k), transaction.atomic():
        spec = {"viewer": (None, "Lead", 5.0)}
        for m in range(managers):
            spec[f"m{m}"] = ("viewer", "A", 3.0)
        for i, (m, team, years, _) in enumerate(reports):
            spec[f"r{i}"] = (f"m{m}", team, years)
        people = build_org(spec)
        months = latest_quarter()
        for i, (m, _, _, meets) in enumerate(reports):
            held = [month for month, yes in zip(months, meets, strict=False) if yes]
            if held:
                meet(people[f"m{m}"], people[f"r{i}"], held)
        if partner_team:
            partner = PeoplePartner.objects.create(person=people["viewer"])
            partner.teams.add(Team.objects.get_or_create(name=partner_team)[0])
            TeamGrant.objects.update(granted_at=timezone.now() - dt.timedelta(days=500))
        readings = read_everything(client_for(people["viewer"]), _recent_keys())
        assert small_atoms(people["viewer"], readings, k) == []
        transaction.set_rollback(True)


def test_a_leader_who_keeps_only_a_partner_role_learns_nothing_new(client_for):
    """Before: maya's organisation (11) shows and her partner team Platform (alice's six and
    two of frank's) is hidden beside it, as the three left would be singled out. Then alice
    and frank move away from her today: what the team shows must not change, or it and the
    organisation read before would give the three away."""
    people = _org(6, 5)
    platform = Team.objects.get(name="Platform")
    for name in ("pr0", "pr1"):
        people[name].team = platform
        people[name].save()
    ReportingLine.objects.filter(valid_to__isnull=False).delete()
    backdate()
    partner = PeoplePartner.objects.create(person=people["maya"])
    partner.teams.add(platform)
    TeamGrant.objects.update(granted_at=timezone.now() - dt.timedelta(days=500))
    client = client_for(people["maya"])
    before = read_everything(client, _recent_keys())
    assert any(r.row == "org" for r in before)
    for name in ("alice", "frank"):
        people[name].manager = None
        people[name].save()
    after = read_everything(client, _recent_keys())
    assert not any(r.scope == "org" for r in after)  # no longer hers to open
    assert small_atoms(people["maya"], before + after, 5) == []
