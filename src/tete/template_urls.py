"""`{% url %}` with each address remembered once made: Django's tag, minus the repeated work.

A page writes 35 to 50 addresses and Django builds every one afresh (15–25 µs each, the
cost of a small query). An address depends only on the view's name, its arguments, the
application namespace, the script prefix and the URL configuration, so it is remembered under
all five, per process. The last three are the same for every address of a request's page and
are read once per request (`url_base`): the script prefix and the URL configuration are
thread-locals, whose reading took most of a remembered address's time. Only names and
numbers as arguments are remembered: anything else (a model instance, whose text may change)
goes to Django each time. Loaded as a template builtin in settings, so it replaces Django's
tag in every template.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from django import template
from django.conf import settings
from django.template.base import Parser, Token
from django.template.context import Context
from django.template.defaulttags import URLNode
from django.template.defaulttags import url as django_url_tag
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.html import conditional_escape

register = template.Library()

# Every address of every page for thousands of people: a bounded memory either way.
ADDRESSES_KEPT = 20_000


@lru_cache(maxsize=ADDRESSES_KEPT)
def _reverse(
    view_name: str,
    args: tuple[str | int, ...],
    kwargs: tuple[tuple[str, str | int], ...],
    current_app: str | None,
    script_prefix: str,
    urlconf: str,
) -> str:
    # script_prefix is read by reverse() itself; it is an argument to keep the key apart.
    return reverse(
        view_name, args=args, kwargs=dict(kwargs), current_app=current_app, urlconf=urlconf
    )


def _simple(value: Any) -> bool:
    return type(value) in (int, str)


#: (application namespace, script prefix, URL configuration): what an address depends on
#: besides the view and its arguments.
URLBase = tuple[str | None, str, str]


def url_base(request: Any) -> URLBase:
    """The `URLBase` of the page `request` renders, read once and kept on the request. A page
    is rendered after the URL configuration and the script prefix are set for its request,
    and after its view has set `request.current_app`, if it does."""
    try:
        return request._tete_url_base
    except AttributeError:
        pass
    base = (
        current_app_of(request),
        get_script_prefix(),
        get_urlconf() or settings.ROOT_URLCONF,
    )
    if request is not None:
        request._tete_url_base = base
    return base


def remembered_reverse(
    view_name: str, args: tuple[Any, ...], kwargs: dict[str, Any], base: URLBase
) -> str:
    """reverse(), remembered when the arguments are names and numbers."""
    if all(_simple(a) for a in args) and all(_simple(v) for v in kwargs.values()):
        return _reverse(view_name, args, tuple(kwargs.items()), *base)
    return reverse(view_name, args=args, kwargs=kwargs, current_app=base[0])


def current_app_of(request: Any) -> str | None:
    """The application namespace `{% url %}` reverses in, as Django's tag finds it."""
    try:
        return request.current_app
    except AttributeError:
        try:
            return request.resolver_match.namespace
        except AttributeError:
            return None


class RememberedURLNode(URLNode):
    def render(self, context: Context) -> str:
        args = tuple(arg.resolve(context) for arg in self.args)
        kwargs = {k: v.resolve(context) for k, v in self.kwargs.items()}
        view_name = self.view_name.resolve(context)
        url = ""
        try:
            url = remembered_reverse(
                view_name, args, kwargs, url_base(getattr(context, "request", None))
            )
        except NoReverseMatch:
            if self.asvar is None:
                raise
        if self.asvar:
            context[self.asvar] = url
            return ""
        return conditional_escape(url) if context.autoescape else url


@register.tag
def url(parser: Parser, token: Token) -> RememberedURLNode:
    node = django_url_tag(parser, token)
    return RememberedURLNode(node.view_name, node.args, node.kwargs, node.asvar)
