"""Demo surveys: a weekly Platform pulse with several rounds, Maya's engagement survey for
everyone (closed, so its results by group show), Kofi's public coaching-feedback form with
responses, and check-ins before the meetings of several one-on-ones.

The demo has 13 people; thresholds (5) would hide almost everything, so this module adds
20 more people to Platform and Product. Answers go through the same actions the app uses,
so anonymity (no link, shuffled rows, generalised attributes) holds in the demo too.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import TYPE_CHECKING, Any

from tete.accounts.models import Person
from tete.demo.people import DEMO_DOMAIN
from tete.surveys import actions
from tete.surveys.models import Question, Survey

if TYPE_CHECKING:
    from tete.demo.people import DemoOrg

# (local part, name, title, team, manager, location, years)
EXTRA_PEOPLE = [
    ("lena", "Lena Fischer", "Software Engineer", "Platform", "alice", "Berlin", 1),
    ("marco", "Marco Rossi", "Software Engineer", "Platform", "alice", "Paris", 2),
    ("nadia", "Nadia Haddad", "Senior Engineer", "Platform", "alice", "Paris", 4),
    ("oscar", "Oscar Lind", "Software Engineer", "Platform", "alice", "Remote", 0),
    ("priya", "Priya Nair", "Site Reliability Engineer", "Platform", "alice", "Remote", 3),
    ("quentin", "Quentin Blanc", "Software Engineer", "Platform", "alice", "Paris", 1),
    ("rosa", "Rosa Jiménez", "Data Engineer", "Platform", "alice", "Berlin", 2),
    ("sven", "Sven Berg", "Software Engineer", "Platform", "alice", "Berlin", 5),
    ("tariq", "Tariq Aziz", "Senior Engineer", "Platform", "alice", "Remote", 6),
    ("uma", "Uma Rao", "Software Engineer", "Platform", "alice", "Paris", 0),
    ("victor", "Victor Hugo", "Site Reliability Engineer", "Platform", "alice", "Berlin", 2),
    ("wen", "Wen Zhao", "Software Engineer", "Platform", "alice", "Remote", 1),
    ("xavier", "Xavier Dupont", "Product Designer", "Product", "frank", "Paris", 2),
    ("yara", "Yara Saleh", "Product Manager", "Product", "frank", "New York", 3),
    ("zoe", "Zoé Laurent", "UX Researcher", "Product", "frank", "Paris", 1),
    ("amir", "Amir Karimi", "Product Designer", "Product", "frank", "Remote", 0),
    ("bea", "Bea Santos", "Product Manager", "Product", "frank", "New York", 4),
    ("caleb", "Caleb Moore", "Product Designer", "Product", "frank", "New York", 2),
    ("dina", "Dina Cohen", "Content Designer", "Product", "frank", "Remote", 1),
    ("eli", "Eli Novak", "Product Analyst", "Product", "frank", "Paris", 3),
]

# Comments per pulse round: the topics shift from meetings to on-call to the release.
PULSE_COMMENTS = [
    [
        "Too many meetings, hard to find focus time.",
        "Meetings every afternoon break my flow.",
        "Good week, the team is supportive.",
        "Focus time is rare with all the meetings.",
        "Planning meeting ran long again.",
    ],
    [
        "Fewer meetings this week, that helped a lot.",
        "Focus time is better now.",
        "On-call was noisy at night.",
        "Pairing with Chloé was great.",
        "Still some meetings that could be emails.",
    ],
    [
        "On-call pages every night, I am tired.",
        "The on-call rotation is too heavy for a small team.",
        "Happy with the new deploy pipeline.",
        "On-call load is the main problem.",
        "Good progress on the migration.",
    ],
    [
        "On-call got better after the alert clean-up.",
        "The release deadline feels tight.",
        "Release scope keeps growing.",
        "Deadline pressure, but the team is great.",
        "I would like clearer priorities for the release.",
    ],
    [
        "Release deadline is stressful, scope is still growing.",
        "Clearer priorities would help with the release.",
        "Great teamwork on the release.",
        "Tired but proud of the release work.",
        "The release deadline means long days.",
    ],
    [
        "Relieved the release shipped.",
        "Time to pay down tech debt after the release.",
        "Good retro, clear priorities now.",
        "Looking forward to a calmer sprint.",
        "Tech debt is piling up.",
    ],
]

COACHING_COMMENTS = [
    "Kofi helped me prepare a difficult conversation with my manager.",
    "Very useful, I left with a clear plan.",
    "Good questions, I would like more time per session.",
    "The session gave me confidence before my promotion talk.",
    "Helpful, though we ran out of time.",
    "Clear and kind, exactly what I needed.",
]


def build(org: DemoOrg, rng: random.Random) -> None:
    _add_people(org, rng)
    _platform_pulse(org, rng)
    _engagement_survey(org, rng)
    _coaching_form(org, rng)
    _checkins(org, rng)


def _add_people(org: DemoOrg, rng: random.Random) -> None:
    password = org.people["bob"].password  # every demo person shares the demo password
    for local, name, title, team, manager, location, years in EXTRA_PEOPLE:
        org.people[local] = Person.objects.create(
            email=f"{local}@{DEMO_DOMAIN}",
            name=name,
            title=title,
            team=org.teams[team],
            manager=org.people[manager],
            timezone=org.people[manager].timezone,
            location=location,
            start_date=org.today - dt.timedelta(days=365 * years + rng.randint(20, 300)),
            password=password,
        )


def _answers(survey: Survey, rng: random.Random, mood: float, comment: str) -> dict[str, Any]:
    """Plausible answers around a mood level (1–5), with a comment now and then."""
    answers: dict[str, Any] = {}
    commented = False
    for q in survey.questions.filter(retired=False):
        key = str(q.id)
        if q.kind == "scale":
            answers[key] = str(min(5, max(1, round(rng.gauss(mood, 0.8)))))
        elif q.kind == "nps":
            answers[key] = str(min(10, max(0, round(rng.gauss(mood * 2, 1.6)))))
        elif q.kind == "yesno":
            answers[key] = "yes" if rng.random() < 0.3 else "no"
        elif q.kind == "single":
            answers[key] = rng.choice(q.choices)
        elif q.kind == "multi":
            answers[key] = rng.sample(q.choices, k=rng.randint(1, 2))
        elif (
            q.kind in Question.TEXT_KINDS
            and comment
            and not commented
            and not q.show_if_question_id
        ):
            # One comment per response, on the first open question that always shows.
            answers[key] = comment
            commented = True
    return answers


def _platform_pulse(org: DemoOrg, rng: random.Random) -> None:
    alice = org.people["alice"]
    weeks = len(PULSE_COMMENTS)
    start = org.today - dt.timedelta(days=7 * (weeks - 1) + org.today.weekday())
    survey = actions.create_survey(
        alice,
        title="Platform weekly pulse",
        description="Two minutes each Monday: how the week feels, so we fix what hurts early.",
        kind=Survey.Kind.PULSE,
        audience=Survey.Audience.TEAM,
        audience_team=org.teams["Platform"],
        recurrence=Survey.Recurrence.WEEKLY,
        opens_on=start,
        status=Survey.Status.OPEN,
    )
    actions.add_bank_set(survey, "wellbeing")
    actions.add_bank_set(survey, "workload")
    actions.add_bank_set(survey, "enps")
    moods = [3.3, 3.6, 2.9, 3.1, 2.8, 3.9]
    for week in range(weeks):
        day = start + dt.timedelta(days=7 * week)
        round_ = actions.ensure_current_round(survey, day, notify=False)
        assert round_ is not None
        audience = list(round_.participations.select_related("person__team"))
        rng.shuffle(audience)
        # The current week is still collecting answers.
        share = 0.45 if week == weeks - 1 else rng.uniform(0.7, 0.9)
        comments = PULSE_COMMENTS[week]
        for i, participation in enumerate(audience[: round(len(audience) * share)]):
            comment = comments[i % len(comments)] if i < len(comments) * 2 else ""
            actions.submit_response(
                round_,
                participation.person,
                _answers(survey, rng, moods[week], comment),
                day + dt.timedelta(days=rng.randint(0, min(4, (org.today - day).days))),
            )


def _engagement_survey(org: DemoOrg, rng: random.Random) -> None:
    maya = org.people["maya"]
    start = org.today - dt.timedelta(days=24)
    closed = org.today - dt.timedelta(days=3)
    survey = actions.create_survey(
        maya,
        title="Quarterly engagement",
        description="How engaged we are across engineering and product. Anonymous.",
        kind=Survey.Kind.PULSE,
        audience=Survey.Audience.EVERYONE,
        opens_on=start,
        closes_on=closed,
        status=Survey.Status.OPEN,
    )
    actions.add_bank_set(survey, "engagement")
    actions.add_bank_set(survey, "enps")
    round_ = actions.ensure_current_round(survey, start, notify=False)
    assert round_ is not None
    remarks = [
        "More career growth conversations, please.",
        "Recognition is rare outside the team.",
        "I love the people here.",
        "Career paths are unclear for designers.",
        "Less context switching between projects.",
    ]
    audience = list(round_.participations.select_related("person__team"))
    rng.shuffle(audience)
    for i, participation in enumerate(audience[: round(len(audience) * 0.75)]):
        actions.submit_response(
            round_,
            participation.person,
            _answers(survey, rng, 3.6, remarks[i % len(remarks)] if i < 12 else ""),
            start + dt.timedelta(days=rng.randint(0, 15)),
        )
    # Closed a few days ago: its results, by team and other groups, are there to read.
    actions.close_survey(survey, closed)


def _coaching_form(org: DemoOrg, rng: random.Random) -> None:
    kofi = org.people["kofi"]
    opens = org.today - dt.timedelta(days=30)
    survey = actions.create_survey(
        kofi,
        title="Coaching session feedback",
        description="A few questions after our sessions. Anonymous: I see answers only "
        "once several clients have replied.",
        kind=Survey.Kind.FORM,
        audience=Survey.Audience.PUBLIC,
        opens_on=opens,
        closes_on=org.today + dt.timedelta(days=60),
        status=Survey.Status.OPEN,
    )
    actions.add_bank_set(survey, "coaching_feedback")
    clients = [f"Client {n}" for n in range(1, 10)]
    links = actions.create_invitations(survey, clients)
    for i, link in enumerate(links[:7]):
        actions.submit_public_response(
            link,
            _answers(survey, rng, 4.3, COACHING_COMMENTS[i % len(COACHING_COMMENTS)]),
            opens + dt.timedelta(days=3 * i + 1),
        )


# (first, second) of the demo one-on-ones that get a check-in, and the mood drift over time.
CHECKIN_PAIRS = [("alice", "bob", -0.1), ("alice", "chloe", 0.05), ("frank", "grace", 0.0)]
CHECKIN_TOPICS = [
    "Career growth",
    "The on-call rotation",
    "Feedback on my last project",
    "",
    "Workload before the release",
    "Pairing and mentoring",
]


def _checkins(org: DemoOrg, rng: random.Random) -> None:
    from tete.oneonones.models import MeetingStatus, OneOnOne
    from tete.surveys import checkins

    for first, second, drift in CHECKIN_PAIRS:
        oneonone = (
            OneOnOne.objects.filter(first=org.people[first], second=org.people[second])
            .select_related("first", "second")
            .first()
        )
        if oneonone is None:
            continue
        respondent = org.people[second]
        survey = checkins.attach_checkin(oneonone, by=org.people[first], respondent=respondent)
        held = list(
            oneonone.meetings.filter(status=MeetingStatus.HELD).order_by("-scheduled_at")[:10]
        )
        held.reverse()
        for i, meeting in enumerate(held):
            round_ = checkins.round_for(meeting, survey)
            assert round_ is not None
            day = round_.closes_on or round_.opens_on
            mood = 3.4 + drift * i
            answers = _answers(survey, rng, mood, CHECKIN_TOPICS[i % len(CHECKIN_TOPICS)])
            actions.submit_response(round_, respondent, answers, day)
        # Chloé has already filled in the check-in for her next meeting; Bob has not yet.
        upcoming = oneonone.meetings.filter(status=MeetingStatus.SCHEDULED).first()
        if upcoming and second == "chloe":
            checkins.submit_checkin(
                upcoming, respondent, _answers(survey, rng, 3.8, "Planning my next quarter")
            )
