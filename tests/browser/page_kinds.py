"""Every kind of page the app serves, once each, as the person who would see it.

Built on the demo organisation, whose pages hold realistic amounts of everything, plus the
few things the demo lacks (a template of one's own, a pending invitation, a password reset
link). Browser tests that look at every page (accessibility) walk this list.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from django.contrib.auth.tokens import default_token_generator
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

DEMO_DOMAIN = "demo.example.com"


@dataclass(frozen=True)
class PageKind:
    name: str
    path: str
    #: The demo person who looks at it (local part of their email); None: nobody signed in.
    persona: str | None
    status: int = 200

    @property
    def email(self) -> str | None:
        return f"{self.persona}@{DEMO_DOMAIN}" if self.persona else None


def build_demo() -> None:
    """The demo organisation, as `tete demo` builds it (with its fixed seed)."""
    from tete.demo import oneonones, people, reports, surveys

    rng = random.Random(7)
    org = people.build(rng)
    oneonones.build(org, rng)
    surveys.build(org, rng)
    reports.build(org, rng)


def page_kinds() -> list[PageKind]:
    """The page kinds of the demo organisation (build it first), after adding what it lacks."""
    from tete.accounts.models import Person
    from tete.oneonones import actions as oneonone_actions
    from tete.oneonones.models import ActionItem, MeetingStatus, OneOnOne, Template
    from tete.people import actions as people_actions
    from tete.reports.models import Transcript
    from tete.surveys.models import Invitation, Survey
    from tete.surveys.models import Question as SurveyQuestion

    def person(local: str) -> Person:
        return Person.objects.get(email=f"{local}@{DEMO_DOMAIN}")

    alice, bob, admin = person("alice"), person("bob"), person("admin")
    oneonone = OneOnOne.objects.get(first=alice, second=bob)
    held = oneonone.meetings.filter(status=MeetingStatus.HELD).latest("scheduled_at")
    upcoming = oneonone_actions.ensure_next_meeting(oneonone)
    assert upcoming is not None
    point = upcoming.talking_points.filter(author=alice).first() or (
        oneonone_actions.add_talking_point(upcoming, by=alice, text="Hiring plan for Q3")
    )
    item = ActionItem.objects.filter(oneonone=oneonone, done_at__isnull=True).first()
    assert item is not None
    template = Template.objects.filter(owner=alice).first() or Template.objects.create(
        name="Quarterly review", category="goals", owner=alice
    )
    transcript = Transcript.objects.filter(meeting__oneonone=oneonone).latest("pk")
    pulse = Survey.objects.get(title="Platform weekly pulse")
    pulse_question = SurveyQuestion.objects.filter(survey=pulse).first()
    coaching = Survey.objects.get(title="Coaching session feedback")
    public_link = Invitation.objects.filter(survey=coaching, responded_on__isnull=True).first()
    assert pulse_question is not None and public_link is not None
    checkin_meeting = oneonone.meetings.filter(status=MeetingStatus.SCHEDULED).first()
    assert checkin_meeting is not None
    invited = people_actions.invite_person(
        by=admin, email=f"dana@{DEMO_DOMAIN}", name="Dana Diaz", title="Designer"
    )
    uid, token = urlsafe_base64_encode(force_bytes(bob.pk)), default_token_generator.make_token(bob)
    reset_link = f"/password/reset/{uid}/{token}/"

    o, m = oneonone.pk, upcoming.pk
    return [
        # Nobody signed in.
        PageKind("sign-in", "/login/", None),
        PageKind("password reset", "/password/reset/", None),
        PageKind("password reset sent", "/password/reset/sent/", None),
        # The link in the email redirects to a page that no longer shows the token.
        PageKind("password reset new password", reset_link, None),
        PageKind("password reset link invalid", "/password/reset/MQ/nope-nope/", None),
        PageKind("password reset done", "/password/reset/done/", None),
        PageKind("public survey answer", f"/surveys/r/{public_link.token}/", None),
        PageKind("accept invitation", f"/people/invitations/{invited.token}/", None),
        PageKind("page not found", "/no-such-page/", None, status=404),
        # One-on-ones, as Alice.
        PageKind("home", "/", "alice"),
        PageKind("one-on-ones", "/one-on-ones/", "alice"),
        PageKind("new one-on-one", "/one-on-ones/new/", "alice"),
        PageKind("one-on-one", f"/one-on-ones/{o}/", "alice"),
        PageKind("one-on-one settings", f"/one-on-ones/{o}/settings/", "alice"),
        PageKind("extra meeting", f"/one-on-ones/{o}/meetings/new/", "alice"),
        PageKind("meeting", f"/meetings/{m}/", "alice"),
        PageKind("held meeting", f"/meetings/{held.pk}/", "alice"),
        PageKind("reschedule meeting", f"/meetings/{m}/reschedule/", "alice"),
        PageKind("cancel meeting", f"/meetings/{m}/cancel/", "alice"),
        PageKind("edit talking point", f"/talking-points/{point.pk}/edit/", "alice"),
        PageKind("add from a template", f"/meetings/{m}/from-template/", "alice"),
        PageKind("action items", "/action-items/", "alice"),
        PageKind("edit action item", f"/action-items/{item.pk}/edit/", "alice"),
        PageKind("delete action item", f"/action-items/{item.pk}/delete/", "alice"),
        PageKind("search", "/one-on-ones/search/?q=review", "alice"),
        PageKind("templates", "/templates/", "alice"),
        PageKind("new template", "/templates/new/", "alice"),
        PageKind("edit template", f"/templates/{template.pk}/edit/", "alice"),
        PageKind("delete template", f"/templates/{template.pk}/delete/", "alice"),
        PageKind("upload transcript", f"/meetings/{held.pk}/transcripts/", "alice"),
        PageKind("conversation report", f"/transcripts/{transcript.pk}/", "alice"),
        PageKind("speakers", f"/transcripts/{transcript.pk}/speakers/", "alice"),
        PageKind("delete transcript", f"/transcripts/{transcript.pk}/delete/", "alice"),
        PageKind("talk-balance trends", f"/one-on-ones/{o}/trends/", "alice"),
        PageKind("check-in questions", f"/surveys/checkins/{o}/questions/", "alice"),
        PageKind("check-in answer", f"/surveys/checkins/meetings/{checkin_meeting.pk}/", "bob"),
        # Surveys, as Alice (who owns the pulse) and Bob (who is asked).
        PageKind("surveys", "/surveys/", "alice"),
        PageKind("new survey", "/surveys/new/", "alice"),
        PageKind("import survey", "/surveys/import/", "alice"),
        PageKind("survey builder", f"/surveys/{pulse.pk}/", "alice"),
        PageKind("survey settings", f"/surveys/{pulse.pk}/settings/", "alice"),
        PageKind("new question", f"/surveys/{pulse.pk}/questions/new/", "alice"),
        PageKind("edit question", f"/surveys/{pulse.pk}/questions/{pulse_question.pk}/", "alice"),
        PageKind("survey links", f"/surveys/{coaching.pk}/links/", "kofi"),
        PageKind("survey results", f"/surveys/{pulse.pk}/results/", "alice"),
        PageKind("survey insights", f"/surveys/{pulse.pk}/insights/", "alice"),
        PageKind("survey preview", f"/surveys/{pulse.pk}/preview/", "alice"),
        PageKind("survey answer", f"/surveys/{pulse.pk}/answer/", "bob"),
        # People, as an administrator; one's own profile and password as anyone.
        PageKind("people", "/people/", "admin"),
        PageKind("person", f"/people/{bob.pk}/", "admin"),
        PageKind("edit person", f"/people/{bob.pk}/edit/", "admin"),
        PageKind("import people", "/people/import/", "admin"),
        PageKind("invitations", "/people/invitations/", "admin"),
        PageKind("profile", "/people/me/", "bob"),
        PageKind("change password", "/password/change/", "bob"),
        PageKind("password changed", "/password/change/done/", "bob"),
    ]
