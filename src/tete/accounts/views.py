from __future__ import annotations

import logging
from typing import Any

from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordResetForm
from django.http import HttpResponse, HttpResponseRedirect

from tete import limits
from tete.accounts.models import Person
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
