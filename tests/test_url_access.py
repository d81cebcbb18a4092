"""DESIGN.md access rule 5: every URL has an explicit access rule."""

from __future__ import annotations

from collections.abc import Iterator

from django.urls import URLPattern, URLResolver, get_resolver

from tete.access import RULES


def walk(patterns, prefix="", namespace="") -> Iterator[tuple[str, str, URLPattern]]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or namespace
            yield from walk(entry.url_patterns, prefix + str(entry.pattern), ns)
        else:
            yield prefix + str(entry.pattern), namespace, entry


def test_every_url_declares_an_access_rule():
    missing = []
    for route, namespace, pattern in walk(get_resolver().url_patterns):
        if namespace == "admin":
            # Django's admin guards itself (staff only) and registers no one-on-one content;
            # tests/test_admin.py checks what it registers.
            continue
        rule = getattr(pattern.callback, "access_rule", None)
        if rule not in RULES:
            missing.append(f"{route} ({pattern.lookup_str})")
    assert missing == [], "views without an access rule:\n" + "\n".join(missing)


def test_the_walk_sees_the_app_urls():
    routes = {route for route, _, _ in walk(get_resolver().url_patterns)}
    assert "login/" in routes
    assert len(routes) > 10
