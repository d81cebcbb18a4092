"""The demo organisation has a running pulse, a coach's public form and check-ins to explore."""

from __future__ import annotations

import random

from django.urls import reverse

from tete.demo import oneonones as demo_oneonones
from tete.demo import people as demo_people
from tete.demo import surveys as demo_surveys
from tete.surveys import results
from tete.surveys.models import Response, Survey


def test_the_demo_has_surveys_with_results_above_the_thresholds(db, client):
    rng = random.Random(7)
    org = demo_people.build(rng)
    demo_oneonones.build(org, rng)
    demo_surveys.build(org, rng)

    pulse = Survey.objects.get(title="Platform weekly pulse")
    assert pulse.status == Survey.Status.OPEN and pulse.rounds.count() >= 5
    last_full = pulse.rounds.order_by("-number")[1]
    shown = results.build(pulse, last_full.number, None)
    assert shown.shown and any(q.comments for q in shown.questions)
    assert shown.rising or shown.falling
    assert not Response.objects.filter(round__survey=pulse, respondent__isnull=False).exists()

    # The engagement survey has closed: its results show, by team.
    engagement = Survey.objects.get(title="Quarterly engagement")
    shown = results.build(engagement, None, None)
    assert shown.shown and shown.groups and len(shown.comparison) > 1

    coaching = Survey.objects.get(owner=org.people["kofi"])
    assert coaching.is_public
    assert results.build(coaching, None, None).shown

    assert Survey.objects.filter(kind=Survey.Kind.CHECKIN).count() >= 2
    assert Response.objects.filter(round__survey__kind=Survey.Kind.CHECKIN).count() >= 10

    client.force_login(org.people["alice"])
    page = client.get(reverse("surveys:results", args=[pulse.pk]))
    assert page.status_code == 200
