"""What the leaders' view counts: each figure over a small organisation whose meetings are
known, for a month and for its quarter, on the page and in the CSV."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.test import override_settings
from django.utils import timezone

from tests.leaders.attack import read_everything
from tests.leaders.org import build_org, latest_quarter, meet, pair_of
from tete.accounts.models import Team
from tete.leaders.models import ReportingLine
from tete.oneonones.models import Meeting, MeetingStatus, TalkingPoint

pytestmark = pytest.mark.django_db


@pytest.fixture
def org():
    """maya leads alice, who manages p0–p4; their meetings in the quarter's last month (M3):
    p0 held on the 5th and 20th, both prepared for the 20th; p1 held on the 5th (and the 25th
    of M2); p2 cancelled twice; p3 cancelled on the 5th, held on the 20th (and the 20th of
    M2); p4 none."""
    spec = {"maya": (None, "Lead", 9.0), "alice": ("maya", "Platform", 5.0)}
    spec.update({f"p{i}": ("alice", "Platform", 2.0) for i in range(5)})
    people = build_org(spec)
    m2, m3 = latest_quarter()[1:]
    alice = people["alice"]
    meet(alice, people["p0"], [m3], days=(5, 20))
    meet(alice, people["p1"], [m2], days=(25,))
    meet(alice, people["p1"], [m3], days=(5,))
    meet(alice, people["p2"], [m3], days=(5, 20), status=MeetingStatus.CANCELLED)
    meet(alice, people["p3"], [m2], days=(20,))
    meet(alice, people["p3"], [m3], days=(5,), status=MeetingStatus.CANCELLED)
    meet(alice, people["p3"], [m3], days=(20,))
    prepared = Meeting.objects.get(oneonone=pair_of(alice, people["p0"]), scheduled_at__day=20)
    for author in (alice, people["p0"]):
        TalkingPoint.objects.create(meeting=prepared, author=author, text="x", position=0)
    return people


def _expected_median_gap() -> str:
    m2, m3 = latest_quarter()[1:]
    day = lambda m, d: dt.datetime(m.year, m.month, d, 10, tzinfo=dt.UTC)  # noqa: E731
    gaps = sorted(
        [
            (day(m3, 20) - day(m3, 5)).days,  # p0
            (day(m3, 5) - day(m2, 25)).days,  # p1
            (day(m3, 20) - day(m2, 20)).days,  # p3
        ]
    )
    return str(gaps[1])


@override_settings(TETE_MIN_GROUP_SIZE=3)
def test_each_figure_counts_what_it_says(client_for, org):
    m3 = latest_quarter()[2]
    month = f"{m3.year}-{m3.month:02d}"
    readings = read_everything(client_for(org["maya"]), [month])
    total = next(r for r in readings if r.row == "org")
    assert total.people == 5
    coverage, gap, cancelled, prepared, talk, checkins = total.figures
    assert coverage == "60%"  # p0, p1, p3
    assert gap == _expected_median_gap()
    assert cancelled == "43%"  # 3 of 7
    assert prepared == "25%"  # 1 of 4 held
    assert talk is None and checkins is None  # nobody analysed, no check-ins: hidden


@override_settings(TETE_MIN_GROUP_SIZE=3)
def test_a_quarters_coverage_is_its_last_months(client_for, org):
    quarter = next(
        r for r in read_everything(client_for(org["maya"])) if r.row == "org" and "Q" in r.period
    )
    assert quarter.figures[0] == "60%"
    assert quarter.people == 5


def test_five_people_show_at_the_default_minimum_and_four_do_not(client_for, org):
    m3 = latest_quarter()[2]
    month = f"{m3.year}-{m3.month:02d}"
    total = next(r for r in read_everything(client_for(org["maya"]), [month]) if r.row == "org")
    assert total.people == 5 and total.figures[0] == "60%"
    # Only four had a held or cancelled meeting: fewer than five, so hidden.
    assert total.figures[2] is None
    # p4 leaves alice before that month: four people, nothing shows.
    line = ReportingLine.objects.get(person_id=org["p4"].pk, valid_to__isnull=True)
    ReportingLine.objects.filter(pk=line.pk).update(valid_to=m3.start)
    ReportingLine.objects.create(person_id=org["p4"].pk, valid_from=m3.start)
    assert not [r for r in read_everything(client_for(org["maya"]), [month])]


@override_settings(TETE_MIN_GROUP_SIZE=3)
def test_the_csv_escapes_what_a_spreadsheet_would_run(client_for, org):
    Team.objects.filter(name="Platform").update(name="=HYPERLINK(1)")
    m3 = latest_quarter()[2]
    body = (
        client_for(org["maya"])
        .get("/leaders/export.csv", {"period": f"{m3.year}-{m3.month:02d}"})
        .content.decode()
    )
    cells = [cell for row in csv.reader(io.StringIO(body)) for cell in row]
    assert "'=HYPERLINK(1)" in cells and "=HYPERLINK(1)" not in cells


def test_a_month_under_way_is_never_offered(client_for, org):
    now = timezone.now()
    page = client_for(org["maya"]).get("/leaders/").content.decode()
    assert f'value="{now.year}-{now.month:02d}"' not in page
