from __future__ import annotations

from django import template

from tete.accounts.models import Person
from tete.mydata.models import Erasure

register = template.Library()


@register.simple_tag
def erasure_of(person: Person) -> Erasure | None:
    """The erasure carried out on `person`'s data, if any (staff pages: no reactivating)."""
    return Erasure.objects.filter(person_id_erased=person.pk, erased_at__isnull=False).first()
