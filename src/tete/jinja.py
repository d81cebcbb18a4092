"""The Jinja2 environment of the busiest pages: the same HTML as their Django templates had.

Home, the one-on-one page and the meeting page are rendered by Jinja2 (Django's own backend):
Django's template language spent more processor time on them than anything else the page did,
variable by variable and filter by filter. The templates under `<app>/jinja2/` are translations of the
Django ones, and render byte for byte the same HTML (tests/oneonones/test_page_html_unchanged.py):

- every `{{ value }}` goes through Django's own `render_value_in_context`: times in the active
  timezone, Django's escaping (`&#x27;`, not markupsafe's `&#39;`), safe strings kept. So
  autoescape is off and `finalize` does Django's escaping instead; a macro's output would be
  escaped as text, which is why these templates use includes;
- filters with Django's names and meaning (`date`, `pluralize`, `default`, …);
- a missing attribute renders as nothing, as in Django (`ChainableUndefined`);
- methods are called explicitly (`oneonone.get_kind_display()`), as Jinja2 requires.

The pieces the Jinja2 pages share with Django templates (the form layout, the action item
rows, pagination, the sections of other apps) are included in those with `{% jinja %}`
(tete/jinja_tags.py).
"""

from __future__ import annotations

import datetime
import html
import unicodedata
from functools import lru_cache
from typing import Any

import jinja2
from django.conf import settings
from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.template import Context
from django.template import defaultfilters as django_filters
from django.template.base import render_value_in_context
from django.template.defaulttags import querystring as django_querystring
from django.templatetags.static import static as django_static
from django.utils.dateformat import DateFormat, TimeFormat, re_escaped, re_formatchars
from django.utils.formats import FORMAT_SETTINGS, get_format
from django.utils.functional import SimpleLazyObject
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.timezone import get_current_timezone, template_localtime  # type: ignore[attr-defined]

from tete.template_urls import remembered_reverse, url_base


def environment(**options: Any) -> jinja2.Environment:
    from tete.oneonones.templatetags.oneonones_tags import markdown_filter
    from tete.recordings.sections import unfinished_recordings
    from tete.reports.sections import meeting_transcripts
    from tete.reports.trends import build_trends
    from tete.surveys.sections import checkin_on_meeting, checkin_trend

    options.update(
        autoescape=False,
        finalize=_as_django_renders,
        undefined=jinja2.ChainableUndefined,
        keep_trailing_newline=True,
    )
    env = jinja2.Environment(**options)
    env.globals.update(
        url=url,
        static=static,
        querystring=querystring,
        # What the pages' sections show, read by the apps they belong to.
        build_trends=build_trends,
        checkin_on_meeting=checkin_on_meeting,
        checkin_trend=checkin_trend,
        meeting_transcripts=meeting_transcripts,
        unfinished_recordings=unfinished_recordings,
    )
    env.filters.update(
        date=date,
        default=django_filters.default,
        default_if_none=django_filters.default_if_none,
        floatformat=django_filters.floatformat,
        linebreaksbr=django_filters.linebreaksbr,
        pluralize=django_filters.pluralize,
        truncatechars=truncatechars,
        urlencode=django_filters.urlencode,
        markdown=markdown_filter,
    )
    return env


def csrf_once(request: HttpRequest) -> dict[str, Any]:
    """The page's CSRF token, masked once per page as Django's templates do it. Django's
    Jinja2 backend masks it anew at every use: 32 random characters from the system's
    generator per form, a quarter of a millisecond on a page of twenty forms."""
    token = SimpleLazyObject(lambda: get_token(request))
    return {"csrf_token": token, "csrf_input": SimpleLazyObject(lambda: csrf_input_for(token))}


def csrf_input_for(token: Any) -> SafeString:
    """The hidden field `{% csrf_token %}` writes."""
    return format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', token)


_NO_CONTEXT = Context()


def _as_django_renders(value: Any) -> str:
    # Text is most of what a page writes, and for text render_value_in_context comes down to
    # Django's escape (html.escape) or, for safe text, the text itself: both are done here
    # without its half-dozen calls. Anything else (times, numbers, lazy text) goes through it.
    kind = type(value)
    if kind is str:
        return html.escape(value)
    if kind is SafeString:
        return value
    if kind is int:
        # As Django writes it without USE_THOUSAND_SEPARATOR, which the app leaves off
        # (tests/test_jinja.py writes a large number both ways).
        return str(value)
    # Context() is only read for its defaults: use_tz and use_l10n unset, autoescape on.
    return render_value_in_context(value, _NO_CONTEXT)


@jinja2.pass_context
def url(context: jinja2.runtime.Context, view_name: str, *args: Any, **kwargs: Any) -> str:
    """`{% url %}`: the address of a view, remembered as tete/template_urls.py does."""
    return remembered_reverse(view_name, args, kwargs, url_base(context.get("request")))


@lru_cache(maxsize=256)
def static(path: str) -> str:
    """`{% static %}`: the address of a file of the app's own, which does not change while
    the process runs."""
    return django_static(path)


@jinja2.pass_context
def querystring(context: jinja2.runtime.Context, **changes: Any) -> str:
    """`{% querystring %}`: this page's query string with `changes`."""
    return django_querystring(_RequestOnly(context["request"]), **changes)  # type: ignore[arg-type]


class _RequestOnly:
    def __init__(self, request: Any) -> None:
        self.request = request


def truncatechars(value: Any, length: Any) -> str:
    """Django's `truncatechars`. Text no longer than `length` is never cut (combining marks
    only make it count shorter), so it is only normalised as Django does, without Django's
    walk through it character by character."""
    if type(value) is str and type(length) is int and len(value) <= length:
        return unicodedata.normalize("NFC", value)
    return django_filters.truncatechars(value, length)


def date(value: Any, format: str | None = None) -> str:
    """Django's `date` filter, with the time in the active timezone as Django gives it.

    For a datetime or a date, the format is split into its letters once (`_format_pieces`),
    not at every value as `django.utils.dateformat` does, which takes a third of the time.
    Each letter is still written by Django's own `DateFormat`. A page writes a few dozen: a
    datetime is put in the active timezone, and a format that is not a setting's name is taken
    as it is, without the steps of `template_localtime` and `get_format` that cannot apply."""
    kind = type(value)
    if kind is datetime.datetime:
        # template_localtime: a datetime itself cannot carry `convert_to_local_time`.
        if settings.USE_TZ and value.utcoffset() is not None:
            value = value.astimezone(get_current_timezone())
    elif kind is not datetime.date:
        value = template_localtime(value)
        kind = type(value)
    if kind is datetime.datetime or kind is datetime.date:
        if type(format) is not str or not format or format in FORMAT_SETTINGS:
            format = get_format(format or "DATE_FORMAT")
        pieces, has_time_letters = _format_pieces(format)
        # A date with a time letter is Django's to refuse, as it does.
        if kind is datetime.datetime or not has_time_letters:
            written = DateFormat(value)
            return "".join(
                str(getattr(written, piece)()) if is_letter else piece
                for is_letter, piece in pieces
            )
    return django_filters.date(value, format)


@lru_cache(maxsize=128)
def _format_pieces(format: str) -> tuple[tuple[tuple[bool, str], ...], bool]:
    """The format's letters and, between them, its text (Formatter.format's split), and
    whether a letter is one of a time's, which a date does not have."""
    pieces = tuple(
        (True, piece) if index % 2 else (False, re_escaped.sub(r"\1", piece))
        for index, piece in enumerate(re_formatchars.split(format))
        if index % 2 or piece
    )
    has_time_letters = any(is_letter and hasattr(TimeFormat, piece) for is_letter, piece in pieces)
    return pieces, has_time_letters
