"""Who reaches what: a person's exports and log are theirs alone (404 for anyone else, staff
included); erasures started by staff are seen by staff, as ids and names, never content."""

from __future__ import annotations

import uuid

from django.http import Http404

from tete.accounts.models import Person
from tete.mydata.exports import exports_of
from tete.mydata.models import DataExport, Erasure


def get_export_for(person: Person, export_id: uuid.UUID) -> DataExport:
    export = exports_of(person).filter(pk=export_id).first()
    if export is None:
        raise Http404("No such export.")
    return export


def get_erasure_for_staff(viewer: Person, pk: int) -> Erasure:
    if not viewer.is_staff:
        raise Http404("No such erasure.")
    erasure = Erasure.objects.filter(pk=pk).first()
    if erasure is None:
        raise Http404("No such erasure.")
    return erasure
