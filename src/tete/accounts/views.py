from __future__ import annotations

from typing import Any

from django.contrib.auth import views as auth_views

from tete.accounts.models import Person


class SignInView(auth_views.LoginView):
    """Django's sign-in, which also tells a fresh installation how to create its first admin."""

    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["first_run"] = not Person.objects.exists()
        return context
