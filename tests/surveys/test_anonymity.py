"""DESIGN.md rule 3: anonymous answers cannot be tied back to a person, by any route."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection

from tests.surveys.conftest import answers_for
from tete.surveys import actions, anonymity
from tete.surveys.anonymity import bucket_counts, coarsen, generalise
from tete.surveys.models import Participation, Response
from tete.surveys.suppression import shown_groups


def test_minimum_group_size_never_goes_below_three(settings):
    settings.TETE_MIN_GROUP_SIZE = 1
    assert anonymity.min_group_size() == 3
    settings.TETE_MIN_GROUP_SIZE = 7
    assert anonymity.min_group_size() == 7


def test_only_dimensions_safe_for_the_whole_audience_are_stored():
    population = [{"team": "A", "location": "Paris", "role": "Eng"}] * 4 + [
        {"team": "A", "location": "Oslo", "role": "SRE"}
    ]
    oslo = {"team": "A", "location": "Oslo", "role": "SRE"}
    assert generalise(oslo, population, 5) == {"team": "A"}
    # Everyone keeps the same dimensions: no row stands out by what it lacks.
    assert generalise(population[0], population, 5) == {"team": "A"}
    assert generalise(population[0], population, 4) == {"team": "A"}
    assert generalise(oslo, [*population[:3], oslo], 5) == {}


def test_a_dimension_is_kept_when_every_value_is_common_enough():
    population = [{"team": "A", "location": "Paris"}] * 5 + [{"team": "A", "location": "Oslo"}] * 5
    assert generalise(population[-1], population, 5) == {"team": "A", "location": "Oslo"}


def test_rare_values_are_folded_into_other_rather_than_dropping_the_dimension():
    population = (
        [{"team": "Platform"}] * 6
        + [{"team": "Product"}] * 5
        + [{"team": "Leadership"}, {"team": "People"}]
    )
    stored = [generalise(p, population, 5) for p in population]
    assert stored.count({"team": "Platform"}) == 6
    # Leadership and People (1 each) would make an "Other" of 2, so Product joins them.
    assert stored.count({"team": "Other"}) == 7


def test_coarsen_leaves_no_stored_combination_under_the_minimum():
    rows = [{"team": "A", "location": "Paris"}] * 5 + [{"team": "A", "location": "Oslo"}]
    assert coarsen(rows, 5) == [{"team": "A"}] * 6
    assert coarsen([{"team": "A"}] * 2, 3) == [{}, {}]


@pytest.mark.parametrize(("n", "shown"), [(4, False), (5, True)])
def test_a_group_appears_only_at_the_minimum(n, shown):
    rows = [{"team": "A"}] * n + [{"team": "B"}] * 5
    assert any(g.value == "A" for g in shown_groups(rows, 5)) is shown


def test_nothing_is_shown_below_the_minimum_in_total():
    assert shown_groups([{"team": "A"}] * 4, 5) == []


def test_a_group_is_suppressed_when_the_rest_could_be_read_by_subtraction():
    # Everyone (11) minus Platform (9) would reveal the other 2.
    rows = [{"team": "Platform"}] * 9 + [{"team": "Product"}] * 2
    assert shown_groups(rows, 5) == []
    # With 5 others, both sides are large enough.
    rows = [{"team": "Platform"}] * 9 + [{"team": "Product"}] * 5
    assert {g.value for g in shown_groups(rows, 5)} == {"Platform", "Product"}


def test_a_group_inside_a_larger_shown_group_must_differ_by_the_minimum():
    # alice's 8 reports are all in Platform (9): Platform minus her reports = 1 person.
    rows = [{"team": "Platform", "manager": "1"}] * 8 + [{"team": "Platform"}]
    rows += [{"team": "Product", "manager": "2"}] * 6
    groups = {g.slug for g in shown_groups(rows, 5)}
    assert not ({"team:Platform", "manager:1"} <= groups)
    for slug in groups:
        dim, _, value = slug.partition(":")
        members = {i for i, r in enumerate(rows) if r.get(dim) == value}
        for other in groups:
            d2, _, v2 = other.partition(":")
            bigger = {i for i, r in enumerate(rows) if r.get(d2) == v2}
            if members < bigger:
                assert len(bigger - members) >= 5


def test_audience_counts_fold_small_values_and_their_complement():
    counts = dict(bucket_counts(["A"] * 6 + ["B"] * 5 + ["C"] * 2, 5))
    # "C" (2) alone would be readable as 13 - 6 - 5; so B is folded in with it.
    assert counts == {"A": 6, "Other": 7}
    assert dict(bucket_counts(["A"] * 2, 5)) == {"Other": None}


@pytest.fixture
def answered_pulse(pulse, crowd, bob):
    people = [bob, *crowd(5), *crowd(1, location="Oslo", title="Data Engineer")]
    actions.open_survey(pulse)
    round_ = pulse.rounds.get()
    for i, person in enumerate(people):
        actions.submit_response(round_, person, answers_for(pulse, score=1 + i % 5))
    return pulse, round_, people


def test_anonymous_rows_hold_no_person_no_time_and_no_order(answered_pulse):
    _survey, round_, people = answered_pulse
    responses = list(Response.objects.filter(round=round_))
    assert len(responses) == len(people)
    assert all(r.respondent_id is None and r.submitted_at is None for r in responses)
    # No column that could be a time or a person on the answer table; "release" is a step
    # that at least the minimum number of responses share (public links only).
    columns = {f.column for f in Response._meta.get_fields() if hasattr(f, "column")}
    assert columns == {
        "id",
        "round_id",
        "respondent_id",
        "submitted_at",
        "groups",
        "answers",
        "release",
    }
    assert all(r.release is None for r in responses)
    # The "has responded" record carries a day only.
    assert Participation._meta.get_field("responded_on").get_internal_type() == "DateField"


def test_each_submission_rewrites_the_round_with_fresh_keys(pulse, crowd):
    people = crowd(6)
    actions.open_survey(pulse)
    round_ = pulse.rounds.get()
    actions.submit_response(round_, people[0], answers_for(pulse))
    first_ids = set(Response.objects.values_list("id", flat=True))
    actions.submit_response(round_, people[1], answers_for(pulse))
    second_ids = set(Response.objects.values_list("id", flat=True))
    assert len(second_ids) == 2
    assert not first_ids & second_ids  # keys say nothing about who came first


def test_database_row_order_does_not_follow_submission_order(pulse, crowd):
    people = crowd(12)
    actions.open_survey(pulse)
    round_ = pulse.rounds.get()
    nps_id = str(pulse.questions.get(kind="nps").id)
    for i, person in enumerate(people):
        actions.submit_response(round_, person, {nps_id: str(i % 11)})
    with connection.cursor() as cursor:
        # The physical order: SQLite's hidden rowid, PostgreSQL's ctid.
        physical = "rowid" if connection.vendor == "sqlite" else "ctid"
        cursor.execute(f"SELECT answers FROM {Response._meta.db_table} ORDER BY {physical}")
        stored = [row[0] for row in cursor.fetchall()]
    in_order = [Response(answers={nps_id: str(i % 11)}).answers for i in range(12)]
    import json

    # 12! orders: the shuffle reproducing submission order by chance is negligible.
    rows = [json.loads(s) if isinstance(s, str) else s for s in stored]
    assert rows != in_order


def test_stored_attributes_are_shared_by_the_minimum_of_the_audience(answered_pulse):
    _survey, round_, _people = answered_pulse
    groups = list(Response.objects.filter(round=round_).values_list("groups", flat=True))
    # The Oslo data engineer is unique by location and role: neither was stored for anyone.
    assert not any(g.get("location") == "Oslo" or g.get("role") == "Data Engineer" for g in groups)
    assert all(g.get("team") == "Platform" for g in groups)
    # Every stored combination is held by at least the minimum number of the audience.
    assert len({tuple(sorted(g.items())) for g in groups}) == 1


def test_finalising_a_round_coarsens_combinations_held_by_too_few_responses(
    pulse, crowd, alice, bob
):
    for person in (alice, bob):
        person.location = "Paris"
        person.save()
    people = crowd(5) + crowd(5, location="Berlin")
    actions.open_survey(pulse)
    round_ = pulse.rounds.get()
    # Only one Berlin person answers: "Berlin" was fine for the audience (5), not for answers.
    for person in [*people[:5], people[5]]:
        actions.submit_response(round_, person, answers_for(pulse))
    assert any(
        g.get("location") == "Berlin" for g in Response.objects.values_list("groups", flat=True)
    )
    actions.close_survey(pulse, dt.date.today())
    stored = list(Response.objects.values_list("groups", flat=True))
    assert not any(g.get("location") == "Berlin" for g in stored)
    round_.refresh_from_db()
    assert round_.finalised
