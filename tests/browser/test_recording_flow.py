"""Record a conversation in the browser with Chromium's fake microphone, stop, get a report;
reload the page in the middle and continue the same recording."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import CHROMIUM
from tests.recordings.conftest import sounds  # noqa: F401 (a fixture)
from tete.recordings import views
from tete.recordings.models import Recording
from tete.reports.models import TranscriptStatus


@pytest.fixture
def fake_microphone_browser(playwright, sounds):  # noqa: F811
    """Chromium whose microphone plays the test conversation, and asks no permission."""
    browser = playwright.chromium.launch(
        executable_path=CHROMIUM,
        args=[
            "--no-sandbox",
            "--disable-gpu",
            "--use-fake-ui-for-media-stream",
            "--use-fake-device-for-media-stream",
            f"--use-file-for-fake-audio-capture={sounds.mono}",
        ],
    )
    yield browser
    browser.close()


@pytest.mark.slow
def test_record_pause_reload_continue_stop_and_read_the_report(
    fake_microphone_browser, live_server, meeting, bob, sign_in, monkeypatch
):
    monkeypatch.setattr(views, "CHUNK_SECONDS", 2)
    context = fake_microphone_browser.new_context()
    context.grant_permissions(["microphone"], origin=live_server.url)
    page = context.new_page()
    try:
        sign_in(page, bob)
        page.goto(f"{live_server.url}/meetings/{meeting.pk}/")
        page.get_by_role("link", name="Record or upload a recording").click()
        recorder = page.locator("#recorder")
        # Without the consent box, the form does not submit: nothing is recorded.
        recorder.get_by_role("button", name="Start recording").click()
        expect(page.locator("#recorder-live")).to_be_hidden()
        assert not Recording.objects.exists()
        recorder.get_by_label("Both of us agree").check()
        recorder.get_by_role("button", name="Start recording").click()
        expect(page.locator("#recorder-state")).to_have_text("Recording")
        page.wait_for_timeout(3500)
        recorder.get_by_role("button", name="Pause").click()
        expect(page.locator("#recorder-state")).to_have_text("Paused")
        recorder.get_by_role("button", name="Resume").click()
        page.wait_for_timeout(3500)
        expect(page.locator("#recorder-timer")).not_to_have_text("0:00")
        recording = Recording.objects.get()
        # Chunks arrived while recording, before stopping.
        file = recording.files.get()
        assert file.chunks.count() >= 2

        # The page is reloaded mid-recording (the browser asks first: leave anyway).
        page.on("dialog", lambda dialog: dialog.accept())
        page.reload()
        expect(page.locator("#recorder-start")).to_have_text("Start recording")
        page.goto(f"{live_server.url}/meetings/{meeting.pk}/")
        page.get_by_role("link", name="Continue recording").click()
        expect(recorder.get_by_text("Both of you agreed to record")).to_be_visible()
        sent_before = file.chunks.count()
        recorder.get_by_role("button", name="Continue recording").click()
        expect(page.locator("#recorder-state")).to_have_text("Recording")
        page.wait_for_timeout(4500)
        continuation = recording.continuations.get()
        assert continuation.continued_by == bob
        assert continuation.first_index >= sent_before
        assert file.chunks.filter(index__gte=continuation.first_index).count() >= 1
        recorder.get_by_role("button", name="Stop and analyse").click()

        recording = _report_shown(page)
        expect(page.get_by_text("Recorded in the browser by Bob Jones")).to_be_visible()
        expect(page.get_by_text("Continued by Bob Jones at")).to_be_visible()
        assert recording.consent_given_at is not None
        assert any("recorded in 2 parts" in w for w in recording.speech["warnings"])
        assert not recording.files.get().chunks.exists()
    finally:
        context.close()


@pytest.mark.slow
def test_pieces_recorded_offline_are_sent_on_the_next_visit(
    fake_microphone_browser, live_server, meeting, bob, sign_in, monkeypatch
):
    """The network drops, the tab is closed: the pieces kept in the browser are sent when
    the page is opened again, and the recording is finished from the meeting page."""
    monkeypatch.setattr(views, "CHUNK_SECONDS", 1)
    context = fake_microphone_browser.new_context()
    context.grant_permissions(["microphone"], origin=live_server.url)
    page = context.new_page()
    try:
        sign_in(page, bob)
        page.goto(f"{live_server.url}/meetings/{meeting.pk}/recordings/")
        recorder = page.locator("#recorder")
        recorder.get_by_label("Both of us agree").check()
        recorder.get_by_role("button", name="Start recording").click()
        expect(page.locator("#recorder-state")).to_have_text("Recording")
        page.wait_for_timeout(2500)
        context.set_offline(True)
        expect(page.locator("#recorder-message")).to_contain_text(
            "The network is down", timeout=10_000
        )
        page.wait_for_timeout(2000)
        file = Recording.objects.get().files.get()
        sent_before = file.chunks.count()
        page.close()
        context.set_offline(False)

        page = context.new_page()
        page.goto(f"{live_server.url}/meetings/{meeting.pk}/recordings/")
        expect(page.locator("#recorder-message")).to_contain_text(
            "The rest of an earlier recording was sent", timeout=20_000
        )
        assert file.chunks.count() > sent_before
        page.goto(f"{live_server.url}/meetings/{meeting.pk}/")
        page.get_by_role("button", name="Analyse what was recorded").click()
        _report_shown(page)
    finally:
        context.close()


#: Makes Chromium's MediaRecorder refuse webm, as Safari's does, so the recorder falls back
#: to the next type it asks for: audio/mp4 (fragmented MP4; Chromium puts Opus in it where
#: Safari puts AAC, which tests/recordings/test_safari_mp4.py covers).
NO_WEBM = """
(() => {
  const supported = MediaRecorder.isTypeSupported.bind(MediaRecorder);
  MediaRecorder.isTypeSupported = (type) => !type.startsWith("audio/webm") && supported(type);
})();
"""


@pytest.mark.slow
def test_a_browser_without_webm_records_mp4_and_gets_a_report(
    fake_microphone_browser, live_server, meeting, bob, sign_in, monkeypatch
):
    monkeypatch.setattr(views, "CHUNK_SECONDS", 2)
    context = fake_microphone_browser.new_context()
    context.grant_permissions(["microphone"], origin=live_server.url)
    context.add_init_script(NO_WEBM)
    page = context.new_page()
    try:
        sign_in(page, bob)
        page.goto(f"{live_server.url}/meetings/{meeting.pk}/recordings/")
        recorder = page.locator("#recorder")
        recorder.get_by_label("Both of us agree").check()
        recorder.get_by_role("button", name="Start recording").click()
        expect(page.locator("#recorder-state")).to_have_text("Recording")
        page.wait_for_timeout(6500)
        file = Recording.objects.get().files.get()
        assert file.content_type.startswith("audio/mp4"), file.content_type
        assert file.filename.endswith(".m4a")
        assert file.chunks.count() >= 2
        first = bytes(file.chunks.get(index=0).data)
        assert first[4:8] == b"ftyp", first[:16]
        recorder.get_by_role("button", name="Stop and analyse").click()
        _report_shown(page)
    finally:
        context.close()


def _report_shown(page) -> Recording:
    """The report page opened for the meeting's one recording, analysed."""
    expect(page.get_by_role("heading", level=1)).to_have_text("Conversation report", timeout=60_000)
    recording = Recording.objects.get()
    assert recording.transcript is not None
    assert recording.transcript.status == TranscriptStatus.DONE, recording.transcript.failure_reason
    return recording
