"""The built-in question bank: templates with no owner, visible to everyone."""

from django.db import migrations

QUESTION_BANK = [
    (
        "First meeting",
        "first_meeting",
        "Get to know each other and agree how these conversations will work.",
        [
            "What would make these one-on-ones most useful for you?",
            "How do you prefer to receive feedback: written, in the moment, or saved for here?",
            "What is something about how you work that people often get wrong?",
            "What did your best manager or mentor do that you would like us to keep doing?",
            "How often should we meet, and what should happen when one of us has to cancel?",
            "What are you most excited about in your role right now?",
            "Is there anything outside work you would like me to know about, so I can support you?",
            "How will we know, in three months, that these conversations are working?",
        ],
    ),
    (
        "Career conversation",
        "career",
        "Look beyond the current sprint: strengths, direction and next steps.",
        [
            "Which parts of your work give you the most energy? Which drain it?",
            "Where would you like to be in two years, and what would a good first step be?",
            "Which skill would make the biggest difference to you if you got better at it?",
            "Is there a project or responsibility you would like to take on next?",
            "Who in the organisation would you like to learn from?",
            "What feels unclear about how growth and promotion work here?",
            "What support do you need from me to get there?",
        ],
    ),
    (
        "Wellbeing check-in",
        "wellbeing",
        "How are you really? Workload, energy and balance.",
        [
            "On a scale of 1 to 10, how is your energy this week, and why?",
            "Is your workload sustainable right now?",
            "What has been weighing on you lately?",
            "When did you last take real time off? Is any planned?",
            "Is there anything about your working hours or setup that we should change?",
            "What would make next week feel lighter?",
        ],
    ),
    (
        "Feedback both ways",
        "feedback",
        "Give and ask for feedback: what to keep, what to change.",
        [
            "What is one thing I could do differently to support you better?",
            "What did I do recently that was helpful? What was not?",
            "Here is something I appreciated in your work since we last met.",
            "Here is one thing I would like you to try differently, and why.",
            "Is there feedback you have been holding back, for me or for the team?",
            "How did the last piece of feedback land? Was it fair and useful?",
            "Whose work deserves recognition that it has not had yet?",
        ],
    ),
    (
        "Blockers",
        "blockers",
        "Clear the way: what is stuck, and who can unstick it.",
        [
            "What is slowing you down the most right now?",
            "Is there a decision you are waiting for? From whom?",
            "Is anything unclear about priorities or what done looks like?",
            "Are there meetings or processes that cost more than they return?",
            "Which dependency on another team worries you?",
            "What can I take off your plate, or escalate, this week?",
        ],
    ),
    (
        "Goals",
        "goals",
        "Set and review goals that matter to both of you.",
        [
            "How are you doing against the goals we agreed last time?",
            "Which goal matters most this quarter, and why?",
            "What would make this goal a clear success? How would we measure it?",
            "What might get in the way, and how can we prepare for it?",
            "Is any goal no longer relevant and worth dropping?",
            "What is one small step you can take before we meet again?",
        ],
    ),
    (
        "Coaching with GROW",
        "coaching",
        "Goal, Reality, Options, Way forward: a classic structure for a coaching conversation.",
        [
            "Goal: What would you like to get out of this conversation?",
            "Goal: If this went really well, what would be different in three months?",
            "Reality: What is happening now? What have you already tried?",
            "Reality: On a scale of 1 to 10, where are you today, and what makes it that number?",
            "Options: What could you do? What else?",
            "Options: What would you do if you knew you could not fail?",
            "Way forward: Which option will you choose, and what is the first step?",
            "Way forward: What could stop you, and what support do you need?",
            "Way forward: How committed are you, from 1 to 10? What would make it a 10?",
        ],
    ),
]


def add_question_bank(apps, schema_editor):
    Template = apps.get_model("oneonones", "Template")
    TemplateQuestion = apps.get_model("oneonones", "TemplateQuestion")
    for name, category, description, questions in QUESTION_BANK:
        template = Template.objects.create(
            name=name, category=category, description=description, owner=None
        )
        TemplateQuestion.objects.bulk_create(
            TemplateQuestion(template=template, text=text, position=i)
            for i, text in enumerate(questions)
        )


def remove_question_bank(apps, schema_editor):
    Template = apps.get_model("oneonones", "Template")
    Template.objects.filter(owner__isnull=True, name__in=[q[0] for q in QUESTION_BANK]).delete()


class Migration(migrations.Migration):
    dependencies = [("oneonones", "0001_initial")]

    operations = [migrations.RunPython(add_question_bank, remove_question_bank)]
