"""A bounded crawler for the test client, and the checks every crawled page goes through.

It requests pages with GET only, follows links (`href`, and `hx-get` partials) and
redirects inside the site, submits each search form once, and reads downloads too (CSV,
Markdown, calendar files, and the files inside an XLSX). Addresses that differ only in
their ids or query values count as one shape; a shape is visited a few times at most, so a
long history does not make the crawl long, while the seeds (the planted objects' own
addresses) are always requested.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections import Counter, deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

from django.test import Client

# Pages where a person types their *own* password.
OWN_PASSWORD_PAGES = re.compile(
    r"^/(login/|admin/login/|password/change/|password/reset/|people/me/email/"
    r"|people/invitations/[^/]+/$|my-data/erase/$)"
)
# Django's UserAdmin page that sets another person's password.
ADMIN_PASSWORD_PAGE = re.compile(r"/admin/accounts/person/[^/]+/password/")
SKIPPED = re.compile(r"^/(static/|logout/)")


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.password_inputs = 0
        self.get_forms: list[tuple[str, list[str]]] = []
        self._form: tuple[str, list[str]] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        if a.get("hx-get"):
            self.links.append(a["hx-get"])
        if tag == "input" and a.get("type", "").lower() == "password":
            self.password_inputs += 1
        if tag == "form" and a.get("method", "get").lower() == "get":
            self._form = (a.get("action", ""), [])
            self.get_forms.append(self._form)
        if (
            tag == "input"
            and self._form is not None
            and a.get("type", "text") in {"text", "search"}
        ):
            self._form[1].append(a.get("name", ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None


def shape(url: str) -> str:
    """/meetings/12/?page=3 → /meetings/#/?page: one shape for every id and value.

    In the admin, every filter and ordering of a list is one shape (their combinations are
    many; tests/privacy/test_admin_crawl.py requests each filter on its own).
    """
    parts = urlsplit(url)
    path = re.sub(r"\d+", "#", parts.path)
    if path.startswith("/admin/"):
        return path + ("?" if parts.query else "")
    keys = sorted({k for k, _ in parse_qsl(parts.query, keep_blank_values=True)})
    return path + ("?" + "&".join(keys) if keys else "")


def body_text(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if content[:2] == b"PK":  # XLSX: read the XML inside
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            content = b"".join(archive.read(name) for name in archive.namelist())
    return content.decode("utf-8", errors="replace")


@dataclass
class Visit:
    url: str
    status: int
    text: str


@dataclass
class Crawl:
    client: Client
    per_shape: int = 1
    limit: int = 300
    # What the search forms are given: a prefix every planted string starts with.
    search_term: str = "zq"
    visits: list[Visit] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def run(self, seeds: Iterable[str], start: Iterable[str] = ("/",)) -> Crawl:
        """Request every seed, then follow links from `start` (and from everything seen)."""
        queue: deque[str] = deque()
        seen: set[str] = set()
        shapes: Counter[str] = Counter()
        forms_done: set[str] = set()
        forced = list(seeds)

        def add(url: str, force: bool = False) -> None:
            if url in seen or SKIPPED.match(urlsplit(url).path):
                return
            if not force and shapes[shape(url)] >= self.per_shape:
                return
            seen.add(url)
            shapes[shape(url)] += 1
            queue.append(url)

        for url in forced:
            add(url, force=True)
        for url in start:
            add(url)
        while queue and len(self.visits) < self.limit + len(forced):
            url = queue.popleft()
            response = self.client.get(url)
            if response.status_code >= 500:
                self.problems.append(f"{url} answered {response.status_code}")
            if response.status_code in (301, 302, 303, 307, 308):
                location = self._internal(url, response["Location"])
                if location:
                    add(location)
                self.visits.append(Visit(url, response.status_code, ""))
                continue
            text = body_text(response)
            self.visits.append(Visit(url, response.status_code, text))
            if "html" not in response.get("Content-Type", ""):
                continue
            parser = _Links()
            parser.feed(text)
            path = urlsplit(url).path
            if parser.password_inputs and not OWN_PASSWORD_PAGES.match(path):
                self.problems.append(f"{url} has a password field")
            for link in parser.links:
                target = self._internal(url, link)
                if target and ADMIN_PASSWORD_PAGE.search(target):
                    self.problems.append(f"{url} links to a password page: {link}")
                if target:
                    add(target)
            for action, inputs in parser.get_forms:
                target = self._internal(url, action or url)
                if target and inputs and shape(target) not in forms_done:
                    forms_done.add(shape(target))
                    base = urlsplit(target)
                    query = urlencode([(name, self.search_term) for name in inputs if name])
                    add(f"{base.path}?{query}", force=True)
        return self

    @staticmethod
    def _internal(base: str, link: str) -> str | None:
        if link.startswith(("mailto:", "javascript:", "#", "data:")):
            return None
        absolute = urljoin("http://testserver" + base, link)
        parts = urlsplit(absolute)
        if parts.netloc != "testserver":
            return None
        return parts.path + ("?" + parts.query if parts.query else "")

    def sightings(self, words: Iterable[str]) -> dict[str, list[str]]:
        """Each word → the addresses whose answer contains it (case-insensitive).

        A word is looked for without the search term it starts with: search results mark
        the term they found (`<mark>zq</mark>…`), which splits the word.
        """
        found: dict[str, list[str]] = {}
        lowered = [(v.url, v.text.lower()) for v in self.visits if v.text]
        for word in words:
            tail = word.removeprefix(self.search_term)
            urls = [url for url, text in lowered if tail in text]
            if urls:
                found[word] = urls
        return found
