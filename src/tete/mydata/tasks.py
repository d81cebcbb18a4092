"""Background tasks (Django Tasks API). Tasks take ids only: nothing private sits in a queue."""

from __future__ import annotations

from django_tasks import task


@task()
def build_data_export(export_id: str) -> str:
    """Build a person's data export; returns its status."""
    from tete.mydata.exports import build

    return build(export_id)
