"""Everyone's reporting line as it is today, counted from when they joined: there is no
earlier history to read, and no leaders' view existed before to have shown anything else."""

from __future__ import annotations

from typing import Any

from django.db import migrations


def open_current_lines(apps: Any, schema_editor: Any) -> None:
    Person = apps.get_model("accounts", "Person")
    ReportingLine = apps.get_model("leaders", "ReportingLine")
    ReportingLine.objects.bulk_create(
        ReportingLine(
            person_id=pk,
            manager_id=manager_id,
            team_id=team_id,
            start_date=start_date,
            valid_from=date_joined,
        )
        for pk, manager_id, team_id, start_date, date_joined in Person.objects.values_list(
            "pk", "manager_id", "team_id", "start_date", "date_joined"
        ).iterator()
    )


class Migration(migrations.Migration):
    dependencies = [
        ("leaders", "0001_people_partners_and_reporting_lines"),
        ("accounts", "0004_person_pending_email"),
    ]

    operations = [migrations.RunPython(open_current_lines, migrations.RunPython.noop)]
