"""The `tete` command: serve, demo, analyze, worker, manage (DESIGN.md's contract)."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from tete.conversation.cli import analyze

app = typer.Typer(
    name="tete",
    help="Tête-à-tête: a private companion for one-on-one conversations.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

Host = Annotated[str, typer.Option(help="Address to listen on.")]
Port = Annotated[int, typer.Option(help="Port to listen on.")]
Workers = Annotated[
    int, typer.Option(envvar="TETE_WORKERS", help="Gunicorn worker processes.", min=1)
]
TaskWorker = Annotated[
    bool,
    typer.Option(
        "--task-worker/--no-task-worker",
        help="Also run a background task worker (`tete worker`) beside the web server.",
    ),
]


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tete.settings")
    import django

    django.setup()


def _migrate() -> None:
    from tete.schema import migrate

    migrate()


def loaded_application() -> Any:
    """The WSGI application, for a gunicorn worker, with what loading it made left out of the
    garbage collector's reach.

    Django, the app and its models are about 95,000 objects that live as long as the worker,
    and a full collection, every few hundred requests, went through them all: a pause of
    90–150 ms in the middle of a request, and of every request queued behind it. Frozen
    (`gc.freeze`, after a collection so that no garbage is kept), a full collection on the
    same pages took 16–64 ms (benchmarks/gc_pause.py).
    """
    from tete.wsgi import application

    _refuse_inherited_connections()
    gc.collect()
    gc.freeze()
    return application


def _refuse_inherited_connections() -> None:
    """Stop a worker forked while its parent held a database connection open.

    The worker would use the parent's socket (or SQLite handle) as its own, and so would
    every other worker: their queries would cross. `_serve_with_task_worker` closes the
    connections before gunicorn forks; this makes any later change that opens one again
    fail at start, not under load.
    """
    from django.db import connections

    held = [c.alias for c in connections.all(initialized_only=True) if c.connection is not None]
    if held:
        raise RuntimeError(
            f"A server worker started with database connections open ({', '.join(held)}): "
            "the process it was forked from must close them first."
        )


def _run_gunicorn(host: str, port: int, workers: int) -> None:
    from gunicorn.app.base import BaseApplication

    class Server(BaseApplication):
        def load_config(self) -> None:
            options: dict[str, Any] = {
                "bind": f"{host}:{port}",
                "workers": workers,
                "threads": int(os.environ.get("TETE_THREADS", "4")),
                # Longer than gunicorn's 2 s: a client that reuses its connection about 2 s
                # after its last request met the server closing it, and a POST then failed
                # (3 in 5,000 requests in benchmarks/load.py; none at 5 s).
                "keepalive": int(os.environ.get("TETE_KEEPALIVE", "5")),
                "accesslog": "-" if os.environ.get("TETE_ACCESS_LOG") else None,
                "timeout": 60,
            }
            for key, value in options.items():
                self.cfg.set(key, value)

        def load(self) -> Any:
            return loaded_application()

    Server().run()


def _serve_with_task_worker(host: str, port: int, workers: int, task_worker: bool) -> None:
    """Gunicorn, and a `tete worker` process beside it unless told otherwise.

    Transcripts are analysed by the task worker, never inside a request: one command on
    a laptop runs both. With TETE_TASKS=immediate there is nothing for a worker to do.
    """
    from django.conf import settings
    from django.db import connections

    # Migrating (and building the demo) opened a database connection in this process, and
    # gunicorn forks its workers from it: each would inherit the same socket (or SQLite
    # handle) and use it as its own, so that one worker read another's query results, or
    # got errors and hung. Each worker opens its own on its first query.
    connections.close_all()
    worker: subprocess.Popen[bytes] | None = None
    if task_worker and settings.TETE_TASKS == "database":
        worker = subprocess.Popen([sys.executable, "-m", "tete.cli", "worker"])
    try:
        _run_gunicorn(host, port, workers)
    finally:
        if worker is not None:
            worker.terminate()
            try:
                worker.wait(timeout=15)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait()


@app.command()
def serve(
    host: Host = "127.0.0.1",
    port: Port = 8000,
    workers: Workers = 2,
    task_worker: TaskWorker = True,
) -> None:
    """Apply migrations, then serve the app with gunicorn and a background task worker."""
    _setup_django()
    _migrate()
    typer.echo(f"Tête-à-tête is running at http://{host}:{port}/")
    _serve_with_task_worker(host, port, workers, task_worker)


def use_demo_data_dir() -> Path:
    """Point settings at the demo's own data directory, so demo and real data never mix."""
    from platformdirs import user_data_dir

    base = Path(os.environ.get("TETE_DATA_DIR") or user_data_dir("tete", appauthor=False))
    demo_dir = base / "demo"
    os.environ["TETE_DATA_DIR"] = str(demo_dir)
    os.environ.pop("DATABASE_URL", None)
    os.environ["TETE_TASKS"] = "database"
    return demo_dir


@app.command()
def demo(
    host: Host = "127.0.0.1",
    port: Port = 8000,
    workers: Workers = 2,
    task_worker: TaskWorker = True,
    build_only: Annotated[
        bool, typer.Option("--build-only", help="Build the demo and exit without serving.")
    ] = False,
) -> None:
    """Build (once) a demo organisation in its own database, print the logins, serve it."""
    demo_dir = use_demo_data_dir()
    _setup_django()
    _migrate()
    from tete.demo.builder import DEMO_PASSWORD, build_demo, demo_logins

    built = build_demo()
    typer.echo(
        f"{'Built' if built else 'Reusing'} the demo organisation in {demo_dir} "
        "(separate from your real data)."
    )
    typer.echo("\nDemo logins (password for all: " + DEMO_PASSWORD + "):")
    for email, description in demo_logins():
        typer.echo(f"  {email:<28} {description}")
    if build_only:
        return
    typer.echo(f"\nOpen http://{host}:{port}/ and sign in.")
    _serve_with_task_worker(host, port, workers, task_worker)


@app.command(context_settings={"allow_extra_args": True, "ignore_unknown_options": True})
def manage(ctx: typer.Context) -> None:
    """Run Django's management commands: `tete manage createsuperuser`, `tete manage migrate`…"""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tete.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["tete manage", *ctx.args])


@app.command()
def worker(
    queue: Annotated[str, typer.Option(help="Queue name to work on.")] = "default",
) -> None:
    """Run background tasks from the database (TETE_TASKS=database, the default)."""
    if os.environ.get("TETE_TASKS", "database") != "database":
        typer.echo(
            "tete worker runs tasks from the database backend, and TETE_TASKS is set to "
            f"{os.environ['TETE_TASKS']!r}. Set TETE_TASKS=database (or leave it unset) for "
            "both the app servers and the worker (see docs/settings.md).",
            err=True,
        )
        raise typer.Exit(2)
    _setup_django()
    _migrate()
    from django.core.management import call_command

    from tete.reports.actions import load_analysis_models
    from tete.reports.recovery import start_recovery_thread

    load_analysis_models()  # once, before the first task: each analysis's process inherits it

    # Analyses whose worker died (kill -9, a lost machine) are queued again by any worker.
    start_recovery_thread()
    call_command("db_worker", queue_name=queue)


# The analysis command needs no Django and no database (DESIGN.md).
app.command("analyze")(analyze)


def main() -> None:
    app(prog_name="tete")


if __name__ == "__main__":
    main()
