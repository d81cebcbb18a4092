"""Every persona crawls the app; each planted string shows to its audience and nobody else.

Done when a crawl as every persona finds no one-on-one text, private writing or survey
answer outside its audience (DESIGN.md access rules 1–3). Each persona requests every app
address that names a planted object (an outsider's guessing), then follows links from home,
submits each search form, and reads downloads; staff and the superuser also walk Django's
admin from its index.
"""

from __future__ import annotations

import pytest

from tests.privacy.crawl import Crawl
from tests.privacy.planted import PERSONAS, Planted, object_urls

pytestmark = pytest.mark.django_db


def crawl_as(client, planted: Planted, persona: str) -> Crawl:
    client.logout()
    if persona != "anonymous":
        client.force_login(planted.people[persona])
    # The health check is linked from nowhere: load balancers ask it.
    start = ["/", "/health/"] + (["/admin/"] if persona in ("stan", "admin") else [])
    return Crawl(client).run(object_urls(planted), start)


def check_persona_crawl(crawl: Crawl, planted: Planted, persona: str) -> None:
    assert crawl.problems == []
    seen = crawl.sightings(planted.audience)
    leaks = {word: urls for word, urls in seen.items() if persona not in planted.audience[word]}
    assert leaks == {}, f"{persona} read what is not theirs"
    missed = sorted(w for w, who in planted.audience.items() if persona in who and w not in seen)
    assert missed == [], f"the crawl as {persona} never reached these: nothing was proven"


@pytest.mark.parametrize("persona", PERSONAS)
def test_planted_content_shows_to_its_audience_only(planted, persona, client):
    check_persona_crawl(crawl_as(client, planted, persona), planted, persona)
