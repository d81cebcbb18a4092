from __future__ import annotations

from django.urls import path

from tete.people import views

# Access rules are on the views (@access); docs/people.md lists them.
app_name = "people"
urlpatterns = [
    path("", views.directory, name="directory"),
    path("me/", views.profile, name="profile"),
    path("me/email/", views.email_change, name="email_change"),
    path("<int:pk>/", views.person_detail, name="person"),
    path("<int:pk>/edit/", views.person_edit, name="edit"),
    path("<int:pk>/password-reset/", views.person_password_reset, name="password_reset"),
    path("<int:pk>/deactivate/", views.person_deactivate, name="deactivate"),
    path("<int:pk>/reactivate/", views.person_reactivate, name="reactivate"),
    path("import/", views.import_people, name="import"),
    path("invitations/", views.invitations, name="invitations"),
    path("invitations/<int:pk>/resend/", views.invitation_resend, name="resend_invitation"),
    path("invitations/<int:pk>/revoke/", views.invitation_revoke, name="revoke_invitation"),
    path("invitations/<str:token>/", views.accept_invitation, name="accept_invitation"),
]
