"""Survey views: thin — parse, fetch through an access helper, call an action, render."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, cast

from django.contrib import messages
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from tete import limits
from tete.access import access
from tete.accounts.models import Person
from tete.surveys import actions, checkins, exports, insights, results
from tete.surveys.access import (
    get_invitation,
    get_question_for_owner,
    get_round_to_answer,
    get_survey_for_owner,
)
from tete.surveys.anonymity import min_group_size
from tete.surveys.bank import BANK, bank_choices
from tete.surveys.disclosure import small_audience_warning, who_sees_what
from tete.surveys.forms import (
    BankForm,
    CheckinQuestionForm,
    ImportForm,
    InvitationForm,
    QuestionForm,
    ResponseForm,
    SurveyForm,
)
from tete.surveys.models import Participation, Question, Survey

if TYPE_CHECKING:
    from tete.oneonones.models import OneOnOne


def _me(request: HttpRequest) -> Person:
    """The signed-in person (every view but the public one is behind sign-in)."""
    return cast(Person, request.user)


def _current_questions(survey: Survey) -> list:
    return list(survey.questions.filter(retired=False).select_related("show_if_question"))


@access("signed_in")
@require_safe
def survey_list(request: HttpRequest) -> HttpResponse:
    owned = (
        Survey.objects.filter(owner=_me(request))
        .exclude(kind=Survey.Kind.CHECKIN)
        .annotate(question_count=Count("questions", filter=Q(questions__retired=False)))
    )
    today = timezone.localdate()
    asked = (
        Participation.objects.filter(
            person=_me(request),
            round__survey__status=Survey.Status.OPEN,
            round__opens_on__lte=today,
            round__finalised=False,
        )
        .filter(Q(round__closes_on__isnull=True) | Q(round__closes_on__gte=today))
        .exclude(round__survey__kind=Survey.Kind.CHECKIN)
        .select_related("round__survey__owner")
        .order_by("responded_on", "-round__opens_on")
    )
    return render(request, "surveys/list.html", {"nav": "surveys", "owned": owned, "asked": asked})


@access("signed_in")
@require_http_methods(["GET", "POST"])
def survey_new(request: HttpRequest) -> HttpResponse:
    form = SurveyForm(
        request.POST or None, owner=_me(request), initial={"audience_team": _me(request).team}
    )
    chosen = [key for key in request.POST.getlist("bank_sets") if key in BANK]
    if request.method == "POST" and form.is_valid():
        survey = actions.create_survey(_me(request), **form.survey_fields())
        for key in chosen:
            actions.add_bank_set(survey, key)
        messages.success(request, "Survey created. Add or adjust its questions, then open it.")
        return redirect("surveys:detail", survey.pk)
    return render(
        request,
        "surveys/survey_form.html",
        {"nav": "surveys", "form": form, "bank_sets": bank_choices(), "chosen": chosen},
    )


@access("signed_in")
@require_http_methods(["GET", "POST"])
def survey_import(request: HttpRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            data = exports.parse_survey_json(form.cleaned_data["file"].read())
        except exports.ImportError_ as exc:
            form.add_error("file", str(exc))
        else:
            survey = actions.import_survey(_me(request), data)
            messages.success(request, f"Imported “{survey.title}” as a draft.")
            return redirect("surveys:detail", survey.pk)
    return render(request, "surveys/import.html", {"nav": "surveys", "form": form})


@access("survey_owner")
@require_safe
def survey_detail(request: HttpRequest, pk: int) -> HttpResponse:
    survey = get_survey_for_owner(_me(request), pk)
    current = actions.current_round(survey)
    return render(
        request,
        "surveys/detail.html",
        {
            "nav": "surveys",
            "survey": survey,
            "questions": _current_questions(survey),
            "question_form": QuestionForm(survey=survey),
            "bank": BankForm(),
            "current": current,
            "current_counts": _counts(current),
            "has_responses": actions.has_responses(survey),
            "min_group_size": min_group_size(),
            "small_audience": _small_audience(survey),
        },
    )


def _small_audience(survey: Survey) -> str:
    """The warning for an anonymous survey that reaches fewer than the minimum, or ""."""
    if not survey.anonymous or survey.status == Survey.Status.CLOSED:
        return ""
    size = actions.audience_size(survey)
    return small_audience_warning(survey, size) if size < min_group_size() else ""


def _counts(round_: object) -> dict[str, int] | None:
    if round_ is None or round_.pk is None:  # type: ignore[attr-defined]
        return None
    counts = round_.participations.aggregate(  # type: ignore[attr-defined]
        invited=Count("id"), responded=Count("id", filter=Q(responded_on__isnull=False))
    )
    return counts


def _questions_response(request: HttpRequest, survey: Survey) -> HttpResponse:
    """The question list partial for htmx, or a redirect to the builder without JavaScript."""
    if request.htmx:  # type: ignore[attr-defined]
        return render(
            request,
            "surveys/detail.html#questions",
            {"survey": survey, "questions": _current_questions(survey)},
        )
    return redirect("surveys:detail", survey.pk)


@access("survey_owner")
@require_http_methods(["GET", "POST"])
def survey_settings(request: HttpRequest, pk: int) -> HttpResponse:
    survey = get_survey_for_owner(_me(request), pk)
    form = SurveyForm(request.POST or None, instance=survey, owner=survey.owner)
    if request.method == "POST" and form.is_valid():
        actions.update_survey(survey, **form.survey_fields())
        messages.success(request, "Settings saved.")
        return redirect("surveys:detail", survey.pk)
    return render(
        request, "surveys/survey_form.html", {"nav": "surveys", "form": form, "survey": survey}
    )


@access("survey_owner")
@require_http_methods(["GET", "POST"])
def question_new(request: HttpRequest, pk: int) -> HttpResponse:
    survey = get_survey_for_owner(_me(request), pk)
    form = QuestionForm(request.POST or None, survey=survey)
    if request.method == "POST" and form.is_valid():
        actions.add_question(survey, **form.question_fields())
        return _questions_response(request, survey)
    return render(
        request, "surveys/question_form.html", {"nav": "surveys", "survey": survey, "form": form}
    )


@access("survey_owner")
@require_http_methods(["GET", "POST"])
def question_edit(request: HttpRequest, pk: int, qid: int) -> HttpResponse:
    survey = get_survey_for_owner(_me(request), pk)
    question = get_question_for_owner(_me(request), survey, qid)
    form = QuestionForm(request.POST or None, instance=question, survey=survey)
    if request.method == "POST" and form.is_valid():
        # Re-read: the ModelForm wrote the posted values onto the instance while validating.
        question.refresh_from_db()
        new = actions.edit_question(question, **form.question_fields())
        if new.pk != question.pk:
            messages.info(
                request,
                "This question already had answers, so the change is a new version; "
                "earlier answers stay with the earlier wording in the results.",
            )
        return redirect("surveys:detail", survey.pk)
    return render(
        request,
        "surveys/question_form.html",
        {
            "nav": "surveys",
            "survey": survey,
            "form": form,
            "question": question,
            "has_responses": actions.has_responses(survey),
        },
    )


@access("survey_owner")
@require_POST
def question_move(request: HttpRequest, pk: int, qid: int) -> HttpResponse:
    survey = get_survey_for_owner(_me(request), pk)
    question = get_question_for_owner(_me(request), survey, qid)
    actions.move_question(question, "up" if request.POST.get("direction") == "up" else "down")
    return _questions_response(request, survey)


@access("survey_owner")
@require_POST
def question_delete(request: HttpRequest, pk: int, qid: int) -> HttpResponse:
    survey = get_survey_for_owner(_me(request), pk)
    question = get_question_for_owner(_me(request), survey, qid)
    actions.remove_question(question)
    return _questions_response(request, survey)


@access("survey_owner")
@require_POST
def bank_add(request: HttpRequest, pk: int) -> HttpResponse:
    survey = get_survey_for_owner(_me(request), pk)
    form = BankForm(request.POST)
    if form.is_valid():
        actions.add_bank_set(survey, form.cleaned_data["set_key"])
    else:
        messages.error(request, "Choose a set of questions from the bank.")
    return _questions_response(request, survey)


@access("survey_owner")
@require_POST
def survey_duplicate(request: HttpRequest, pk: int) -> HttpResponse:
    survey = get_survey_for_owner(_me(request), pk)
    copy = actions.duplicate_survey(survey, by=_me(request))
    messages.success(request, "Duplicated as a draft: no rounds, answers or links were copied.")
    return redirect("surveys:detail", copy.pk)


@access("survey_owner")
@require_safe
@limits.limited_per_person("downloads")
def survey_export(request: HttpRequest, pk: int) -> HttpResponse:
    survey = get_survey_for_owner(_me(request), pk)
    body = json.dumps(exports.survey_to_dict(survey), indent=2, ensure_ascii=False)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="survey-{survey.pk}.json"'
    return response


@access("survey_owner")
@require_POST
def survey_open(request: HttpRequest, pk: int) -> HttpResponse:
    survey = get_survey_for_owner(_me(request), pk)
    if not survey.questions.filter(retired=False).exists():
        messages.error(request, "Add at least one question before opening the survey.")
    else:
        was_open = survey.status == Survey.Status.OPEN
        round_ = actions.open_survey(survey)
        messages.success(
            request,
            f"Round {round_.number} is open; its audience was asked for their answers."
            if was_open and round_ is not None
            else "The survey is open.",
        )
        if warning := _small_audience(survey):
            messages.warning(request, warning)
    return redirect("surveys:detail", survey.pk)


@access("survey_owner")
@require_POST
def survey_close(request: HttpRequest, pk: int) -> HttpResponse:
    survey = get_survey_for_owner(_me(request), pk)
    actions.close_survey(survey)
    messages.success(request, "The survey is closed; no more answers are accepted.")
    return redirect("surveys:detail", survey.pk)


@access("survey_owner")
@require_POST
def survey_remind(request: HttpRequest, pk: int) -> HttpResponse:
    survey = get_survey_for_owner(_me(request), pk)
    count = actions.send_reminders(survey)
    messages.success(
        request,
        f"Reminded {count} {'person' if count == 1 else 'people'} who have not answered yet."
        if count
        else "Nobody to remind today.",
    )
    return redirect("surveys:detail", survey.pk)


@access("survey_owner")
@require_http_methods(["GET", "POST"])
def survey_links(request: HttpRequest, pk: int) -> HttpResponse:
    survey = get_survey_for_owner(_me(request), pk)
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        created = actions.create_invitations(survey, form.cleaned_data["lines"])
        messages.success(request, f"Created {len(created)} link(s).")
        return redirect("surveys:links", survey.pk)
    return render(
        request,
        "surveys/links.html",
        {
            "nav": "surveys",
            "survey": survey,
            "form": form,
            "invitations": survey.invitations.all(),
            "small_audience": _small_audience(survey),
            "site_url": request.build_absolute_uri("/").rstrip("/"),
        },
    )


def _results(request: HttpRequest, survey: Survey) -> results.Results:
    try:
        round_number: int | None = int(request.GET.get("round", ""))
    except ValueError:
        round_number = None
    return results.build(survey, round_number, request.GET.get("group") or None)


@access("survey_owner")
@require_safe
def survey_results(request: HttpRequest, pk: int) -> HttpResponse:
    survey = get_survey_for_owner(_me(request), pk)
    data = _results(request, survey)
    requested = request.GET.get("group")
    return render(
        request,
        "surveys/results.html",
        {
            "nav": "surveys",
            "survey": survey,
            "r": data,
            # An open round offers no group yet; the page says why instead.
            "group_refused": bool(requested) and data.group is None and not data.awaits_close,
        },
    )


@access("survey_owner")
@require_safe
@limits.limited_per_person("downloads")
def results_csv(request: HttpRequest, pk: int) -> HttpResponse:
    survey = get_survey_for_owner(_me(request), pk)
    data = _results(request, survey)
    rows = exports.result_rows(data) if survey.anonymous else exports.response_rows(survey, data)
    response = HttpResponse(exports.to_csv(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="survey-{survey.pk}-results.csv"'
    return response


@access("survey_owner")
@require_safe
@limits.limited_per_person("downloads")
def results_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    survey = get_survey_for_owner(_me(request), pk)
    data = _results(request, survey)
    rows = exports.result_rows(data) if survey.anonymous else exports.response_rows(survey, data)
    response = HttpResponse(
        exports.to_xlsx(rows, survey.title),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="survey-{survey.pk}-results.xlsx"'
    return response


@access("survey_owner")
@require_safe
def survey_insights(request: HttpRequest, pk: int) -> HttpResponse:
    survey = get_survey_for_owner(_me(request), pk)
    return render(
        request,
        "surveys/insights.html",
        {"nav": "surveys", "survey": survey, "i": insights.build(survey)},
    )


@access("survey_owner")
@require_safe
def survey_preview(request: HttpRequest, pk: int) -> HttpResponse:
    survey = get_survey_for_owner(_me(request), pk)
    form = ResponseForm(questions=_current_questions(survey))
    return render(
        request,
        "surveys/answer.html",
        {"survey": survey, "form": form, "preview": True, "notice": who_sees_what(survey)},
    )


@access("signed_in")
@require_http_methods(["GET", "POST"])
def survey_answer(request: HttpRequest, pk: int) -> HttpResponse:
    # Answering opens a round that is due; showing the questions does not (a GET never writes).
    survey, round_, participation = get_round_to_answer(
        _me(request), pk, open_due=request.method == "POST"
    )
    today = timezone.localdate()
    context = {"nav": "surveys", "survey": survey, "notice": who_sees_what(survey)}
    if participation.responded_on:
        return render(request, "surveys/answered.html", {**context, "already": True})
    if not (survey.status == Survey.Status.OPEN and round_.is_open_on(today)):
        return render(request, "surveys/closed.html", context, status=410)
    form = ResponseForm(request.POST or None, questions=_current_questions(survey))
    if request.method == "POST" and form.is_valid():
        try:
            actions.submit_response(round_, _me(request), form.answers(), today)
        except actions.AlreadyResponded:
            return render(request, "surveys/answered.html", {**context, "already": True})
        except actions.NotOpen:
            return render(request, "surveys/closed.html", context, status=410)
        return render(request, "surveys/answered.html", context)
    return render(request, "surveys/answer.html", {**context, "form": form})


@access("public")
@require_http_methods(["GET", "POST"])
def public_answer(request: HttpRequest, token: str) -> HttpResponse:
    invitation = get_invitation(token)
    if invitation is None:
        return render(request, "surveys/closed.html", {"unknown": True}, status=404)
    survey = invitation.survey
    today = timezone.localdate()
    context = {"survey": survey, "notice": who_sees_what(survey), "public": True}
    if invitation.responded_on:
        return render(request, "surveys/answered.html", {**context, "already": True}, status=409)
    if not survey.is_public or not survey.is_open_on(today):
        return render(request, "surveys/closed.html", context, status=410)
    form = ResponseForm(request.POST or None, questions=_current_questions(survey))
    if request.method == "POST":
        if not form.is_valid():
            return render(request, "surveys/answer.html", {**context, "form": form}, status=400)
        try:
            actions.submit_public_response(invitation, form.answers(), today)
        except actions.AlreadyResponded:
            return render(
                request, "surveys/answered.html", {**context, "already": True}, status=409
            )
        except actions.NotOpen:
            return render(request, "surveys/closed.html", context, status=410)
        return render(request, "surveys/answered.html", context)
    return render(request, "surveys/answer.html", {**context, "form": form})


# ---------------------------------------------------------------- check-ins (one-on-one content)


@access("participant")
@require_POST
def checkin_attach(request: HttpRequest, pk: int) -> HttpResponse:
    from tete.oneonones.access import get_oneonone_for

    oneonone = get_oneonone_for(_me(request), pk)
    chosen = request.POST.get("respondent", "")
    respondent = next((p for p in oneonone.participants if str(p.pk) == chosen), None)
    if respondent is None:
        messages.error(request, "Choose which of you fills in the check-in.")
    else:
        checkins.attach_checkin(oneonone, by=_me(request), respondent=respondent)
        messages.success(
            request, f"{respondent.first_name} will be asked for a check-in before each meeting."
        )
    return redirect("oneonones:detail", oneonone.pk)


@access("participant")
@require_POST
def checkin_detach(request: HttpRequest, pk: int) -> HttpResponse:
    from tete.oneonones.access import get_oneonone_for

    oneonone = get_oneonone_for(_me(request), pk)
    checkins.detach_checkin(oneonone)
    messages.success(request, "The check-in is off; earlier answers stay on their meetings.")
    return redirect("oneonones:detail", oneonone.pk)


@access("participant")
@require_http_methods(["GET", "POST"])
def checkin_answer(request: HttpRequest, pk: int) -> HttpResponse:
    from tete.oneonones.access import get_meeting_for

    me = _me(request)
    meeting = get_meeting_for(me, pk)
    survey = checkins.checkin_of(meeting.oneonone)
    answers = checkins.answers_for_meeting(meeting)
    context: dict[str, object] = {
        "nav": "oneonones",
        "meeting": meeting,
        "survey": survey,
        "answers": answers,
        "other": meeting.oneonone.other(me),
    }
    if answers or survey is None or not checkins.can_fill_in(meeting, survey, me):
        return render(request, "surveys/checkin.html", context)
    form = ResponseForm(request.POST or None, questions=_current_questions(survey))
    if request.method == "POST" and form.is_valid():
        try:
            checkins.submit_checkin(meeting, me, form.answers())
        except (actions.NotOpen, actions.AlreadyResponded):
            messages.error(request, "This check-in is closed or already filled in.")
        return redirect("oneonones:meeting", meeting.pk)
    return render(
        request,
        "surveys/checkin.html",
        {**context, "form": form, "notice": who_sees_what(survey)},
    )


def _checkin_to_change(request: HttpRequest, pk: int) -> tuple[OneOnOne, Survey | None]:
    """The one-on-one (404 for all but its participants) and its check-in, if one is on and
    the one-on-one has not ended; otherwise a message says why nothing can change."""
    from tete.oneonones.access import get_oneonone_for

    oneonone = get_oneonone_for(_me(request), pk)
    survey = None if oneonone.is_ended else checkins.checkin_of(oneonone)
    if survey is None:
        messages.error(
            request,
            "This one-on-one has ended; its check-in no longer changes."
            if oneonone.is_ended
            else "There is no check-in to change: add one first.",
        )
    return oneonone, survey


def _checkin_question(survey: Survey, qid: int) -> Question:
    return get_object_or_404(Question, pk=qid, survey=survey, retired=False)


def _checkin_questions_page(
    request: HttpRequest,
    oneonone: OneOnOne,
    survey: Survey,
    form: CheckinQuestionForm | None = None,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "surveys/checkin_questions.html",
        {
            "nav": "oneonones",
            "oneonone": oneonone,
            "survey": survey,
            "other": oneonone.other(_me(request)),
            "questions": checkins.current_questions(survey),
            "question_form": form or CheckinQuestionForm(survey=survey),
            "bank": BankForm(),
            "has_responses": actions.has_responses(survey),
        },
        status=status,
    )


def _checkin_questions_response(
    request: HttpRequest, oneonone: OneOnOne, survey: Survey | None
) -> HttpResponse:
    """The question list partial for htmx; a redirect to the page (or one-on-one) without."""
    if survey is None:
        return redirect("oneonones:detail", oneonone.pk)
    if request.htmx:  # type: ignore[attr-defined]
        return render(
            request,
            "surveys/checkin_questions.html#questions",
            {
                "oneonone": oneonone,
                "survey": survey,
                "questions": checkins.current_questions(survey),
            },
        )
    return redirect("surveys:checkin_questions", oneonone.pk)


@access("participant")
@require_safe
def checkin_questions(request: HttpRequest, pk: int) -> HttpResponse:
    oneonone, survey = _checkin_to_change(request, pk)
    if survey is None:
        return redirect("oneonones:detail", oneonone.pk)
    return _checkin_questions_page(request, oneonone, survey)


@access("participant")
@require_POST
def checkin_question_new(request: HttpRequest, pk: int) -> HttpResponse:
    oneonone, survey = _checkin_to_change(request, pk)
    if survey is None:
        return redirect("oneonones:detail", oneonone.pk)
    form = CheckinQuestionForm(request.POST, survey=survey)
    if not form.is_valid():
        return _checkin_questions_page(request, oneonone, survey, form, status=400)
    checkins.add_checkin_question(survey, **form.question_fields())
    messages.success(request, "Question added.")
    # to the list, which shows the new question (the form's own fragment would carry over)
    return redirect(reverse("surveys:checkin_questions", args=[oneonone.pk]) + "#questions")


@access("participant")
@require_http_methods(["GET", "POST"])
def checkin_question_edit(request: HttpRequest, pk: int, qid: int) -> HttpResponse:
    oneonone, survey = _checkin_to_change(request, pk)
    if survey is None:
        return redirect("oneonones:detail", oneonone.pk)
    question = _checkin_question(survey, qid)
    form = CheckinQuestionForm(request.POST or None, instance=question, survey=survey)
    if request.method == "POST" and form.is_valid():
        # Re-read: the ModelForm wrote the posted values onto the instance while validating.
        question.refresh_from_db()
        new = checkins.edit_checkin_question(question, **form.question_fields())
        messages.success(
            request,
            "Question saved. It already had answers, so those stay with the earlier wording."
            if new.pk != question.pk
            else "Question saved.",
        )
        return redirect("surveys:checkin_questions", oneonone.pk)
    return render(
        request,
        "surveys/checkin_question_form.html",
        {
            "nav": "oneonones",
            "oneonone": oneonone,
            "other": oneonone.other(_me(request)),
            "form": form,
            "question": question,
            "is_answered": actions.is_answered(question),
        },
    )


@access("participant")
@require_POST
def checkin_question_move(request: HttpRequest, pk: int, qid: int) -> HttpResponse:
    oneonone, survey = _checkin_to_change(request, pk)
    if survey is not None:
        question = _checkin_question(survey, qid)
        direction = "up" if request.POST.get("direction") == "up" else "down"
        checkins.move_checkin_question(question, direction)
    return _checkin_questions_response(request, oneonone, survey)


@access("participant")
@require_POST
def checkin_question_remove(request: HttpRequest, pk: int, qid: int) -> HttpResponse:
    oneonone, survey = _checkin_to_change(request, pk)
    if survey is not None:
        question = _checkin_question(survey, qid)
        checkins.remove_checkin_question(question)
        messages.success(request, f"Removed “{question.text}”; earlier answers to it stay.")
    return _checkin_questions_response(request, oneonone, survey)


@access("participant")
@require_POST
def checkin_bank_add(request: HttpRequest, pk: int) -> HttpResponse:
    oneonone, survey = _checkin_to_change(request, pk)
    if survey is not None:
        form = BankForm(request.POST)
        if not form.is_valid():
            messages.error(request, "Choose a set of questions from the bank.")
        elif added := checkins.add_bank_set_to_checkin(survey, form.cleaned_data["set_key"]):
            messages.success(request, f"Added {len(added)} question(s) from the bank.")
        else:
            messages.info(request, "The check-in already asks all the questions of that set.")
    return _checkin_questions_response(request, oneonone, survey)


@access("participant")
@require_POST
def checkin_questions_reset(request: HttpRequest, pk: int) -> HttpResponse:
    oneonone, survey = _checkin_to_change(request, pk)
    if survey is not None:
        checkins.reset_checkin_questions(survey)
        messages.success(
            request, "The check-in asks the standard questions again; earlier answers stay."
        )
    return _checkin_questions_response(request, oneonone, survey)
