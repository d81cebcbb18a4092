"""The day-before email: each person of a one-on-one hears that a meeting is coming, with
a link to add to its agenda.

The email says when and with whom, and how many shared talking points the agenda holds; never
what they say (mail passes through servers neither person controls). Each meeting is
reminded of once: ``Meeting.reminded_at`` is claimed before sending, so two runs at once do
not both send. People who turned reminders off in their profile, and deactivated people,
get none.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from tete.accounts.models import Person
from tete.oneonones import actions
from tete.oneonones.models import UPCOMING_STATUSES, Meeting, OneOnOne
from tete.oneonones.queries import lacking_next_meeting

logger = logging.getLogger(__name__)

#: How long before a meeting its reminder goes out (the job runs every hour or so).
AHEAD = dt.timedelta(hours=24)


def send_meeting_reminders(now: dt.datetime | None = None, ahead: dt.timedelta = AHEAD) -> int:
    """Email the people of every meeting that starts within ``ahead`` and has not been
    reminded of; returns how many emails went out."""
    now = now or timezone.now()
    # Meetings are made one at a time, by the actions that change a schedule. A one-on-one
    # left without one (rows written in bulk, an interrupted write) gets its next one here,
    # so that it is reminded of too; pages only show it as planned, since a GET never writes.
    for oneonone in OneOnOne.objects.filter(lacking_next_meeting()):
        actions.ensure_next_meeting(oneonone, now)
    due = (
        Meeting.objects.filter(
            status__in=UPCOMING_STATUSES,
            scheduled_at__gt=now,
            scheduled_at__lte=now + ahead,
            reminded_at__isnull=True,
            oneonone__ended_at__isnull=True,
        )
        .select_related("oneonone__first", "oneonone__second")
        .annotate(shared_points=Count("talking_points", filter=Q(talking_points__private=False)))
    )
    sent = 0
    for meeting in due:
        # Claim it: of two runs at once, only one gets the row.
        if not Meeting.objects.filter(pk=meeting.pk, reminded_at__isnull=True).update(
            reminded_at=now
        ):
            continue
        for person in meeting.oneonone.participants:
            if person.is_active and person.meeting_reminders:
                sent += _email(meeting, person)
    return sent


def _email(meeting: Meeting, person: Person) -> bool:
    other = meeting.oneonone.other(person)
    local = timezone.localtime(meeting.scheduled_at, person.tzinfo)
    context = {
        "person": person,
        "other": other,
        "when": local,
        "zone": person.timezone,
        "points": meeting.shared_points,  # type: ignore[attr-defined]
        "url": settings.SITE_URL + reverse("oneonones:meeting", args=[meeting.pk]),
        "profile_url": settings.SITE_URL + reverse("people:profile"),
    }
    subject = f"One-on-one with {other.name}, {local:%A} at {local:%H:%M}"
    # Templates show times in the active timezone: the recipient's.
    with timezone.override(person.tzinfo):
        body = render_to_string("oneonones/email/reminder_body.txt", context)
    try:
        send_mail(subject, body, None, [person.email])
    except OSError:
        # SMTP errors are OSErrors: one refused address does not stop the others.
        logger.exception("Could not email the meeting reminder to %s", person.email)
        return False
    return True
