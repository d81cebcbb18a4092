"""`{% jinja %}`: a Jinja2 template (tete/jinja.py) included in a Django template. A template
builtin (settings), so every Django template can include the pieces the Jinja2 pages share."""

from __future__ import annotations

from typing import Any

from django import template
from django.template import Context, engines
from django.utils.functional import SimpleLazyObject
from django.utils.safestring import SafeString, mark_safe

from tete.jinja import csrf_input_for

register = template.Library()


@register.simple_tag(takes_context=True)
def jinja(context: Context, template_name: str, **values: Any) -> SafeString:
    """{% jinja "oneonones/_flags.html" show_with=True %}: the template rendered with this
    context and `values`. The context already holds what the context processors give, and the
    page's CSRF token, masked once."""
    jinja_template = engines["jinja2"].get_template(template_name)
    token = context.get("csrf_token")
    return mark_safe(
        jinja_template.render(
            {
                **context.flatten(),  # type: ignore[dict-item]
                "csrf_input": SimpleLazyObject(lambda: csrf_input_for(token)),
                **values,
            }
        )
    )
