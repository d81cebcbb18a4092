from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import typer
from typer.testing import CliRunner

from tete.conversation.cli import analyze

from .support import fixture

app = typer.Typer()
app.command("analyze")(analyze)
app.command("noop")(lambda: None)  # two commands, so "analyze" is a subcommand as in `tete`
runner = CliRunner()


def test_text_report_shows_shares_and_the_verdict():
    result = runner.invoke(
        app,
        [
            "analyze",
            str(fixture("teams.vtt")),
            "--speakers",
            "Alice Moreau=manager,Bob Okafor=report",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "Bob Okafor" in result.output
    assert "(report) talked" in result.output


def test_one_file_shows_the_balance_first_then_what_was_said():
    result = runner.invoke(app, ["analyze", str(fixture("teams.vtt"))])
    assert result.exit_code == 0, result.output
    out = result.stdout
    # The balance panel is printed before text analysis starts, so it comes first.
    assert out.index("Balanced:") < out.index("What was said") < out.index("keywords:")
    assert "Bob Okafor: send you the incident notes (by Friday)" in out
    assert "tone: Alice Moreau positive" in out


def test_one_unreadable_file_gives_its_error_and_exits_non_zero(tmp_path: Path):
    broken = tmp_path / "broken.vtt"
    broken.write_text("this is not a transcript")
    result = runner.invoke(app, ["analyze", str(broken)])
    assert result.exit_code == 1
    assert "broken.vtt, line 1" in result.output
    assert "conversations" not in result.output  # no empty summary table


def test_text_to_a_file_holds_the_whole_report(tmp_path: Path):
    out = tmp_path / "report.txt"
    result = runner.invoke(app, ["analyze", str(fixture("teams.vtt")), "-o", str(out)])
    assert result.exit_code == 0, result.output
    text = out.read_text()
    assert "Balanced:" in text and "suggested action items:" in text


def test_json_output_is_the_contract_with_text_analysis():
    result = runner.invoke(app, ["analyze", str(fixture("zoom.vtt")), "--format", "json"])
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["format"] == "webvtt"
    assert [s["name"] for s in data["speakers"]] == ["Alice Moreau", "Bob Okafor"]
    assert "keywords" in data and "suggested_action_items" in data


def test_html_output_is_one_offline_page(tmp_path: Path):
    out = tmp_path / "report.html"
    result = runner.invoke(
        app, ["analyze", str(fixture("teams.vtt")), "-f", "html", "-o", str(out)]
    )
    assert result.exit_code == 0
    page = out.read_text()
    assert page.startswith("<!doctype html>")
    assert "who spoke when" in page and "<svg" in page and "longest monologue" in page
    assert "http://" not in page.replace("http://www.w3.org", "") and "https://" not in page
    assert "<script" not in page and "<link" not in page


def test_a_folder_gives_a_summary_and_csv_and_a_bad_file_exits_non_zero(tmp_path: Path):
    for name in ("teams.vtt", "zoom.vtt", "meeting.srt", "otter.txt"):
        shutil.copy(fixture(name), tmp_path / name)
    (tmp_path / "broken.vtt").write_text("this is not a transcript")
    out = tmp_path / "summary.csv"
    result = runner.invoke(app, ["analyze", str(tmp_path), "-o", str(out)])
    assert result.exit_code == 1
    assert "broken.vtt, line 1" in result.output
    rows = list(csv.DictReader(io.StringIO(out.read_text())))
    assert len([r for r in rows if r["speaker"]]) == 8
    assert any("broken.vtt" in r["error"] for r in rows)


def test_csv_cells_cannot_become_formulas(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    shutil.copy(fixture("zoom.vtt"), tmp_path / "=HYPERLINK(1).vtt")
    shutil.copy(fixture("plain.txt"), tmp_path / "b.txt")
    runner.invoke(app, ["analyze", "=HYPERLINK(1).vtt", "b.txt", "-o", "s.csv"])
    rows = list(csv.reader(io.StringIO((tmp_path / "s.csv").read_text())))
    assert rows[1][0] == "'=HYPERLINK(1).vtt"


def test_json_for_several_files_is_a_list():
    result = runner.invoke(
        app, ["analyze", str(fixture("zoom.vtt")), str(fixture("meeting.srt")), "-f", "json"]
    )
    assert result.exit_code == 0
    assert [d["format"] for d in json.loads(result.stdout)] == ["webvtt", "srt"]


def test_a_malformed_speakers_option_is_a_usage_error():
    result = runner.invoke(app, ["analyze", str(fixture("zoom.vtt")), "--speakers", "Alice"])
    assert result.exit_code == 2


def test_importing_the_cli_does_not_load_text_analysis():
    code = "import sys, tete.conversation.cli; print(any(m.startswith(('yake', 'vaderSentiment')) for m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_without_the_report_named_the_command_line_says_which_option_gives_it():
    result = runner.invoke(
        app, ["analyze", str(fixture("teams.vtt")), "--speakers", "Alice Moreau=manager"]
    )
    assert result.exit_code == 0, result.output
    # The panel wraps long lines: read it as one line of words.
    words = " ".join(result.output.replace("│", " ").split())
    assert "Not checked: say which speaker is the report." in words
    assert "Give it with --speakers 'Name=report'." in words
