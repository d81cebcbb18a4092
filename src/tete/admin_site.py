"""Django's admin, unable to show one-on-one content (DESIGN.md access rule 1).

Whatever registers with it (our admins, and those of django-axes, django-tasks-db and
Django's auth):

* no model of the one-on-one, report or survey apps can be registered at all;
* a delete confirmation counts the related objects by type ("37 talking points") instead
  of listing each one by its `str()`;
* the admin's "Change password" is the app's own page, which emails the person; there is
  no page where staff set someone else's password (see accounts/admin.py).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.contrib.admin.utils import NestedObjects
from django.core.exceptions import ImproperlyConfigured
from django.db import models, router
from django.db.models.base import ModelBase
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

# Apps whose every model is one-on-one content or survey answers.
CONTENT_APPS = frozenset({"oneonones", "reports", "surveys"})


def count_by_type(objects: Iterable[models.Model]) -> list[str]:
    """ "37 talking points", "1 person": how many objects of each type, never which."""
    counts = Counter(type(obj) for obj in objects)
    return [
        f"{count} {model._meta.verbose_name if count == 1 else model._meta.verbose_name_plural}"
        for model, count in sorted(counts.items(), key=lambda item: item[0]._meta.label)
    ]


class CountsOnlyDeleteMixin:
    """Delete confirmations (one object, or "delete selected") that name no related object."""

    model: type[models.Model]

    def get_deleted_objects(
        self, objs: Any, request: HttpRequest
    ) -> tuple[list[str], dict[str, int], set[str], list[str]]:
        _, model_count, perms_needed, _ = super().get_deleted_objects(objs, request)  # type: ignore[misc]
        collector = NestedObjects(using=router.db_for_write(self.model), origin=objs)
        collector.collect(objs)
        deleted = [obj for group in collector.model_objs.values() for obj in group]
        return count_by_type(deleted), model_count, perms_needed, count_by_type(collector.protected)


class TeteAdminSite(admin.AdminSite):
    site_header = "Tête-à-tête administration"
    site_title = "Tête-à-tête admin"
    index_title = "People and accounts"

    def register(
        self,
        model_or_iterable: Any,
        admin_class: type[admin.ModelAdmin[Any]] | None = None,
        **options: Any,
    ) -> None:
        model_list: list[Any] = (
            [model_or_iterable]
            if isinstance(model_or_iterable, ModelBase)
            else list(model_or_iterable)
        )
        for model in model_list:
            if model._meta.app_label in CONTENT_APPS:
                raise ImproperlyConfigured(
                    f"{model._meta.label} holds one-on-one content or survey answers: "
                    "it cannot be registered in the admin (DESIGN.md access rule 1)."
                )
        admin_class = admin_class or admin.ModelAdmin
        if not issubclass(admin_class, CountsOnlyDeleteMixin):
            admin_class = type(
                admin_class.__name__,
                (CountsOnlyDeleteMixin, admin_class),
                {"__module__": admin_class.__module__},
            )
        super().register(model_list, admin_class, **options)

    def password_change(  # type: ignore[override]
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        # The app's page, which tells the person by email; one place for every change.
        return redirect("password_change")

    def password_change_done(  # type: ignore[override]
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        return redirect("password_change_done")


class TeteAdminConfig(AdminConfig):
    default_site = "tete.admin_site.TeteAdminSite"
