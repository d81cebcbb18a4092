"""Build an organisation with a past for the leaders' view: people whose reporting lines
date back before the months read, and one-on-ones held in those months."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

from django.utils import timezone

from tests.conftest import PASSWORD
from tete.accounts.models import Person, Team
from tete.leaders.models import ReportingLine
from tete.leaders.periods import Month, offered_periods
from tete.oneonones.models import Kind, Meeting, MeetingStatus, OneOnOne

#: How long ago the organisation took its shape: before every period offered.
SINCE = dt.timedelta(days=500)


def latest_month() -> Month:
    return offered_periods()[0].months[0]


def latest_quarter() -> tuple[Month, ...]:
    return next(p for p in offered_periods() if p.is_quarter).months


def build_org(spec: Mapping[str, tuple[str | None, str | None, float | None]]) -> dict[str, Person]:
    """People by name: (manager's name, team's name, years since they started), in an order
    where managers come first. Their lines are backdated to before every period."""
    people: dict[str, Person] = {}
    today = timezone.localdate()
    for name, (manager, team, years) in spec.items():
        people[name] = Person.objects.create_user(
            f"{name}@example.com",
            PASSWORD,
            name=name.title(),
            manager=people[manager] if manager else None,
            team=Team.objects.get_or_create(name=team)[0] if team else None,
            start_date=None if years is None else today - dt.timedelta(days=round(365.25 * years)),
        )
    backdate()
    return people


def backdate(since: dt.timedelta = SINCE) -> None:
    ReportingLine.objects.filter(valid_to__isnull=True).update(valid_from=timezone.now() - since)


def pair_of(manager: Person, report: Person) -> OneOnOne:
    existing = OneOnOne.objects.filter(first=manager, second=report).first()
    return existing or OneOnOne.objects.create(
        first=manager,
        second=report,
        kind=Kind.MANAGER_REPORT,
        focus_person=report,
        created_by=manager,
        starts_on=(timezone.now() - SINCE).date(),
    )


def meet(
    manager: Person,
    report: Person,
    months: Iterable[Month],
    days: Iterable[int] = (5, 20),
    status: str = MeetingStatus.HELD,
) -> OneOnOne:
    """Meetings of the pair on these days of each month."""
    oneonone = pair_of(manager, report)
    Meeting.objects.bulk_create(
        Meeting(
            oneonone=oneonone,
            scheduled_at=dt.datetime(m.year, m.month, day, 10, tzinfo=dt.UTC),
            status=status,
        )
        for m in months
        for day in days
    )
    return oneonone


def everyone_meets(people: Mapping[str, Person], months: Iterable[Month]) -> None:
    months = list(months)
    for person in people.values():
        if person.manager_id:
            meet(person.manager, person, months)  # type: ignore[arg-type]
