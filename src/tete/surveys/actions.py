"""Every write about surveys goes through these functions (views, commands, demo, tests)."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import transaction
from django.db.models import Max, QuerySet
from django.urls import reverse
from django.utils import timezone

from tete.accounts.models import Person
from tete.surveys import anonymity
from tete.surveys.models import Invitation, Participation, Question, Response, Round, Survey

# Fields of a question that change what an answer means; editing one after answers arrived
# makes a new version of the question instead.
MEANING_FIELDS = ("kind", "text", "choices", "scale_low_label", "scale_high_label")


class AlreadyResponded(Exception):
    """A second submission for the same round or link; nothing is stored."""


class NotOpen(Exception):
    """The survey or round is not open today; nothing is stored."""


# ---------------------------------------------------------------- building


def create_survey(owner: Person, **fields: Any) -> Survey:
    people = fields.pop("audience_people", None)
    survey = Survey.objects.create(owner=owner, **fields)
    if people:
        survey.audience_people.set(people)
    return survey


def update_survey(survey: Survey, **fields: Any) -> Survey:
    people = fields.pop("audience_people", None)
    for name, value in fields.items():
        setattr(survey, name, value)
    if survey.is_public:
        survey.anonymous = True  # people without an account answer anonymously
    survey.save()
    if people is not None:
        survey.audience_people.set(people)
    return survey


def has_responses(survey: Survey) -> bool:
    return Response.objects.filter(round__survey=survey).exists()


def is_answered(question: Question) -> bool:
    """Whether any response holds an answer to this version of the question."""
    return Response.objects.filter(
        round__survey_id=question.survey_id, answers__has_key=str(question.pk)
    ).exists()


def _next_position(survey: Survey) -> int:
    return (survey.questions.aggregate(m=Max("position"))["m"] or 0) + 1


def add_question(survey: Survey, **fields: Any) -> Question:
    fields.setdefault("position", _next_position(survey))
    return Question.objects.create(survey=survey, **fields)


@transaction.atomic
def add_questions_from_dicts(survey: Survey, items: Sequence[Mapping[str, Any]]) -> list[Question]:
    """Add questions in the export/bank shape; `show_if` refers to an earlier key or index."""
    position = _next_position(survey)
    by_key = {q.key: q for q in survey.questions.filter(retired=False) if q.key}
    created: list[Question] = []
    for offset, item in enumerate(items):
        show_if = item.get("show_if") or {}
        target = None
        if "key" in show_if:
            target = by_key.get(show_if["key"])
        elif "index" in show_if and 0 <= int(show_if["index"]) < len(created):
            target = created[int(show_if["index"])]
        question = Question.objects.create(
            survey=survey,
            position=position + offset,
            kind=item["kind"],
            text=item["text"],
            help_text=item.get("help_text", ""),
            required=item.get("required", True),
            choices=list(item.get("choices", [])),
            scale_low_label=item.get("scale_low_label", ""),
            scale_high_label=item.get("scale_high_label", ""),
            key=item.get("key", ""),
            show_if_question=target,
            show_if_values=list(show_if.get("values", [])) if target else [],
        )
        if question.key:
            by_key[question.key] = question
        created.append(question)
    return created


@transaction.atomic
def edit_question(question: Question, **fields: Any) -> Question:
    """Change a question; once the survey has answers, a change of meaning makes a new version."""
    changes_meaning = any(
        name in fields and fields[name] != getattr(question, name) for name in MEANING_FIELDS
    )
    if changes_meaning and is_answered(question):
        new = Question.objects.get(pk=question.pk)
        new.pk = None
        new.previous = question
        for name, value in fields.items():
            setattr(new, name, value)
        new.save()
        question.retired = True
        question.save(update_fields=["retired"])
        # Conditions pointing at the old version now follow the new one.
        Question.objects.filter(show_if_question=question).update(show_if_question=new)
        return new
    for name, value in fields.items():
        setattr(question, name, value)
    question.save()
    return question


@transaction.atomic
def move_question(question: Question, direction: str) -> None:
    """Swap with the neighbour above ("up") or below ("down"); positions are renumbered."""
    siblings = list(question.survey.questions.filter(retired=False))
    index = siblings.index(question)
    other = index - 1 if direction == "up" else index + 1
    if 0 <= other < len(siblings):
        siblings[index], siblings[other] = siblings[other], siblings[index]
    for position, q in enumerate(siblings, start=1):
        if q.position != position:
            q.position = position
            q.save(update_fields=["position"])


@transaction.atomic
def remove_question(question: Question) -> None:
    """Delete an unanswered question; retire an answered one so its answers keep their meaning."""
    Question.objects.filter(show_if_question=question).update(
        show_if_question=None, show_if_values=[]
    )
    if is_answered(question):
        question.retired = True
        question.save(update_fields=["retired"])
    else:
        question.delete()


def add_bank_set(survey: Survey, set_key: str) -> list[Question]:
    from tete.surveys.bank import BANK

    return add_questions_from_dicts(survey, BANK[set_key]["questions"])


@transaction.atomic
def duplicate_survey(survey: Survey, by: Person) -> Survey:
    """A draft copy with the current questions and no rounds, answers or links."""
    from tete.surveys.exports import survey_to_dict

    data = survey_to_dict(survey)
    copy = create_survey(
        by,
        title=f"{survey.title} (copy)"[:200],
        description=survey.description,
        kind=survey.kind if survey.kind != Survey.Kind.CHECKIN else Survey.Kind.PULSE,
        anonymous=survey.anonymous,
        audience=survey.audience,
        audience_team=survey.audience_team,
        audience_manager=survey.audience_manager,
        recurrence=survey.recurrence,
    )
    if survey.owner_id == by.id:
        copy.audience_people.set(survey.audience_people.all())
    add_questions_from_dicts(copy, data["questions"])
    return copy


@transaction.atomic
def import_survey(owner: Person, data: Mapping[str, Any]) -> Survey:
    """Create a draft from validated export data (see `exports.parse_survey_json`)."""
    survey = create_survey(
        owner,
        title=data["title"],
        description=data.get("description", ""),
        anonymous=data.get("anonymous", True),
        recurrence=data.get("recurrence", Survey.Recurrence.ONCE),
    )
    add_questions_from_dicts(survey, data["questions"])
    return survey


# ---------------------------------------------------------------- distribution


def audience_people(survey: Survey) -> QuerySet[Person]:
    return audience_for(
        survey.audience,
        owner=survey.owner,
        team=survey.audience_team,
        manager=survey.audience_manager,
        people=survey.audience_people.values("pk"),
    )


def audience_for(
    audience: str,
    *,
    owner: Person,
    team: Any = None,
    manager: Person | None = None,
    people: Any = (),
) -> QuerySet[Person]:
    """Who a survey with these audience settings asks (for a form not saved yet, too)."""
    active = Person.objects.filter(is_active=True)
    if audience == Survey.Audience.PEOPLE:
        return active.filter(pk__in=people)
    if audience == Survey.Audience.TEAM:
        return active.filter(team=team) if team else active.none()
    if audience == Survey.Audience.REPORTS:
        return active.filter(manager=manager or owner)
    if audience == Survey.Audience.EVERYONE:
        return active
    return active.none()


def audience_size(survey: Survey) -> int:
    """How many can answer: the people of the open round (or who would be asked), or the
    public links."""
    if survey.is_public:
        return survey.invitations.count()
    latest = survey.rounds.order_by("-number").first()
    if latest is not None and survey.status == Survey.Status.OPEN:
        return latest.participations.count()
    return audience_people(survey).count()


def period_start(survey: Survey, day: dt.date) -> tuple[dt.date, dt.date | None]:
    """The (opens_on, closes_on) of the round that contains `day`."""
    start = survey.opens_on or day
    if survey.recurrence == Survey.Recurrence.ONCE:
        return start, survey.closes_on
    if survey.recurrence == Survey.Recurrence.MONTHLY:
        months = (day.year - start.year) * 12 + day.month - start.month
        if day < start + relativedelta(months=months):
            months -= 1
        opens = start + relativedelta(months=max(0, months))
        closes = opens + relativedelta(months=1) - dt.timedelta(days=1)
    else:
        length = 7 if survey.recurrence == Survey.Recurrence.WEEKLY else 14
        periods = max(0, (day - start).days // length)
        opens = start + dt.timedelta(days=periods * length)
        closes = opens + dt.timedelta(days=length - 1)
    if survey.closes_on and closes > survey.closes_on:
        closes = survey.closes_on
    return opens, closes


@transaction.atomic
def open_survey(survey: Survey, today: dt.date | None = None) -> Round | None:
    today = today or timezone.localdate()
    survey.status = Survey.Status.OPEN
    if survey.opens_on is None:
        survey.opens_on = today
    survey.save(update_fields=["status", "opens_on"])
    return ensure_current_round(survey, today)


@transaction.atomic
def close_survey(survey: Survey, today: dt.date | None = None) -> None:
    today = today or timezone.localdate()
    survey.status = Survey.Status.CLOSED
    survey.save(update_fields=["status"])
    for round_ in survey.rounds.filter(finalised=False):
        if round_.closes_on is None or round_.closes_on >= today:
            round_.closes_on = today
            round_.save(update_fields=["closes_on"])
        finalise_round(round_)


def ensure_current_round(
    survey: Survey, today: dt.date | None = None, notify: bool = True
) -> Round | None:
    """The round open today, created (with its audience and emails) when it is due.

    Rounds are created when they come due — by `send_survey_rounds` (daily), by opening the
    survey, reminding, or the first answer of the period (never by viewing a page) — so a
    missed period is skipped rather than back-filled. Past rounds are finalised on the way.
    """
    today = today or timezone.localdate()
    if survey.kind == Survey.Kind.CHECKIN:
        return None  # check-ins have one round per meeting (see checkins.py)
    latest = survey.rounds.order_by("-number").first()
    if latest and latest.is_open_on(today):
        return latest
    if latest and not latest.finalised and latest.closes_on and latest.closes_on < today:
        finalise_round(latest)
    period = _due_period(survey, latest, today)
    if period is None:
        return None
    opens, closes = period
    with transaction.atomic():
        round_ = Round.objects.create(
            survey=survey,
            number=(latest.number + 1) if latest else 1,
            opens_on=opens,
            closes_on=closes,
        )
        people = list(audience_people(survey))
        Participation.objects.bulk_create(Participation(round=round_, person=p) for p in people)
    if notify and people:
        _email(
            people,
            f"{survey.title}: your answers are welcome",
            f"{survey.owner.name} asks for your answers to “{survey.title}”.",
            survey,
        )
    return round_


def _due_period(
    survey: Survey, latest: Round | None, today: dt.date
) -> tuple[dt.date, dt.date | None] | None:
    """The (opens_on, closes_on) of a round due today that no round covers yet, or None."""
    if not survey.is_open_on(today):
        return None
    if latest and survey.recurrence == Survey.Recurrence.ONCE:
        return None
    return period_start(survey, today)


def current_round(survey: Survey, today: dt.date | None = None) -> Round | None:
    """The round open today, without writing (for pages: a GET never writes).

    When a round is due but not opened yet (the daily `send_survey_rounds` has not run), the
    round it will be, unsaved (no pk): answering opens it (a POST, through
    ensure_current_round). None when no round is open or due today.
    """
    today = today or timezone.localdate()
    if survey.kind == Survey.Kind.CHECKIN:
        return None
    latest = survey.rounds.order_by("-number").first()
    if latest and latest.is_open_on(today):
        return latest
    period = _due_period(survey, latest, today)
    if period is None:
        return None
    opens, closes = period
    number = (latest.number + 1) if latest else 1
    return Round(survey=survey, number=number, opens_on=opens, closes_on=closes)


def _email(people: Iterable[Person], subject: str, intro: str, survey: Survey) -> int:
    link = settings.SITE_URL + reverse("surveys:answer", args=[survey.pk])
    what = (
        "Your answers are anonymous: see the survey page for who sees what."
        if survey.anonymous
        else f"{survey.owner.name} will see your answers with your name."
    )
    messages = [
        (subject, f"Hello {p.first_name},\n\n{intro}\n{what}\n\n{link}\n", None, [p.email])
        for p in people
    ]
    return send_mass_mail(messages, fail_silently=True)


@transaction.atomic
def finalise_round(round_: Round) -> None:
    """Coarsen a closed round's attributes so each stored combination has >= k responses."""
    if round_.survey.anonymous:
        responses = list(Response.objects.filter(round=round_).only("id", "groups"))
        coarse = anonymity.coarsen([r.groups for r in responses], anonymity.min_group_size())
        for response, groups in zip(responses, coarse, strict=True):
            if response.groups != groups:
                response.groups = groups
                response.save(update_fields=["groups"])
        shuffle_round_responses(round_)
    round_.finalised = True
    round_.save(update_fields=["finalised"])


def shuffle_round_responses(round_: Round) -> None:
    """Rewrite a round's anonymous responses in random order with fresh keys.

    After this, insertion order, row ids (SQLite's rowid, PostgreSQL's ctid) and transaction
    ids (xmin) say nothing about which response came when; the caller holds the round's lock.
    """
    rows = list(Response.objects.filter(round=round_).values_list("groups", "answers", "release"))
    random.SystemRandom().shuffle(rows)
    Response.objects.filter(round=round_).delete()
    Response.objects.bulk_create(
        Response(round=round_, groups=groups, answers=answers, release=release)
        for groups, answers, release in rows
    )


def release_waiting(round_: Round) -> None:
    """Public links: once at least the minimum number of responses wait, results take them in
    together, as the round's next step, so two readings never differ by fewer answers.

    Surveys with results by group show a round only once it has closed (see `results.release`).
    """
    waiting = Response.objects.filter(round=round_, release__isnull=True)
    if waiting.count() < anonymity.min_group_size():
        return
    latest = Response.objects.filter(round=round_).aggregate(m=Max("release"))["m"] or 0
    waiting.update(release=latest + 1)


def submit_response(
    round_: Round, person: Person, answers: Mapping[str, Any], today: dt.date | None = None
) -> None:
    """Record a signed-in person's answers once per round."""
    today = today or timezone.localdate()
    survey = round_.survey
    with transaction.atomic():
        # Serialise submissions to one round: the shuffle rewrites all its rows.
        locked = Round.objects.select_for_update().get(pk=round_.pk)
        if not (survey.status == Survey.Status.OPEN and locked.is_open_on(today)):
            raise NotOpen
        participation = (
            Participation.objects.select_for_update().filter(round=locked, person=person).first()
        )
        if participation is None:
            raise NotOpen
        if participation.responded_on:
            raise AlreadyResponded
        participation.responded_on = today
        participation.save(update_fields=["responded_on"])
        if survey.anonymous:
            population = [
                anonymity.person_attributes(p.person, today)
                for p in locked.participations.select_related("person__team")
            ]
            groups = anonymity.generalise(
                anonymity.person_attributes(person, today),
                population,
                anonymity.min_group_size(),
            )
            Response.objects.create(round=locked, groups=groups, answers=dict(answers))
            shuffle_round_responses(locked)
        else:
            Response.objects.create(
                round=locked,
                respondent=person,
                submitted_at=timezone.now(),
                answers=dict(answers),
            )


def submit_public_response(
    invitation: Invitation, answers: Mapping[str, Any], today: dt.date | None = None
) -> None:
    """Record the one response a public link accepts; the response keeps no trace of the link."""
    today = today or timezone.localdate()
    survey = invitation.survey
    with transaction.atomic():
        locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if locked.responded_on:
            raise AlreadyResponded
        round_ = ensure_current_round(survey, today, notify=False)
        if round_ is None or not survey.is_open_on(today):
            raise NotOpen
        round_ = Round.objects.select_for_update().get(pk=round_.pk)
        if round_.finalised:
            raise NotOpen
        locked.responded_on = today
        locked.save(update_fields=["responded_on"])
        Response.objects.create(round=round_, answers=dict(answers))
        release_waiting(round_)
        shuffle_round_responses(round_)


def create_invitations(survey: Survey, lines: Sequence[str]) -> list[Invitation]:
    """One link per line ("Name <email>", an email, or a label); emails get their link."""
    created = []
    for line in lines:
        line = line.strip()
        if not line:
            continue
        label, email = line, ""
        if "<" in line and line.endswith(">"):
            label, _, email = line[:-1].partition("<")
        elif "@" in line and " " not in line:
            label, email = "", line
        created.append(
            Invitation.objects.create(
                survey=survey, label=label.strip()[:150], email=email.strip()[:254]
            )
        )
    messages = [
        (
            f"{survey.title}: {survey.owner.name} asks for your feedback",
            f"Hello{' ' + i.label if i.label else ''},\n\n{survey.owner.name} asks for your "
            f"answers to “{survey.title}”. They are anonymous: {survey.owner.name} sees them "
            f"only combined with at least {anonymity.min_group_size()} others'.\n\n"
            f"{settings.SITE_URL}{reverse('surveys:public', args=[i.token])}\n",
            None,
            [i.email],
        )
        for i in created
        if i.email
    ]
    if messages:
        send_mass_mail(messages, fail_silently=True)
    return created


REMINDER_INTERVAL_DAYS = 3


def send_reminders(survey: Survey, today: dt.date | None = None) -> int:
    """Remind (in the app and by email) those who have not answered the current round,
    at most once every REMINDER_INTERVAL_DAYS days each."""
    today = today or timezone.localdate()
    round_ = ensure_current_round(survey, today)
    if round_ is None:
        return 0
    # Spaced out so a daily `send_survey_rounds --remind` nudges rather than nags.
    recently = today - dt.timedelta(days=REMINDER_INTERVAL_DAYS)
    pending = list(
        round_.participations.filter(responded_on__isnull=True)
        .exclude(reminded_on__gt=recently)
        .select_related("person")
    )
    if not pending:
        return 0
    Participation.objects.filter(pk__in=[p.pk for p in pending]).update(reminded_on=today)
    _email(
        [p.person for p in pending],
        f"Reminder: {survey.title}",
        f"A reminder: {survey.owner.name} would value your answers to “{survey.title}”.",
        survey,
    )
    return len(pending)
