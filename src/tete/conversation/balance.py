"""The balance verdict: did the right person get the room to speak?

In manager–report, mentoring and coaching one-on-ones the report, mentee or client owns the
conversation and should talk at least half the time; between peers (and in personal
conversations) each person should have 40–60%. Both thresholds are :class:`Targets`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from .report import Report

Kind = Literal["manager_report", "mentoring", "coaching", "peer", "personal"]
KINDS: tuple[Kind, ...] = ("manager_report", "mentoring", "coaching", "peer", "personal")
#: The two roles of each kind of one-on-one; the second is the one who should talk most.
ROLES: dict[Kind, tuple[str, str]] = {
    "manager_report": ("manager", "report"),
    "mentoring": ("mentor", "mentee"),
    "coaching": ("coach", "client"),
    "peer": ("peer", "peer"),
    "personal": ("person", "person"),
}
_LED: dict[str, str] = {"manager_report": "report", "mentoring": "mentee", "coaching": "client"}


@dataclass(frozen=True, slots=True)
class Targets:
    """Talk-share targets; shares are fractions of the named speakers' talk time."""

    #: The report, mentee or client should talk at least this share.
    led_min_share: float = 0.5
    #: Between peers, each person's share should lie in this range.
    peer_min_share: float = 0.4
    peer_max_share: float = 0.6


@dataclass(frozen=True, slots=True)
class Verdict:
    """``status`` is ``balanced``, ``unbalanced`` or ``unknown`` (not enough to judge)."""

    kind: str
    status: Literal["balanced", "unbalanced", "unknown"]
    message: str
    #: The target range of each speaker's share, ``(min, max)``.
    targets: dict[str, tuple[float, float]] = field(default_factory=dict)
    #: The role no speaker was given, when that is why the verdict is ``unknown``: the command
    #: line suggests its ``--speakers`` option, the app its own way of saying who is who.
    missing_role: str | None = None

    def to_dict(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "status": self.status,
            "message": self.message,
            "targets": {
                name: {"min": low, "max": high} for name, (low, high) in self.targets.items()
            },
        }


def kind_for_roles(roles: Mapping[str, str]) -> Kind:
    """The kind of one-on-one the given roles describe; ``peer`` when they do not say."""
    given = {role.strip().lower() for role in roles.values()}
    for kind, pair in ROLES.items():
        if given & set(pair) and kind in _LED:
            return kind
    return "personal" if "person" in given else "peer"


def balance_verdict(
    report: Report,
    kind: str | None = None,
    roles: Mapping[str, str] | None = None,
    targets: Targets | None = None,
) -> Verdict:
    """Judge the talk balance of a report.

    ``roles`` maps speaker names (as in the report, case-insensitively) to roles such as
    ``manager``/``report``, ``mentor``/``mentee``, ``coach``/``client``; ``kind`` defaults to
    the kind those roles imply, or ``peer`` without roles.
    """
    targets = targets or Targets()
    roles = roles or {}
    kind = kind or kind_for_roles(roles)
    if kind not in KINDS:
        raise ValueError(f"unknown kind of one-on-one: {kind!r} (one of {', '.join(KINDS)})")
    shares = {speaker.name: speaker.talk_share for speaker in report.speakers}
    if len(shares) < 2:
        return Verdict(kind, "unknown", "Balance needs two named speakers in the transcript.")
    if kind in _LED:
        return _led_verdict(kind, shares, roles, targets)
    low, high = targets.peer_min_share, targets.peer_max_share
    ranges = {name: (low, high) for name in shares}
    outside = [name for name, share in shares.items() if not low <= share <= high]
    summary = ", ".join(f"{name} {share:.0%}" for name, share in shares.items())
    if not roles and kind == "peer":
        summary += " (no roles given: checked as peers)"
    if outside:
        return Verdict(
            kind,
            "unbalanced",
            f"Unbalanced: {summary}; each should talk {low:.0%}–{high:.0%} of the time.",
            ranges,
        )
    return Verdict(kind, "balanced", f"Balanced: {summary}.", ranges)


def _led_verdict(
    kind: str, shares: dict[str, float], roles: Mapping[str, str], targets: Targets
) -> Verdict:
    led_role = _LED[kind]
    by_folded = {name.casefold(): name for name in shares}
    led = [
        by_folded[name.casefold()]
        for name, role in roles.items()
        if role.strip().lower() == led_role and name.casefold() in by_folded
    ]
    if not led:
        return Verdict(
            kind,
            "unknown",
            f"Not checked: say which speaker is the {led_role}.",
            missing_role=led_role,
        )
    name = led[0]
    minimum = targets.led_min_share
    ranges = {other: (0.0, 1 - minimum) for other in shares if other != name}
    ranges[name] = (minimum, 1.0)
    share = shares[name]
    if share >= minimum:
        return Verdict(
            kind,
            "balanced",
            f"Balanced: {name} ({led_role}) talked {share:.0%} of the time "
            f"(target at least {minimum:.0%}).",
            ranges,
        )
    return Verdict(
        kind,
        "unbalanced",
        f"Unbalanced: {name} ({led_role}) talked {share:.0%} of the time; "
        f"the {led_role} should talk at least {minimum:.0%}.",
        ranges,
    )


def command_line_message(verdict: Verdict) -> str:
    """The verdict as ``tete analyze`` says it: with the option that gives the missing role."""
    if verdict.missing_role is None:
        return verdict.message
    return f"{verdict.message} Give it with --speakers 'Name={verdict.missing_role}'."
