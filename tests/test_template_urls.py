"""`{% url %}` remembers addresses (tete/template_urls.py) and writes what Django's tag writes."""

from __future__ import annotations

import pytest
from django.template import Context, Engine
from django.test import override_settings
from django.urls import NoReverseMatch, clear_script_prefix, set_script_prefix
from django.utils.safestring import mark_safe

from tete import template_urls

# Django's own engine, without the project's builtins, to compare against.
DJANGOS = Engine()
OURS = Engine(builtins=["tete.template_urls"])

SOURCES = [
    "{% url 'home' %}",
    "{% url 'oneonones:meeting' 42 %}",
    "{% url 'oneonones:meeting' pk %}",
    "{% url 'oneonones:meeting' pk=42 %}",
    "{% url 'oneonones:meeting' text_pk %}",
    "{% url 'oneonones:meeting' 42 as address %}[{{ address }}]",
    "{% url 'no-such-view' as address %}[{{ address }}]",
    "{% url name 7 %}",
]
CONTEXT = {"pk": 42, "text_pk": "43", "name": "oneonones:detail"}


@pytest.fixture(autouse=True)
def _forget():
    template_urls._reverse.cache_clear()
    yield
    template_urls._reverse.cache_clear()


@pytest.mark.parametrize("source", SOURCES)
def test_the_same_address_as_djangos_tag_first_and_when_remembered(source):
    expected = DJANGOS.from_string(source).render(Context(CONTEXT))
    template = OURS.from_string(source)
    assert template.render(Context(CONTEXT)) == expected
    assert template.render(Context(CONTEXT)) == expected


def test_a_second_rendering_is_remembered_and_other_arguments_are_not_confused():
    template = OURS.from_string("{% url 'oneonones:meeting' pk %}")
    assert template.render(Context({"pk": 1})) == "/meetings/1/"
    assert template.render(Context({"pk": 1})) == "/meetings/1/"
    assert template_urls._reverse.cache_info().hits == 1
    assert template.render(Context({"pk": 2})) == "/meetings/2/"


def test_an_unknown_view_still_raises():
    with pytest.raises(NoReverseMatch):
        OURS.from_string("{% url 'no-such-view' %}").render(Context())


def test_an_argument_other_than_a_plain_number_or_text_is_not_remembered():
    template = OURS.from_string("{% url 'oneonones:meeting' 42 %}{% url 'oneonones:meeting' pk %}")
    assert template.render(Context({"pk": mark_safe("42")})) == "/meetings/42/" * 2
    assert template_urls._reverse.cache_info().currsize == 1


def test_a_script_prefix_is_part_of_the_address():
    template = OURS.from_string("{% url 'home' %}")
    assert template.render(Context()) == "/"
    set_script_prefix("/tete/")
    try:
        assert template.render(Context()) == "/tete/"
    finally:
        clear_script_prefix()
        set_script_prefix("/")
    assert template.render(Context()) == "/"


def test_another_url_configuration_is_not_served_from_the_first():
    template = OURS.from_string("{% url 'home' %}")
    assert template.render(Context()) == "/"
    with override_settings(ROOT_URLCONF="tests.urls_under_app"):
        assert template.render(Context()) == "/app/"


def test_each_request_reads_its_own_base_once(rf):
    """The script prefix and URL configuration are read once per request's page: another
    request, under another prefix, gets its own addresses."""
    from django.template import RequestContext

    template = OURS.from_string("{% url 'home' %}|{% url 'oneonones:meeting' 3 %}")
    first = rf.get("/")
    assert template.render(RequestContext(first)) == "/|/meetings/3/"
    set_script_prefix("/tete/")
    try:
        # The first request's page was made under "/": its base stays with it.
        assert template.render(RequestContext(first)) == "/|/meetings/3/"
        assert template.render(RequestContext(rf.get("/"))) == "/tete/|/tete/meetings/3/"
    finally:
        clear_script_prefix()
        set_script_prefix("/")


def test_the_jinja_pages_write_the_same_addresses_under_a_script_prefix(rf):
    from django.template import engines

    jinja = engines["jinja2"].from_string("{{ url('home') }}|{{ url('oneonones:meeting', 3) }}")
    set_script_prefix("/tete/")
    try:
        assert jinja.render({}, rf.get("/")) == "/tete/|/tete/meetings/3/"
    finally:
        clear_script_prefix()
        set_script_prefix("/")
    assert jinja.render({}, rf.get("/")) == "/|/meetings/3/"
