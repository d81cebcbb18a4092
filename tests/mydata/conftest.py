from __future__ import annotations

import io
import json
import zipfile

import pytest

from tete.mydata import exports
from tete.mydata.models import DataExport


def build_export(person) -> DataExport:
    """An export of `person`'s data, built here (its task runs on commit, which tests skip)."""
    export = exports.request_export(person)
    exports.build(str(export.pk))
    return DataExport.objects.get(pk=export.pk)


def export_files(export: DataExport) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(bytes(export.content))) as archive:
        return {name: archive.read(name).decode() for name in archive.namelist()}


def export_json(export: DataExport) -> dict:
    return json.loads(export_files(export)["data.json"])


@pytest.fixture
def alice_export(alice, oneonone):
    return build_export(alice)
