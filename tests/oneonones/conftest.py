from __future__ import annotations

import importlib

import pytest
from django.apps import apps


@pytest.fixture
def question_bank(db):
    """The built-in templates from the data migration.

    Transactional tests (the browser tests' live server) flush the database afterwards, data
    migrations included, so put the bank back when an earlier test removed it.
    """
    from tete.oneonones.models import Template

    if not Template.objects.filter(owner=None).exists():
        migration = importlib.import_module("tete.oneonones.migrations.0002_builtin_templates")
        migration.add_question_bank(apps, None)
    return Template.objects.filter(owner=None)
