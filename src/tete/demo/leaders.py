"""The demo's leaders' view: the organisation has looked as it does for its whole history,
and Kofi is people partner for Product.

Reporting lines start when a person is added (tete/leaders/signals.py), so a demo built
today would have no past month to show: its lines are dated back to the start of its
history. Maya (head of engineering) then reads her organisation — Alice's and Frank's
people — by month and quarter, with a tenure break-down partly hidden (too few joined in
the last year).
"""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from tete.demo.oneonones import HISTORY_DAYS
from tete.demo.people import DemoOrg
from tete.leaders.models import PeoplePartner, ReportingLine, TeamGrant


def build(org: DemoOrg, rng: random.Random) -> None:
    since = timezone.now() - dt.timedelta(days=HISTORY_DAYS + 1)
    people = [person.pk for person in org.people.values()]
    ReportingLine.objects.filter(person_id__in=people, valid_to__isnull=True).update(
        valid_from=since
    )
    kofi = org.people["kofi"]
    PeoplePartner.objects.create(person=kofi).teams.add(org.teams["Product"])
    TeamGrant.objects.filter(person_id=kofi.pk).update(granted_at=since)
