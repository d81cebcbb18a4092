"""One planted organisation for this package: building it takes a few seconds, and the tests
here only read it (a GET never writes; what a test writes is rolled back after it), so they
share it, and it is rolled back once they have all run."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.test import override_settings

from tests.privacy.planted import demo_people_and_oneonones, plant_everything

QUICK = {
    "PASSWORD_HASHERS": ["django.contrib.auth.hashers.MD5PasswordHasher"],
    "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    "TASKS": {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}},
}


@pytest.fixture(scope="package")
def planted(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), override_settings(**QUICK), transaction.atomic():
        yield plant_everything(demo_people_and_oneonones())
        transaction.set_rollback(True)
