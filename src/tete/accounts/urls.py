from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.urls import path
from django.views.decorators.http import require_http_methods

from tete.access import access
from tete.accounts.views import (
    PasswordChangeView,
    PasswordResetConfirmView,
    PasswordResetView,
    SignInView,
    confirm_email_change,
)

# Django's form views also accept PUT (as POST); only GET and POST are meant.
get_or_post = require_http_methods(["GET", "POST"])

# Django's own auth views, each given its access rule for the URL-walking test.
urlpatterns = [
    path(
        "login/",
        access("public")(get_or_post(SignInView.as_view())),
        name="login",
    ),
    path("logout/", access("public")(auth_views.LogoutView.as_view()), name="logout"),
    path(
        "password/reset/",
        access("public")(get_or_post(PasswordResetView.as_view())),
        name="password_reset",
    ),
    path(
        "password/reset/sent/",
        access("public")(auth_views.PasswordResetDoneView.as_view()),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        access("public")(get_or_post(PasswordResetConfirmView.as_view())),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/done/",
        access("public")(auth_views.PasswordResetCompleteView.as_view()),
        name="password_reset_complete",
    ),
    path(
        "password/change/",
        access("signed_in")(get_or_post(PasswordChangeView.as_view())),
        name="password_change",
    ),
    path(
        "password/change/done/",
        access("signed_in")(auth_views.PasswordChangeDoneView.as_view()),
        name="password_change_done",
    ),
    path("email/confirm/<str:token>/", confirm_email_change, name="confirm_email_change"),
]
