"""A person's own data in a real browser: a copy made and downloaded, the history downloaded
by the other participant and seen in one's access log."""

from __future__ import annotations

import io
import json
import zipfile

from playwright.sync_api import expect

from tete.mydata.models import AccessEvent, EventKind


def test_a_copy_of_my_data_and_who_downloaded_our_history(
    page, browser, live_server, sign_in, alice, bob, oneonone
):
    sign_in(page, alice)
    page.goto(live_server.url + "/people/me/")
    page.get_by_role("link", name="Download my data").click()
    page.get_by_role("button", name="Make a copy of my data").click()
    # Tasks run at once here; with a worker the page polls until the copy is ready.
    download_button = page.get_by_role("link", name="Download the zip")
    expect(download_button).to_be_visible()
    with page.expect_download() as info:
        download_button.click()
    with zipfile.ZipFile(io.BytesIO(open(info.value.path(), "rb").read())) as archive:
        data = json.loads(archive.read("data.json"))
    assert data["profile"]["email"] == alice.email
    assert data["one_on_ones"][0]["with"] == "Bob Jones"

    # Bob downloads their shared history; Alice reads it in her access log.
    bob_page = browser.new_context().new_page()
    sign_in(bob_page, bob)
    bob_page.goto(live_server.url + f"/one-on-ones/{oneonone.pk}/")
    with bob_page.expect_download() as info:
        bob_page.get_by_role("button", name="Download the history as a Markdown file").click()
    assert info.value.suggested_filename.endswith(".md")
    assert AccessEvent.objects.filter(person=alice, kind=EventKind.HISTORY_DOWNLOADED).exists()
    page.goto(live_server.url + "/my-data/access-log/")
    expect(page.get_by_text("Bob Jones downloaded your shared history")).to_be_visible()
    bob_page.context.close()
