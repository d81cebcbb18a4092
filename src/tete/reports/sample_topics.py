"""What the sample conversations (samples.py) are about, by kind of one-on-one.

Each topic has ways to open it, what each side says about it, questions, and what may be
agreed; lines may name {other} (the listener) and {someone} (a colleague they talk about).
What may be agreed is written from its owner's side, with {them}, {their}, {my} and {I} for
the pronouns that change when the other person asks for it ("can you send me your…").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

# People the two talk about.
THIRD_PARTIES = ["Maya", "Emma", "Priya", "Tomás", "Lena", "Jon", "Sam", "Noor", "Kenji"]


@dataclass(frozen=True)
class Topic:
    """One thing to talk about. Lines may name {other} (the listener) and {someone}.

    ``tasks`` are what may be agreed about it: (owner, what). The owner is "lead" or
    "mentor" (the manager, mentor or coach), "partner", "mentee" or "client" (the other
    person), "either" (whoever says it) or "both" (a shared plan). `what` starts with an
    action verb the analysis knows ("send {them} the checklist"), so that it can be said as
    "I'll…", "can you…" or "let's…"; it names no day, which is added as said. "a|b" are two
    ways of saying it.
    """

    keys: tuple[str, ...]
    openers: tuple[str, ...]
    lead: tuple[str, ...]
    partner: tuple[str, ...]
    tasks: tuple[tuple[str, str], ...] = ()
    questions: tuple[str, ...] = ()


def _t(
    keys: str,
    openers: Sequence[str],
    lead: Sequence[str],
    partner: Sequence[str],
    tasks: Sequence[tuple[str, str]] = (),
    questions: Sequence[str] = (),
) -> Topic:
    return Topic(
        tuple(keys.split()), tuple(openers), tuple(lead), tuple(partner), tuple(tasks),
        tuple(questions),
    )  # fmt: skip


MANAGER_TOPICS = [
    _t(
        "migration deadline api cutover",
        ["Where are we with the migration?", "How is the API migration going, honestly?"],
        [
            "The date we gave product was always optimistic.",
            "I'd rather move the date than burn the team out.",
            "Leadership cares more about a clean cutover than the exact week.",
        ],
        [
            "We're about two thirds through, but the billing endpoints are messier than we thought.",
            "The old clients still send the deprecated headers, so we can't switch them off yet.",
            "I think the deadline is tight but doable if nothing else lands on us.",
            "The rollback plan is the part I'm least sure about.",
        ],
        [
            (
                "partner",
                "write up the migration risks|list what could still go wrong with the migration",
            ),
            (
                "lead",
                "talk to {someone} about moving the cutover date|ask {someone} for two more weeks on the cutover",
            ),
            ("both", "review the rollback plan together|go through the rollback plan step by step"),
            ("partner", "draft the client deprecation email"),
        ],
        ["What would you cut if we had to ship two weeks earlier?"],
    ),
    _t(
        "on-call pages incident alerts",
        ["How was on-call this time?", "I saw the pager was busy last week. How are you doing?"],
        [
            "Three pages in a night is not sustainable, and that's on us to fix.",
            "I'd like the noisy alerts gone before your next rotation.",
            "The incident review was one of the calmest I've seen.",
        ],
        [
            "Honestly it was rough, two of the pages were the same flaky disk alert.",
            "The runbook for the queue backlog is out of date.",
            "People felt safe to speak up in the review, which helped a lot.",
        ],
        [
            ("partner", "update the queue backlog runbook|fix the runbook for the queue backlog"),
            (
                "lead",
                "raise the alert noise at the ops review|bring the noisy alerts to the ops review",
            ),
            (
                "partner",
                "collect the alerts that paged without a reason|list every page from last rotation",
            ),
        ],
        ["Did anyone cover for you the morning after?"],
    ),
    _t(
        "career senior promotion growth goals",
        [
            "You wanted to talk about the step to senior.",
            "I'd love to hear where you want to grow.",
        ],
        [
            "Senior here mostly means you make the people around you better.",
            "You're already doing a lot of it, it just isn't visible yet.",
            "The promotion committee looks at impact over the last two quarters.",
        ],
        [
            "I'd like to lead a design review end to end.",
            "I'm not sure what's missing from my side, to be honest.",
            "I'd love more architecture work, even if it's small at first.",
        ],
        [
            (
                "lead",
                "share the promotion criteria with {them}|send {them} the senior engineer expectations",
            ),
            (
                "partner",
                "list three projects {I}'d like to own|write down what {I} want to lead next quarter",
            ),
            ("lead", "find {them} a design review to lead|look for a review {they} could run"),
        ],
        ["What does a good year look like for you?"],
    ),
    _t(
        "workload meetings focus stretched",
        ["How is the workload feeling?", "You look a bit stretched. How's your week really?"],
        [
            "If something has to give, tell me which thing.",
            "I'd rather you protect two mornings a week for deep work.",
            "Some of those meetings don't need you.",
        ],
        [
            "I'm in meetings most of Tuesday and Wednesday.",
            "I keep getting pulled into support questions.",
            "It's manageable, but I'm not getting any focus time.",
        ],
        [
            (
                "partner",
                "block two focus mornings in {my} calendar|put focus time in {my} calendar",
            ),
            (
                "lead",
                "ask {someone} to take over the support rotation|talk to {someone} about the support rotation",
            ),
            ("both", "try one meeting-free day a week"),
        ],
        ["Which meeting would you drop first?"],
    ),
    _t(
        "feedback review design rfc presentation",
        ["I read your RFC over the weekend.", "Can we go through the feedback on your design doc?"],
        [
            "The problem statement is really clear.",
            "I'd push harder on the alternatives section.",
            "The diagram made the data flow click for me.",
        ],
        [
            "I wasn't sure how much detail people wanted.",
            "I got conflicting comments from {someone} and the data team.",
            "I'd appreciate feedback on how I ran the review meeting, too.",
        ],
        [
            ("partner", "add a section on the alternatives we rejected"),
            (
                "lead",
                "send {them} {my} comments on the RFC|write up {my} feedback on the design doc",
            ),
            (
                "partner",
                "schedule a second review with the data team|book time with the data team to go over it",
            ),
        ],
        ["What feedback surprised you the most?"],
    ),
    _t(
        "hiring interview joiner onboarding",
        ["We have two people starting next month.", "Can you help with hiring this quarter?"],
        [
            "You'd be a great buddy for a new joiner.",
            "We need one more person on the interview loop.",
            "I don't want onboarding to fall on one person again.",
        ],
        [
            "Happy to help, as long as it's not during the cutover.",
            "Our onboarding docs are pretty stale.",
            "Pairing sessions in the first week might work well.",
        ],
        [
            ("partner", "update the onboarding checklist|clean up the onboarding docs"),
            (
                "lead",
                "book {them} into the interviewer training|sign {them} up for the interview training",
            ),
            ("partner", "prepare a starter task for the new joiner"),
        ],
    ),
    _t(
        "time off holiday august leave",
        ["You mentioned time off.", "Before I forget, your holiday in August."],
        [
            "Take the full two weeks, we'll manage.",
            "Nobody should need you while you're away.",
        ],
        [
            "I'd like to take the last two weeks of August.",
            "I'll be completely offline, so handover matters.",
        ],
        [("partner", "put the dates in the team calendar"), ("partner", "write a handover note")],
    ),
    _t(
        "training budget course conference talk",
        ["Any news on the course you wanted?", "How is the conference talk coming along?"],
        [
            "There is budget left for this year, we should use it.",
            "A talk is a great way to get your work known outside the team.",
        ],
        [
            "The Kubernetes course is in three weeks.",
            "I've got a rough outline for the talk but no slides yet.",
            "I'm nervous about presenting to that many people.",
        ],
        [
            ("lead", "check the training budget with HR|ask HR about the course budget"),
            ("partner", "send the talk outline for review|share a first draft of the slides"),
            ("lead", "set up a dry run with the team|organise a practice run of the talk"),
        ],
    ),
    _t(
        "roadmap priorities sprint planning process",
        ["Here's some context on next quarter.", "How are you finding sprint planning?"],
        [
            "Leadership wants the reporting work before the mobile project.",
            "I'd like the team to own the priorities more, not just me.",
        ],
        [
            "Planning runs way too long, we re-estimate everything.",
            "I'd like more context on why the mobile project was dropped.",
            "It would help to know what we're saying no to.",
        ],
        [
            (
                "lead",
                "share the Q3 priorities in the team channel|post the roadmap changes for the team",
            ),
            ("both", "try a shorter planning format"),
            ("partner", "outline a lighter estimation process"),
        ],
        ["What would make planning worth the time?"],
    ),
    _t(
        "recognition release thanks",
        ["First, thank you for the release.", "I wanted to say, the release went really well."],
        [
            "People noticed how you handled the last-minute bug.",
            "That deserves to be visible beyond the team.",
        ],
        ["It was a team effort, {someone} did most of the testing.", "Thanks, it was a long week."],
        [
            ("lead", "mention the release in the all-hands|call out the release at the all-hands"),
            ("partner", "write a short release recap|post a recap of the release"),
        ],
    ),
]

MENTORING_TOPICS = [
    _t(
        "design doc structure writing",
        ["How is the design doc going?", "You said writing design docs feels slow."],
        [
            "I start from the decision I need, not the system.",
            "Write the alternatives first, it saves arguments.",
        ],
        ["I never know when a doc is finished.", "My docs get long and people stop reading."],
        [
            ("mentor", "send {them} two docs {I} think work well"),
            ("mentee", "rewrite the summary in five lines"),
        ],
    ),
    _t(
        "reading list distributed systems learning",
        ["What are you reading at the moment?", "You wanted to go deeper on distributed systems."],
        [
            "Start with the paper, then the blog posts that argue with it.",
            "Pick one system and read its postmortems.",
        ],
        [
            "I keep starting books and not finishing them.",
            "The consensus chapter lost me completely.",
        ],
        [("mentor", "share {my} reading list"), ("mentee", "read the Dynamo paper")],
    ),
    _t(
        "on-call first rotation help asking",
        [
            "Your first on-call rotation is coming up.",
            "How do you feel about asking for help earlier?",
        ],
        [
            "Nobody expects you to know every system.",
            "Asking after fifteen minutes is a good rule.",
        ],
        [
            "I'm scared of being the one who breaks production.",
            "I waited two hours last time before asking.",
        ],
        [
            ("mentor", "introduce {them} to {someone} from the SRE team"),
            ("mentee", "practice the failover drill"),
        ],
    ),
    _t(
        "visibility demo side project",
        [
            "Are you going to show the side project at demo day?",
            "You wanted to talk about visibility.",
        ],
        ["Showing work is part of the work.", "A five-minute demo beats a long document."],
        ["It feels like self-promotion.", "I'm not sure it's polished enough."],
        [
            ("mentee", "prepare a five-minute demo"),
            ("mentor", "look at {their} slides"),
        ],
    ),
]

COACHING_TOPICS = [
    _t(
        "delegate goal quality",
        ["What would you like to get from today?", "Last time you talked about delegating more."],
        [
            "What would happen if you didn't check it?",
            "What's the smallest thing you could hand over this week?",
        ],
        [
            "I keep redoing work instead of giving feedback.",
            "I think I don't trust the quality, if I'm honest.",
            "I handed over the weekly report and nothing broke.",
        ],
        [
            ("client", "try handing over one review"),
            ("client", "reflect on what {I} redo and why"),
        ],
        ["What does good enough look like here?"],
    ),
    _t(
        "stakeholder difficult conversation",
        [
            "How did the conversation with the stakeholder go?",
            "Where are you with the difficult stakeholder?",
        ],
        [
            "What options do you see?",
            "What do you want them to understand?",
            "What is in your control?",
        ],
        [
            "I avoided it again.",
            "We talked, and it was less bad than I feared.",
            "I think I need to name the tension directly.",
        ],
        [
            ("client", "prepare three options for the conversation"),
            ("client", "book the conversation with {someone}"),
        ],
        ["What would you do if you weren't afraid of their reaction?"],
    ),
    _t(
        "energy habits week drains",
        ["Where does your energy go at the moment?", "How has your week actually looked?"],
        ["What restores you?", "What did you notice when you tracked it?"],
        ["Back-to-back meetings drain me completely.", "I get my best thinking done on walks."],
        [("client", "block a walk after lunch"), ("client", "track where {my} week goes")],
    ),
    _t(
        "feedback critical avoiding",
        [
            "You wanted to work on giving critical feedback.",
            "How did the feedback conversation go?",
        ],
        ["What did you say, exactly?", "How did it land?"],
        ["I softened it so much he didn't hear it.", "I said it plainly, and he thanked me."],
        [
            ("client", "write down the one sentence {I} need to say"),
            ("client", "practise the opening line"),
        ],
    ),
]

PEER_TOPICS = [
    _t(
        "design handoff settings component library",
        [
            "How did the handoff for the settings page go?",
            "Can we talk about the component library?",
        ],
        [
            "The spacing tokens never made it into the code.",
            "I'd like us to agree on one source of truth.",
        ],
        [
            "We built it from the old mockups by mistake.",
            "The library has three different buttons now.",
        ],
        [("both", "review the tokens together"), ("either", "file the mismatches as tickets")],
    ),
    _t(
        "usability sessions accessibility backlog",
        ["What came out of the usability sessions?", "Where are we with the accessibility fixes?"],
        ["Two people couldn't find the export at all.", "Keyboard navigation is the big one."],
        ["The focus order is the first thing to fix.", "I can pair on the screen reader testing."],
        [
            ("both", "plan the accessibility fixes"),
            ("either", "share the session recordings"),
        ],
    ),
    _t(
        "retro what worked",
        ["What worked in your last retro?", "Our retros are getting stale."],
        [
            "We tried silent writing first, it helped the quiet people.",
            "Changing the format every month keeps it fresh.",
        ],
        ["Ours turn into complaint sessions.", "Nobody follows up on the actions."],
        [("either", "send {them} {my} team's retro format"), ("both", "try a joint retro")],
    ),
]

PERSONAL_TOPICS = [
    _t(
        "book club",
        ["Did you finish the book?", "What should the book club read next?"],
        ["The ending was too neat for me.", "I'd like something shorter this time."],
        ["I loved the middle part.", "I have two suggestions, both under 300 pages."],
        [("either", "send the two book suggestions"), ("both", "pick a date for the next meeting")],
    ),
    _t(
        "training marathon running",
        ["How is the training going?", "Still on track for the half-marathon?"],
        ["Rest days count as training.", "The long run on Sunday is the one that matters."],
        ["My knee complained after the long run.", "I did eighteen kilometres on Sunday!"],
        [("either", "book a physio appointment"), ("either", "share {my} training plan")],
    ),
    _t(
        "moving flats italian trip weekend",
        ["How is the move going?", "Any plans for the long weekend?"],
        ["Label every box, trust me.", "The lakes are lovely at this time of year."],
        ["Half the boxes are still in the hallway.", "I'm practising my Italian for the trip."],
        [
            ("either", "send {them} the moving company's number"),
            ("either", "look up trains for the weekend"),
        ],
    ),
]

TOPICS_BY_KIND: dict[str, list[Topic]] = {
    "manager_report": MANAGER_TOPICS,
    "mentoring": MENTORING_TOPICS,
    "coaching": COACHING_TOPICS,
    "peer": PEER_TOPICS,
    "personal": PERSONAL_TOPICS,
}

# Said about any topic, once a meeting each, when its own lines have run out.
LEAD_GENERIC = [
    "I've seen the same thing in other teams.",
    "It helps to know that, thank you.",
    "I don't have a perfect answer either.",
    "My worry is that it keeps coming back.",
    "I think you're closer to it than I am.",
    "That's a good sign, honestly.",
    "I'd be curious what {someone} thinks about it.",
    "We don't need to solve it today.",
    "When I was in a similar spot, the hardest part was saying it out loud.",
    "From where I sit, the team is in a better place than a month ago.",
    "I also want you to know this is not a performance conversation.",
    "There's some context from the leadership meeting that matters here.",
    "I should have raised this earlier myself.",
    "I need a weekend to think about it.",
]
PARTNER_GENERIC = [
    "I talked to {someone} about it yesterday.",
    "It's been on my mind all week.",
    "The good news is the rest of the team is aligned.",
    "I wrote some notes on it last week.",
    "Part of it is just me being impatient.",
    "I think it's getting better, slowly.",
    "To be fair, nobody really owns it right now.",
    "It's easier to talk about it than to fix it.",
    "I'd rather deal with it now than in three months.",
    "{someone} had a similar problem last year.",
]
LEAD_QUESTIONS = [
    "What would help most right now?",
    "How do you feel about it?",
    "What would you do if it were up to you?",
    "Is there anything I'm missing?",
]
PARTNER_QUESTIONS = [
    "What do you think?",
    "Does that make sense to you?",
    "How did you handle that before?",
    "Would that be okay with you?",
]

GREETINGS = [
    "Hi {other}, how's your week been?",
    "Hey {other}. Good to see you. How are things?",
    "Morning {other}! How was the weekend?",
    "Hi {other}, sorry I'm a minute late. How are you doing?",
]
GREETING_REPLIES = [
    "Pretty good, busy but good.",
    "Honestly, a bit of a mixed week.",
    "Not bad at all, thanks.",
    "Tired, but happy with how things went.",
]
LEAD_FILLERS = [
    "That makes sense.",
    "Tell me more about that.",
    "Okay, I hear you.",
    "That's fair, and I had not thought about it that way.",
    "Interesting.",
]
PARTNER_FILLERS = [
    "I think so, yes.",
    "It's a bit more complicated than that.",
    "That would help, actually.",
    "I'm not sure yet, to be honest.",
    "Yes, that's exactly it.",
    "Right.",
]
CLOSINGS = [
    "Thanks, this was useful.",
    "Good, I think we covered the important bits.",
    "Great, same time next week then.",
    "Thanks {other}, talk soon.",
]

# What may be agreed about an agenda point the topics above do not cover.
GENERIC_TASKS = [
    ("partner", "write down the next step|note the next step somewhere we both see it"),
    ("lead", "send {them} a short summary of what we said"),
    ("lead", "check with {someone} before we decide"),
    ("partner", "draft a proposal|put a first proposal together"),
    ("partner", "look into the options|find out what the options are"),
    ("both", "check in on it again|come back to it once there is news"),
    ("lead", "ask {someone} how they handled it"),
    ("partner", "try one small change and see"),
]
