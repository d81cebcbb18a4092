"""People pages: directory, person page, your profile, and staff administration.

Staff pages administer accounts only; nothing here shows one-on-one content.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST
from django_htmx.middleware import HtmxDetails

from tete import uploads
from tete.access import access
from tete.accounts import actions as account_actions
from tete.accounts.models import Person
from tete.people import actions
from tete.people.access import (
    find_invitation_by_token,
    get_invitation_for_staff,
    get_person_for,
    visible_people,
)
from tete.people.csv_import import parse_people_csv
from tete.people.forms import (
    AcceptInvitationForm,
    EmailChangeForm,
    ImportForm,
    InvitationForm,
    PeopleSearchForm,
    PersonAdminForm,
    ProfileForm,
)
from tete.people.models import Invitation


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


PEOPLE_PER_PAGE = 24
INVITATIONS_PER_PAGE = 50


def _viewer(request: HttpRequest) -> Person:
    # @access guarantees a signed-in person for every rule but "public".
    assert isinstance(request.user, Person)
    return request.user


def _posted(request: HttpRequest) -> QueryDict | None:
    """The submitted data for a POST (even an empty one, so it shows "required" errors)."""
    return request.POST if request.method == "POST" else None


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/")


# Directory and person pages ------------------------------------------------------------------


@access("signed_in")
@require_http_methods(["GET"])
def directory(request: HtmxHttpRequest) -> HttpResponse:
    viewer = _viewer(request)
    form = PeopleSearchForm(request.GET or None, staff=viewer.is_staff)
    people = _filtered_people(viewer, form)
    page = Paginator(people, PEOPLE_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"nav": "people", "form": form, "page": page, "query": query.urlencode()}
    template = "people/directory.html"
    if request.htmx and not request.htmx.boosted:
        template += "#results"
    return render(request, template, context)


def _filtered_people(viewer: Person, form: PeopleSearchForm) -> QuerySet[Person]:
    people = visible_people(viewer)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    status = data.get("status", "")
    if status == "invited":
        people = people.filter(is_active=False, deactivated_at__isnull=True)
    elif status == "deactivated":
        people = people.filter(is_active=False, deactivated_at__isnull=False)
    elif status != "all":
        people = people.filter(is_active=True)
    if query := data.get("q"):
        people = people.filter(
            Q(name__icontains=query) | Q(title__icontains=query) | Q(email__icontains=query)
        )
    if team := data.get("team"):
        people = people.filter(team=team)
    return people.order_by("name", "pk")


@access("signed_in")
@require_http_methods(["GET"])
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = _viewer(request)
    person = get_person_for(viewer, pk)
    reports = visible_people(viewer).filter(manager=person)
    if not viewer.is_staff:
        reports = reports.filter(is_active=True)
    context = {
        "nav": "people",
        "person": person,
        "reports": reports,
        "local_time": timezone.now().astimezone(person.tzinfo),
        "start_url": _start_oneonone_url(viewer, person),
        "pending_invitation": person.invitations.pending().first() if viewer.is_staff else None,
    }
    return render(request, "people/person.html", context)


def _start_oneonone_url(viewer: Person, person: Person) -> str | None:
    if person.pk == viewer.pk or not person.is_active:
        return None
    return reverse("oneonones:start") + f"?with={person.pk}"


@access("signed_in")
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    viewer = _viewer(request)
    if request.method == "POST":
        form = ProfileForm(request.POST)
        if form.is_valid():
            actions.update_profile(
                viewer,
                name=form.cleaned_data["name"],
                title=form.cleaned_data["title"],
                timezone_name=form.cleaned_data["timezone"],
                location=form.cleaned_data["location"],
                meeting_reminders=form.cleaned_data["meeting_reminders"],
            )
            messages.success(request, "Your profile is saved.")
            return redirect("people:profile")
    else:
        form = ProfileForm(initial=ProfileForm.initial_for(viewer))
    return render(request, "people/profile.html", {"nav": "people", "form": form})


@access("signed_in")
@require_http_methods(["GET", "POST"])
def email_change(request: HttpRequest) -> HttpResponse:
    """Move one's own account to another address: confirmed there, the old one is told."""
    viewer = _viewer(request)
    form = EmailChangeForm(_posted(request), person=viewer, request=request)
    if request.method == "POST" and form.is_valid():
        try:
            change = account_actions.request_email_change(
                viewer, form.cleaned_data["email"], by=viewer, base_url=_base_url(request)
            )
        except account_actions.AccountError as error:
            form.add_error("email", str(error))
        else:
            _report_email_change(request, viewer, change)
            return redirect("people:profile")
    return render(request, "people/email_change.html", {"nav": "people", "form": form})


def _report_email_change(
    request: HttpRequest, person: Person, change: account_actions.EmailChangeRequest | None
) -> None:
    if change is None:
        messages.success(request, f"The change of address is withdrawn: {person.email} stays.")
        return
    you = person.pk == _viewer(request).pk
    if not change.link_sent:
        messages.warning(
            request,
            f"The confirmation email to {change.new_email} could not be sent. "
            "Check the email settings, then ask again.",
        )
    elif you:
        messages.success(
            request,
            f"A confirmation link is on its way to {change.new_email}; "
            f"{person.email} was told too.",
        )
    else:
        messages.success(
            request,
            f"A confirmation link was sent to {change.new_email}; {person.first_name}'s "
            f"address changes once it is followed. {person.email} was told.",
        )


# Staff: a person's place in the organisation, deactivation --------------------------------


@access("staff")
@require_http_methods(["GET", "POST"])
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = _viewer(request)
    person = get_person_for(viewer, pk)
    form = PersonAdminForm(_posted(request), person=person)
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_person(
                person,
                title=form.cleaned_data["title"],
                team=form.cleaned_data["team"],
                manager=form.cleaned_data["manager"],
                new_team_name=form.cleaned_data["new_team"],
            )
        except actions.PeopleError as error:
            form.add_error("manager", str(error))
        else:
            messages.success(request, f"{person} is updated.")
            if form.cleaned_data["email"] != person.email:
                _ask_email_change(request, person, form.cleaned_data["email"])
            return redirect("people:person", pk=person.pk)
    return render(
        request, "people/person_edit.html", {"nav": "people", "person": person, "form": form}
    )


def _ask_email_change(request: HttpRequest, person: Person, new_email: str) -> None:
    try:
        change = account_actions.request_email_change(
            person, new_email, by=_viewer(request), base_url=_base_url(request)
        )
    except account_actions.AccountError as error:
        messages.error(request, str(error))
    else:
        _report_email_change(request, person, change)


@access("staff")
@require_POST
def person_password_reset(request: HttpRequest, pk: int) -> HttpResponse:
    """Email the person a link to choose a new password: staff never set one themselves."""
    viewer = _viewer(request)
    person = get_person_for(viewer, pk)
    try:
        sent = account_actions.send_password_reset(person, by=viewer, base_url=_base_url(request))
    except account_actions.AccountError as error:
        messages.error(request, str(error))
    else:
        if sent:
            messages.success(
                request, f"A link to choose a new password was sent to {person.email}."
            )
        else:
            messages.warning(
                request,
                f"The email to {person.email} could not be sent. Check the email settings, "
                "then try again.",
            )
    return redirect("people:person", pk=person.pk)


@access("staff")
@require_POST
def person_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = _viewer(request)
    person = get_person_for(viewer, pk)
    try:
        actions.deactivate_person(person, by=viewer)
    except actions.PeopleError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            f"{person} is deactivated and can no longer sign in. "
            "The people they met keep their shared history.",
        )
    return redirect("people:person", pk=person.pk)


@access("staff")
@require_POST
def person_reactivate(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_person_for(_viewer(request), pk)
    try:
        actions.reactivate_person(person)
    except actions.PeopleError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"{person} can sign in again.")
    return redirect("people:person", pk=person.pk)


# Staff: invitations ------------------------------------------------------------------------


@access("staff")
@require_http_methods(["GET", "POST"])
def invitations(request: HttpRequest) -> HttpResponse:
    viewer = _viewer(request)
    form = InvitationForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            sent = actions.invite_person(
                by=viewer, base_url=_base_url(request), **form.cleaned_data
            )
        except actions.PeopleError as error:
            form.add_error("email", str(error))
        else:
            _report_sending(request, sent)
            return redirect("people:invitations")
    pending = Invitation.objects.pending().select_related("person", "invited_by")
    page = Paginator(pending, INVITATIONS_PER_PAGE).get_page(request.GET.get("page"))
    context = {"nav": "people", "form": form, "page": page}
    return render(request, "people/invitations.html", context)


def _report_sending(request: HttpRequest, sent: actions.SentInvitation) -> None:
    email = sent.invitation.person.email
    if sent.emailed:
        messages.success(request, f"Invitation sent to {email}.")
    else:
        messages.warning(
            request,
            f"The invitation for {email} is ready, but the email could not be sent. "
            "Check the email settings, then resend it.",
        )


@access("staff")
@require_POST
def invitation_resend(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    invitation = get_invitation_for_staff(_viewer(request), pk)
    note = ""
    try:
        sent = actions.resend_invitation(
            invitation, by=_viewer(request), base_url=_base_url(request)
        )
    except actions.PeopleError as error:
        note = str(error)
    else:
        invitation = sent.invitation
        note = "Sent again." if sent.emailed else "Could not send the email."
        if not request.htmx:
            _report_sending(request, sent)
    return _invitation_row_or_list(request, invitation, note)


@access("staff")
@require_POST
def invitation_revoke(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    invitation = get_invitation_for_staff(_viewer(request), pk)
    try:
        actions.revoke_invitation(invitation)
    except actions.PeopleError as error:
        note = str(error)
    else:
        note = "Revoked: the link no longer works."
        if not request.htmx:
            messages.success(request, f"The invitation for {invitation.person.email} is revoked.")
    return _invitation_row_or_list(request, invitation, note)


def _invitation_row_or_list(
    request: HtmxHttpRequest, invitation: Invitation, note: str
) -> HttpResponse:
    if request.htmx:
        context = {"invitation": invitation, "note": note}
        return render(request, "people/invitations.html#invitation_row", context)
    return HttpResponseRedirect(reverse("people:invitations"))


@access("public")
@require_http_methods(["GET", "POST"])
def accept_invitation(request: HttpRequest, token: str) -> HttpResponse:
    invitation = find_invitation_by_token(token)
    if invitation is None or invitation.state != "pending":
        return _closed_invitation(request, invitation)
    person = invitation.person
    initial = {"name": person.name, "timezone": person.timezone}
    form = AcceptInvitationForm(_posted(request), person=person, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            person = actions.accept_invitation(
                invitation,
                name=form.cleaned_data["name"],
                password=form.cleaned_data["password1"],
                timezone_name=form.cleaned_data["timezone"],
            )
        except actions.PeopleError:
            invitation.refresh_from_db()
            return _closed_invitation(request, invitation)
        login(request, person, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, f"Welcome to Tête-à-tête, {person.first_name}.")
        return redirect("home")
    context = {"invitation": invitation, "person": person, "form": form}
    return render(request, "people/accept_invitation.html", context)


def _closed_invitation(request: HttpRequest, invitation: Invitation | None) -> HttpResponse:
    """A clear page for a link that cannot be used, instead of an error page."""
    state = invitation.state if invitation else "unknown"
    context: dict[str, Any] = {"invitation": invitation, "state": state}
    # 404 for a link we never issued; 410 Gone for one that was valid once.
    status = 404 if invitation is None else 410
    return render(request, "people/invitation_closed.html", context, status=status)


# Staff: CSV import -------------------------------------------------------------------------


@access("staff")
@require_http_methods(["GET", "POST"])
def import_people(request: HttpRequest) -> HttpResponse:
    form = ImportForm(
        _posted(request),
        request.FILES if request.method == "POST" else None,
        refusal=uploads.refusal(request),
    )
    context: dict[str, Any] = {"nav": "people", "form": form}
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        parsed = parse_people_csv(
            upload.read(), actions.existing_managers(), settings.TETE_MAX_UPLOAD_BYTES
        )
        context.update(parsed=parsed, filename=upload.name)
        if parsed.ok:
            context["summary"] = actions.import_people(
                parsed.rows, by=_viewer(request), base_url=_base_url(request)
            )
            return render(request, "people/import_done.html", context)
    return render(request, "people/import.html", context)
