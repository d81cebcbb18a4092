"""Complementary suppression: which survey results may be shown (DESIGN.md access rule 3).

A results page shows figures — counts, averages, eNPS, comments — for a round's responses
("Everyone") and for groups of them (a team, a tenure band…). Whoever reads them can combine
them: Everyone's comments minus one group's comments are the other groups' comments; a team's
counts minus its sub-team's are the rest's; two overlapping groups' comment lists give their
intersection. Every set of responses that can be derived from shown sets by unions,
differences and intersections is a union of their **atoms**: the responses that belong to
exactly the same shown sets. So the rule is:

    every atom of the sets whose figures are shown is empty or holds at least the minimum.

Then no hidden group, nor any part of one, can be isolated, whatever is combined. While an
atom is too small, the smallest shown group whose hiding merges it into another atom is hidden
(failing that, the smallest that tells it apart from another): "hide the next-smallest group
too". Everyone, which holds every atom, is never hidden for a group's sake.

The rule is applied twice (`plan`):

1. to whole responses, to choose the groups a round offers (their numbers of answers show);
2. to each question, over the responses that answered it, because people skip questions: a
   group whose 8 answers to an optional question sit beside Everyone's 12 would give away the
   other 4. A group can so be offered and still hide one question's figures.

Comments are listed for a group only when *every* group of its break-down (each value of the
dimension, and "not recorded") has none or at least the minimum number of comments on that
question: comments can say who wrote them, so they are never what is left over.

The set logic is shared with the leaders' view (`tete/suppression.py`); this module says
which sets a survey round has. It is pure: it works on positions in a list of responses and
knows no database.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field

from tete.suppression import atoms, keep_safe, keep_safe_masks
from tete.suppression import ids_of as _ids
from tete.suppression import mask_of as _mask
from tete.surveys.anonymity import DIMENSIONS

__all__ = ["atoms", "group_members", "keep_safe", "plan", "shown_groups"]

#: The key of the whole round ("Everyone") among a plan's sets.
EVERYONE = ""

#: Why a question's figures are not shown for a set of responses.
FEW = "few"  # fewer answers than the minimum
DIFFERENCE = "difference"  # beside the other figures shown, it would single out fewer
EVERY_GROUP = "every-group"  # comments by group need every group of the break-down at the minimum


@dataclass(frozen=True)
class Group:
    dimension: str
    value: str
    size: int

    @property
    def slug(self) -> str:
        return f"{self.dimension}:{self.value}"


def _drop_order(sizes: Mapping[str, int]) -> list[str]:
    """Smallest first; on a tie the more identifying dimension first; Everyone last."""

    def rank(key: str) -> tuple[int, int, int, str]:
        if key == EVERYONE:
            return (1, 0, 0, "")
        dimension = key.partition(":")[0]
        return (0, sizes[key], -DIMENSIONS.index(dimension), key)

    return sorted(sizes, key=rank)


def _group_masks(groups: Sequence[Mapping[str, str]]) -> dict[str, int]:
    """Each group's responses as a mask; Everyone under EVERYONE."""
    masks = {EVERYONE: (1 << len(groups)) - 1}
    for index, attrs in enumerate(groups):
        for dimension, value in attrs.items():
            if dimension in DIMENSIONS:
                key = f"{dimension}:{value}"
                masks[key] = masks.get(key, 0) | 1 << index
    return masks


def _offered(masks: Mapping[str, int], total: int, k: int) -> list[str]:
    if total < k:
        return []
    sizes = {key: mask.bit_count() for key, mask in masks.items()}
    candidates = {key: masks[key] for key, n in sizes.items() if n >= k}
    kept = keep_safe_masks(candidates, k, _drop_order({key: sizes[key] for key in candidates}))
    return [key for key in kept if key != EVERYONE]


def shown_groups(groups: Sequence[Mapping[str, str]], k: int) -> list[Group]:
    """The groups a round offers, given each response's stored attributes (one per response).

    Everyone is shown when len(groups) >= k; it is not in the list.
    """
    masks = _group_masks(groups)
    return _sorted_groups({key: masks[key].bit_count() for key in _offered(masks, len(groups), k)})


def group_members(groups: Sequence[Mapping[str, str]]) -> dict[str, frozenset[int]]:
    """Each group's responses, by position; Everyone under EVERYONE."""
    return {key: _ids(mask) for key, mask in _group_masks(groups).items()}


def _sorted_groups(sizes: Mapping[str, int]) -> list[Group]:
    groups = []
    for key, size in sizes.items():
        dimension, _, value = key.partition(":")
        groups.append(Group(dimension, value, size))
    return sorted(groups, key=lambda g: (DIMENSIONS.index(g.dimension), g.value))


@dataclass(frozen=True)
class Plan:
    """What a round's results may show: its groups, and each question's figures per set."""

    k: int
    groups: list[Group]
    #: Responses (by position) in each offered set; Everyone under EVERYONE.
    members: dict[str, frozenset[int]]
    #: Per question: the sets whose figures for it are shown.
    shown: dict[int, frozenset[str]]
    #: Per (question, set) not shown: FEW, DIFFERENCE or EVERY_GROUP.
    hidden: dict[tuple[int, str], str] = field(default_factory=dict)

    def shows(self, question: int, key: str) -> bool:
        return key in self.shown.get(question, frozenset())

    def why_hidden(self, question: int, key: str) -> str:
        return self.hidden.get((question, key), FEW)


def plan(
    groups: Sequence[Mapping[str, str]],
    answered: Mapping[int, AbstractSet[int]],
    comment_questions: AbstractSet[int],
    k: int,
) -> Plan:
    """Which sets a round offers and, per question, which of them show that question's figures.

    `groups` holds each response's stored attributes, `answered` each question's answering
    responses (by position), `comment_questions` the questions whose figures are comments.
    """
    masks = _group_masks(groups)
    offered = _offered(masks, len(groups), k)
    sets = {EVERYONE: masks[EVERYONE]} if len(groups) >= k else {}
    sets.update({key: masks[key] for key in offered})
    shown: dict[int, frozenset[str]] = {}
    hidden: dict[tuple[int, str], str] = {}
    decided: dict[tuple[int, bool], tuple[frozenset[str], dict[str, str]]] = {}
    for question, ids in answered.items():
        answers = _mask(ids)
        comments = question in comment_questions
        # Questions answered by the same responses (every required one) are decided once.
        if (answers, comments) not in decided:
            decided[(answers, comments)] = _decide(sets, masks, answers, comments, k)
        shown[question], reasons = decided[(answers, comments)]
        hidden.update({(question, key): why for key, why in reasons.items()})
    return Plan(
        k,
        _sorted_groups({key: masks[key].bit_count() for key in offered}),
        {key: _ids(mask) for key, mask in sets.items()},
        shown,
        hidden,
    )


def _decide(
    sets: Mapping[str, int], masks: Mapping[str, int], answers: int, comments: bool, k: int
) -> tuple[frozenset[str], dict[str, str]]:
    """For one question: the sets that show its figures, and why each other one does not."""
    hidden: dict[str, str] = {}
    sizes = {key: (mask & answers).bit_count() for key, mask in sets.items()}
    candidates = {key for key, n in sizes.items() if n >= k}
    for key in sizes.keys() - candidates:
        hidden[key] = FEW
    if comments:
        complete = _complete_dimensions(masks, answers, k)
        for key in list(candidates):
            if key != EVERYONE and key.partition(":")[0] not in complete:
                candidates.remove(key)
                hidden[key] = EVERY_GROUP
    kept = keep_safe_masks(
        {key: sets[key] & answers for key in candidates},
        k,
        _drop_order({key: sizes[key] for key in candidates}),
    )
    for key in candidates - kept:
        hidden[key] = DIFFERENCE
    return frozenset(kept), hidden


def _complete_dimensions(masks: Mapping[str, int], answers: int, k: int) -> set[str]:
    """Dimensions in which every group (and "not recorded") holds 0 or at least k answers."""
    complete = set()
    for dimension in DIMENSIONS:
        recorded = 0
        counts = []
        for key, mask in masks.items():
            if key.partition(":")[0] == dimension:
                recorded |= mask
                counts.append((mask & answers).bit_count())
        counts.append((answers & ~recorded).bit_count())  # not recorded
        if all(n == 0 or n >= k for n in counts):
            complete.add(dimension)
    return complete
