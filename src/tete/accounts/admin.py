"""Admin for people, teams and background-task results; nothing here holds one-on-one content.

People are administered here as in the app (tete.people): staff never set a password and
never delete anyone. Adding a person sends them an invitation, a new email address is used
once its owner confirms it, a forgotten password is solved by a reset email, and people are
retired by deactivation, which keeps their one-on-ones for the other participant.
"""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import URLPattern, path, reverse
from django.views.decorators.http import require_POST
from django_tasks_db.models import DBTaskResult

from tete.accounts import actions as account_actions
from tete.accounts.models import Person, Team
from tete.oneonones import versions
from tete.people import actions as people_actions


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/")


def _staff(request: HttpRequest) -> Person:
    assert isinstance(request.user, Person)  # the admin lets staff in only
    return request.user


class PersonAddForm(forms.ModelForm):
    """Who to invite: the person chooses their password from the invitation email."""

    class Meta:
        model = Person
        fields = ["email", "name", "title", "team", "manager"]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    ordering = ["name"]
    list_display = ["name", "email", "title", "team", "manager", "status", "is_staff"]
    list_filter = ["is_active", "is_staff", "team"]
    search_fields = ["name", "email", "title"]
    fieldsets = (
        (None, {"fields": ("email", "pending_email", "status")}),
        (
            "Profile",
            {"fields": ("name", "title", "team", "manager", "timezone", "location", "start_date")},
        ),
        ("Permissions", {"fields": ("is_staff", "is_superuser", "groups")}),
        ("Dates", {"fields": ("last_login", "date_joined", "deactivated_at")}),
    )
    add_fieldsets = ((None, {"fields": ("email", "name", "title", "team", "manager")}),)
    readonly_fields = ["pending_email", "status", "last_login", "date_joined", "deactivated_at"]
    autocomplete_fields = ["manager"]
    filter_horizontal = ["groups"]
    actions = ["send_password_reset", "deactivate"]
    change_form_template = "admin/accounts/person/change_form.html"

    # Staff retire people by deactivation; deleting would take their one-on-ones with them.
    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        return self.add_fieldsets if obj is None else self.fieldsets

    def get_form(
        self, request: Any, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> type[ModelForm[Any]]:
        if obj is None:
            kwargs["form"] = PersonAddForm
        return super().get_form(request, obj, change, **kwargs)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        fields = list(self.readonly_fields)
        if not request.user.is_superuser:
            # Only a superuser makes superusers.
            fields.append("is_superuser")
        return fields

    @admin.display(description="Status")
    def status(self, person: Person) -> str:
        return person.status

    def save_model(self, request: HttpRequest, obj: Person, form: Any, change: bool) -> None:
        if not change:
            self._invite(request, obj)
            return
        new_email = obj.email
        if "email" in form.changed_data:
            # The address changes once its owner confirms it, never by this form.
            obj.email = form.initial["email"]
        super().save_model(request, obj, form, change)
        # Names show on one-on-one pages, which are cached by content version.
        versions.bump_for_person(obj.pk)
        if "email" in form.changed_data:
            self._ask_email_change(request, obj, new_email)

    def _invite(self, request: HttpRequest, obj: Person) -> None:
        sent = people_actions.invite_person(
            by=_staff(request),
            email=obj.email,
            name=obj.name,
            title=obj.title,
            team=obj.team,
            manager=obj.manager,
            base_url=_base_url(request),
        )
        obj.pk = sent.invitation.person.pk
        obj._state.adding = False
        obj.refresh_from_db()
        if sent.emailed:
            self.message_user(request, f"An invitation to join was sent to {obj.email}.")
        else:
            self.message_user(
                request,
                f"The invitation for {obj.email} is ready, but the email could not be sent: "
                "resend it from People › Invite people.",
                messages.WARNING,
            )

    def _ask_email_change(self, request: HttpRequest, person: Person, new_email: str) -> None:
        try:
            change = account_actions.request_email_change(
                person, new_email, by=_staff(request), base_url=_base_url(request)
            )
        except account_actions.AccountError as error:
            self.message_user(request, str(error), messages.ERROR)
            return
        if change is not None and change.link_sent:
            self.message_user(
                request,
                f"A confirmation link was sent to {new_email}; {person}'s address changes "
                f"once it is followed. {person.email} was told.",
            )
        elif change is not None:
            self.message_user(
                request,
                f"The confirmation email to {new_email} could not be sent.",
                messages.WARNING,
            )

    def construct_change_message(
        self, request: HttpRequest, form: Any, formsets: Any, add: bool = False
    ) -> list[dict[str, Any]]:
        change_message: list[dict[str, Any]] = super().construct_change_message(
            request, form, formsets, add
        )
        # The history says what happened: an address was asked for, not changed.
        text = json.dumps(change_message).replace('"Email"', '"Email change asked for"')
        return list(json.loads(text))

    # Actions and the change page's button ------------------------------------------------

    @admin.action(description="Send password reset email")
    def send_password_reset(self, request: HttpRequest, queryset: QuerySet[Person]) -> None:
        sent = []
        for person in queryset:
            try:
                if account_actions.send_password_reset(
                    person, by=_staff(request), base_url=_base_url(request)
                ):
                    sent.append(person.email)
            except account_actions.AccountError as error:
                self.message_user(request, str(error), messages.WARNING)
        if sent:
            self.message_user(
                request, f"A link to choose a new password was sent to {', '.join(sent)}."
            )

    @admin.action(description="Deactivate (they can no longer sign in; nothing is deleted)")
    def deactivate(self, request: HttpRequest, queryset: QuerySet[Person]) -> None:
        done = []
        for person in queryset.filter(is_active=True):
            try:
                people_actions.deactivate_person(person, by=_staff(request))
            except people_actions.PeopleError as error:
                self.message_user(request, str(error), messages.WARNING)
            else:
                done.append(str(person))
        if done:
            self.message_user(request, f"Deactivated: {', '.join(done)}.")

    def get_urls(self) -> list[URLPattern]:
        own = [
            path(
                "<path:object_id>/password-reset/",
                self.admin_site.admin_view(require_POST(self.password_reset_view)),
                name="accounts_person_password_reset",
            )
        ]
        return own + super().get_urls()

    def password_reset_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        person = get_object_or_404(Person, pk=object_id)
        if not self.has_change_permission(request, person):
            return HttpResponseRedirect(reverse("admin:index"))
        self.send_password_reset(request, Person.objects.filter(pk=person.pk))
        return HttpResponseRedirect(reverse("admin:accounts_person_change", args=[person.pk]))


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    search_fields = ["name"]


# django-tasks-db's own admin shows each task's arguments, return value and traceback. Tasks
# take ids only, but an exception's message can quote what it was reading: show none of them.
admin.site.unregister(DBTaskResult)
TASK_RESULT_FIELDS = [
    "id",
    "task_path",
    "status",
    "queue_name",
    "priority",
    "enqueued_at",
    "started_at",
    "finished_at",
    "exception_class_path",
    "worker_ids",
]


@admin.register(DBTaskResult)
class TaskResultAdmin(admin.ModelAdmin):
    # task_path, not django-tasks-db's task_name: that imports the task, which fails for a task
    # renamed since, or queued for another backend than the one configured now.
    list_display = ["id", "task_path", "status", "enqueued_at", "started_at", "finished_at"]
    list_filter = ["status", "queue_name"]
    ordering = ["-enqueued_at"]
    readonly_fields = TASK_RESULT_FIELDS

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return TASK_RESULT_FIELDS

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
