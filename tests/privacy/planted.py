"""A demo organisation with a unique string planted in every kind of one-on-one content.

Each planted string says who may read it (its audience, as persona names). The crawls in
this package fail when a string shows to anyone else, and also when it does not show to
its audience: a crawl that never reached the page proves nothing.

Personas (demo people, plus one staff member the demo lacks):
alice and bob meet (alice manages bob); maya is their skip-level manager; hugo is an
outsider; stan is staff with every admin permission; admin is a superuser.
"""

from __future__ import annotations

import datetime as dt
import random
import re
import string
from dataclasses import dataclass, field

from django.contrib.auth.models import Permission
from django.db import models
from django.utils import timezone

from tete.accounts.models import Person, Team
from tete.api.models import ApiToken
from tete.demo import oneonones as demo_oneonones
from tete.demo import people as demo_people
from tete.demo.people import DEMO_DOMAIN
from tete.leaders.models import PeoplePartner, ReportingLine
from tete.mydata.models import Erasure
from tete.oneonones import actions as oneonone_actions
from tete.oneonones.models import ActionItem, Meeting, OneOnOne, TalkingPoint, Template
from tete.people.models import Invitation as PeopleInvitation
from tete.recordings.models import Recording, VoiceSample
from tete.reports import actions as report_actions
from tete.reports.models import SpeakerAlias, SuggestedActionItem, Transcript
from tete.surveys import actions as survey_actions
from tete.surveys import checkins
from tete.surveys.models import Question, Response, Survey

PERSONAS = ("alice", "bob", "maya", "hugo", "stan", "admin", "anonymous")
PAIR = frozenset({"alice", "bob"})


@dataclass
class Planted:
    people: dict[str, Person]
    # planted string → the personas who may read it
    audience: dict[str, frozenset[str]] = field(default_factory=dict)
    oneonone: OneOnOne | None = None
    meeting: Meeting | None = None
    transcript: Transcript | None = None
    survey: Survey | None = None
    # Every planted object, by model: what the crawls request directly.
    objects: list[models.Model] = field(default_factory=list)

    def ids(self, model: type[models.Model]) -> list[int]:
        return [obj.pk for obj in self.objects if isinstance(obj, model)]

    def plant(self, kind: str, audience: frozenset[str], rng: random.Random) -> str:
        """A word found nowhere else: letters only, so no escaping or Markdown changes it."""
        word = "zq" + kind + "".join(rng.choices(string.ascii_lowercase, k=8))
        self.audience[word] = audience
        return word


def demo_people_and_oneonones(seed: int = 7) -> dict[str, Person]:
    """The demo's people and six months of their one-on-ones (about a second to build)."""
    rng = random.Random(seed)
    org = demo_people.build(rng)
    demo_oneonones.build(org, rng)
    return dict(org.people)


def demo_people_by_name() -> dict[str, Person]:
    """The people of a demo built with `build_demo()`, by the local part of their email."""
    people = Person.objects.filter(email__endswith="@" + DEMO_DOMAIN)
    return {p.email.split("@")[0]: p for p in people}


def plant_everything(people: dict[str, Person], seed: int = 12) -> Planted:
    rng = random.Random(seed)
    people = dict(people)
    people["stan"] = _staff_member()
    planted = Planted(people=people)
    alice, bob = people["alice"], people["bob"]
    oneonone = OneOnOne.objects.get(first=alice, second=bob)
    meeting = oneonone_actions.ensure_next_meeting(oneonone)
    assert meeting is not None
    planted.oneonone, planted.meeting = oneonone, meeting
    alice_only, bob_only = frozenset({"alice"}), frozenset({"bob"})

    # The agenda, notes and action items.
    planted.objects += [
        alice,
        bob,
        oneonone,
        meeting,
        oneonone_actions.add_talking_point(
            meeting, by=alice, text=planted.plant("sharedpoint", PAIR, rng) + " for the agenda"
        ),
        oneonone_actions.add_talking_point(
            meeting, by=alice, text=planted.plant("alicepoint", alice_only, rng), private=True
        ),
        oneonone_actions.add_talking_point(
            meeting, by=bob, text=planted.plant("bobpoint", bob_only, rng), private=True
        ),
    ]
    oneonone_actions.save_shared_note(
        meeting,
        text="We agreed on " + planted.plant("sharednote", PAIR, rng) + ".",
        base_version=0,
        by=bob,
    )
    oneonone_actions.save_private_note(
        meeting, by=alice, text=planted.plant("alicenote", alice_only, rng)
    )
    oneonone_actions.save_private_note(
        meeting, by=bob, text=planted.plant("bobnote", bob_only, rng)
    )
    oneonone_actions.add_action_item(
        meeting, by=alice, text=planted.plant("actionitem", PAIR, rng), owner=bob
    )
    extra = oneonone_actions.add_extra_meeting(
        oneonone, by=bob, scheduled_at=timezone.now() + dt.timedelta(days=2)
    )
    oneonone_actions.cancel_meeting(
        extra, by=bob, reason=planted.plant("cancelreason", PAIR, rng) + " came up"
    )

    # A template of alice's own: hers alone.
    template = oneonone_actions.create_template(
        owner=alice,
        name=planted.plant("templatename", alice_only, rng),
        questions=[planted.plant("templatequestion", alice_only, rng) + "?"],
        description=planted.plant("templatedescription", alice_only, rng),
    )
    planted.objects += [template, *template.questions.all()]

    _plant_transcript(planted, rng)
    _plant_recording(planted, rng)
    _plant_checkin(planted, rng)
    _plant_anonymous_comment(planted, rng)
    _leaders_view(people)
    return planted


def _leaders_view(people: dict[str, Person]) -> None:
    """maya leads alice's and frank's people, whose lines go back before the months the
    leaders' view shows, so its figures are crawled; kofi is people partner for Product."""
    ReportingLine.objects.filter(valid_to__isnull=True).update(
        valid_from=timezone.now() - dt.timedelta(days=400)
    )
    # A whole demo made kofi one already.
    partner, _ = PeoplePartner.objects.get_or_create(person=people["kofi"])
    partner.teams.add(Team.objects.get(name="Product"))


def _staff_member() -> Person:
    stan = Person.objects.create_user(
        f"stan@{DEMO_DOMAIN}", demo_people.DEMO_PASSWORD, name="Stan Staff", is_staff=True
    )
    stan.user_permissions.set(Permission.objects.all())
    return stan


def _plant_transcript(planted: Planted, rng: random.Random) -> None:
    """A transcript whose file name, speech, speaker label and a commitment are planted."""
    alice, bob = planted.people["alice"], planted.people["bob"]
    assert planted.meeting is not None and planted.oneonone is not None
    label = planted.plant("speakerlabel", PAIR, rng).capitalize()
    said = planted.plant("segmenttext", PAIR, rng)
    promised = planted.plant("suggestion", PAIR, rng)
    cues = [
        ("Alice Martin", "How did the week go for you overall?"),
        (label, f"Busy. The {said} migration took most of it."),
        ("Alice Martin", "What would help you most next week?"),
        (label, f"I'll send the {promised} summary by Friday."),
        ("Alice Martin", "Great, thank you. Anything blocking you?"),
        (label, "Mostly the flaky tests, but I can handle them."),
    ]
    lines = ["WEBVTT", ""]
    for i, (speaker, text) in enumerate(cues):
        start, end = 2 + i * 8, 8 + i * 8
        lines += [f"00:00:{start:02d}.000 --> 00:00:{end:02d}.000", f"<v {speaker}>{text}", ""]
    filename = planted.plant("filename", PAIR, rng) + ".vtt"
    result = report_actions.upload_transcript(
        planted.meeting, by=bob, filename=filename, content="\n".join(lines).encode()
    )
    transcript = report_actions.save_speaker_mapping(
        result.transcript, by=bob, mapping={"Alice Martin": alice.pk, label: bob.pk}
    )
    assert transcript.status == "done", transcript.failure_reason
    planted.transcript = transcript
    planted.objects += [
        transcript,
        transcript.report,
        SpeakerAlias.objects.get(label=label),
        SuggestedActionItem.objects.get(text__icontains=promised),
    ]


def _plant_recording(planted: Planted, rng: random.Random) -> None:
    """A recording made in the browser, analysed, whose file name is planted, with voice
    samples; and one left unfinished."""
    from tests.recordings.factories import analysed_recording
    from tete.recordings import actions as recording_actions

    bob = planted.people["bob"]
    assert planted.meeting is not None
    filename = planted.plant("recordingname", PAIR, rng) + ".webm"
    recording = analysed_recording(planted.meeting, bob, filename=filename)
    assert recording.transcript is not None and recording.transcript.status == "done"
    unfinished = recording_actions.start_browser_recording(
        planted.meeting, by=bob, consent=True, content_type="audio/webm"
    )
    planted.objects += [
        recording,
        unfinished,
        recording.transcript,
        *VoiceSample.objects.filter(recording=recording),
    ]


def _plant_checkin(planted: Planted, rng: random.Random) -> None:
    """A check-in bob fills in before the meeting, with a question the two of them added."""
    alice, bob = planted.people["alice"], planted.people["bob"]
    assert planted.meeting is not None and planted.oneonone is not None
    survey = checkins.attach_checkin(planted.oneonone, alice, bob)
    question = checkins.add_checkin_question(
        survey,
        kind="long",
        text=planted.plant("checkinquestion", PAIR, rng) + "?",
        required=False,
    )
    answers = {str(question.pk): "Honestly " + planted.plant("checkinanswer", PAIR, rng)}
    for q in checkins.current_questions(survey):
        if q.kind == "scale":
            answers[str(q.pk)] = "4"
    checkins.submit_checkin(planted.meeting, bob, answers)
    planted.objects += [survey, question, *Response.objects.filter(round__survey=survey)]


def _plant_anonymous_comment(planted: Planted, rng: random.Random) -> None:
    """An anonymous survey of maya's: its comments are hers to read, once five answered and
    the round closed (anonymous results with groups show only then)."""
    people = planted.people
    survey = survey_actions.create_survey(
        people["maya"],
        title="How are we doing",
        kind=Survey.Kind.PULSE,
        audience=Survey.Audience.EVERYONE,
        status=Survey.Status.OPEN,
        opens_on=timezone.localdate(),
    )
    comment = survey_actions.add_question(survey, kind="long", text="Anything else?")
    score = survey_actions.add_question(survey, kind="scale", text="How is your week?")
    round_ = survey_actions.ensure_current_round(survey, notify=False)
    assert round_ is not None
    secret = "Honestly " + planted.plant("surveycomment", frozenset({"maya"}), rng)
    respondents = ["bob", "alice", "hugo", "stan", "frank", "grace"]
    for i, name in enumerate(respondents):
        text = secret if i == 0 else f"Comment number {i} about the week"
        survey_actions.submit_response(
            round_, people[name], {str(comment.pk): text, str(score.pk): "3"}
        )
    survey_actions.close_survey(survey)
    planted.survey = survey
    planted.objects += [survey, comment, score, round_, *round_.responses.all()]


# Every app address, with the planted objects' ids ----------------------------------------

# Route prefix → the planted objects its `pk` (or `<name>_id`) names.
ROUTE_OBJECTS: list[tuple[str, type[models.Model]]] = [
    (r"^one-on-ones/<int:(pk|oneonone_id)>/", OneOnOne),
    (r"^meetings/<int:(pk|meeting_id)>/", Meeting),
    (r"^talking-points/<int:pk>/", TalkingPoint),
    (r"^action-items/<int:pk>/", ActionItem),
    (r"^templates/<int:pk>/", Template),
    (r"^surveys/<int:pk>/", Survey),
    (r"^surveys/checkins/<int:pk>/", OneOnOne),
    (r"^surveys/checkins/meetings/<int:pk>/", Meeting),
    (r"^transcripts/<int:pk>/", Transcript),
    (r"^recordings/<int:pk>/", Recording),
    (r"^suggestions/<int:pk>/", SuggestedActionItem),
    (r"^people/<int:pk>/", Person),
    (r"^people/invitations/<int:pk>/", PeopleInvitation),
    # Staff start erasing a person; an erasure record holds ids only.
    (r"^my-data/erasures/people/<int:pk>/", Person),
    (r"^my-data/erasures/<int:pk>/", Erasure),
    (r"^me/tokens/<int:pk>/", ApiToken),
]


def object_urls(planted: Planted) -> list[str]:
    """Every app address that names an object, once for each planted object it can name.

    An address whose ids this table cannot fill fails the test: a new kind of page must say
    which planted objects it shows.
    """
    from django.urls import get_resolver

    from tests.test_url_access import walk

    urls: list[str] = []
    for route, namespace, _ in walk(get_resolver().url_patterns):
        if namespace == "admin" or "<int:" not in route:
            continue  # no id, or a link's token (tested by its own flow)
        model = next((m for prefix, m in ROUTE_OBJECTS if re.match(prefix, route)), None)
        assert model is not None, f"tests/privacy/planted.py: which objects does {route} show?"
        for pk in planted.ids(model) or [0]:
            url = re.sub(r"<int:(pk|oneonone_id|meeting_id)>", str(pk), route, count=1)
            # A recording's first chunk; its voice samples.
            url = url.replace("<int:index>", "0")
            samples = planted.ids(VoiceSample) if "<int:sample_id>" in url else [0]
            url_with_samples = [url.replace("<int:sample_id>", str(s)) for s in samples or [0]]
            for url in url_with_samples:
                for qid in _question_ids(planted, model, pk) if "<int:qid>" in url else [None]:
                    urls.append("/" + url.replace("<int:qid>", str(qid)))
    return urls


def _question_ids(planted: Planted, model: type[models.Model], pk: int) -> list[int]:
    if model is Survey:
        return [q.pk for q in planted.objects if isinstance(q, Question) and q.survey_id == pk]
    checkin = Survey.objects.filter(oneonone_id=pk).first() if model is OneOnOne else None
    return list(checkin.questions.values_list("pk", flat=True)) if checkin else [0]
