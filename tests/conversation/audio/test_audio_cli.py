"""``tete analyze`` on recordings: a channel per person, --tracks, one microphone."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from typer.testing import CliRunner

from tete.conversation.cli import analyze

from .conftest import Made

app = typer.Typer()
app.command("analyze")(analyze)
app.command("noop")(lambda: None)  # two commands, so "analyze" is a subcommand as in `tete`
runner = CliRunner()


def test_stereo_gives_a_speaker_per_channel(made: Made):
    result = runner.invoke(app, ["analyze", str(made.files["stereo.wav"])])
    assert result.exit_code == 0, result.output
    # The panel's title (path · kind) is cut to the terminal's width on a long path: the
    # method, in the body, says the same.
    assert "Recording, one person per channel" in result.stdout
    assert "left" in result.stdout and "right" in result.stdout
    assert "No words in a recording" in result.stdout


def test_mono_gives_the_estimate(made: Made):
    result = runner.invoke(app, ["analyze", str(made.files["mono.wav"]), "-f", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["estimate"] is True and [s["name"] for s in data["speakers"]] == [
        "voice 1",
        "voice 2",
    ]


def test_tracks_are_named_after_their_files_unless_speakers_say(made: Made):
    files = [str(made.files["audioAliceMoreau11.m4a"]), str(made.files["bob_okafor.ogg"])]
    result = runner.invoke(app, ["analyze", "--tracks", *files, "--offsets", "0,1.5", "-f", "json"])
    assert result.exit_code == 0, result.output
    assert [s["name"] for s in json.loads(result.stdout)["speakers"]] == [
        "Alice Moreau",
        "bob okafor",
    ]
    result = runner.invoke(
        app,
        ["analyze", "--tracks", *files, "--speakers", "Alice=manager,Bob=report"],
    )
    assert result.exit_code == 0, result.output
    assert "Bob (report) talked" in result.stdout


def test_html_of_an_estimate_says_so(made: Made, tmp_path: Path):
    out = tmp_path / "report.html"
    result = runner.invoke(
        app, ["analyze", str(made.files["mono.mp3"]), "-f", "html", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    page = out.read_text()
    assert "Estimate." in page and "Who spoke when (estimate)" in page


def test_a_folder_of_recordings_and_transcripts_gives_one_row_each(made: Made, tmp_path: Path):
    import shutil

    from ..support import fixture

    shutil.copy(made.files["stereo.flac"], tmp_path / "call.flac")
    shutil.copy(fixture("zoom.vtt"), tmp_path / "zoom.vtt")
    (tmp_path / "broken.mp3").write_bytes(b"ID3 but nothing else")
    result = runner.invoke(app, ["analyze", str(tmp_path), "-o", str(tmp_path / "out.csv")])
    assert result.exit_code == 1
    assert "broken.mp3" in result.output
    rows = (tmp_path / "out.csv").read_text().splitlines()
    assert sum("call.flac" in row for row in rows) == 2
    assert sum("zoom.vtt" in row for row in rows) == 2


def test_bad_recordings_give_their_message_and_exit_non_zero(tmp_path: Path):
    empty = tmp_path / "empty.wav"
    empty.write_bytes(b"")
    result = runner.invoke(app, ["analyze", str(empty)])
    assert result.exit_code == 1
    assert "empty.wav: empty file (0 bytes)" in result.output
    result = runner.invoke(app, ["analyze", str(empty), "-f", "json"])
    assert result.exit_code == 1 and "empty file" in result.output


def test_tracks_with_a_missing_file_or_bad_offsets(made: Made, tmp_path: Path):
    real = str(made.files["stereo.wav"])
    result = runner.invoke(app, ["analyze", "--tracks", real, str(tmp_path / "gone.m4a")])
    assert result.exit_code == 1 and "gone.m4a: no such file" in result.output
    result = runner.invoke(app, ["analyze", "--tracks", real, real, "--offsets", "0,x"])
    assert result.exit_code == 2 and "expected seconds" in result.output
    result = runner.invoke(app, ["analyze", "--tracks", real])
    assert result.exit_code == 2 and "two or more recordings" in result.output
