"""The Jinja2 templates render what the Django ones did (tete/jinja.py).

The pages themselves are compared byte for byte in tests/oneonones/test_page_html_unchanged.py;
here: the two base templates, the way values are written, and the bridges between the two
template languages.
"""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo

import pytest
from django import forms
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages import constants
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.base import SessionBase
from django.template import engines
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe

from tete.accounts.models import Person
from tete.leaders.backends import PersonBackend
from tete.oneonones import actions

PAGE = {
    "django": '{% extends "base.html" %}{% block title %}A “page”{% endblock %}'
    "{% block content %}<p>{{ text }}</p>{% endblock %}",
    "jinja2": '{% extends "base.html" %}{% block title %}A “page”{% endblock %}'
    "{% block content %}<p>{{ text }}</p>{% endblock %}",
}
_TOKEN = re.compile(r'(name="csrfmiddlewaretoken" value="|"X-CSRFToken": ")[^"]+"')


def _request(user, *, message: str | None = None):
    request = RequestFactory().get("/somewhere/?q=1")
    request.user = user
    request.session = SessionBase()
    request._messages = FallbackStorage(request)
    if message:
        request._messages.add(constants.SUCCESS, message)
    return request


def _render(engine: str, request, **context) -> str:
    template = engines[engine].from_string(PAGE[engine])
    return _TOKEN.sub(r"\1…", template.render({"text": "Bob's <b>", **context}, request))


@pytest.mark.parametrize("who", ["anonymous", "alice", "admin", "leader"])
@pytest.mark.parametrize("nav", [None, "home", "leaders"])
def test_the_two_base_templates_render_the_same_page(who, nav, alice, bob, admin):
    user = {"anonymous": AnonymousUser(), "alice": bob, "admin": admin, "leader": alice}[who]
    if who == "leader":  # Alice manages Bob, who manages Carl
        Person.objects.create_user("carl@example.com", name="Carl Lee", manager=bob)
    if user.is_authenticated:
        # As the sign-in middleware gives the person: with the leaders' view role read along.
        user = PersonBackend().get_user(user.pk)
    context = {"nav": nav} if nav else {}
    django_page = _render("django", _request(user, message="Saved “it” & more"), **context)
    jinja_page = _render("jinja2", _request(user, message="Saved “it” & more"), **context)
    assert jinja_page == django_page
    assert "Bob&#x27;s &lt;b&gt;" in jinja_page
    if who == "leader":
        assert 'href="/leaders/"' in jinja_page
    if user.is_authenticated:
        assert "Saved “it” &amp; more" in jinja_page
        assert 'name="csrfmiddlewaretoken"' in jinja_page


def test_values_are_written_as_django_templates_write_them(settings):
    moment = dt.datetime(2026, 3, 4, 23, 30, tzinfo=dt.UTC)
    values = {
        "quotes": 'It\'s "here" & <there>',
        "safe": mark_safe("<em>kept</em>"),
        "none": None,
        "number": 0.1 + 0.2,
        "count": 1234567,
        "moment": moment,
        "flag": True,
    }
    source = (
        "{{ quotes }}|{{ safe }}|{{ none }}|{{ number }}|{{ count }}|{{ moment }}|{{ flag }}|"
        "{{ missing }}|{{ missing.deeper }}|"
    )
    django_source = source + '{{ moment|date:"D j M H:i" }}|{{ 2|pluralize }}|{{ ""|default:"–" }}'
    jinja_source = source + '{{ moment|date("D j M H:i") }}|{{ 2|pluralize }}|{{ ""|default("–") }}'
    with timezone.override(zoneinfo.ZoneInfo("Asia/Tokyo")):
        django_text = engines["django"].from_string(django_source).render(values)
        jinja_text = engines["jinja2"].from_string(jinja_source).render(values)
    assert jinja_text == django_text
    # In the active timezone, escaped as Django escapes.
    assert "Thu 5 Mar 08:30" in jinja_text
    assert "It&#x27;s &quot;here&quot; &amp; &lt;there&gt;" in jinja_text


@pytest.mark.parametrize("zone", ["UTC", "Asia/Tokyo", "America/New_York"])
def test_the_date_filter_writes_every_format_as_djangos(zone):
    formats = [
        None,
        "DATE_FORMAT",
        "SHORT_DATETIME_FORMAT",
        "D j M H:i",
        "l, jS F Y \\a\\t P",
        "aAbcdDeEfFgGhHiIjlLmMnNoOPrsStTUuwWyYzZ",
        r"\Y\e\s: Y",
        "",
    ]
    values = [
        dt.datetime(2026, 3, 4, 23, 30, 5, 123, tzinfo=dt.UTC),
        dt.datetime(2026, 11, 1, 5, 30, tzinfo=dt.UTC),  # the night New York's clocks go back
        dt.datetime(2026, 7, 14, 12, 0),  # naive
        dt.date(2026, 7, 14),
        None,
        "",
        "not a date",
    ]
    django_date = engines["django"].from_string("{{ value|date:format }}")
    jinja_date = engines["jinja2"].from_string("{{ value|date(format) }}")
    with timezone.override(zoneinfo.ZoneInfo(zone)):
        for value in values:
            is_date = isinstance(value, dt.date) and not isinstance(value, dt.datetime)
            # Time letters are an error for a date, in both.
            for format in (
                [None, "DATE_FORMAT", "Y-m-d", "D j M Y", r"\o\n l jS"] if is_date else formats
            ):
                context = {"value": value, "format": format}
                assert jinja_date.render(context) == django_date.render(context), (value, format)


@pytest.mark.parametrize("use_tz", [True, False])
def test_the_date_filter_follows_use_tz_and_lazy_formats_as_djangos(settings, use_tz):
    from django.utils.functional import lazy

    settings.USE_TZ = use_tz
    lazy_format = lazy(lambda: "D j M H:i", str)()
    django_date = engines["django"].from_string("{{ value|date:format }}")
    jinja_date = engines["jinja2"].from_string("{{ value|date(format) }}")
    with timezone.override(zoneinfo.ZoneInfo("Asia/Tokyo")):
        for value in (
            dt.datetime(2026, 3, 4, 23, 30, tzinfo=dt.UTC),
            dt.datetime(2026, 3, 4, 23, 30),
        ):
            for format in ("D j M H:i", lazy_format, "SHORT_DATETIME_FORMAT"):
                context = {"value": value, "format": format}
                assert jinja_date.render(context) == django_date.render(context), (value, format)


def test_truncatechars_cuts_as_djangos():
    texts = ["", "short", "x" * 60, "y" * 61, "e\u0301" * 40, "é" * 70, 'It\'s "here" & <there>']
    django_cut = engines["django"].from_string("{{ text|truncatechars:length }}")
    jinja_cut = engines["jinja2"].from_string("{{ text|truncatechars(length) }}")
    for text in texts:
        for length in (0, 1, 10, 60):
            context = {"text": text, "length": length}
            assert jinja_cut.render(context) == django_cut.render(context), (text, length)


def test_a_jinja_page_masks_its_csrf_token_once_as_django_pages_do(client_for, meeting, bob):
    # Bob's home lists the action items he owes, each with its own form.
    for text in ("One", "Two", "Three"):
        actions.add_action_item(meeting, by=bob, text=text, owner=bob, due_date=None)
    page = client_for(bob).get(reverse("home")).content.decode()
    tokens = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert len(tokens) >= 4  # three items and signing out
    assert len(set(tokens)) == 1


def test_a_django_template_includes_a_jinja_one_with_its_context(bob):
    request = _request(bob)
    template = engines["django"].from_string(
        '{% load oneonones_tags %}{% with flags=flags %}{% jinja "oneonones/_flags.html" show_with=False %}{% endwith %}'
    )
    flag = {"oneonone_id": 7, "text": "Not met for 5 weeks", "key": "quiet", "url": ""}
    html = template.render({"flags": [flag]}, request)
    assert "Not met for 5 weeks" in html
    assert 'action="/one-on-ones/7/flags/dismiss/"' in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert 'name="next" value="/somewhere/?q=1"' in html


# includes/form_fields.html as a Django template, before it became a Jinja2 one: the reference.
DJANGO_FORM_FIELDS = """\
{% if form.non_field_errors %}<div class="form-errors" role="alert">{{ form.non_field_errors }}</div>{% endif %}
{% for field in form.hidden_fields %}{{ field }}{% endfor %}
{% for field in form.visible_fields %}
<div class="field{% if field.errors %} field--error{% endif %}{% if field.widget_type == 'checkbox' %} field--inline{% endif %}">
  {% if field.widget_type == 'checkbox' %}{{ field }}<label for="{{ field.id_for_label }}">{{ field.label }}</label>
  {% else %}<label for="{{ field.id_for_label }}">{{ field.label }}{% if field.field.required %} <span class="required-mark" aria-hidden="true">*</span>{% endif %}</label>
  {{ field }}{% endif %}
  {% if field.help_text %}<div class="field__help" id="{{ field.auto_id }}_helptext">{{ field.help_text|safe }}</div>{% endif %}
  {% if field.errors %}<ul class="errorlist" id="{{ field.auto_id }}_error">{% for error in field.errors %}<li>{{ error }}</li>{% endfor %}</ul>{% endif %}
</div>
{% endfor %}
"""


class _EveryKindOfField(forms.Form):
    token = forms.CharField(widget=forms.HiddenInput, initial="x<y")
    name = forms.CharField(label="Name & “title”", help_text="Shown to <em>both</em> of you")
    private = forms.BooleanField(label="Private", required=False)
    kind = forms.ChoiceField(choices=[("a", "A's"), ("b", "B")], required=False)
    when = forms.DateField(required=False)

    def clean(self):
        raise forms.ValidationError("Something's wrong <here>.")


@pytest.mark.parametrize("bound", [False, True])
def test_the_form_layout_writes_what_its_django_template_wrote(bound):
    form = _EveryKindOfField({"name": "", "when": "not a date"} if bound else None)
    if bound:
        assert not form.is_valid()
    expected = engines["django"].from_string(DJANGO_FORM_FIELDS).render({"form": form})
    from_jinja = engines["jinja2"].get_template("includes/form_fields.html").render({"form": form})
    from_django_page = (
        engines["django"]
        .from_string('{% jinja "includes/form_fields.html" form=form %}')
        .render({"form": form})
    )
    # The Jinja2 template starts with a comment line the reference does not have.
    assert from_jinja == "\n" + expected
    assert from_django_page == from_jinja
    if bound:
        assert "wrong &lt;here&gt;." in from_jinja
        assert 'id="id_when_error"' in from_jinja
    assert "Shown to <em>both</em> of you" in from_jinja
    assert "Name &amp; “title”" in from_jinja
