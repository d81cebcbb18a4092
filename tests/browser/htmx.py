"""Waiting for htmx in browser tests."""

from __future__ import annotations

from playwright.sync_api import Page, expect


def htmx_settled(page: Page) -> None:
    """Wait until htmx has taken in what it swapped in: until then its forms submit as plain
    forms. An autofocused editor has focus from the moment it is inserted, 20 ms (htmx's
    settle delay) before htmx processes it; htmx drops the "htmx-added" class in the same
    step as it processes the new element."""
    expect(page.locator(".htmx-added")).to_have_count(0)
