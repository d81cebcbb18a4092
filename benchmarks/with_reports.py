"""A copy of a generated organisation in which every third held meeting was analysed.

`tete manage generate_org` makes no transcripts, so the pages' report sections and the
talk-balance flags read nothing there. This copies a generated database (`CREATE DATABASE …
TEMPLATE`, the source left as it is) into `<name>_reports` and gives every third held meeting
a done transcript and its conversation report, by SQL, for benchmarks/scale.py to measure
(docs/deploy.md, "At scale"):

    uv run python benchmarks/with_reports.py postgres://postgres@127.0.0.1:5432/tete_bench_org

Prints JSON: the copy's URL and how many reports it holds. An existing copy is made anew.
"""

from __future__ import annotations

import json
import sys

import psycopg

TRANSCRIPTS = """
INSERT INTO reports_transcript (filename, format, size_bytes, sha256, content, status,
    failure_reason, attempts, uploaded_at, started_at, finished_at, meeting_id, uploaded_by_id)
SELECT 'meeting.vtt', 'vtt', 1000, md5(m.id::text) || md5(m.id::text), NULL, 'done', '', 1,
    m.scheduled_at, m.scheduled_at, m.scheduled_at, m.id, o.first_id
FROM oneonones_meeting m JOIN oneonones_oneonone o ON o.id = m.oneonone_id
WHERE m.status = 'held' AND m.id % 3 = 0
"""
REPORTS = """
INSERT INTO reports_conversationreport (data, speaker_people, mapping_confirmed, balance_status,
    duration_s, first_share, second_share, first_interruptions, second_interruptions,
    first_questions, second_questions, created_at, updated_at, meeting_id, oneonone_id,
    transcript_id)
SELECT '{"source_kind": "transcript"}'::jsonb, '{}'::jsonb, true, 'balanced', 1800, 0.55, 0.45,
    2, 1, 5, 4, t.finished_at, t.finished_at, t.meeting_id, m.oneonone_id, t.id
FROM reports_transcript t JOIN oneonones_meeting m ON m.id = t.meeting_id
"""


def main() -> None:
    source_url = sys.argv[1]
    base, source = source_url.rsplit("/", 1)
    copy = f"{source}_reports"
    with psycopg.connect(base + "/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{copy}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{copy}" TEMPLATE "{source}"')
    with psycopg.connect(f"{base}/{copy}") as db:
        db.execute(TRANSCRIPTS)
        db.execute(REPORTS)
        db.commit()
        db.autocommit = True
        db.execute("ANALYZE")
        (reports,) = db.execute("SELECT count(*) FROM reports_conversationreport").fetchone()  # type: ignore[misc]
    print(json.dumps({"database": f"{base}/{copy}", "reports": reports}))


if __name__ == "__main__":
    main()
