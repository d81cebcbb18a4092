"""Form widgets rendered with Jinja2: the same markup as Django's own widget templates."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import django.forms
import jinja2
from django.forms.renderers import DjangoTemplates, Jinja2
from django.utils.functional import cached_property

FORMS = Path(django.forms.__file__).parent
IN_JINJA2 = ("django/forms/widgets/", "django/forms/errors/")
MULTI_PART = frozenset(
    f"django/forms/widgets/{name}.html"
    for name in (
        "multiwidget",
        "multiple_hidden",
        "splitdatetime",
        "splithiddendatetime",
        "select_date",
    )
)


class _EndingsAsDjangosLoader(jinja2.FileSystemLoader):
    """Ends each widget template as its Django-template twin ends: with its last newline,
    except where the twin has none (the attribute and error list templates)."""

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        source, filename, uptodate = super().get_source(environment, template)
        twin = FORMS / "templates" / template
        if source.endswith("\n") and twin.is_file() and not twin.read_text().endswith("\n"):
            source = source[:-1]
        return source, filename, uptodate


class FormRenderer(Jinja2):
    """Django's Jinja2 widget set, which renders a widget several times faster than the
    Django-template one (a page with three forms spent a quarter of its time in them).

    The markup stays byte for byte as before (tests/test_form_renderer.py renders every
    widget both ways). Only Django's widgets and error lists are rendered with Jinja2; the
    rest is left to Django's templates: the admin's widgets (no Jinja2 templates), whole-form
    layouts (the pages lay out their fields themselves), and the multi-part widgets, whose
    Django template removes the space between parts with `{% spaceless %}`, which Jinja2
    lacks.
    """

    def get_template(self, template_name: str) -> Any:
        if template_name.startswith(IN_JINJA2) and template_name not in MULTI_PART:
            return self.engine.get_template(template_name)
        return self._django_templates.get_template(template_name)

    @cached_property
    def _django_templates(self) -> DjangoTemplates:
        return DjangoTemplates()

    @cached_property
    def engine(self) -> Any:
        return self.backend(
            {
                "APP_DIRS": False,
                "DIRS": [],
                "NAME": "djangoforms",
                "OPTIONS": {
                    "keep_trailing_newline": True,
                    "loader": _EndingsAsDjangosLoader([FORMS / "jinja2"]),
                },
            }
        )
