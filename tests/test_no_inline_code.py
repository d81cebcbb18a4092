"""Nothing inline that the Content-Security-Policy would block: no <script> without src, no
style="…" attribute, no on…= handler, and a <style> only with the request's nonce. Checked in
every template and in the Python code that writes HTML or SVG (charts, snippets, widgets).

`tete analyze --format html` (conversation/render_html.py) writes a standalone file for the
command line, never served by the app: it is not checked.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "tete"
STANDALONE = {PACKAGE / "conversation" / "render_html.py"}

# Django templates, and the Jinja2 ones of the busiest pages (tete/jinja.py).
TEMPLATES = sorted([*PACKAGE.rglob("templates/**/*.html"), *PACKAGE.rglob("jinja2/**/*.html")])
HTML_WRITING_CODE = sorted(
    path
    for path in PACKAGE.rglob("*.py")
    if path not in STANDALONE and re.search(r"mark_safe|format_html", path.read_text())
)

INLINE = {
    "a <script> without src": re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I),
    "a style attribute": re.compile(r"""\sstyle\s*=\s*["'{]""", re.I),
    "an on… event handler": re.compile(r"""\son[a-z]+\s*=\s*["']""", re.I),
    "a javascript: link": re.compile(r"javascript:", re.I),
    "a <style> without the nonce": re.compile(
        r"<style(?![^>]*\bnonce=\"\{\{ request\.csp_nonce \}\}\")[^>]*>", re.I
    ),
}


def offences(text: str) -> list[tuple[int, str, str]]:
    """(line, what, the text) of everything inline that the policy blocks."""
    return [
        (text.count("\n", 0, match.start()) + 1, what, match.group(0))
        for what, pattern in INLINE.items()
        for match in pattern.finditer(text)
    ]


def test_there_are_templates_and_chart_code_to_check():
    assert len(TEMPLATES) > 50
    assert PACKAGE / "oneonones" / "jinja2" / "oneonones" / "meeting.html" in TEMPLATES
    assert {p.name for p in HTML_WRITING_CODE} >= {"charts.py"}


@pytest.mark.parametrize(
    "path", TEMPLATES + HTML_WRITING_CODE, ids=lambda p: str(p.relative_to(PACKAGE))
)
def test_nothing_inline_that_the_policy_blocks(path):
    assert offences(path.read_text()) == []


def test_the_check_finds_what_it_looks_for():
    page = (
        '<script>alert(1)</script><div style="color: red" onclick="go()"></div>'
        '<style>p{}</style><a href="javascript:go()">x</a>\n'
        '<script src="/static/x.js"></script><style nonce="{{ request.csp_nonce }}"></style>'
    )
    assert sorted(what for _, what, _ in offences(page)) == sorted(INLINE)
