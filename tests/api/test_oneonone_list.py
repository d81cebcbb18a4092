"""The one-on-one list, byte for byte: every field of every row, the people's names with
characters JSON escapes, times cut to the millisecond, each row the same as the one-on-one's
own endpoint answers, and its cursor across pages."""

from __future__ import annotations

import datetime as dt
import json

from tests.conftest import PASSWORD
from tete.accounts.models import Person
from tete.oneonones import actions
from tete.oneonones.models import OneOnOne

UTC = dt.UTC


def _four_of_alices(alice, bob, carol):
    dana = Person.objects.create_user(
        "dana@example.com", PASSWORD, name='Dana "DJ" Ødegård\\Łukasz ☕'
    )
    weekly = actions.start_oneonone(
        by=alice,
        other=bob,
        kind="manager_report",
        focus_person=bob,
        cadence="weekly",
        weekday=0,
        time_of_day=dt.time(10, 0),
        duration_minutes=30,
        tz="Europe/Paris",
    )
    monthly = actions.start_oneonone(
        by=dana,
        other=alice,
        kind="mentoring",
        focus_person=alice,
        cadence="monthly",
        weekday=2,
        time_of_day=dt.time(9, 30),
        duration_minutes=45,
        tz="America/New_York",
        starts_on=dt.date(2030, 1, 15),
    )
    unscheduled = actions.start_oneonone(by=alice, other=carol, cadence="none")
    biweekly = actions.start_oneonone(
        by=carol,
        other=alice,
        kind="coaching",
        cadence="biweekly",
        weekday=4,
        time_of_day=dt.time(16, 45),
        duration_minutes=60,
        tz="Asia/Kolkata",
    )
    actions.end_oneonone(biweekly, by=carol)
    # Not Alice's: never in her list.
    actions.start_oneonone(by=bob, other=dana)
    created = dt.datetime(2030, 1, 2, 3, 4, 5, 678901, tzinfo=UTC)
    for n, o in enumerate((weekly, monthly, unscheduled, biweekly)):
        OneOnOne.objects.filter(pk=o.pk).update(created_at=created + dt.timedelta(days=n))
    OneOnOne.objects.filter(pk=biweekly.pk).update(
        ended_at=dt.datetime(2031, 6, 7, 8, 9, 10, 999999, tzinfo=UTC)
    )
    return dana, weekly, monthly, unscheduled, biweekly


def test_the_list_is_pinned_byte_for_byte(api_as, alice, bob, carol):
    dana, weekly, monthly, unscheduled, biweekly = _four_of_alices(alice, bob, carol)
    response = api_as("alice").get("/api/v1/oneonones")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    a, b, c, d = alice.pk, bob.pk, carol.pk, dana.pk
    w, m, u, e = weekly.pk, monthly.pk, unscheduled.pk, biweekly.pk
    expected = (
        '{"results": ['
        f'{{"id": {w}, "kind": "manager_report", "people": [{{"id": {a}, "name": "Alice Martin"}},'
        f' {{"id": {b}, "name": "Bob Jones"}}], "focus_person_id": {b}, "cadence": "weekly",'
        ' "cadence_summary": "Weekly on Mondays at 10:00 (Europe/Paris), 30 min",'
        ' "timezone": "Europe/Paris", "duration_minutes": 30, "ended_at": null,'
        ' "created_at": "2030-01-02T03:04:05.678Z",'
        f' "url": "http://testserver/one-on-ones/{w}/"}}, '
        f'{{"id": {m}, "kind": "mentoring", "people": [{{"id": {d},'
        ' "name": "Dana \\"DJ\\" \\u00d8deg\\u00e5rd\\\\\\u0141ukasz \\u2615"},'
        f' {{"id": {a}, "name": "Alice Martin"}}], "focus_person_id": {a}, "cadence": "monthly",'
        ' "cadence_summary": "Monthly on the third Wednesday at 09:30 (America/New York), 45 min",'
        ' "timezone": "America/New_York", "duration_minutes": 45, "ended_at": null,'
        ' "created_at": "2030-01-03T03:04:05.678Z",'
        f' "url": "http://testserver/one-on-ones/{m}/"}}, '
        f'{{"id": {u}, "kind": "peer", "people": [{{"id": {a}, "name": "Alice Martin"}},'
        f' {{"id": {c}, "name": "Carol Outsider"}}], "focus_person_id": null, "cadence": "none",'
        ' "cadence_summary": "No regular cadence",'
        ' "timezone": "UTC", "duration_minutes": 30, "ended_at": null,'
        ' "created_at": "2030-01-04T03:04:05.678Z",'
        f' "url": "http://testserver/one-on-ones/{u}/"}}, '
        f'{{"id": {e}, "kind": "coaching", "people": [{{"id": {c}, "name": "Carol Outsider"}},'
        f' {{"id": {a}, "name": "Alice Martin"}}], "focus_person_id": null, "cadence": "biweekly",'
        ' "cadence_summary": "Every 2 weeks on Fridays at 16:45 (Asia/Kolkata), 60 min",'
        ' "timezone": "Asia/Kolkata", "duration_minutes": 60,'
        ' "ended_at": "2031-06-07T08:09:10.999Z", "created_at": "2030-01-05T03:04:05.678Z",'
        f' "url": "http://testserver/one-on-ones/{e}/"}}'
        '], "next": null}'
    )
    assert response.content.decode() == expected


def test_each_row_is_what_the_one_on_ones_own_endpoint_answers(api_as, alice, bob, carol):
    _four_of_alices(alice, bob, carol)
    client = api_as("alice")
    rows = client.get("/api/v1/oneonones").json()["results"]
    assert len(rows) == 4
    for row in rows:
        alone = client.get(f"/api/v1/oneonones/{row['id']}")
        assert json.dumps(row) == alone.content.decode()


def test_the_list_pages_by_cursor_without_repeats_or_gaps(api_as, alice, bob, carol):
    mine = [o.pk for o in _four_of_alices(alice, bob, carol)[1:]]
    client = api_as("alice")
    seen, pages, cursor = [], 0, None
    while True:
        url = "/api/v1/oneonones?limit=3" + (f"&cursor={cursor}" if cursor else "")
        body = client.get(url).json()
        seen += [o["id"] for o in body["results"]]
        pages += 1
        if (cursor := body["next"]) is None:
            break
    assert seen == sorted(mine) and pages == 2
    # A made-up cursor is refused, and so is this list's cursor on another list.
    assert client.get("/api/v1/oneonones?cursor=W10:1ab:xyz").status_code == 400
    first = client.get("/api/v1/oneonones?limit=1").json()["next"]
    meetings = f"/api/v1/oneonones/{mine[0]}/meetings?cursor={first}"
    assert client.get(meetings).status_code == 400


def test_a_full_last_page_has_no_next(api_as, alice, bob, carol):
    _four_of_alices(alice, bob, carol)
    client = api_as("alice")
    first = client.get("/api/v1/oneonones?limit=2").json()
    last = client.get(f"/api/v1/oneonones?limit=2&cursor={first['next']}").json()
    assert len(last["results"]) == 2 and last["next"] is None
