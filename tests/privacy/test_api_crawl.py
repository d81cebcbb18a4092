"""Every persona asks the REST API for every planted object with a token of their own; each
planted string shows to its audience and nobody else, as on the pages (DESIGN.md rules 1–3).

Tokens are made and the requests sent inside a transaction that is rolled back, so the
shared planted organisation stays as it was.
"""

from __future__ import annotations

import re

import pytest
from django.db import transaction
from django.test import Client
from django.urls import get_resolver

from tests.privacy.planted import PERSONAS, Planted
from tests.test_url_access import walk
from tete.api.actions import create_token
from tete.oneonones.models import ActionItem, Meeting, OneOnOne, TalkingPoint
from tete.recordings.models import Recording
from tete.reports.models import Transcript
from tete.surveys.models import Survey

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

PARAMETER_OBJECTS = {
    "oneonone_id": OneOnOne,
    "meeting_id": Meeting,
    "item_id": ActionItem,
    "point_id": TalkingPoint,
    "transcript_id": Transcript,
    "survey_id": Survey,
    "recording_id": Recording,
}


def api_get_urls(planted: Planted) -> list[str]:
    """Every API address, with every planted object id its parameter can take."""
    urls = []
    for route, namespace, _ in walk(get_resolver().url_patterns):
        if namespace != "api-v1" or "openapi" in route or "docs" in route:
            continue
        names = re.findall(r"<(\w+)>", route)
        if not names:
            urls.append("/" + route)
            continue
        model = PARAMETER_OBJECTS[names[0]]
        ids = [o.pk for o in planted.objects if isinstance(o, model)]
        ids += list(model.objects.values_list("pk", flat=True)[:50])
        urls += ["/" + route.replace(f"<{names[0]}>", str(pk)) for pk in sorted(set(ids))]
    return urls


def read_as(planted: Planted, persona: str, urls: list[str]) -> dict[str, str]:
    client = Client()
    headers = {}
    if persona != "anonymous":
        secret = create_token(planted.people[persona], name="crawl").secret
        headers = {"Authorization": f"Bearer {secret}"}
    bodies = {}
    for url in urls:
        response = client.get(url + "?limit=200" if "?" not in url else url, headers=headers)
        assert response.status_code < 500, url
        bodies[url] = response.content.decode()
    return bodies


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_api_shows_planted_content_to_its_audience_only(planted, persona, settings):
    urls = api_get_urls(planted)
    # Room for the crawl and no more.
    limit = {"api_requests": (len(urls) + 5, 60)}
    settings.TETE_RATE_LIMITS = {**settings.TETE_RATE_LIMITS, **limit}
    assert len(urls) > 20
    with transaction.atomic():
        bodies = read_as(planted, persona, urls)
        transaction.set_rollback(True)
    leaks = {
        word: [url for url, body in bodies.items() if word in body]
        for word, audience in planted.audience.items()
        if persona not in audience
    }
    assert {word: found for word, found in leaks.items() if found} == {}
    if persona in ("alice", "bob"):
        # Not a vacuous pass: the pair reads its own one-on-one's planted content.
        seen = [
            w
            for w, who in planted.audience.items()
            if persona in who and any(w in body for body in bodies.values())
        ]
        assert len(seen) >= 3
