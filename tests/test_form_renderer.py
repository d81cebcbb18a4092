"""Widgets rendered with Jinja2 (tete/form_renderer.py) give Django's own markup, byte for byte."""

from __future__ import annotations

import datetime as dt

import pytest
from django import forms
from django.contrib.admin.widgets import AdminDateWidget, FilteredSelectMultiple
from django.forms.renderers import DjangoTemplates

from tete.form_renderer import FormRenderer

CHOICES = [("a", "Apple"), ("b", "Banana"), ("Group", [("c", "Cherry"), ("d", "Date & <fig>")])]


class EveryWidget(forms.Form):
    text = forms.CharField(help_text="Say <b>it</b>", max_length=20)
    number = forms.IntegerField(required=False)
    secret = forms.CharField(widget=forms.PasswordInput)
    hidden = forms.CharField(widget=forms.HiddenInput)
    many_hidden = forms.MultipleChoiceField(choices=CHOICES, widget=forms.MultipleHiddenInput)
    email = forms.EmailField()
    url = forms.URLField(required=False, assume_scheme="https")
    body = forms.CharField(widget=forms.Textarea)
    when = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    at = forms.DateTimeField(required=False)
    clock = forms.TimeField(required=False)
    split = forms.SplitDateTimeField(required=False)
    flag = forms.BooleanField(required=False)
    nullable = forms.NullBooleanField(required=False)
    one = forms.ChoiceField(choices=CHOICES)
    radio = forms.ChoiceField(choices=CHOICES, widget=forms.RadioSelect)
    several = forms.MultipleChoiceField(choices=CHOICES)
    boxes = forms.MultipleChoiceField(choices=CHOICES, widget=forms.CheckboxSelectMultiple)
    upload = forms.FileField(required=False)
    picture = forms.FileField(required=False, widget=forms.ClearableFileInput)
    birthday = forms.DateField(widget=forms.SelectDateWidget(years=[2000, 2001]), required=False)
    admin_date = forms.DateField(widget=AdminDateWidget, required=False)
    admin_many = forms.MultipleChoiceField(
        choices=CHOICES, required=False, widget=FilteredSelectMultiple("fruit", is_stacked=False)
    )


DATA = {
    "text": "x" * 30,  # too long: errors rendered too
    "number": "not a number",
    "secret": "s3cret",
    "hidden": "<h>",
    "many_hidden": ["a", "c"],
    "email": "ann@example.com",
    "body": "line one\nline <two> & three",
    "when": "2026-12-07",
    "at": "2026-12-07 10:30",
    "split_0": "2026-12-07",
    "split_1": "10:30",
    "flag": "on",
    "nullable": "true",
    "one": "d",
    "radio": "b",
    "several": ["a", "d"],
    "boxes": ["c"],
    "birthday_year": "2001",
    "birthday_month": "2",
    "birthday_day": "3",
}


def _render(form_kwargs: dict, renderer) -> list[str]:
    form = EveryWidget(renderer=renderer, **form_kwargs)
    return [str(field) for field in form] + [str(form.errors), form.as_div()]


@pytest.mark.parametrize(
    "form_kwargs",
    [
        {},
        {"data": DATA},
        {"initial": {"when": dt.date(2026, 1, 5), "one": "a", "text": "‘quoted’ & more"}},
    ],
    ids=["empty", "bound with errors", "initial"],
)
def test_every_widget_renders_as_with_djangos_templates(form_kwargs):
    assert _render(form_kwargs, FormRenderer()) == _render(form_kwargs, DjangoTemplates())


def test_a_form_with_errors_renders_its_error_lists():
    rendered = _render({"data": DATA}, FormRenderer())
    assert 'class="errorlist"' in rendered[-2]
