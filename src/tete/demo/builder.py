"""The demo organisation: built once in the demo's own database (see `tete demo`).

Each domain adds its part in its own module (people, one-on-ones, surveys, reports);
this module runs them in order, inside one transaction, and only when the demo is new.
"""

from __future__ import annotations

import importlib
import logging
import random

from django.db import transaction

from tete.accounts.models import Person
from tete.demo.people import DEMO_DOMAIN, DEMO_PASSWORD, LOGINS

__all__ = ["DEMO_PASSWORD", "build_demo", "demo_logins"]

# Domain builders run after the people exist, in this order; each has build(org, rng).
DOMAIN_BUILDERS = [
    "tete.demo.oneonones",
    "tete.demo.surveys",
    "tete.demo.reports",
    "tete.demo.recordings",
    "tete.demo.leaders",
]


def demo_logins() -> list[tuple[str, str]]:
    """(email, description) of the demo people worth signing in as."""
    return [(f"{local}@{DEMO_DOMAIN}", description) for local, description in LOGINS]


@transaction.atomic
def build_demo(seed: int = 7) -> bool:
    """Build the demo organisation unless it exists. Returns whether it was built now."""
    if Person.objects.filter(email__endswith="@" + DEMO_DOMAIN).exists():
        return False
    rng = random.Random(seed)
    # Analysing the demo transcripts logs every task; the banner that follows matters more.
    logging.getLogger("django_tasks").setLevel(logging.WARNING)
    from tete.demo import people

    org = people.build(rng)
    for module_name in DOMAIN_BUILDERS:
        importlib.import_module(module_name).build(org, rng)
    return True
