"""The question bank: ready-made sets a survey can start from.

Each question is the same dict shape as a JSON export (see `exports.survey_to_dict`), so the
bank, duplication and import share one code path (`actions.add_questions_from_dicts`).
"""

from __future__ import annotations

from typing import Any

AGREE = {"scale_low_label": "Strongly disagree", "scale_high_label": "Strongly agree"}

BANK: dict[str, dict[str, Any]] = {
    "wellbeing": {
        "title": "Wellbeing",
        "questions": [
            {
                "key": "mood",
                "kind": "scale",
                "text": "How are you feeling this week?",
                "scale_low_label": "Struggling",
                "scale_high_label": "Great",
            },
            {
                "key": "energy",
                "kind": "scale",
                "text": "How is your energy level?",
                "scale_low_label": "Drained",
                "scale_high_label": "Energised",
            },
            {
                "key": "wellbeing_support",
                "kind": "long",
                "text": "What would help you feel better at work?",
                "required": False,
            },
        ],
    },
    "workload": {
        "title": "Workload",
        "questions": [
            {
                "key": "workload",
                "kind": "scale",
                "text": "How manageable is your workload?",
                "scale_low_label": "Overwhelming",
                "scale_high_label": "Very manageable",
            },
            {
                "key": "blocked",
                "kind": "yesno",
                "text": "Is anything blocking you right now?",
            },
            {
                "key": "blocked_detail",
                "kind": "short",
                "text": "What is blocking you?",
                "required": False,
                "show_if": {"key": "blocked", "values": ["yes"]},
            },
        ],
    },
    "engagement": {
        "title": "Engagement",
        "questions": [
            {
                "key": "meaningful_work",
                "kind": "scale",
                "text": "My work feels meaningful.",
                **AGREE,
            },
            {
                "key": "recognition",
                "kind": "scale",
                "text": "I get recognition when I do good work.",
                **AGREE,
            },
            {
                "key": "growth",
                "kind": "scale",
                "text": "I am learning and growing here.",
                **AGREE,
            },
            {
                "key": "engagement_comment",
                "kind": "long",
                "text": "What is one thing we should change?",
                "required": False,
            },
        ],
    },
    "enps": {
        "title": "eNPS",
        "questions": [
            {
                "key": "enps",
                "kind": "nps",
                "text": "How likely are you to recommend working here to a friend?",
                "scale_low_label": "Not at all likely",
                "scale_high_label": "Extremely likely",
            },
            {
                "key": "enps_reason",
                "kind": "long",
                "text": "What is the main reason for your score?",
                "required": False,
            },
        ],
    },
    "manager_feedback": {
        "title": "Feedback to a manager",
        "questions": [
            {
                "key": "manager_clarity",
                "kind": "scale",
                "text": "My manager makes priorities clear.",
                **AGREE,
            },
            {
                "key": "manager_listens",
                "kind": "scale",
                "text": "My manager listens and acts on what I say.",
                **AGREE,
            },
            {
                "key": "manager_support",
                "kind": "multi",
                "text": "Where would you like more support?",
                "choices": ["Career growth", "Feedback", "Prioritisation", "Technical help"],
                "required": False,
            },
            {
                "key": "manager_keep",
                "kind": "long",
                "text": "What should your manager keep doing?",
                "required": False,
            },
        ],
    },
    "coaching_feedback": {
        "title": "Coaching-session feedback",
        "questions": [
            {
                "key": "session_useful",
                "kind": "scale",
                "text": "How useful was this session?",
                "scale_low_label": "Not useful",
                "scale_high_label": "Very useful",
            },
            {
                "key": "session_recommend",
                "kind": "nps",
                "text": "How likely are you to recommend this coach?",
                "scale_low_label": "Not at all likely",
                "scale_high_label": "Extremely likely",
            },
            {
                "key": "session_focus",
                "kind": "single",
                "text": "What did the session help you most with?",
                "choices": ["Clarity on a goal", "A difficult conversation", "Confidence", "Other"],
            },
            {
                "key": "session_comment",
                "kind": "long",
                "text": "Anything you would like to say to your coach?",
                "required": False,
            },
        ],
    },
}

# What a one-on-one check-in asks; "mood" and "workload" feed the trend on the one-on-one page.
CHECKIN_QUESTIONS: list[dict[str, Any]] = [
    BANK["wellbeing"]["questions"][0],
    BANK["workload"]["questions"][0],
    {
        "key": "checkin_topic",
        "kind": "short",
        "text": "What would you like to talk about?",
        "required": False,
    },
]


def bank_choices() -> list[tuple[str, str]]:
    return [(key, entry["title"]) for key, entry in BANK.items()]
