"""Template filters for one-on-one pages: Markdown notes, rendered then sanitised."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString, mark_safe

from tete.oneonones.markdown import render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text: str) -> SafeString:
    """Markdown to sanitised HTML."""
    return mark_safe(render_markdown(text))


@register.filter
def other_than(oneonone: object, person: object) -> object:
    """{{ oneonone|other_than:user }}: the other participant."""
    return oneonone.other(person)  # type: ignore[attr-defined]
