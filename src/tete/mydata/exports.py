"""Asking for a copy of one's data, and building it in the background."""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from tete.accounts.models import Person
from tete.mydata import access_log
from tete.mydata.export import build_zip
from tete.mydata.models import DataExport, EventKind, ExportStatus
from tete.oneonones.access import oneonones_of

logger = logging.getLogger(__name__)


def exports_of(person: Person) -> QuerySet[DataExport]:
    """A person's own exports, without their content (which only the download reads)."""
    return DataExport.objects.filter(person=person).defer("content")


#: A copy still unfinished this long after it was asked for was lost (a worker stopped): it
#: is marked failed, so that asking again makes a new one instead of waiting for it forever.
LOST_AFTER = dt.timedelta(hours=1)


def request_export(person: Person) -> DataExport:
    """Queue an export of `person`'s data; one already on its way is returned instead."""
    with transaction.atomic():
        unfinished = exports_of(person).filter(
            status__in=[ExportStatus.QUEUED, ExportStatus.BUILDING]
        )
        unfinished.filter(requested_at__lt=timezone.now() - LOST_AFTER).update(
            status=ExportStatus.FAILED, finished_at=timezone.now()
        )
        pending = unfinished.first()
        if pending is not None:
            return pending
        export = DataExport.objects.create(person=person)
        access_log.record(person, EventKind.DATA_EXPORTED)
        transaction.on_commit(lambda: _enqueue(export))
    return export


def _enqueue(export: DataExport) -> None:
    from tete.mydata.tasks import build_data_export

    build_data_export.enqueue(str(export.pk))


def _set_progress(export_id: str, percent: int) -> None:
    DataExport.objects.filter(pk=export_id).update(progress=percent)


def build(export_id: str) -> str:
    """Build the zip; the other participants' logs say that their shared history left."""
    export = DataExport.objects.select_related("person").filter(pk=export_id).first()
    if export is None or export.status not in (ExportStatus.QUEUED, ExportStatus.BUILDING):
        return "gone" if export is None else export.status
    DataExport.objects.filter(pk=export.pk).update(status=ExportStatus.BUILDING, progress=5)
    person = export.person
    try:
        content = build_zip(person, lambda percent: _set_progress(export_id, percent))
    except Exception:
        logger.exception("Data export %s failed", export_id)
        DataExport.objects.filter(pk=export.pk).update(
            status=ExportStatus.FAILED, finished_at=timezone.now()
        )
        return ExportStatus.FAILED
    now = timezone.now()
    with transaction.atomic():
        DataExport.objects.filter(pk=export.pk).update(
            status=ExportStatus.READY,
            progress=100,
            content=content,
            size_bytes=len(content),
            finished_at=now,
            expires_at=now + dt.timedelta(hours=settings.TETE_EXPORT_HOURS),
        )
        for oneonone in oneonones_of(person).select_related("first", "second"):
            access_log.record(
                oneonone.other(person),
                EventKind.HISTORY_DOWNLOADED,
                actor=person,
                detail={"name": person.name, "what": "in a copy of their data"},
            )
    return ExportStatus.READY


def prune_expired(now: dt.datetime | None = None) -> int:
    """Drop the content of exports past their link's end; returns how many."""
    return (
        DataExport.objects.filter(expires_at__lt=now or timezone.now())
        .exclude(content=None)
        .update(content=None)
    )


def content_of(export: DataExport) -> bytes | None:
    """The zip itself (the lists leave it out); None once pruned."""
    content = DataExport.objects.filter(pk=export.pk).values_list("content", flat=True).first()
    return bytes(content) if content is not None else None
