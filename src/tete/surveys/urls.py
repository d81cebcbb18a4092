from __future__ import annotations

from django.urls import path

from tete.surveys import views

app_name = "surveys"
urlpatterns = [
    path("", views.survey_list, name="list"),
    path("new/", views.survey_new, name="new"),
    path("import/", views.survey_import, name="import"),
    path("r/<str:token>/", views.public_answer, name="public"),
    path("<int:pk>/", views.survey_detail, name="detail"),
    path("<int:pk>/settings/", views.survey_settings, name="settings"),
    path("<int:pk>/questions/new/", views.question_new, name="question_new"),
    path("<int:pk>/questions/<int:qid>/", views.question_edit, name="question_edit"),
    path("<int:pk>/questions/<int:qid>/move/", views.question_move, name="question_move"),
    path("<int:pk>/questions/<int:qid>/delete/", views.question_delete, name="question_delete"),
    path("<int:pk>/bank/", views.bank_add, name="bank_add"),
    path("<int:pk>/duplicate/", views.survey_duplicate, name="duplicate"),
    path("<int:pk>/export.json", views.survey_export, name="export"),
    path("<int:pk>/open/", views.survey_open, name="open"),
    path("<int:pk>/close/", views.survey_close, name="close"),
    path("<int:pk>/remind/", views.survey_remind, name="remind"),
    path("<int:pk>/links/", views.survey_links, name="links"),
    path("<int:pk>/results/", views.survey_results, name="results"),
    path("<int:pk>/results.csv", views.results_csv, name="results_csv"),
    path("<int:pk>/results.xlsx", views.results_xlsx, name="results_xlsx"),
    path("<int:pk>/insights/", views.survey_insights, name="insights"),
    path("<int:pk>/preview/", views.survey_preview, name="preview"),
    path("<int:pk>/answer/", views.survey_answer, name="answer"),
    # Check-ins: one-on-one content, for its two participants only.
    path("checkins/<int:pk>/attach/", views.checkin_attach, name="checkin_attach"),
    path("checkins/<int:pk>/detach/", views.checkin_detach, name="checkin_detach"),
    path("checkins/<int:pk>/questions/", views.checkin_questions, name="checkin_questions"),
    path(
        "checkins/<int:pk>/questions/new/",
        views.checkin_question_new,
        name="checkin_question_new",
    ),
    path(
        "checkins/<int:pk>/questions/<int:qid>/",
        views.checkin_question_edit,
        name="checkin_question_edit",
    ),
    path(
        "checkins/<int:pk>/questions/<int:qid>/move/",
        views.checkin_question_move,
        name="checkin_question_move",
    ),
    path(
        "checkins/<int:pk>/questions/<int:qid>/remove/",
        views.checkin_question_remove,
        name="checkin_question_remove",
    ),
    path("checkins/<int:pk>/questions/bank/", views.checkin_bank_add, name="checkin_bank_add"),
    path(
        "checkins/<int:pk>/questions/reset/",
        views.checkin_questions_reset,
        name="checkin_questions_reset",
    ),
    path("checkins/meetings/<int:pk>/", views.checkin_answer, name="checkin_answer"),
]
