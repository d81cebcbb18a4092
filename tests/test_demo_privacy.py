"""A fresh demo, crawled as every persona and through the whole admin, with a unique string
planted in every kind of one-on-one content: each shows to its audience only.

tests/privacy/ runs the same crawls over the demo's people and one-on-ones alone, in seconds;
this one builds the whole demo (surveys, dozens of analysed transcripts) first.
"""

from __future__ import annotations

import pytest

from tests.privacy.planted import PERSONAS, demo_people_by_name, plant_everything
from tests.privacy.test_admin_crawl import check_admin_crawl, crawl_admin
from tests.privacy.test_persona_crawl import check_persona_crawl, crawl_as
from tete.demo.builder import build_demo


@pytest.mark.slow
def test_a_fresh_demo_shows_planted_content_to_its_audience_only(db, client):
    assert build_demo()
    planted = plant_everything(demo_people_by_name())
    for persona in PERSONAS:
        check_persona_crawl(crawl_as(client, planted, persona), planted, persona)
    check_admin_crawl(*crawl_admin(client, planted))
