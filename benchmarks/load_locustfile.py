"""What one simulated person does, for benchmarks/load.py (Locust, headless).

Each simulated person is a different generated person, signed in already (load.py made
their sessions), talking to one app server as a balancer would keep them there. Between
two actions they think for a while (LOAD_WAIT="min,max" seconds). They open their home,
their one-on-one and its next meeting; add talking points and tick them, save the shared
notes, add action items and complete them; open a conversation report and their survey's
results. Writes go the way the pages send them with JavaScript on (htmx), and answer 200.
Redirects are not followed: every page and write answers 200 itself, so a person signed out
meanwhile (a redirect to the sign-in page) counts as an error, not as a page served.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import secrets
import string
from pathlib import Path

import gevent
from locust import FastHttpUser, between, task

PEOPLE = json.loads(Path(os.environ["LOAD_PEOPLE"]).read_text())
SERVERS = os.environ["LOAD_SERVERS"].split(",")
WAIT_MIN, WAIT_MAX = (float(x) for x in os.environ.get("LOAD_WAIT", "5,15").split(","))
_next_person = itertools.count()

BASE_VERSION = re.compile(r'name="base_version" value="(\d+)"')
DISCUSSED = re.compile(r"/talking-points/(\d+)/discussed/")
DONE = re.compile(r"/action-items/(\d+)/done/")


class Person(FastHttpUser):
    host = SERVERS[0]
    wait_time = between(WAIT_MIN, WAIT_MAX)

    def on_start(self) -> None:
        index = next(_next_person)
        self.me = PEOPLE[index % len(PEOPLE)]
        self.server = SERVERS[index % len(SERVERS)]
        # Any 32 letters make a CSRF secret; the page would have set one on first view.
        csrf = "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(32))
        self.headers = {"Cookie": f"sessionid={self.me['session']}; csrftoken={csrf}"}
        self.post_headers = {**self.headers, "X-CSRFToken": csrf, "HX-Request": "true"}
        self.my_points: list[int] = []
        self.my_items: list[int] = []
        # People arrive spread over a think time, not all clicking in the same second.
        gevent.sleep(random.uniform(0, WAIT_MAX))

    def get(self, path: str, name: str) -> str:
        with self.client.get(
            self.server + path,
            headers=self.headers,
            name=name,
            catch_response=True,
            allow_redirects=False,
        ) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code}")
            return response.text or ""

    def post(self, path: str, data: dict[str, str], name: str) -> str:
        with self.client.post(
            self.server + path,
            data=data,
            headers=self.post_headers,
            name=name,
            catch_response=True,
            allow_redirects=False,
        ) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code}")
            return response.text or ""

    @property
    def meeting(self) -> str:
        return f"/meetings/{self.me['meeting']}/"

    @task(4)
    def open_home(self) -> None:
        self.get("/", "home")

    @task(3)
    def open_oneonone(self) -> None:
        self.get(f"/one-on-ones/{self.me['oneonone']}/", "one-on-one")

    @task(4)
    def open_next_meeting(self) -> None:
        self.get(self.meeting, "meeting")

    @task(2)
    def add_talking_point(self) -> None:
        text = f"Talk about {random.choice(['the roadmap', 'hiring', 'on-call', 'my goals'])}"
        page = self.post(self.meeting + "talking-points/", {"text": text}, "add talking point")
        ids = [int(found) for found in DISCUSSED.findall(page)]
        if ids:
            self.my_points.append(max(ids))

    @task(2)
    def tick_talking_point(self) -> None:
        if self.my_points:
            point = self.my_points.pop(0)
            self.post(f"/talking-points/{point}/discussed/", {}, "tick talking point")

    @task(2)
    def save_shared_notes(self) -> None:
        page = self.get(self.meeting, "meeting")
        version = BASE_VERSION.search(page)
        if version is None:
            return
        text = f"## Notes\n- Agreed on {random.randint(1, 10**6)}\n"
        self.post(
            self.meeting + "notes/",
            {"text": text, "base_version": version.group(1)},
            "save shared notes",
        )

    @task(1)
    def add_action_item(self) -> None:
        page = self.post(
            self.meeting + "action-items/",
            {"text": "Send the summary", "owner": str(self.me["person"]), "due_date": ""},
            "add action item",
        )
        ids = [int(found) for found in DONE.findall(page)]
        if ids:
            self.my_items.append(max(ids))

    @task(1)
    def complete_action_item(self) -> None:
        if self.my_items:
            item = self.my_items.pop(0)
            self.post(
                f"/action-items/{item}/done/",
                {"meeting": str(self.me["meeting"])},
                "complete action item",
            )

    @task(1)
    def open_report(self) -> None:
        self.get(f"/transcripts/{self.me['transcript']}/", "report")

    @task(1)
    def open_survey_results(self) -> None:
        self.get(f"/surveys/{self.me['survey']}/results/", "survey results")
