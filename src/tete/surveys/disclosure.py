"""What a respondent is told, before answering, about who will see what."""

from __future__ import annotations

from tete.surveys.anonymity import DIMENSION_LABELS, min_group_size
from tete.surveys.models import Survey


def who_sees_what(survey: Survey) -> list[str]:
    owner = survey.owner.name
    k = min_group_size()
    if survey.kind == Survey.Kind.CHECKIN:
        return [
            "This check-in is not anonymous: your answers appear with your name on the "
            "meeting's agenda.",
            "Only the two people in this one-on-one can see them — not an administrator, "
            "not a skip-level manager.",
        ]
    if not survey.anonymous:
        return [
            f"This survey is not anonymous: {owner} sees your answers with your name.",
            "Nobody else sees them, administrators included.",
        ]
    lines = [
        "Your answers are anonymous: they are stored without your name, without the time "
        "you answered and in random order.",
        f"{owner} (who runs this survey) sees them only combined with others' answers, and "
        f"only when at least {k} people answered — the same goes for comments, which are "
        "shown word for word but never with your name.",
    ]
    if not survey.is_public:
        groups = ", ".join(label.lower() for label in DIMENSION_LABELS.values())
        lines.append(
            f"Results by group ({groups}) appear only for groups of at least {k} answers, "
            "and never in a way that would single out a smaller group."
        )
        lines.append(
            "Results appear once the round has closed, so that nobody can compare them "
            "before and after you answered."
        )
        lines.append(
            f"A separate record says that you responded, so that you are not reminded again "
            f"and {owner} sees how many responded — never which answers are yours."
        )
    else:
        lines.append(
            f"Results change only in steps of at least {k} answers, so that nobody can "
            "compare them before and after you answered."
        )
        lines.append("Your link is marked as used so it cannot answer twice; nothing else.")
    lines.append("Administrators of this Tête-à-tête see none of your answers.")
    return lines


def small_audience_warning(survey_or_audience: Survey | str, size: int) -> str:
    """What the author of an anonymous survey is told when it reaches fewer people than the
    minimum: results stay hidden until that many have answered."""
    k = min_group_size()
    public = (
        survey_or_audience.is_public
        if isinstance(survey_or_audience, Survey)
        else survey_or_audience == Survey.Audience.PUBLIC
    )
    if public:
        links = f"{size} public link{'' if size == 1 else 's'}"
        return (
            f"This survey has {links}. Its results stay hidden until at least {k} people have "
            f"answered, so create at least {k} links."
        )
    who = "nobody" if size == 0 else f"{size} {'person' if size == 1 else 'people'}"
    return (
        f"This survey asks {who}. Its results stay hidden until at least {k} people have "
        "answered, so with this audience they never show."
    )
