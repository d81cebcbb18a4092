"""No `__str__` carries content: Django's admin, logs and error pages print it (DESIGN.md)."""

from __future__ import annotations

import re

import pytest
from django.apps import apps

# Models whose rows are people and teams, which staff administer by name.
NAMED_MODELS = {"accounts.person", "accounts.team", "people.invitation"}
KIND_AND_ID = re.compile(r"^[A-Z][a-z -]+ #[0-9a-f-]+$")


@pytest.mark.django_db
def test_no_model_str_carries_planted_content(planted):
    seen = 0
    for model in apps.get_models():
        if not model.__module__.startswith("tete."):
            continue
        label = model._meta.label_lower
        for obj in model.objects.all()[:500]:
            text = str(obj)
            seen += 1
            assert not any(word in text.lower() for word in planted.audience), (label, text)
            if label not in NAMED_MODELS:
                assert KIND_AND_ID.match(text), (label, text)
    assert seen > 1000
