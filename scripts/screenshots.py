"""Take the README's screenshots from a freshly built demo, in Debian's Chromium.

    uv run python scripts/screenshots.py [--out docs/screenshots]

Builds the demo in a temporary data directory, serves it, signs in as demo people and
captures pages at laptop (1280 px) and phone (390 px) widths.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "tete-demo"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def sign_in(page: Page, base: str, email: str) -> None:
    page.goto(base + "/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(base + "/")


def demo_paths(data_dir: str) -> dict[str, str]:
    """Paths of the pages worth showing, looked up in the demo database."""
    os.environ.update(
        TETE_DATA_DIR=str(Path(data_dir) / "demo"), DJANGO_SETTINGS_MODULE="tete.settings"
    )
    os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    from tete.oneonones.models import MeetingStatus, OneOnOne
    from tete.reports.models import Transcript
    from tete.surveys.models import Survey

    oneonone = OneOnOne.objects.get(
        first__email="alice@demo.example.com", second__email="bob@demo.example.com"
    )
    meeting = oneonone.meetings.filter(status=MeetingStatus.HELD).latest("scheduled_at")
    transcript = Transcript.objects.filter(meeting=meeting).first()
    pulse = Survey.objects.get(title="Platform weekly pulse")
    return {
        "home": "/",
        "oneonone": f"/one-on-ones/{oneonone.pk}/",
        "meeting": f"/meetings/{meeting.pk}/",
        "report": f"/transcripts/{transcript.pk}/" if transcript else f"/meetings/{meeting.pk}/",
        "survey-results": f"/surveys/{pulse.pk}/results/",
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    data_dir = tempfile.mkdtemp(prefix="tete-shots-")
    port = free_port()
    env = {**os.environ, "TETE_DATA_DIR": data_dir}
    env.pop("DATABASE_URL", None)
    server = subprocess.Popen(
        [sys.executable, "-m", "tete.cli", "demo", "--port", str(port), "--workers", "1"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 600  # the first build of the demo takes a while
        while True:
            try:
                urllib.request.urlopen(base + "/login/", timeout=2).read()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    sys.exit("The demo server did not start.")
                time.sleep(0.5)
        paths = demo_paths(data_dir)
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path="/usr/bin/chromium",
                args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
            )
            for width, shots in ((1280, paths), (390, {"phone-meeting": paths["meeting"]})):
                page = browser.new_page(viewport={"width": width, "height": 900})
                sign_in(page, base, "alice@demo.example.com")
                for name, path in shots.items():
                    page.goto(base + path)
                    # Long pages are cut at a height that still reads well in the README.
                    height = min(page.evaluate("document.body.scrollHeight"), 1800)
                    page.screenshot(
                        path=str(args.out / f"{name}.png"),
                        full_page=True,
                        clip={"x": 0, "y": 0, "width": width, "height": height},
                    )
                    print(args.out / f"{name}.png")
                page.close()
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
