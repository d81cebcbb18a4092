"""Template filters for one-on-one pages (Markdown notes, rendered then sanitised), and the tag
that includes a Jinja2 template of theirs."""

from __future__ import annotations

from typing import Any

from django import template
from django.template import Context, engines
from django.utils.functional import SimpleLazyObject
from django.utils.safestring import SafeString, mark_safe

from tete.jinja import csrf_input_for
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


@register.simple_tag(takes_context=True)
def jinja(context: Context, template_name: str, **values: Any) -> SafeString:
    """{% jinja "oneonones/_flags.html" show_with=True %}: a template of tete/jinja.py's,
    included in a Django template with its context and `values`. The context already holds
    what the context processors give, and the page's CSRF token, masked once."""
    template = engines["jinja2"].get_template(template_name)
    token = context.get("csrf_token")
    return mark_safe(
        template.render(
            {
                **context.flatten(),  # type: ignore[dict-item]
                "csrf_input": SimpleLazyObject(lambda: csrf_input_for(token)),
                **values,
            }
        )
    )
