from __future__ import annotations

import logging
from typing import Any

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordChangeForm, PasswordResetForm, SetPasswordForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from tete import limits
from tete.access import access
from tete.accounts import actions
from tete.accounts.models import Person
from tete.accounts.reauth import CountedPasswordChangeForm, OwnPasswordForm, is_own_password
from tete.accounts.sign_in_guard import client_address

log = logging.getLogger(__name__)


class SignInView(auth_views.LoginView):
    """Django's sign-in, which also tells a fresh installation how to create its first admin."""

    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["first_run"] = not Person.objects.exists()
        return context


class PasswordResetView(auth_views.PasswordResetView):
    """Django's password reset, limited per address asked for and per client address.

    Past either limit (TETE_RATE_LIMITS) no email is sent, but the answer is the same page as
    ever: it tells nothing about the address, not even that someone flooded it.
    """

    def form_valid(self, form: PasswordResetForm) -> HttpResponse:
        email = form.cleaned_data["email"].strip().lower()
        refusal = limits.check("password_resets_per_client", client_address(self.request))
        if refusal is None:
            refusal = limits.check("password_resets_per_email", email)
        if refusal is not None:
            log.warning("Password reset email not sent: over the limit of %s.", refusal.limit_text)
            return HttpResponseRedirect(self.get_success_url())
        return super().form_valid(form)


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's password change (this session stays signed in, the others end), which also
    tells the person by email."""

    form_class = CountedPasswordChangeForm

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "request": self.request}

    def form_valid(self, form: PasswordChangeForm) -> HttpResponse:
        response = super().form_valid(form)
        actions.password_changed(form.user, base_url=self.request.build_absolute_uri("/"))
        return response


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Django's reset link (every session of the person ends), which also tells them."""

    def form_valid(self, form: SetPasswordForm[Person]) -> HttpResponse:
        response = super().form_valid(form)
        actions.password_changed(form.user, base_url=self.request.build_absolute_uri("/"))
        return response


@access("public")
@require_http_methods(["GET", "POST"])
def confirm_email_change(request: HttpRequest, token: str) -> HttpResponse:
    """The link emailed to a new address. Following it shows a button; only the POST changes
    the address (a GET never writes, and mail scanners open links)."""
    found = actions.email_change_for_token(token)
    if found is None:
        return render(request, "accounts/email_change_invalid.html", status=410)
    person, new_email = found.person, found.new_email
    # Staff asked: the person's own password says it is them at the new address, not whoever
    # holds it (wrong answers count as failed sign-ins).
    posted = request.POST if request.method == "POST" else None
    form = None if found.by_self else OwnPasswordForm(posted)
    if request.method == "POST" and form is not None:
        password = form.data.get("password", "")
        if not (form.is_valid() and is_own_password(request, person, str(password))):
            form.add_error("password", "That is not the account's password.")
    if request.method == "POST" and (form is None or not form.errors):
        try:
            actions.confirm_email_change(person, new_email, request=request)
        except actions.AccountError as error:
            return render(
                request, "accounts/email_change_invalid.html", {"error": str(error)}, status=409
            )
        messages.success(request, f"Your account now signs in with {new_email}.")
        if request.user.is_authenticated and request.user.pk == person.pk:
            return redirect("people:profile")
        return redirect("login")
    context = {"person": person, "new_email": new_email, "form": form}
    status = 400 if form is not None and form.errors else 200
    return render(request, "accounts/email_change_confirm.html", context, status=status)
