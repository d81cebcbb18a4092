"""Forms for building surveys and answering them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.conf import settings
from django.utils.safestring import SafeString, mark_safe

from tete.accounts.models import Person, Team
from tete.surveys.bank import bank_choices
from tete.surveys.models import Question, Survey

SHORT_TEXT_MAX = 300


def long_text_max() -> int:
    return min(5000, int(getattr(settings, "TETE_MAX_TEXT_CHARS", 5000)))


class SurveyForm(forms.ModelForm):
    """A survey's settings. An anonymous survey that would ask fewer people than the minimum
    group size is held back once, with a warning, until the author ticks to go ahead."""

    small_audience_ok = forms.BooleanField(
        required=False, widget=forms.HiddenInput, label="Go ahead with this audience"
    )
    field_order = [
        "title",
        "description",
        "kind",
        "anonymous",
        "audience",
        "audience_team",
        "audience_manager",
        "audience_people",
        "small_audience_ok",
    ]

    class Meta:
        model = Survey
        fields = [
            "title",
            "description",
            "kind",
            "anonymous",
            "audience",
            "audience_team",
            "audience_manager",
            "audience_people",
            "recurrence",
            "opens_on",
            "closes_on",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "opens_on": forms.DateInput(attrs={"type": "date"}),
            "closes_on": forms.DateInput(attrs={"type": "date"}),
            "audience_people": forms.SelectMultiple(attrs={"size": 8}),
        }
        labels = {
            "audience_team": "Team (for “a team”)",
            "audience_manager": "Manager (for “a manager's reports”; you if empty)",
            "audience_people": "People (for “chosen people”)",
            "anonymous": "Anonymous answers",
        }
        help_texts = {
            "closes_on": "Public links and rounds stop accepting answers after this day.",
        }

    def __init__(self, *args: Any, owner: Person, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.owner = owner
        #: The warning shown when the audience is under the minimum group size.
        self.small_audience = ""
        fields: dict[str, Any] = self.fields
        fields["kind"].choices = [c for c in Survey.Kind.choices if c[0] != Survey.Kind.CHECKIN]
        people = Person.objects.filter(is_active=True).order_by("name")
        fields["audience_people"].queryset = people
        fields["audience_manager"].queryset = people.filter(reports__isnull=False).distinct()
        fields["audience_team"].queryset = Team.objects.all()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        audience = data.get("audience")
        if audience == Survey.Audience.TEAM and not data.get("audience_team"):
            self.add_error("audience_team", "Choose the team to ask.")
        if audience == Survey.Audience.PEOPLE and not data.get("audience_people"):
            self.add_error("audience_people", "Choose at least one person.")
        if audience == Survey.Audience.PUBLIC:
            data["anonymous"] = True
        opens, closes = data.get("opens_on"), data.get("closes_on")
        if opens and closes and closes < opens:
            self.add_error("closes_on", "The closing day must be on or after the opening day.")
        if not self.errors:
            self._check_audience_size(data)
        return data

    def _check_audience_size(self, data: dict[str, Any]) -> None:
        from tete.surveys.actions import audience_for
        from tete.surveys.anonymity import min_group_size
        from tete.surveys.disclosure import small_audience_warning

        audience = data.get("audience", "")
        if not data.get("anonymous") or audience == Survey.Audience.PUBLIC:
            return  # named answers need no minimum; public links are counted when made
        size = audience_for(
            audience,
            owner=self.owner,
            team=data.get("audience_team"),
            manager=data.get("audience_manager"),
            people=data.get("audience_people") or (),
        ).count()
        if size >= min_group_size():
            return
        self.small_audience = small_audience_warning(audience, size)
        field: Any = self.fields["small_audience_ok"]
        field.widget = forms.CheckboxInput()
        if not data.get("small_audience_ok"):
            self.add_error(
                "small_audience_ok",
                "Tick this box to go ahead with this audience, or choose a larger one.",
            )

    def survey_fields(self) -> dict[str, Any]:
        """The cleaned data that are the survey's own fields."""
        return {k: v for k, v in self.cleaned_data.items() if k != "small_audience_ok"}


class QuestionForm(forms.ModelForm):
    choices_text = forms.CharField(
        label="Choices (one per line)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="For single and multiple choice.",
    )
    show_if_values_text = forms.CharField(
        label="…when the answer is (one per line)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="For example “yes”, or “1” and “2” on a 1–5 scale.",
    )

    class Meta:
        model = Question
        fields = [
            "text",
            "kind",
            "help_text",
            "required",
            "scale_low_label",
            "scale_high_label",
            "show_if_question",
        ]
        labels = {
            "text": "Question",
            "kind": "Type",
            "help_text": "Help text",
            "scale_low_label": "Label for the lowest score",
            "scale_high_label": "Label for the highest score",
            "show_if_question": "Show only if an earlier answer matches",
        }

    def __init__(self, *args: Any, survey: Survey, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        earlier = survey.questions.filter(retired=False, kind__in=Question.CHOICE_KINDS)
        if self.instance.pk:
            earlier = earlier.filter(position__lt=self.instance.position)
            self.fields["choices_text"].initial = "\n".join(self.instance.choices)
            self.fields["show_if_values_text"].initial = "\n".join(self.instance.show_if_values)
        show_if: Any = self.fields["show_if_question"]
        show_if.queryset = earlier
        show_if.empty_label = "Always show"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        choices = [c.strip() for c in data.get("choices_text", "").splitlines() if c.strip()]
        if data.get("kind") in {"single", "multi"}:
            if len(choices) < 2:
                self.add_error("choices_text", "Give at least two choices.")
            elif len(choices) > 30 or any(len(c) > 100 for c in choices):
                self.add_error("choices_text", "At most 30 choices of up to 100 characters.")
            elif len(set(choices)) != len(choices):
                self.add_error("choices_text", "Each choice must be different.")
        else:
            choices = []
        data["choices"] = choices
        values = [v.strip() for v in data.get("show_if_values_text", "").splitlines() if v.strip()]
        target = data.get("show_if_question")
        if target and not values:
            self.add_error("show_if_values_text", "Say which answers show this question.")
        if target:
            allowed = {v for v, _ in target.options()}
            if unknown := [v for v in values if v not in allowed]:
                self.add_error(
                    "show_if_values_text",
                    f"“{unknown[0]}” is not an answer to that question; "
                    f"choose from: {', '.join(sorted(allowed))}.",
                )
        data["show_if_values"] = values if target else []
        return data

    def question_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "text": data["text"],
            "kind": data["kind"],
            "help_text": data["help_text"],
            "required": data["required"],
            "scale_low_label": data["scale_low_label"],
            "scale_high_label": data["scale_high_label"],
            "choices": data["choices"],
            "show_if_question": data["show_if_question"],
            "show_if_values": data["show_if_values"],
        }


class CheckinQuestionForm(QuestionForm):
    """The survey question form, with the kinds a check-in asks (see `checkins.CHECKIN_KINDS`).

    A question that came from the bank keeps its own kind as a choice (and its list of choices
    when it has one), so editing its wording does not force a new kind on it.
    """

    def __init__(self, *args: Any, survey: Survey, **kwargs: Any) -> None:
        from tete.surveys.checkins import CHECKIN_KINDS

        super().__init__(*args, survey=survey, **kwargs)
        kinds = set(CHECKIN_KINDS)
        if self.instance.pk:
            kinds.add(self.instance.kind)
        kind: Any = self.fields["kind"]
        kind.choices = [c for c in Question.Kind.choices if c[0] in kinds]
        if not kinds & {"single", "multi"}:
            del self.fields["choices_text"]


class BankForm(forms.Form):
    set_key = forms.ChoiceField(label="Add questions from the bank", choices=bank_choices)


class ImportForm(forms.Form):
    file = forms.FileField(label="Survey export (JSON)")


class InvitationForm(forms.Form):
    lines = forms.CharField(
        label="Who the links are for (one per line)",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="“Name &lt;email&gt;”, an email address, or just a label such as “Client 4”. "
        "People with an email address get their link by email.",
        max_length=20_000,
    )

    def clean_lines(self) -> list[str]:
        lines = [line.strip() for line in self.cleaned_data["lines"].splitlines() if line.strip()]
        if not lines:
            raise forms.ValidationError("Give at least one line.")
        if len(lines) > 200:
            raise forms.ValidationError("At most 200 links at a time.")
        for line in lines:
            if "@" in line:
                email = line.rsplit("<", 1)[-1].rstrip(">").strip()
                try:
                    forms.EmailField().clean(email)
                except forms.ValidationError as exc:
                    raise forms.ValidationError(f"“{line}” has no valid email address.") from exc
        return lines


class ResponseForm(forms.Form):
    """One field per current question, named "q<id>"; checks answers against the options.

    Questions hidden by their condition are neither required nor stored.
    """

    def __init__(self, *args: Any, questions: Sequence[Question], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        for q in self.questions:
            self.fields[f"q{q.id}"] = self._field(q)

    def _field(self, q: Question) -> forms.Field:
        # Conditional questions are checked in clean(): the browser must not demand an answer
        # to a question it hides.
        required = q.required and q.show_if_question_id is None
        common: dict[str, Any] = {"label": q.text, "required": required, "help_text": q.help_text}
        if q.kind == "multi":
            return forms.MultipleChoiceField(
                choices=q.options(), widget=forms.CheckboxSelectMultiple, **common
            )
        if q.kind in Question.CHOICE_KINDS:
            return forms.ChoiceField(choices=q.options(), widget=forms.RadioSelect, **common)
        if q.kind == "short":
            return forms.CharField(max_length=SHORT_TEXT_MAX, **common)
        return forms.CharField(
            max_length=long_text_max(), widget=forms.Textarea(attrs={"rows": 4}), **common
        )

    def is_shown(self, q: Question, data: dict[str, Any]) -> bool:
        if q.show_if_question_id is None:
            return True
        answer = data.get(f"q{q.show_if_question_id}")
        answers = answer if isinstance(answer, list) else [answer]
        return any(a in q.show_if_values for a in answers if a)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for q in self.questions:
            name = f"q{q.id}"
            if not self.is_shown(q, data):
                data.pop(name, None)
            elif q.required and q.show_if_question_id and not data.get(name):
                self.add_error(name, "This question needs an answer.")
        return data

    def answers(self) -> dict[str, Any]:
        """{str(question id): value} for the answered, shown questions."""
        result: dict[str, Any] = {}
        for q in self.questions:
            value = self.cleaned_data.get(f"q{q.id}")
            if value in (None, "", []):
                continue
            result[str(q.id)] = value.strip() if isinstance(value, str) else value
        return result

    def condition_css(self) -> SafeString:
        """CSS that shows a conditional question once a matching earlier answer is ticked.

        Built from numeric ids only (never from answer text), so it cannot inject markup. Without
        :has() support every question stays visible and the server ignores hidden answers.
        """
        by_id = {q.id: q for q in self.questions}
        rules = []
        for q in self.questions:
            target = by_id.get(q.show_if_question_id or 0)
            if target is None:
                continue
            values = [v for v, _ in target.options()]
            selectors = [
                f".survey-answer:has(#id_q{target.id}_{values.index(v)}:checked) #question-{q.id}"
                for v in q.show_if_values
                if v in values
            ]
            rules.append(f"#question-{q.id}{{display:none}}")
            if selectors:
                rules.append(",".join(selectors) + "{display:block}")
        if not rules:
            return mark_safe("")
        return mark_safe("@supports selector(:has(*)){" + "".join(rules) + "}")

    def bound_questions(self) -> list[tuple[Question, forms.BoundField]]:
        return [(q, self[f"q{q.id}"]) for q in self.questions]
