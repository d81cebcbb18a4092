"""``tete analyze``: conversation reports for transcripts and recordings, no Django, no
database.

Importing this module is cheap (every ``tete`` command imports it); the readers, metrics and
text analysis load when the command runs.
"""

from __future__ import annotations

import csv
import io
import json
import os
import sys
from collections.abc import Callable, Iterable, Sequence
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from .audio.names import AUDIO_SUFFIXES, is_recording

if TYPE_CHECKING:
    from .report import Report

#: File name endings read when a folder is given.
TRANSCRIPT_SUFFIXES = frozenset({".vtt", ".srt", ".txt", ".json", ".docx"})
#: Files per task sent to a worker process: fewer round trips than one file per task.
BATCH_SIZE = 8


class OutputFormat(StrEnum):
    text = "text"
    json = "json"
    html = "html"


def analyze(
    paths: Annotated[
        list[Path],
        typer.Argument(
            help="Transcripts, recordings (wav, flac, mp3, m4a, ogg, opus, webm) or folders.",
            show_default=False,
        ),
    ],
    format: Annotated[
        OutputFormat, typer.Option("--format", "-f", help="text, json (the contract) or html.")
    ] = OutputFormat.text,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write here instead of the terminal; .csv: a summary."),
    ] = None,
    speakers: Annotated[
        str | None,
        typer.Option(
            help="Roles for the balance verdict: 'Alice Smith=manager,Bob Jones=report'. "
            "For a recording, names in order of its channels, tracks or voices: 'Alice,Bob' "
            "or 'Alice=manager,Bob=report'."
        ),
    ] = None,
    tracks: Annotated[
        bool,
        typer.Option(
            "--tracks",
            help="The files are one conversation, one recording per person, each named "
            "after its file unless --speakers says otherwise.",
        ),
    ] = False,
    offsets: Annotated[
        str | None,
        typer.Option(
            help="With --tracks: when each file starts in the conversation, in seconds ('0,1.5').",
        ),
    ] = None,
) -> None:
    """Conversation report for transcripts or recordings: balance, turns, interruptions."""
    from rich.console import Console

    err = Console(stderr=True)
    if tracks or offsets is not None:
        _analyze_tracks(paths, speakers, offsets, format, output, err)
        return
    files, failures = expand(paths)
    audio = any(is_recording(file) for file in files)
    names = parse_names(speakers) if audio and speakers else []
    roles = roles_of(names) if names else parse_roles(speakers)
    if len(files) == 1 and not failures and format is OutputFormat.text and output is None:
        _print_one(str(files[0]), roles, err, [name for name, _ in names])
        return
    if len(files) == 1 and not failures and is_recording(files[0]):
        outcome = _read_recording_with_progress(str(files[0]), [n for n, _ in names], err)
        reports = [] if isinstance(outcome, str) else [_analyze_recording(outcome, roles)]
        failures = [outcome] if isinstance(outcome, str) else []
        for failure in failures:
            _print_error(err, failure)
        _write(reports, failures, format, output, single=len(paths) == 1)
        if failures:
            raise typer.Exit(code=1)
        return
    # Text analysis is slower; a batch of files in the terminal only needs the core metrics.
    text_analysis = len(files) == 1 or format is not OutputFormat.text
    keep_segments = format is not OutputFormat.text or len(files) == 1
    if len(files) == 1 and not failures:
        outcomes = [analyze_file(str(files[0]), text_analysis, roles, keep_segments)]
    else:
        outcomes = analyze_files([str(f) for f in files], text_analysis, roles, keep_segments, err)
    reports = [outcome for outcome in outcomes if not isinstance(outcome, str)]
    failures += [outcome for outcome in outcomes if isinstance(outcome, str)]
    for failure in failures:
        _print_error(err, failure)
    _write(reports, failures, format, output, single=len(paths) == 1 and len(files) == 1)
    if failures:
        raise typer.Exit(code=1)


def _analyze_tracks(
    paths: list[Path],
    speakers: str | None,
    offsets: str | None,
    format: OutputFormat,
    output: Path | None,
    err: Any,
) -> None:
    """``--tracks``: the files are one conversation, a recording per person."""
    from .audio import AudioError, read_tracks

    if len(paths) < 2 and offsets is None:
        raise typer.BadParameter(
            "give two or more recordings, one per person", param_hint="--tracks"
        )
    names = parse_names(speakers)
    starts = parse_offsets(offsets, len(paths))
    missing = [f"{path}: no such file" for path in paths if not path.is_file()]
    if missing:
        for failure in missing:
            _print_error(err, failure)
        raise typer.Exit(code=1)
    try:
        with _RecordingProgress(err) as advance:
            transcript = read_tracks(
                [str(p) for p in paths],
                offsets=starts,
                speakers=[name for name, _ in names],
                progress=advance,
            )
    except AudioError as error:
        _print_error(err, str(error))
        raise typer.Exit(code=1) from None
    report = _analyze_recording(transcript, roles_of(names))
    _write([report], [], format, output, single=True)


def _analyze_recording(transcript: Any, roles: dict[str, str]) -> Report:
    from . import analyze

    return analyze(transcript, roles=roles)


def _read_recording_with_progress(path: str, names: list[str], err: Any) -> Any:
    """The transcript of a recording, with a progress bar; or the error message."""
    from .audio import AudioError, read_recording

    try:
        with _RecordingProgress(err) as advance:
            return read_recording(path, speakers=names, progress=advance)
    except AudioError as error:
        return str(error)


class _RecordingProgress:
    """A progress bar for one recording on the terminal (gone once done)."""

    def __init__(self, console: Any) -> None:
        self.console = console

    def __enter__(self) -> Callable[[float, str], None]:
        from rich.progress import (
            BarColumn,
            Progress,
            TaskProgressColumn,
            TextColumn,
            TimeRemainingColumn,
        )

        self.bar = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            TaskProgressColumn(),
            TimeRemainingColumn(),
            console=self.console,
            transient=True,
        )
        self.bar.start()
        task = self.bar.add_task("decoding", total=1.0)

        def advance(done: float, stage: str) -> None:
            self.bar.update(task, completed=done, description=stage)

        return advance

    def __exit__(self, *exc_info: object) -> None:
        self.bar.stop()


def _print_one(path: str, roles: dict[str, str], err: object, names: list[str]) -> None:
    """One file in the terminal: the balance and metrics as soon as they are known (a few
    milliseconds after reading), then what text analysis finds (about a second more)."""
    from rich.console import Console

    from . import TranscriptError, analyze, read
    from .render_text import balance_panel, text_analysis_panel

    assert isinstance(err, Console)
    if is_recording(path):
        outcome = _read_recording_with_progress(path, names, err)
        if isinstance(outcome, str):
            _print_error(err, outcome)
            raise typer.Exit(code=1)
        Console().print(balance_panel(analyze(outcome, roles=roles)))
        return
    try:
        transcript = read(path)
    except TranscriptError as error:
        _print_error(err, str(error))
        raise typer.Exit(code=1) from None
    console = Console()
    console.print(balance_panel(analyze(transcript, roles=roles)))
    with err.status("Reading what was said…", spinner="dots"):
        report = analyze(transcript, text_analysis=True, roles=roles)
    console.print(text_analysis_panel(report))


def _print_error(err: Any, message: str) -> None:
    err.print(f"[red]error:[/red] {message}", highlight=False, markup=True, soft_wrap=True)


def parse_names(speakers: str | None) -> list[tuple[str, str | None]]:
    """``'Alice,Bob=report'`` to ``[("Alice", None), ("Bob", "report")]``: the people of a
    recording in order of its channels, tracks or voices, each with a role or not."""
    names: list[tuple[str, str | None]] = []
    if not speakers:
        return names
    for item in speakers.split(","):
        name, sep, role = item.partition("=")
        if not name.strip() or (sep and not role.strip()):
            raise typer.BadParameter(
                f"expected Name or Name=role, got {item.strip()!r}", param_hint="--speakers"
            )
        names.append((name.strip(), role.strip().lower() if sep else None))
    return names


def roles_of(names: list[tuple[str, str | None]]) -> dict[str, str]:
    return {name: role for name, role in names if role}


def parse_offsets(offsets: str | None, count: int) -> list[float] | None:
    """``'0,1.5'`` to ``[0.0, 1.5]``, one per track."""
    if offsets is None:
        return None
    try:
        values = [float(item) for item in offsets.split(",")]
    except ValueError:
        raise typer.BadParameter(
            f"expected seconds separated by commas, got {offsets!r}", param_hint="--offsets"
        ) from None
    if len(values) != count:
        raise typer.BadParameter(f"{len(values)} offsets for {count} files", param_hint="--offsets")
    return values


def parse_roles(speakers: str | None) -> dict[str, str]:
    """``'Alice Smith=manager,Bob Jones=report'`` to ``{"Alice Smith": "manager", …}``."""
    roles: dict[str, str] = {}
    for item in (speakers or "").split(","):
        if not item.strip():
            continue
        name, sep, role = item.partition("=")
        if not sep or not name.strip() or not role.strip():
            raise typer.BadParameter(
                f"expected Name=role, got {item.strip()!r}", param_hint="--speakers"
            )
        roles[name.strip()] = role.strip().lower()
    return roles


def expand(paths: Iterable[Path]) -> tuple[list[Path], list[str]]:
    """Files to read: files as given, folders searched for transcript files."""
    files: list[Path] = []
    failures: list[str] = []
    for path in paths:
        if path.is_dir():
            files += sorted(
                p
                for p in path.rglob("*")
                if (p.suffix.lower() in TRANSCRIPT_SUFFIXES or p.suffix.lower() in AUDIO_SUFFIXES)
                and p.is_file()
                # hidden folders (.git, .venv) hold no transcripts
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
        elif path.exists():
            files.append(path)
        else:
            failures.append(f"{path}: no such file or folder")
    return files, failures


def analyze_file(
    path: str, text_analysis: bool, roles: dict[str, str], keep_segments: bool = True
) -> Report | str:
    """A report for one file, or the error message saying why it could not be read."""
    from dataclasses import replace

    from . import TranscriptError, analyze, read

    try:
        if is_recording(path):
            from .audio import read_recording

            transcript = read_recording(path)
        else:
            transcript = read(path)
        report = analyze(transcript, text_analysis=text_analysis, roles=roles)
    except TranscriptError as error:
        return str(error)
    return report if keep_segments else replace(report, segments=())


def _analyze_batch(
    paths: list[str], text_analysis: bool, roles: dict[str, str], keep_segments: bool
) -> list[Report | str]:
    return [analyze_file(path, text_analysis, roles, keep_segments) for path in paths]


def analyze_files(
    paths: Sequence[str],
    text_analysis: bool,
    roles: dict[str, str],
    keep_segments: bool,
    console: object | None = None,
    workers: int | None = None,
) -> list[Report | str]:
    """Reports for many files on all cores, in the order given, with a progress bar."""
    from concurrent.futures import ProcessPoolExecutor, as_completed
    from multiprocessing import get_all_start_methods, get_context

    from rich.console import Console
    from rich.progress import Progress

    results: list[Report | str | None] = [None] * len(paths)
    batches = [
        list(range(i, min(i + BATCH_SIZE, len(paths)))) for i in range(0, len(paths), BATCH_SIZE)
    ]
    workers = max(1, min(workers or os.cpu_count() or 1, len(batches)))
    # Fork where there is fork: workers start at once, without re-importing the caller's
    # main module. All batches are submitted, so all workers forked, before the progress
    # bar starts its thread: forking a threaded process is unsafe.
    context = get_context("fork") if "fork" in get_all_start_methods() else get_context()
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        futures = {
            pool.submit(
                _analyze_batch, [paths[i] for i in batch], text_analysis, roles, keep_segments
            ): batch
            for batch in batches
        }
        out = console if isinstance(console, Console) else Console(stderr=True)
        with Progress(console=out, transient=True, disable=not paths) as progress:
            task = progress.add_task("analysing", total=len(paths))
            for future in as_completed(futures):
                batch = futures[future]
                for index, outcome in zip(batch, future.result(), strict=True):
                    results[index] = outcome
                progress.advance(task, len(batch))
    return [outcome for outcome in results if outcome is not None]


def _write(
    reports: list[Report],
    failures: list[str],
    format: OutputFormat,
    output: Path | None,
    single: bool,
) -> None:
    from rich.console import Console

    if output is not None and output.suffix.lower() == ".csv":
        output.write_text(summary_csv(reports, failures), encoding="utf-8")
        if format is OutputFormat.text:
            from .render_text import summary_table

            Console().print(summary_table(reports, failures))
        return
    if format is OutputFormat.json:
        data = [report.to_dict() for report in reports]
        _emit(
            json.dumps(data[0] if single and data else data, indent=2, ensure_ascii=False), output
        )
    elif format is OutputFormat.html:
        from .render_html import render_html

        _emit(render_html(reports, failures), output)
    else:
        from .render_text import render_report, summary_table

        buffer = io.StringIO() if output is not None else None
        console = Console(file=buffer, width=120) if buffer is not None else Console()
        if single or len(reports) == 1:
            for report in reports:
                render_report(report, console)
        elif reports:  # (with none read, the errors say it all)
            console.print(summary_table(reports, failures))
        if buffer is not None and output is not None:
            output.write_text(buffer.getvalue(), encoding="utf-8")


def _emit(text: str, output: Path | None) -> None:
    if output is None:
        sys.stdout.write(text + "\n")
    else:
        output.write_text(text, encoding="utf-8")


CSV_COLUMNS = (
    "source",
    "format",
    "dialect",
    "duration_s",
    "speaker",
    "talk_time_s",
    "talk_share",
    "turns",
    "words",
    "words_per_minute",
    "longest_monologue_s",
    "questions",
    "interruptions",
    "overlap_s",
    "filler_words",
    "balance",
    "error",
)


def _safe_cell(value: object) -> object:
    """Spreadsheets run cells starting with = + - @ as formulas; make them text."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def summary_csv(reports: Sequence[Report], failures: Sequence[str]) -> str:
    """One row per speaker per file, and one row per file that could not be read."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    row: Callable[[Iterable[object]], None] = lambda values: writer.writerow(  # noqa: E731
        [_safe_cell(v) for v in values]
    )
    for report in reports:
        for s in report.speakers:
            row(
                [
                    report.source,
                    report.format,
                    report.dialect,
                    round(report.duration_s, 3),
                    s.name,
                    round(s.talk_time_s, 3),
                    round(s.talk_share, 4),
                    s.turns,
                    s.words if s.words is not None else "",
                    round(s.words_per_minute, 1) if s.words_per_minute is not None else "",
                    round(s.longest_monologue_s, 3),
                    s.questions if s.questions is not None else "",
                    s.interruptions if s.interruptions is not None else "",
                    round(s.overlap_s, 3) if s.overlap_s is not None else "",
                    s.filler_words if s.filler_words is not None else "",
                    report.balance.status,
                    "",
                ]
            )
    for failure in failures:
        row(["", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", failure])
    return buffer.getvalue()
